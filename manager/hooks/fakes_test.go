package hooks

import (
	"context"
	"sync"

	"github.com/exos-platform/exos/manager/persist"
)

// fakeObjects is an in-memory persist store.
type fakeObjects struct {
	mu   sync.Mutex
	objs map[string]persist.Object
}

func newFakeObjects() *fakeObjects { return &fakeObjects{objs: map[string]persist.Object{}} }

func (f *fakeObjects) Put(_ context.Context, kind, name string, data []byte, _ map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objs[kind+"/"+name] = persist.Object{Kind: kind, Name: name, Data: append([]byte(nil), data...)}
	return nil
}

func (f *fakeObjects) Delete(_ context.Context, kind, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.objs, kind+"/"+name)
	return nil
}

func (f *fakeObjects) List(_ context.Context, kind string) ([]persist.Object, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []persist.Object
	for _, o := range f.objs {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	return out, nil
}
