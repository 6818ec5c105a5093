package stack

import (
	"context"
	"testing"

	"github.com/docker/docker/api/types/filters"
	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestFilterContainers(t *testing.T) {
	containers := []api.Container{
		{ID: "aaa111", Name: "web_app.1", Service: "web_app", Node: "node1", NodeID: "n1xyz", DesiredState: "running"},
		{ID: "aab222", Name: "web_app.1", Service: "web_app", Node: "node1", NodeID: "n1xyz", DesiredState: "shutdown"},
		{ID: "bbb333", Name: "web_app.10", Service: "web_app", Node: "node2", NodeID: "n2xyz", DesiredState: "running"},
		{ID: "ccc444", Name: "web_db.1", Service: "web_db", Node: "node2", NodeID: "n2xyz", DesiredState: "running"},
	}
	for _, tc := range []struct {
		filters []filters.KeyValuePair
		want    []string
	}{
		{nil, []string{"aaa111", "aab222", "bbb333", "ccc444"}},
		{[]filters.KeyValuePair{filters.Arg("desired-state", "running")}, []string{"aaa111", "bbb333", "ccc444"}},
		{[]filters.KeyValuePair{filters.Arg("desired-state", "Shutdown")}, []string{"aab222"}},
		{[]filters.KeyValuePair{filters.Arg("id", "aa")}, []string{"aaa111", "aab222"}},
		{[]filters.KeyValuePair{filters.Arg("name", "web_app.1")}, []string{"aaa111", "aab222", "bbb333"}},
		{[]filters.KeyValuePair{filters.Arg("node", "node2")}, []string{"bbb333", "ccc444"}},
		{[]filters.KeyValuePair{filters.Arg("node", "n1")}, []string{"aaa111", "aab222"}},
		{[]filters.KeyValuePair{filters.Arg("service", "web_db")}, []string{"ccc444"}},
		{[]filters.KeyValuePair{filters.Arg("node", "node1"), filters.Arg("node", "node2"), filters.Arg("desired-state", "shutdown")}, []string{"aab222"}},
		{[]filters.KeyValuePair{filters.Arg("service", "web")}, nil},
	} {
		got, err := filterContainers(filters.NewArgs(tc.filters...), containers)
		assert.NilError(t, err)
		var ids []string
		for _, c := range got {
			ids = append(ids, c.ID)
		}
		assert.Check(t, is.DeepEqual(ids, tc.want), "filters %v", tc.filters)
	}
}

func TestFilterServices(t *testing.T) {
	services := []api.Service{
		{ID: "s1abc", Name: "web_app", Mode: "replicated", Labels: map[string]string{"tier": "front", "team": "a"}},
		{ID: "s2abc", Name: "web_db", Mode: "global", Labels: map[string]string{"tier": "back"}},
	}
	for _, tc := range []struct {
		filters []filters.KeyValuePair
		want    []string
	}{
		{[]filters.KeyValuePair{filters.Arg("label", "tier=front")}, []string{"web_app"}},
		{[]filters.KeyValuePair{filters.Arg("label", "tier")}, []string{"web_app", "web_db"}},
		{[]filters.KeyValuePair{filters.Arg("label", "team")}, []string{"web_app"}},
		{[]filters.KeyValuePair{filters.Arg("mode", "global")}, []string{"web_db"}},
		{[]filters.KeyValuePair{filters.Arg("name", "web_d")}, []string{"web_db"}},
		{[]filters.KeyValuePair{filters.Arg("id", "s1")}, []string{"web_app"}},
	} {
		got, err := filterServices(filters.NewArgs(tc.filters...), services)
		assert.NilError(t, err)
		var names []string
		for _, s := range got {
			names = append(names, s.Name)
		}
		assert.Check(t, is.DeepEqual(names, tc.want), "filters %v", tc.filters)
	}
}

func TestBadFiltersAreRefused(t *testing.T) {
	_, err := filterContainers(filters.NewArgs(filters.Arg("colour", "red")), nil)
	assert.Error(t, err, "invalid filter 'colour': the filters are desired-state, id, name, node, service")
	_, err = filterContainers(filters.NewArgs(filters.Arg("desired-state", "sleeping")), nil)
	assert.Error(t, err, "invalid desired-state filter: 'sleeping'")
	_, err = filterServices(filters.NewArgs(filters.Arg("node", "node1")), nil)
	assert.Error(t, err, "invalid filter 'node': the filters are id, label, mode, name")
}

func TestContainersFilterAndNoResolve(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{
		StackContainersFunc: func(context.Context, string, api.QueryOptions) ([]api.Container, uint64, error) {
			return []api.Container{
				{ID: "t1", Name: "web_app.1", Service: "web_app", ServiceID: "svcid1", Node: "node1", NodeID: "nodeid1", DesiredState: "running"},
				{ID: "t2", Name: "web_app.1", Service: "web_app", ServiceID: "svcid1", Node: "node1", NodeID: "nodeid1", DesiredState: "shutdown"},
			}, 0, nil
		},
	}, nil)
	cmd := newContainersCommand(cli)
	cmd.SetArgs([]string{"--filter", "desired-state=running", "--no-resolve", "--format", "{{.ID}} {{.Name}} {{.Node}}", "web"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "t1 svcid1.1 nodeid1\n"))
}
