package composeext

import (
	"fmt"
	"os"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/swarm"
)

// Secret and config references carry names only: SecretID, ConfigID and a config-based
// CredentialSpec.Config are filled by ResolveObjectIDs once the objects exist on the
// swarm (the CLI asks the daemon for them while converting).

// fileRef is a converted reference: the object's full name and the file in the container.
type fileRef struct {
	name             string
	target, uid, gid string
	mode             os.FileMode
}

func (c *converter) fileRef(kind string, ref types.FileReferenceConfig, objs map[string]types.FileObjectConfig) (fileRef, bool) {
	obj, ok := objs[ref.Source]
	if !ok {
		c.problem(kind, "undefined %s %q", kind[:len(kind)-1], ref.Source)
		return fileRef{}, false
	}
	out := fileRef{name: c.ns.scope(ref.Source), target: ref.Target, uid: ref.UID, gid: ref.GID, mode: 0o444}
	if obj.Name != "" {
		out.name = obj.Name
	}
	if out.target == "" {
		out.target = ref.Source
	}
	if out.uid == "" {
		out.uid = "0"
	}
	if out.gid == "" {
		out.gid = "0"
	}
	if ref.Mode != nil {
		out.mode = os.FileMode(*ref.Mode)
	}
	return out, true
}

func (c *converter) secretRefs() []*swarm.SecretReference {
	objs := map[string]types.FileObjectConfig{}
	for k, v := range c.project.Secrets {
		objs[k] = types.FileObjectConfig(v)
	}
	out := []*swarm.SecretReference{}
	targets := map[string]bool{}
	for _, s := range c.svc.Secrets {
		ref, ok := c.fileRef("secrets", types.FileReferenceConfig(s), objs)
		if !ok {
			continue
		}
		if targets[ref.target] {
			c.problem("secrets", "duplicate secret target for %s not allowed", ref.name)
			continue
		}
		targets[ref.target] = true
		out = append(out, &swarm.SecretReference{SecretName: ref.name, File: &swarm.SecretReferenceFileTarget{
			Name: ref.target, UID: ref.uid, GID: ref.gid, Mode: ref.mode,
		}})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SecretName < out[j].SecretName })
	return out
}

func (c *converter) configObjs() map[string]types.FileObjectConfig {
	objs := map[string]types.FileObjectConfig{}
	for k, v := range c.project.Configs {
		objs[k] = types.FileObjectConfig(v)
	}
	return objs
}

func (c *converter) configRefs() []*swarm.ConfigReference {
	objs := c.configObjs()
	out := []*swarm.ConfigReference{}
	targets := map[string]bool{}
	for _, s := range c.svc.Configs {
		ref, ok := c.fileRef("configs", types.FileReferenceConfig(s), objs)
		if !ok {
			continue
		}
		if targets[ref.target] {
			c.problem("configs", "duplicate config target for %s not allowed", ref.name)
			continue
		}
		targets[ref.target] = true
		out = append(out, &swarm.ConfigReference{ConfigName: ref.name, File: &swarm.ConfigReferenceFileTarget{
			Name: ref.target, UID: ref.uid, GID: ref.gid, Mode: ref.mode,
		}})
	}
	if name := c.credentialConfig(objs); name != "" {
		out = append(out, &swarm.ConfigReference{ConfigName: name, Runtime: &swarm.ConfigReferenceRuntimeTarget{}})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ConfigName < out[j].ConfigName })
	return out
}

// credentialConfig returns the full name of the config a credential spec uses, or "".
func (c *converter) credentialConfig(objs map[string]types.FileObjectConfig) string {
	cs := c.svc.CredentialSpec
	if cs == nil || cs.Config == "" {
		return ""
	}
	obj, ok := objs[cs.Config]
	if !ok {
		c.problem("credential_spec.config", "undefined config %q", cs.Config)
		return ""
	}
	if obj.Name != "" {
		return obj.Name
	}
	return c.ns.scope(cs.Config)
}

// credentialSpec holds the config's full name in Config until ResolveObjectIDs.
func (c *converter) credentialSpec() *swarm.CredentialSpec {
	cs := c.svc.CredentialSpec
	if cs == nil {
		return nil
	}
	set := 0
	for _, v := range []string{cs.Config, cs.File, cs.Registry} {
		if v != "" {
			set++
		}
	}
	switch {
	case set == 0:
		return nil
	case set > 1:
		c.problem("credential_spec", "invalid credential spec: set only one of config, file and registry")
		return nil
	}
	out := &swarm.CredentialSpec{File: cs.File, Registry: cs.Registry}
	if cs.Config != "" {
		out.Config = c.credentialConfig(c.configObjs())
	}
	return out
}

// ResolveObjectIDs fills the secret and config IDs of a converted spec from the full names
// of the objects on the swarm. Every referenced name must be in the maps.
func ResolveObjectIDs(spec *swarm.ServiceSpec, secretIDs, configIDs map[string]string) error {
	cs := spec.TaskTemplate.ContainerSpec
	if cs == nil {
		return nil
	}
	for _, s := range cs.Secrets {
		id, ok := secretIDs[s.SecretName]
		if !ok {
			return fmt.Errorf("secret not found: %s", s.SecretName)
		}
		s.SecretID = id
	}
	for _, c := range cs.Configs {
		id, ok := configIDs[c.ConfigName]
		if !ok {
			return fmt.Errorf("config not found: %s", c.ConfigName)
		}
		c.ConfigID = id
	}
	if p := cs.Privileges; p != nil && p.CredentialSpec != nil && p.CredentialSpec.Config != "" {
		id, ok := configIDs[p.CredentialSpec.Config]
		if !ok {
			return fmt.Errorf("config not found: %s", p.CredentialSpec.Config)
		}
		p.CredentialSpec.Config = id
	}
	return nil
}
