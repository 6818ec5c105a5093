package stacks

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	dockerswarm "github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm"
	"gotest.tools/v3/assert"
)

func indexedService(name string, version uint64) *state.Service {
	return state.NewService(dockerswarm.Service{ID: name, Meta: dockerswarm.Meta{Version: dockerswarm.Version{Index: version}},
		Spec: dockerswarm.ServiceSpec{Annotations: dockerswarm.Annotations{Name: name}}})
}

func TestADeployAnswersOnceTheIndexShowsIt(t *testing.T) {
	store := state.New()
	assert.NilError(t, store.UpsertServices(indexedService("shop_db", 3), indexedService("shop_old", 2)))
	s := &Service{store: store, log: slog.New(slog.NewTextHandler(io.Discard, nil)), indexWait: 10 * time.Second}
	applied := &swarm.Applied{
		Changes: []swarm.Change{{Service: "shop_web", Action: swarm.ActionCreated}, {Service: "shop_db", Action: swarm.ActionUpdated},
			{Service: "shop_old", Action: swarm.ActionRemoved}, {Service: "shop_same", Action: swarm.ActionUnchanged}},
		Before: map[string]uint64{"shop_db": 3, "shop_old": 2},
	}
	done := make(chan struct{})
	go func() { s.awaitIndexed(context.Background(), applied); close(done) }()

	for _, step := range []func() error{
		func() error { return store.UpsertServices(indexedService("shop_web", 5)) },
		func() error { return store.UpsertServices(indexedService("shop_db", 3)) }, // not yet the update
		func() error { return store.DeleteService("shop_old") },
	} {
		assert.NilError(t, step())
		select {
		case <-done:
			t.Fatal("answered before the index showed every change")
		case <-time.After(20 * time.Millisecond):
		}
	}
	assert.NilError(t, store.UpsertServices(indexedService("shop_db", 4)))
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("still waiting once the index shows the deploy")
	}
}

func TestADeployDoesNotWaitForALateIndexForever(t *testing.T) {
	s := &Service{store: state.New(), log: slog.New(slog.NewTextHandler(io.Discard, nil)), indexWait: 10 * time.Millisecond}
	s.awaitIndexed(context.Background(), &swarm.Applied{Changes: []swarm.Change{{Service: "shop_web", Action: swarm.ActionCreated}}})
}
