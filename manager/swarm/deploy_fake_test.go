package swarm

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/client"
)

var _ EngineAPI = (*client.Client)(nil)

// fakeEngine is an in-memory swarm. It stores copies, checks versions like Swarm, fills in
// some of the defaults dockerd fills in, and records every call that would change the swarm.
type fakeEngine struct {
	services map[string]swarm.Service
	networks map[string]network.Summary
	configs  map[string]swarm.Config
	secrets  map[string]swarm.Secret
	// secretData keeps secret content, which Swarm never returns.
	secretData map[string][]byte
	calls      []string
	nextID     int

	// beforeServiceUpdate runs before an update is applied (to simulate a concurrent writer).
	beforeServiceUpdate func(f *fakeEngine, id string)
	// taskList answers TaskList; nil means no tasks.
	taskList func() []swarm.Task
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{
		services: map[string]swarm.Service{}, networks: map[string]network.Summary{},
		configs: map[string]swarm.Config{}, secrets: map[string]swarm.Secret{}, secretData: map[string][]byte{},
	}
}

func (f *fakeEngine) id(kind string) string {
	f.nextID++
	return fmt.Sprintf("%s%d", kind, f.nextID)
}

func (f *fakeEngine) record(call, name string) { f.calls = append(f.calls, call+" "+name) }

func notFound(what string) error { return fmt.Errorf("%s: %w", what, cerrdefs.ErrNotFound) }

// stored returns spec as dockerd would keep it: network names become IDs, defaults appear.
func (f *fakeEngine) stored(spec swarm.ServiceSpec) swarm.ServiceSpec {
	spec = deepCopy(spec)
	for i, nw := range spec.TaskTemplate.Networks {
		for id, n := range f.networks {
			if n.Name == nw.Target {
				spec.TaskTemplate.Networks[i].Target = id
			}
		}
	}
	spec.TaskTemplate.Runtime = swarm.RuntimeContainer
	spec.TaskTemplate.ContainerSpec.Isolation = "default"
	if spec.Mode.Replicated != nil && spec.Mode.Replicated.Replicas == nil {
		one := uint64(1)
		spec.Mode.Replicated.Replicas = &one
	}
	return spec
}

func (f *fakeEngine) ServiceCreate(_ context.Context, spec swarm.ServiceSpec, _ swarm.ServiceCreateOptions) (swarm.ServiceCreateResponse, error) {
	f.record("ServiceCreate", spec.Name)
	id := f.id("svc")
	f.services[id] = swarm.Service{ID: id, Meta: swarm.Meta{Version: swarm.Version{Index: 1}}, Spec: f.stored(spec)}
	return swarm.ServiceCreateResponse{ID: id}, nil
}

func (f *fakeEngine) ServiceInspectWithRaw(_ context.Context, id string, _ swarm.ServiceInspectOptions) (swarm.Service, []byte, error) {
	svc, ok := f.services[id]
	if !ok {
		return swarm.Service{}, nil, notFound("service " + id)
	}
	return deepCopy(svc), nil, nil
}

func (f *fakeEngine) ServiceList(context.Context, swarm.ServiceListOptions) ([]swarm.Service, error) {
	var out []swarm.Service
	for _, svc := range f.services {
		out = append(out, deepCopy(svc))
	}
	return out, nil
}

func (f *fakeEngine) ServiceRemove(_ context.Context, id string) error {
	f.record("ServiceRemove", f.services[id].Spec.Name)
	delete(f.services, id)
	return nil
}

func (f *fakeEngine) ServiceUpdate(_ context.Context, id string, version swarm.Version, spec swarm.ServiceSpec, _ swarm.ServiceUpdateOptions) (swarm.ServiceUpdateResponse, error) {
	f.record("ServiceUpdate", spec.Name)
	if f.beforeServiceUpdate != nil {
		f.beforeServiceUpdate(f, id)
	}
	svc, ok := f.services[id]
	switch {
	case !ok:
		return swarm.ServiceUpdateResponse{}, notFound("service " + id)
	case svc.Version != version:
		return swarm.ServiceUpdateResponse{}, fmt.Errorf("Error response from daemon: rpc error: code = Unknown desc = update out of sequence")
	}
	svc.Version.Index++
	svc.Spec = f.stored(spec)
	f.services[id] = svc
	return swarm.ServiceUpdateResponse{}, nil
}

func (f *fakeEngine) TaskList(_ context.Context, opts swarm.TaskListOptions) ([]swarm.Task, error) {
	if f.taskList == nil {
		return nil, nil
	}
	var out []swarm.Task
	for _, task := range f.taskList() {
		if matchLabels(task.Labels, opts.Filters.Get("label")) {
			out = append(out, task)
		}
	}
	return out, nil
}

