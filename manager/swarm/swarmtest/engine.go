// Package swarmtest is an in-memory swarm for tests of code that drives the Engine API:
// it keeps services, networks, configs and secrets the way dockerd does (versions,
// defaults, filters, secret content hidden) and can fail any write, so that tests see
// what a real deploy would leave behind.
package swarmtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
)

// Engine is an in-memory swarm. It stores copies, checks versions like Swarm, fills in
// some of the defaults dockerd fills in, and records every call that would change the swarm.
type Engine struct {
	Services map[string]swarm.Service
	Networks map[string]network.Summary
	Configs  map[string]swarm.Config
	Secrets  map[string]swarm.Secret
	// SecretData keeps secret content, which Swarm never returns.
	SecretData map[string][]byte
	calls      []string
	nextID     int

	// BeforeServiceUpdate runs before an update is applied (to simulate a concurrent writer).
	BeforeServiceUpdate func(f *Engine, id string)
	// TaskListFunc answers TaskList; nil means no tasks.
	TaskListFunc func() []swarm.Task
	// Vanishing are networks Swarm is removing, by name: they are listed for that many
	// more NetworkList calls, and a new service cannot use them meanwhile.
	Vanishing map[string]int
	// FailAt makes the FailAt-th write fail (1-based; 0 for none). Writes counts them.
	FailAt int
	Writes int
	// RegistryAuth is the X-Registry-Auth of each service's last create or update that
	// sent one, by service name, as Swarm keeps it (an update without one keeps it).
	RegistryAuth map[string]string
}

// NewEngine returns an empty swarm.
func NewEngine() *Engine {
	return &Engine{
		Services: map[string]swarm.Service{}, Networks: map[string]network.Summary{},
		Configs: map[string]swarm.Config{}, Secrets: map[string]swarm.Secret{}, SecretData: map[string][]byte{},
	}
}

func (f *Engine) id(kind string) string {
	f.nextID++
	return fmt.Sprintf("%s%d", kind, f.nextID)
}

// record notes a write and says whether it must fail (failAt).
func (f *Engine) record(call, name string) error {
	f.calls = append(f.calls, call+" "+name)
	f.Writes++
	if f.Writes == f.FailAt {
		return fmt.Errorf("injected failure of write %d (%s %s)", f.Writes, call, name)
	}
	return nil
}

// nameMatches applies "name" filters: services, configs and secrets by prefix, networks by
// regular expression, as the daemon does.
func nameMatches(name string, filter filters.Args, regex bool) bool {
	values := filter.Get("name")
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		if regex && regexp.MustCompile(v).MatchString(name) || !regex && strings.HasPrefix(name, v) {
			return true
		}
	}
	return false
}

func notFound(what string) error { return fmt.Errorf("%s: %w", what, cerrdefs.ErrNotFound) }

