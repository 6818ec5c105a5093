package composeext

import (
	"net"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/paths"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/distribution/reference"
)

// matchDockerLoader does to the loaded project what docker/cli's loader
// (cli/compose/loader, cli/command/stack/loader) does and compose-go, loading in memory,
// does not: mount targets as written, bind sources resolved against the client's
// directories, env_file read from the attachments, the environment's precedence, image
// references checked.
func matchDockerLoader(p *types.Project, in Input, files []composeFile, ps *problems) {
	names := make([]string, 0, len(p.Services))
	for name := range p.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		svc := p.Services[name]
		matchVolumes(&svc, in, files)
		resolveBindSources(&svc, in, files, ps)
		resolveEnvironment(&svc, in, files, ps)
		dropHostIPs(&svc, files, ps)
		checkImageReference(svc, files, ps)
		p.Services[name] = svc
	}
}

// resolveBindSources resolves bind-mount sources like the loader's resolveVolumePaths: a
// leading ~ becomes the home directory, then a source that is neither a Unix nor a
// Windows absolute path is joined to the working directory. Only type bind: a short
// syntax source is a path when it starts with . / or ~, else it names a volume.
func resolveBindSources(svc *types.ServiceConfig, in Input, files []composeFile, ps *problems) {
	for i, v := range svc.Volumes {
		if v.Type != types.VolumeTypeBind || v.Source == "" {
			continue
		}
		src, missing := resolveBindSource(v.Source, in)
		if missing != "" {
			key := "services." + svc.Name + ".volumes." + strconv.Itoa(i)
			file, line := locate(key, files)
			ps.add(file, line, key, "bind mount source %q %s, which the client did not send", v.Source, missing)
			continue
		}
		svc.Volumes[i].Source = src
	}
}

// resolveBindSource returns the resolved source, or what resolving it needs.
func resolveBindSource(src string, in Input) (string, string) {
	if strings.HasPrefix(src, "~") {
		if in.HomeDir == "" {
			return src, "starts with ~: expanding it needs the client's home directory"
		}
		src = strings.Replace(src, "~", in.HomeDir, 1)
	}
	if path.IsAbs(src) || paths.IsWindowsAbs(src) {
		return src, ""
	}
	if in.WorkingDir == "" {
		return src, "is relative: resolving it needs the directory of the first compose file"
	}
	return filepath.Join(in.WorkingDir, src), ""
}

// dropHostIPs drops the host address of short-syntax ports (127.0.0.1:80:80) as
// docker/cli's converter does, with the warning it logs. (The long syntax's host_ip is not
// in docker's schema: refused.)
func dropHostIPs(svc *types.ServiceConfig, files []composeFile, ps *problems) {
	for i, p := range svc.Ports {
		if p.HostIP == "" {
			continue
		}
		if ip := net.ParseIP(p.HostIP); ip != nil && !ip.IsUnspecified() {
			key := "services." + svc.Name + ".ports"
			file, line := locate(key, files)
			proto := p.Protocol
			if proto == "" {
				proto = "tcp"
			}
			ps.warn(file, line, key, "ignoring IP-address (%s:%d/%s) service will listen on '0.0.0.0'",
				net.JoinHostPort(p.HostIP, p.Published), p.Target, proto)
		}
		svc.Ports[i].HostIP = ""
	}
}

// checkImageReference refuses what the CLI's LoadComposefile refuses: an image that is
// not a reference. A missing image is the converter's problem.
func checkImageReference(svc types.ServiceConfig, files []composeFile, ps *problems) {
	if svc.Image == "" {
		return
	}
	if _, err := reference.ParseAnyReference(svc.Image); err != nil {
		key := "services." + svc.Name + ".image"
		file, line := locate(key, files)
		ps.add(file, line, key, "invalid image reference for service %s: %v", svc.Name, err)
	}
}
