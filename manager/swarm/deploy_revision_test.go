package swarm

import (
	"context"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestAppliedRevision(t *testing.T) {
	for _, tc := range []struct {
		name         string
		setup        func(t *testing.T, d *Deployer, f *fakeEngine)
		wantRevision int
		wantComplete bool
	}{
		{name: "nothing deployed", setup: func(*testing.T, *Deployer, *fakeEngine) {}},
		{name: "complete", wantRevision: 4, wantComplete: true, setup: func(t *testing.T, d *Deployer, _ *fakeEngine) {
			apply(t, d, testStack(), 4)
		}},
		{name: "one service behind", wantRevision: 4, setup: func(t *testing.T, d *Deployer, f *fakeEngine) {
			apply(t, d, testStack(), 5)
			setRevision(f, "st_db", "4")
		}},
		{name: "one service missing", wantRevision: 5, setup: func(t *testing.T, d *Deployer, _ *fakeEngine) {
			stack := testStack()
			stack.Services = stack.Services[1:]
			apply(t, d, stack, 5)
		}},
		{name: "service not pruned yet", wantRevision: 5, setup: func(t *testing.T, d *Deployer, _ *fakeEngine) {
			stack := testStack()
			stack.Services = append(stack.Services, testService("old", "sleep", "1"))
			apply(t, d, stack, 5)
		}},
		{name: "deployed without EXOS", setup: func(t *testing.T, d *Deployer, f *fakeEngine) {
			apply(t, d, testStack(), 5)
			setRevision(f, "st_db", "")
			setRevision(f, "st_web", "")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeEngine()
			d := NewDeployer(f)
			tc.setup(t, d, f)
			rev, complete, err := d.AppliedRevision(context.Background(), testStack())
			assert.NilError(t, err)
			assert.Check(t, is.Equal(rev, tc.wantRevision))
			assert.Check(t, is.Equal(complete, tc.wantComplete))
		})
	}
}

func setRevision(f *fakeEngine, name, revision string) {
	for id, svc := range f.services {
		if svc.Spec.Name == name {
			svc.Spec.Labels[LabelRevision] = revision
			if revision == "" {
				delete(svc.Spec.Labels, LabelRevision)
			}
			f.services[id] = svc
		}
	}
}
