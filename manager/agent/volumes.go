package agent

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/docker/docker/api/types/volume"
	"github.com/exos-platform/exos/manager/api"
)

// volumeSizes are the node's volumes as last measured.
type volumeSizes struct {
	every time.Duration
	at    time.Time
	list  []api.VolumeSample
}

// volumeSamples returns the node's volumes with the containers mounting each (counted in
// this report's list); the list and sizes are measured again only every volumeSizes.every.
func (a *Agent) volumeSamples(ctx context.Context, mounts map[string]int) []api.VolumeSample {
	v := &a.volumes
	if v.list == nil || a.now().Sub(v.at) >= v.every {
		if list, err := a.measureVolumes(ctx); err == nil {
			v.list, v.at = list, a.now()
		}
	}
	out := make([]api.VolumeSample, 0, len(v.list))
	for _, s := range v.list {
		s.Containers = mounts[s.Name]
		out = append(out, s)
	}
	return out
}

// measureVolumes lists the node-local volumes and sums the files of each local one
// (the Engine's own volume sizes come from `docker system df`, which walks every layer
// and container too).
func (a *Agent) measureVolumes(ctx context.Context) ([]api.VolumeSample, error) {
	resp, err := a.engine.VolumeList(ctx, volume.ListOptions{})
	if err != nil {
		return nil, err
	}
	list := make([]api.VolumeSample, 0, len(resp.Volumes))
	for _, vol := range resp.Volumes {
		if vol.Scope == "global" {
			continue // a cluster volume is not this node's
		}
		size := int64(-1)
		if vol.Driver == "local" && vol.Mountpoint != "" {
			size = dirSize(filepath.Join(a.hostRoot, vol.Mountpoint))
		}
		list = append(list, api.VolumeSample{Name: vol.Name, Driver: vol.Driver, Size: size})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list, nil
}

// dirSize sums the sizes of the regular files under dir, -1 when dir cannot be read.
func dirSize(dir string) int64 {
	if _, err := os.Stat(dir); err != nil {
		return -1
	}
	var size int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a file removed during the walk
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	return size
}
