package templates

import (
	"context"
	"errors"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
)

func deployed(t *testing.T, env string, sets ...string) (*Service, *fakeStacks) {
	t.Helper()
	svc, st := newService(t, env)
	_, err := svc.Deploy(context.Background(), "tick", deployReq(sets...), "me", "")
	assert.NilError(t, err)
	return svc, st
}

// TestUpgradeKeepsAnswersAndPasswords: the newest deployable version it may reach, the
// recorded answers, and the password's secret kept rather than asked for again.
func TestUpgradeKeepsAnswersAndPasswords(t *testing.T) {
	svc, st := deployed(t, "qa", "secret_word=hunter2", "message=hi", "replicas=2")
	assert.Check(t, is.Equal(svc.UpgradeTo("community", "ticker", "1.0.0"), "1.1.0"), "2.0.0 is not deployable")

	res, err := svc.Upgrade(context.Background(), "tick", api.StackUpgradeRequest{}, "me", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Template.Version, "1.1.0"))
	d := st.deploys[1]
	assert.Check(t, is.Equal(d.Env, "qa"))
	assert.Check(t, is.DeepEqual(d.Source.Answers, map[string]string{"replicas": "2", "message": "hi"}))
	assert.Check(t, is.Len(d.Passwords, 0))
	assert.Check(t, is.DeepEqual(d.Kept, []string{"secret_word"}))
	assert.Check(t, is.Contains(d.ComposeFiles[0].Content, "echo v2 hi"))
	assert.Check(t, is.Contains(d.ComposeFiles[0].Content, `"${secret_word}"`), "a kept password renders as its stand-in")
	assert.Check(t, is.Contains(d.ComposeFiles[0].Content, "replicas: 2"))
	assert.Check(t, is.Equal(svc.UpgradeTo("community", "ticker", "1.1.0"), ""))
}

func TestUpgradeChangesAnswersAndPasswords(t *testing.T) {
	svc, st := deployed(t, "", "secret_word=hunter2", "message=hi")
	_, err := svc.Upgrade(context.Background(), "tick", api.StackUpgradeRequest{Version: "1", Sets: []string{"message=bye", "secret_word=swordfish"}}, "me", "")
	assert.NilError(t, err)
	d := st.deploys[1]
	assert.Check(t, is.Equal(d.Source.Version, "1.1.0"))
	assert.Check(t, is.Equal(d.Source.Answers["message"], "bye"))
	assert.Check(t, is.DeepEqual(d.Passwords, map[string]string{"secret_word": "swordfish"}))
	assert.Check(t, is.Len(d.Kept, 0))
}

func TestUpgradeRefusals(t *testing.T) {
	tests := []struct {
		name string
		req  api.StackUpgradeRequest
		prep func(*fakeStacks)
		kind error
		msg  string
	}{
		{name: "compose stack", prep: func(f *fakeStacks) { f.latest.Template = nil }, kind: api.ErrInvalid,
			msg: "stack tick was deployed from compose files, not from a catalog template"},
		{name: "up to date", prep: func(f *fakeStacks) { f.latest.Template.Version = "1.1.0" }, kind: api.ErrInvalid,
			msg: "stack runs community/ticker:1.1.0, and catalog community offers no newer version it may upgrade to"},
		{name: "Cattle only", req: api.StackUpgradeRequest{Version: "2.0.0"}, kind: api.ErrInvalid, msg: "template community/ticker:2.0.0 is not deployable"},
		{name: "downgrade", req: api.StackUpgradeRequest{Version: "1.0.0"}, prep: func(f *fakeStacks) { f.latest.Template.Version = "1.1.0" },
			kind: api.ErrInvalid, msg: "community/ticker:1.0.0 cannot upgrade a stack running version 1.1.0"},
		{name: "wrong answer", req: api.StackUpgradeRequest{Sets: []string{"replicas=0"}}, kind: api.ErrInvalid, msg: "answers to community/ticker:1.1.0 are not valid"},
		{name: "misspelled kept password", req: api.StackUpgradeRequest{Sets: []string{"secret_wrod=swordfish"}}, kind: api.ErrInvalid,
			msg: `answers to community/ticker:1.1.0 are not valid; nothing was changed
  secret_wrod: unknown answer "secret_wrod": did you mean "secret_word"?`},
		{name: "template gone", prep: func(f *fakeStacks) { f.latest.Template.Template = "gone" }, kind: api.ErrNotFound,
			msg: "stack tick came from community/gone:1.0.0: no template community/gone"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, st := deployed(t, "", "secret_word=hunter2")
			if tc.prep != nil {
				tc.prep(st)
			}
			_, err := svc.Upgrade(context.Background(), "tick", tc.req, "me", "")
			assert.Check(t, errors.Is(err, tc.kind), "%v", err)
			assert.Check(t, is.ErrorContains(err, tc.msg))
			assert.Check(t, is.Len(st.deploys, 1), "nothing deployed")
		})
	}
}