// stored returns spec as dockerd would keep it: network names become IDs, defaults appear.
func (f *Engine) stored(spec swarm.ServiceSpec) swarm.ServiceSpec {
	spec = deepCopy(spec)
	for i, nw := range spec.TaskTemplate.Networks {
		for id, n := range f.Networks {
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

func (f *Engine) ServiceCreate(_ context.Context, spec swarm.ServiceSpec, opts swarm.ServiceCreateOptions) (swarm.ServiceCreateResponse, error) {
	if err := f.record("ServiceCreate", spec.Name); err != nil {
		return swarm.ServiceCreateResponse{}, err
	}
	for _, svc := range f.Services {
		if svc.Spec.Name == spec.Name {
			return swarm.ServiceCreateResponse{}, cerrdefs.ErrConflict.WithMessage("service " + spec.Name + " already exists")
		}
	}
	for _, nw := range spec.TaskTemplate.Networks {
		if f.Vanishing[nw.Target] > 0 {
			return swarm.ServiceCreateResponse{}, cerrdefs.ErrNotFound.WithMessage("network " + nw.Target + " not found")
		}
	}
	id := f.id("svc")
	f.Services[id] = swarm.Service{ID: id, Meta: swarm.Meta{Version: swarm.Version{Index: 1}}, Spec: f.stored(spec)}
	f.keepAuth(spec.Name, opts.EncodedRegistryAuth)
	return swarm.ServiceCreateResponse{ID: id}, nil
}

func (f *Engine) ServiceInspectWithRaw(_ context.Context, id string, _ swarm.ServiceInspectOptions) (swarm.Service, []byte, error) {
	svc, ok := f.Services[id]
	if !ok {
		return swarm.Service{}, nil, notFound("service " + id)
	}
	return deepCopy(svc), nil, nil
}

func (f *Engine) ServiceList(_ context.Context, opts swarm.ServiceListOptions) ([]swarm.Service, error) {
	var out []swarm.Service
	for _, svc := range f.Services {
		if nameMatches(svc.Spec.Name, opts.Filters, false) && matchLabels(svc.Spec.Labels, opts.Filters.Get("label")) {
			out = append(out, deepCopy(svc))
		}
	}
	return out, nil
}

func (f *Engine) ServiceRemove(_ context.Context, id string) error {
	if err := f.record("ServiceRemove", f.Services[id].Spec.Name); err != nil {
		return err
	}
	delete(f.Services, id)
	return nil
}

func (f *Engine) ServiceUpdate(_ context.Context, id string, version swarm.Version, spec swarm.ServiceSpec, opts swarm.ServiceUpdateOptions) (swarm.ServiceUpdateResponse, error) {
	if err := f.record("ServiceUpdate", spec.Name); err != nil {
		return swarm.ServiceUpdateResponse{}, err
	}
	if f.BeforeServiceUpdate != nil {
		f.BeforeServiceUpdate(f, id)
	}
	svc, ok := f.Services[id]
	switch {
	case !ok:
		return swarm.ServiceUpdateResponse{}, notFound("service " + id)
	case svc.Version != version:
		return swarm.ServiceUpdateResponse{}, fmt.Errorf("Error response from daemon: rpc error: code = Unknown desc = update out of sequence")
	}
	svc.Version.Index++
	svc.Spec = f.stored(spec)
	f.Services[id] = svc
	f.keepAuth(spec.Name, opts.EncodedRegistryAuth)
	return swarm.ServiceUpdateResponse{}, nil
}

func (f *Engine) keepAuth(service, auth string) {
	if auth == "" {
		return
	}
	if f.RegistryAuth == nil {
		f.RegistryAuth = map[string]string{}
	}
	f.RegistryAuth[service] = auth
}

func (f *Engine) TaskList(_ context.Context, opts swarm.TaskListOptions) ([]swarm.Task, error) {
	if f.TaskListFunc == nil {
		return nil, nil
	}
	var out []swarm.Task
	for _, task := range f.TaskListFunc() {
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

func (f *Engine) NetworkCreate(_ context.Context, name string, opts network.CreateOptions) (network.CreateResponse, error) {
	if err := f.record("NetworkCreate", name); err != nil {
		return network.CreateResponse{}, err
	}
	id := f.id("net")
	f.Networks[id] = network.Summary{
		ID: id, Name: name, Scope: "swarm", Driver: opts.Driver, Labels: opts.Labels,
		Attachable: opts.Attachable, Internal: opts.Internal, Options: opts.Options,
	}
	return network.CreateResponse{ID: id}, nil
}

func (f *Engine) NetworkList(_ context.Context, opts network.ListOptions) ([]network.Summary, error) {
	for id, nw := range f.Networks {
		if left, ok := f.Vanishing[nw.Name]; ok {
			if left == 0 {
				delete(f.Networks, id)
				delete(f.Vanishing, nw.Name)
			} else {
				f.Vanishing[nw.Name] = left - 1
			}
		}
	}
	var out []network.Summary
	for _, nw := range f.Networks {
		if nameMatches(nw.Name, opts.Filters, true) && matchLabels(nw.Labels, opts.Filters.Get("label")) {
			out = append(out, deepCopy(nw))
		}
	}
	return out, nil
}

func (f *Engine) NetworkRemove(_ context.Context, id string) error {
	if err := f.record("NetworkRemove", f.Networks[id].Name); err != nil {
		return err
	}
	delete(f.Networks, id)
	return nil
}

func (f *Engine) ConfigCreate(_ context.Context, spec swarm.ConfigSpec) (swarm.ConfigCreateResponse, error) {
	if err := f.record("ConfigCreate", spec.Name); err != nil {
		return swarm.ConfigCreateResponse{}, err
	}
	for _, cfg := range f.Configs {
		if cfg.Spec.Name == spec.Name {
			return swarm.ConfigCreateResponse{}, cerrdefs.ErrConflict.WithMessage("config " + spec.Name + " already exists")
		}
	}
	id := f.id("cfg")
	f.Configs[id] = swarm.Config{ID: id, Meta: swarm.Meta{Version: swarm.Version{Index: 1}}, Spec: deepCopy(spec)}
	return swarm.ConfigCreateResponse{ID: id}, nil
}

func (f *Engine) ConfigList(_ context.Context, opts swarm.ConfigListOptions) ([]swarm.Config, error) {
	var out []swarm.Config
	for _, cfg := range f.Configs {
		if nameMatches(cfg.Spec.Name, opts.Filters, false) && matchLabels(cfg.Spec.Labels, opts.Filters.Get("label")) {
			out = append(out, deepCopy(cfg))
		}
	}
	return out, nil
}

func (f *Engine) ConfigInspectWithRaw(_ context.Context, ref string) (swarm.Config, []byte, error) {
	for id, cfg := range f.Configs {
		if id == ref || cfg.Spec.Name == ref {
			return deepCopy(cfg), nil, nil
		}
	}
	return swarm.Config{}, nil, notFound("config " + ref)
}

// ConfigRemove takes an ID or a name, as dockerd does.
func (f *Engine) ConfigRemove(_ context.Context, ref string) error {
	id := ref
	for cid, cfg := range f.Configs {
		if cfg.Spec.Name == ref {
			id = cid
		}
	}
	if err := f.record("ConfigRemove", f.Configs[id].Spec.Name); err != nil {
		return err
	}
	if _, ok := f.Configs[id]; !ok {
		return notFound("config " + ref)
	}
	delete(f.Configs, id)
	return nil
}

func (f *Engine) ConfigUpdate(_ context.Context, id string, version swarm.Version, spec swarm.ConfigSpec) error {
	if err := f.record("ConfigUpdate", spec.Name); err != nil {
		return err
	}
	cfg := f.Configs[id]
	if !bytes.Equal(cfg.Spec.Data, spec.Data) || cfg.Version != version {
		return fmt.Errorf("only updates to Labels are allowed: %w", cerrdefs.ErrInvalidArgument)
	}
	cfg.Version.Index++
	cfg.Spec = deepCopy(spec)
	f.Configs[id] = cfg
	return nil
}

func (f *Engine) SecretCreate(_ context.Context, spec swarm.SecretSpec) (swarm.SecretCreateResponse, error) {
	if err := f.record("SecretCreate", spec.Name); err != nil {
		return swarm.SecretCreateResponse{}, err
	}
	for _, sec := range f.Secrets {
		if sec.Spec.Name == spec.Name {
			return swarm.SecretCreateResponse{}, cerrdefs.ErrConflict.WithMessage("secret " + spec.Name + " already exists")
		}
	}
	id := f.id("sec")
	f.SecretData[id] = spec.Data
	spec = deepCopy(spec)
	spec.Data = nil
	f.Secrets[id] = swarm.Secret{ID: id, Meta: swarm.Meta{Version: swarm.Version{Index: 1}}, Spec: spec}
	return swarm.SecretCreateResponse{ID: id}, nil
}

func (f *Engine) SecretList(_ context.Context, opts swarm.SecretListOptions) ([]swarm.Secret, error) {
	var out []swarm.Secret
	for _, sec := range f.Secrets {
		if nameMatches(sec.Spec.Name, opts.Filters, false) && matchLabels(sec.Spec.Labels, opts.Filters.Get("label")) {
			out = append(out, deepCopy(sec))
		}
	}
	return out, nil
}

func (f *Engine) SecretInspectWithRaw(_ context.Context, id string) (swarm.Secret, []byte, error) {
	sec, ok := f.Secrets[id]
	if !ok {
		return swarm.Secret{}, nil, notFound("secret " + id)
	}
	return deepCopy(sec), nil, nil
}

func (f *Engine) SecretRemove(_ context.Context, id string) error {
	if err := f.record("SecretRemove", f.Secrets[id].Spec.Name); err != nil {
		return err
	}
	delete(f.Secrets, id)
	return nil
}

func (f *Engine) SecretUpdate(_ context.Context, id string, version swarm.Version, spec swarm.SecretSpec) error {
	if err := f.record("SecretUpdate", spec.Name); err != nil {
		return err
	}
	sec := f.Secrets[id]
	if spec.Data != nil && !bytes.Equal(f.SecretData[id], spec.Data) || sec.Version != version {
		return fmt.Errorf("only updates to Labels are allowed: %w", cerrdefs.ErrInvalidArgument)
	}
	sec.Version.Index++
	sec.Spec.Labels = spec.Labels
	f.Secrets[id] = sec
	return nil
}

// Mutations returns the recorded calls and forgets them.
func (f *Engine) Mutations() []string {
	calls := f.calls
	f.calls = nil
	return calls
}

// deepCopy copies v through JSON, as the Engine API types travel.
func deepCopy[T any](v T) T {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}
