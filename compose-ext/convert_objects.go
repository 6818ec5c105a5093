package composeext

import (
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/swarm"
)

// convertConfigs lists every top-level config like convert.Configs (external ones marked,
// not created), sorted by name. Content comes from Input.Attachments for `file:`, or from
// `content:` / `environment:` (compose-spec keys the CLI lacks).
func convertConfigs(ns namespace, p *types.Project, in Input, files []composeFile, ps *problems) []Config {
	out := []Config{}
	for key, cfg := range p.Configs {
		obj := types.FileObjectConfig(cfg)
		a := annotations(ns, key, obj)
		if obj.External {
			out = append(out, Config{External: true, Spec: swarm.ConfigSpec{Annotations: a}})
			continue
		}
		spec := swarm.ConfigSpec{Annotations: a, Data: objectData("configs", key, obj, in, files, ps)}
		if obj.TemplateDriver != "" {
			spec.Templating = &swarm.Driver{Name: obj.TemplateDriver}
		}
		out = append(out, Config{Spec: spec})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Spec.Name < out[j].Spec.Name })
	return out
}

// convertSecrets is convertConfigs for secrets; a secret with a driver has no data.
func convertSecrets(ns namespace, p *types.Project, in Input, files []composeFile, ps *problems) []Secret {
	out := []Secret{}
	for key, sec := range p.Secrets {
		obj := types.FileObjectConfig(sec)
		a := annotations(ns, key, obj)
		if obj.External {
			out = append(out, Secret{External: true, Spec: swarm.SecretSpec{Annotations: a}})
			continue
		}
		if obj.Environment != "" && in.withheld(obj.Environment) {
			out = append(out, Secret{Keep: true, Spec: swarm.SecretSpec{Annotations: a}})
			continue
		}
		spec := swarm.SecretSpec{Annotations: a}
		if obj.Driver != "" {
			spec.Data = []byte{}
			spec.Driver = &swarm.Driver{Name: obj.Driver, Options: obj.DriverOpts}
		} else {
			spec.Data = objectData("secrets", key, obj, in, files, ps)
		}
		if obj.TemplateDriver != "" {
			spec.Templating = &swarm.Driver{Name: obj.TemplateDriver}
		}
		out = append(out, Secret{Spec: spec})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Spec.Name < out[j].Spec.Name })
	return out
}

func annotations(ns namespace, key string, obj types.FileObjectConfig) swarm.Annotations {
	name := obj.Name
	if name == "" {
		name = ns.scope(key)
	}
	if obj.External {
		return swarm.Annotations{Name: name}
	}
	return swarm.Annotations{Name: name, Labels: ns.stackLabels(obj.Labels)}
}

func objectData(kind, key string, obj types.FileObjectConfig, in Input, files []composeFile, ps *problems) []byte {
	path := kind + "." + key
	file, line := locate(path, files)
	switch {
	case obj.File != "":
		data, ok := in.Attachments[obj.File]
		if !ok {
			ps.add(file, line, path+".file", "file %q was not attached", obj.File)
		}
		return data
	case obj.Environment != "":
		v, ok := in.Variables[obj.Environment]
		if in.withheld(obj.Environment) {
			ps.add(file, line, path+".environment", "%s", (&withheldVariableError{name: obj.Environment}).Error())
		} else if !ok {
			ps.add(file, line, path+".environment", "missing variable %q", obj.Environment)
		}
		return []byte(v)
	case obj.Content != "":
		return []byte(obj.Content)
	}
	ps.add(file, line, path, "no file, content or environment given")
	return nil
}
