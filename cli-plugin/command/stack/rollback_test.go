package stack

import (
	"context"
	"errors"
	"testing"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestRollback(t *testing.T) {
	testCases := []struct {
		name   string
		args   []string
		wantTo int
	}{
		{name: "explicit revision", args: []string{"--to", "1", "web"}, wantTo: 1},
		{name: "default is the revision before the newest", args: []string{"web"}, wantTo: 2},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var to int
			cli := test.NewFakeCli(&test.FakeManager{
				StackHistoryFunc: func(context.Context, string) ([]api.Revision, error) { return fakeHistory(), nil },
				RollbackStackFunc: func(_ context.Context, name string, rev int) (api.DeployResult, error) {
					to = rev
					return api.DeployResult{Stack: name, Revision: 4, Services: []api.ServiceChange{{Name: "web_api", Action: "updated"}}}, nil
				},
			}, nil)
			cmd := newRollbackCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.Equal(to, tc.wantTo))
		})
	}
}

func TestRollbackWithoutEarlierRevision(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		StackHistoryFunc: func(context.Context, string) ([]api.Revision, error) { return []api.Revision{{Number: 1}}, nil },
	}, nil)
	cmd := newRollbackCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"web"})
	assert.Error(t, cmd.Execute(), "stack web has no earlier revision to roll back to")
}

func TestRemoveCollectsErrors(t *testing.T) {
	var removed []string
	cli := test.NewFakeCli(&test.FakeManager{
		RemoveStackFunc: func(_ context.Context, name string) (api.StackRemoval, error) {
			switch name {
			case "denied":
				return api.StackRemoval{}, &api.Error{StatusCode: 403, Message: "user bob may not remove stack denied"}
			case "nope":
				return api.StackRemoval{}, &api.Error{StatusCode: 404, Message: "stack \"nope\" does not exist"}
			case "gone": // history only: nothing left on the swarm
				return api.StackRemoval{Removed: []api.RemovedObject{}}, nil
			case "old": // a manager of an earlier version removes and says nothing
				return api.StackRemoval{}, nil
			}
			removed = append(removed, name)
			return api.StackRemoval{Removed: []api.RemovedObject{{Kind: "service", Name: name + "_web"}, {Kind: "network", Name: name + "_default"}}}, nil
		},
	}, nil)
	cmd := newRemoveCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"web", "denied", "nope", "gone", "old", "shop"})
	err := cmd.Execute()
	assert.Error(t, err, "failed to remove stack denied: user bob may not remove stack denied")
	var apiErr *api.Error
	assert.Check(t, errors.As(err, &apiErr), "the manager's error stays inspectable")
	assert.Check(t, is.DeepEqual(removed, []string{"web", "shop"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "Removing service web_web\nRemoving network web_default\n"+
		"Removing stack old\nRemoving service shop_web\nRemoving network shop_default\n"))
	assert.Check(t, is.Equal(cli.ErrBuffer().String(), "Nothing found in stack: nope\nNothing found in stack: gone\n"),
		"a stack with nothing on the swarm is no error, as with docker stack rm")
}