// matchLabels applies "label" filters (key=value) to labels, as the daemon does.
func matchLabels(labels map[string]string, filters []string) bool {
	for _, filter := range filters {
		key, value, _ := strings.Cut(filter, "=")
		if labels[key] != value {
			return false
		}
	}
	return true
}

func (f *fakeEngine) NetworkCreate(_ context.Context, name string, opts network.CreateOptions) (network.CreateResponse, error) {
	f.record("NetworkCreate", name)
	id := f.id("net")
	f.networks[id] = network.Summary{
		ID: id, Name: name, Scope: "swarm", Driver: opts.Driver, Labels: opts.Labels,
		Attachable: opts.Attachable, Internal: opts.Internal, Options: opts.Options,
	}
	return network.CreateResponse{ID: id}, nil
}

func (f *fakeEngine) NetworkList(context.Context, network.ListOptions) ([]network.Summary, error) {
	var out []network.Summary
	for _, nw := range f.networks {
		out = append(out, deepCopy(nw))
	}
	return out, nil
}

func (f *fakeEngine) NetworkRemove(_ context.Context, id string) error {
	f.record("NetworkRemove", f.networks[id].Name)
	delete(f.networks, id)
	return nil
}

func (f *fakeEngine) ConfigCreate(_ context.Context, spec swarm.ConfigSpec) (swarm.ConfigCreateResponse, error) {
	f.record("ConfigCreate", spec.Name)
	id := f.id("cfg")
	f.configs[id] = swarm.Config{ID: id, Meta: swarm.Meta{Version: swarm.Version{Index: 1}}, Spec: deepCopy(spec)}
	return swarm.ConfigCreateResponse{ID: id}, nil
}

func (f *fakeEngine) ConfigList(context.Context, swarm.ConfigListOptions) ([]swarm.Config, error) {
	var out []swarm.Config
	for _, cfg := range f.configs {
		out = append(out, deepCopy(cfg))
	}
	return out, nil
}

func (f *fakeEngine) ConfigRemove(_ context.Context, id string) error {
	f.record("ConfigRemove", f.configs[id].Spec.Name)
	delete(f.configs, id)
	return nil
}

func (f *fakeEngine) ConfigUpdate(_ context.Context, id string, version swarm.Version, spec swarm.ConfigSpec) error {
	f.record("ConfigUpdate", spec.Name)
	cfg := f.configs[id]
	if !bytes.Equal(cfg.Spec.Data, spec.Data) || cfg.Version != version {
		return fmt.Errorf("only updates to Labels are allowed: %w", cerrdefs.ErrInvalidArgument)
	}
	cfg.Version.Index++
	cfg.Spec = deepCopy(spec)
	f.configs[id] = cfg
	return nil
}

func (f *fakeEngine) SecretCreate(_ context.Context, spec swarm.SecretSpec) (swarm.SecretCreateResponse, error) {
	f.record("SecretCreate", spec.Name)
	id := f.id("sec")
	f.secretData[id] = spec.Data
	spec = deepCopy(spec)
	spec.Data = nil
	f.secrets[id] = swarm.Secret{ID: id, Meta: swarm.Meta{Version: swarm.Version{Index: 1}}, Spec: spec}
	return swarm.SecretCreateResponse{ID: id}, nil
}

func (f *fakeEngine) SecretList(context.Context, swarm.SecretListOptions) ([]swarm.Secret, error) {
	var out []swarm.Secret
	for _, sec := range f.secrets {
		out = append(out, deepCopy(sec))
	}
	return out, nil
}

func (f *fakeEngine) SecretRemove(_ context.Context, id string) error {
	f.record("SecretRemove", f.secrets[id].Spec.Name)
	delete(f.secrets, id)
	return nil
}

func (f *fakeEngine) SecretUpdate(_ context.Context, id string, version swarm.Version, spec swarm.SecretSpec) error {
	f.record("SecretUpdate", spec.Name)
	sec := f.secrets[id]
	if spec.Data != nil && !bytes.Equal(f.secretData[id], spec.Data) || sec.Version != version {
		return fmt.Errorf("only updates to Labels are allowed: %w", cerrdefs.ErrInvalidArgument)
	}
	sec.Version.Index++
	sec.Spec.Labels = spec.Labels
	f.secrets[id] = sec
	return nil
}

// mutations returns the recorded calls and forgets them.
func (f *fakeEngine) mutations() []string {
	calls := f.calls
	f.calls = nil
	return calls
}
