package composeext

import (
	"strconv"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/mount"
)

// mounts converts service volumes like convert.Volumes. Bind sources were resolved by
// resolveBindSources against the client's directories, as the CLI's loader resolves them.
func (c *converter) mounts() []mount.Mount {
	out := make([]mount.Mount, 0, len(c.svc.Volumes))
	for i, v := range c.svc.Volumes {
		key := "volumes." + strconv.Itoa(i)
		m := mount.Mount{
			Type:        mount.Type(v.Type),
			Target:      v.Target,
			ReadOnly:    v.ReadOnly,
			Source:      v.Source,
			Consistency: mount.Consistency(v.Consistency),
		}
		switch v.Type {
		case types.VolumeTypeVolume, "":
			c.volumeMount(key, v, &m)
		case types.VolumeTypeBind:
			// matchVolumes keeps a bind block only where the CLI has one; a
			// create_host_path block (compose-go's mark of the short syntax) means none.
			if b := v.Bind; b != nil && !(bool(b.CreateHostPath) && b.Propagation == "") {
				m.BindOptions = &mount.BindOptions{Propagation: mount.Propagation(v.Bind.Propagation)}
			}
		case types.VolumeTypeTmpfs:
			if v.Tmpfs != nil {
				m.TmpfsOptions = &mount.TmpfsOptions{SizeBytes: int64(v.Tmpfs.Size)}
			}
		default:
			c.problem(key, "not supported on Swarm: volume type %q", v.Type)
		}
		out = append(out, m)
	}
	return out
}

func (c *converter) volumeMount(key string, v types.ServiceVolumeConfig, m *mount.Mount) {
	if v.Source == "" {
		return // anonymous volume
	}
	vol, ok := c.project.Volumes[v.Source]
	if !ok {
		c.problem(key, "undefined volume %q", v.Source)
		return
	}
	m.Source = c.ns.scope(v.Source)
	if vol.Name != "" {
		m.Source = vol.Name
	}
	m.VolumeOptions = &mount.VolumeOptions{}
	if v.Volume != nil {
		m.VolumeOptions.NoCopy = v.Volume.NoCopy
		m.VolumeOptions.Subpath = v.Volume.Subpath
	}
	if vol.External {
		return
	}
	m.VolumeOptions.Labels = c.ns.stackLabels(vol.Labels)
	if vol.Driver != "" || vol.DriverOpts != nil {
		m.VolumeOptions.DriverConfig = &mount.Driver{Name: vol.Driver, Options: vol.DriverOpts}
	}
}
