package stacks

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/hashicorp/go-memdb"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// A rollout that Swarm rolled back marks its revision failed with Swarm's message, and
// the service shows as rolled back.
func TestARolledBackRolloutFailsItsRevision(t *testing.T) {
	f := newFixture(t)
	f.deploy(t, "shop", webCompose)
	f.syncIndex(t)
	v1 := f.store.ServicesByStack(nil, "shop")[0].Raw
	f.deploy(t, "shop", strings.Replace(webCompose, "3600", "60", 1))
	f.checkRollouts(t)
	rev, err := f.svc.Revision("shop", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.State, api.RevisionApplied), "no rollback yet")

	// Swarm rolled back to the previous spec, the one labelled with revision 1.
	started := time.Date(2026, 11, 1, 10, 0, 5, 0, time.UTC)
	rolled := v1
	rolled.Version.Index = 99
	rolled.UpdateStatus = &swarm.UpdateStatus{State: swarm.UpdateStateRollbackCompleted, StartedAt: &started, Message: "rollback completed: task exited with code 1"}
	assert.NilError(t, f.store.UpsertServices(state.NewService(rolled)))
	f.checkRollouts(t)

	rev, err = f.svc.Revision("shop", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.State, api.RevisionFailed))
	assert.Check(t, is.Equal(rev.Reason, "service shop_web: Swarm rolled the update back: rollback completed: task exited with code 1"))
	drift := f.svc.Drift("shop")
	assert.Assert(t, is.Len(drift, 1))
	assert.Check(t, is.Equal(drift[0].Kind, api.DriftRolledBack))
	assert.Check(t, is.Equal(drift[0].Message, "rollback completed: task exited with code 1"))

	// The state survives a restart, and a restart does not roll it forward again.
	g := f.restart(t)
	rev, err = g.svc.Revision("shop", 2)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.State, api.RevisionFailed))
}

func (f *fixture) checkRollouts(t *testing.T) {
	t.Helper()
	f.svc.checkRollouts(context.Background(), memdb.NewWatchSet())
}

func TestAnIngressPortAnotherServiceHoldsIsRefused(t *testing.T) {
	f := newFixture(t)
	other := swarm.Service{ID: "o1", Spec: swarm.ServiceSpec{
		Annotations:  swarm.Annotations{Name: "legacy_proxy"},
		EndpointSpec: &swarm.EndpointSpec{Ports: []swarm.PortConfig{{PublishedPort: 8080, TargetPort: 80}, {PublishedPort: 9000, TargetPort: 9000, PublishMode: swarm.PortConfigPublishModeHost}}},
	}}
	assert.NilError(t, f.store.UpsertServices(state.NewService(other)))

	_, err := f.svc.Deploy(context.Background(), "shop", deployReq(webCompose+"    ports: [\"8080:80\"]\n"), "admin", "")
	assert.Check(t, is.ErrorIs(err, api.ErrConflict))
	var apiErr *api.Error
	assert.Assert(t, errors.As(err, &apiErr))
	assert.Check(t, is.DeepEqual(apiErr.Problems, []api.Problem{{File: "docker-compose.yml", Line: 5, Key: "services.web.ports",
		Message: "port 8080/tcp is already published by service legacy_proxy: publish another port, or free it there first"}}))
	assert.Check(t, is.Len(f.engine.Mutations(), 0))

	hostPort := webCompose + "    ports:\n      - {target: 9000, published: 9000, mode: host}\n"
	res := f.deploy(t, "shop", hostPort)
	assert.Check(t, is.Len(res.Warnings, 1))
	assert.Check(t, is.Contains(res.Warnings[0].Message, "host-mode port 9000/tcp is also published by service legacy_proxy"))
	req := deployReq(hostPort)
	req.Strict = true
	_, err = f.svc.Deploy(context.Background(), "shop", req, "admin", "")
	assert.Check(t, is.ErrorContains(err, "--strict refuses a warning"))
}

// Updates users make natively fail too, and are not the revision's.
func TestRolloutsOfNativeUpdatesAreNotTheRevisions(t *testing.T) {
	started := time.Date(2026, 11, 1, 10, 0, 5, 0, time.UTC)
	for name, tc := range map[string]struct {
		change func(*swarm.Service)
		failed bool
	}{
		"docker service rollback": {change: func(s *swarm.Service) {
			s.Spec.Labels["io.exos.stack.revision"] = "1"
			s.UpdateStatus = &swarm.UpdateStatus{State: swarm.UpdateStateRollbackCompleted, StartedAt: &started, Message: "manually requested rollback"}
		}},
		"a native update that Swarm paused": {change: func(s *swarm.Service) {
			s.Spec.TaskTemplate.ContainerSpec.Image = "exos/busybox:9"
			s.UpdateStatus = &swarm.UpdateStatus{State: swarm.UpdateStatePaused, StartedAt: &started, Message: "update paused due to failure"}
		}},
		"the revision's own update that Swarm paused": {failed: true, change: func(s *swarm.Service) {
			s.UpdateStatus = &swarm.UpdateStatus{State: swarm.UpdateStatePaused, StartedAt: &started, Message: "update paused due to failure"}
		}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.deploy(t, "shop", webCompose)
			f.deploy(t, "shop", strings.Replace(webCompose, "3600", "60", 1))
			f.syncIndex(t)
			svc := f.store.ServicesByStack(nil, "shop")[0].Raw
			tc.change(&svc)
			svc.Version.Index++
			assert.NilError(t, f.store.UpsertServices(state.NewService(svc)))
			f.checkRollouts(t)
			rev, err := f.svc.Revision("shop", 2)
			assert.NilError(t, err)
			assert.Check(t, is.Equal(rev.State == api.RevisionFailed, tc.failed), rev.State)
		})
	}
}
