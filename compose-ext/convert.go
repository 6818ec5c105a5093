package composeext

import (
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/swarm"
)

// The converter ports docker/cli's cli/compose/convert (v28.5) to compose-go types, so
// that a plain compose file gives the ServiceSpecs `docker stack deploy` creates. The
// oracle test checks it against docker/cli's own converter.

const (
	labelNamespace = "com.docker.stack.namespace"
	labelImage     = "com.docker.stack.image"
	defaultNetwork = "default"
)

// convertStack converts the loaded project; problems found on the way are recorded.
func convertStack(p *types.Project, in Input, exos map[string]ServiceExt, files []composeFile, ps *problems) *Stack {
	ns := namespace(in.Stack)
	st := &Stack{Name: in.Stack, Catalog: exosCatalog(in), files: files}
	names := make([]string, 0, len(p.Services))
	for name := range p.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		svc := p.Services[name]
		c := converter{ns: ns, project: p, svc: svc, file: serviceFile(name, files), ps: ps}
		spec := c.service()
		ext := exos[name]
		applyExos(&spec, ext, c.file, name, ps)
		st.Services = append(st.Services, Service{Name: name, Spec: spec, Exos: ext})
	}
	st.Networks = convertNetworks(ns, p)
	st.Configs = convertConfigs(ns, p, in, files, ps)
	st.Secrets = convertSecrets(ns, p, in, files, ps)
	checkPreflight(p, in, st, ps)
	return st
}

// namespace prefixes names with the stack name, as convert.Namespace does.
type namespace string

func (n namespace) scope(name string) string { return string(n) + "_" + name }

// stackLabels returns labels plus the namespace label, always a fresh non-nil map.
func (n namespace) stackLabels(labels map[string]string) map[string]string {
	out := make(map[string]string, len(labels)+1)
	for k, v := range labels {
		out[k] = v
	}
	out[labelNamespace] = string(n)
	return out
}

// serviceFile names the last compose file defining the service, for problems.
func serviceFile(name string, files []composeFile) string {
	file, _ := locate("services."+name, files)
	return file
}

// converter converts one service; problems name its file and key.
type converter struct {
	ns      namespace
	project *types.Project
	svc     types.ServiceConfig
	file    string
	ps      *problems
}

func (c *converter) problem(key, format string, args ...any) {
	c.ps.add(c.file, 0, "services."+c.svc.Name+"."+key, format, args...)
}

func (c *converter) service() swarm.ServiceSpec {
	svc := c.svc
	deploy := types.DeployConfig{}
	if svc.Deploy != nil {
		deploy = *svc.Deploy
	}
	capAdd, capDrop := effectiveCaps(svc.CapAdd, svc.CapDrop)
	spec := swarm.ServiceSpec{
		Annotations: swarm.Annotations{Name: c.ns.scope(svc.Name), Labels: c.ns.stackLabels(deploy.Labels)},
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: &swarm.ContainerSpec{
				Image:           svc.Image,
				Command:         svc.Entrypoint,
				Args:            svc.Command,
				Hostname:        svc.Hostname,
				Hosts:           convertExtraHosts(svc.ExtraHosts),
				DNSConfig:       convertDNS(svc.DNS, svc.DNSSearch),
				Healthcheck:     c.healthcheck(),
				Env:             convertEnvironment(svc.Environment),
				Labels:          c.ns.stackLabels(svc.Labels),
				Dir:             svc.WorkingDir,
				User:            svc.User,
				Mounts:          c.mounts(),
				StopGracePeriod: durationPtr(svc.StopGracePeriod),
				StopSignal:      svc.StopSignal,
				TTY:             svc.Tty,
				OpenStdin:       svc.StdinOpen,
				Secrets:         c.secretRefs(),
				Configs:         c.configRefs(),
				ReadOnly:        svc.ReadOnly,
				Privileges:      &swarm.Privileges{CredentialSpec: c.credentialSpec()},
				Isolation:       container.Isolation(svc.Isolation),
				Init:            svc.Init,
				Sysctls:         svc.Sysctls,
				CapabilityAdd:   capAdd,
				CapabilityDrop:  capDrop,
				Ulimits:         convertUlimits(svc.Ulimits),
				OomScoreAdj:     svc.OomScoreAdj,
			},
			LogDriver:     convertLogging(svc.Logging),
			Resources:     c.resources(deploy.Resources),
			RestartPolicy: c.restartPolicy(deploy.RestartPolicy),
			Placement:     convertPlacement(deploy.Placement),
			Networks:      c.networks(),
		},
		EndpointSpec:   convertEndpoint(deploy.EndpointMode, svc.Ports, c),
		Mode:           c.mode(deploy),
		UpdateConfig:   convertUpdateConfig(deploy.UpdateConfig),
		RollbackConfig: convertUpdateConfig(deploy.RollbackConfig),
	}
	spec.Labels[labelImage] = svc.Image
	if svc.Image == "" {
		c.problem("image", "no image specified (Swarm does not build images)")
	}
	return spec
}
