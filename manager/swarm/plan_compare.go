package swarm

import (
	"encoding/json"
	"reflect"

	"github.com/docker/docker/api/types/swarm"
)

// sameSpec reports whether the service Swarm holds (have) already is want, ignoring the
// revision label. Swarm returns a spec with its defaults filled in and network names
// replaced by IDs, so both sides are brought to that form and compared as JSON with empty
// values dropped. A difference this misses costs only a needless ServiceUpdate, which
// Swarm itself recognises as restarting nothing.
func sameSpec(have, want swarm.ServiceSpec, networkIDs map[string]string) bool {
	return reflect.DeepEqual(canonicalSpec(have, networkIDs), canonicalSpec(want, networkIDs))
}

func canonicalSpec(spec swarm.ServiceSpec, networkIDs map[string]string) any {
	spec = deepCopy(spec)
	delete(spec.Labels, LabelRevision)
	fillDaemonDefaults(&spec)
	for i, nw := range spec.TaskTemplate.Networks {
		if id, ok := networkIDs[nw.Target]; ok {
			spec.TaskTemplate.Networks[i].Target = id
		}
	}
	data, err := json.Marshal(spec)
	if err != nil {
		panic("marshal service spec: " + err.Error()) // API types always marshal
	}
	var tree any
	if err := json.Unmarshal(data, &tree); err != nil {
		panic("unmarshal service spec: " + err.Error())
	}
	return dropEmpty(tree)
}

// fillDaemonDefaults sets what dockerd 20.10 (daemon/cluster/convert) fills in when it
// stores a spec that leaves these fields empty.
func fillDaemonDefaults(spec *swarm.ServiceSpec) {
	if spec.TaskTemplate.Runtime == "" {
		spec.TaskTemplate.Runtime = swarm.RuntimeContainer
	}
	if cs := spec.TaskTemplate.ContainerSpec; cs != nil && cs.Isolation == "" {
		cs.Isolation = "default"
	}
	if rp := spec.TaskTemplate.RestartPolicy; rp != nil && rp.Condition == "" {
		rp.Condition = swarm.RestartPolicyConditionAny
	}
	mode := &spec.Mode
	if mode.Replicated == nil && mode.Global == nil && mode.ReplicatedJob == nil && mode.GlobalJob == nil {
		mode.Replicated = &swarm.ReplicatedService{}
	}
	if mode.Replicated != nil && mode.Replicated.Replicas == nil {
		one := uint64(1)
		mode.Replicated.Replicas = &one
	}
	for _, uc := range []*swarm.UpdateConfig{spec.UpdateConfig, spec.RollbackConfig} {
		if uc != nil && uc.FailureAction == "" {
			uc.FailureAction = swarm.UpdateFailureActionPause
		}
		if uc != nil && uc.Order == "" {
			uc.Order = swarm.UpdateOrderStopFirst
		}
	}
	if spec.EndpointSpec == nil {
		spec.EndpointSpec = &swarm.EndpointSpec{}
	}
	if spec.EndpointSpec.Mode == "" {
		spec.EndpointSpec.Mode = swarm.ResolutionModeVIP
	}
	for i := range spec.EndpointSpec.Ports {
		port := &spec.EndpointSpec.Ports[i]
		if port.Protocol == "" {
			port.Protocol = swarm.PortConfigProtocolTCP
		}
		if port.PublishMode == "" {
			port.PublishMode = swarm.PortConfigPublishModeIngress
		}
	}
}

// dropEmpty removes nulls, empty strings, empty objects and empty arrays from a decoded
// JSON tree: the Engine API does not tell them apart from absent fields. false and 0 stay,
// as a *bool or *uint64 set to them means something else than unset.
func dropEmpty(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for key, value := range v {
			if value = dropEmpty(value); value != nil {
				out[key] = value
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		var out []any
		for _, value := range v {
			out = append(out, dropEmpty(value))
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case string:
		if v == "" {
			return nil
		}
	}
	return v
}
