package audit

import (
	"fmt"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestListFilters(t *testing.T) {
	c := newClock()
	l := New(Config{Now: c.now})
	start := c.now()
	l.Note(Event{Actor: "bob", Action: "stack.deploy", Object: "stacks/shop", Env: "qa", Result: ResultOK})
	c.advance(time.Hour)
	l.Note(Event{Actor: "bob (token ci)", Action: "stack.rollback", Object: "stacks/shop", Env: "qa", Result: ResultOK})
	l.Note(Event{Actor: "bobby", Action: "hook.create", Object: "hooks/3f2a", Env: "prod", Result: ResultOK})
	c.advance(time.Hour)
	l.Note(Event{Actor: "admin", Action: "environment.create", Object: "environments/dev", Result: ResultOK})

	for _, tc := range []struct {
		name string
		q    Query
		want []string
	}{
		{"all, newest first", Query{}, []string{"environments/dev", "hooks/3f2a", "stacks/shop", "stacks/shop"}},
		{"a user and its tokens", Query{Actor: "bob"}, []string{"stacks/shop", "stacks/shop"}},
		{"one token", Query{Actor: "bob (token ci)"}, []string{"stacks/shop"}},
		{"an action family", Query{Action: "stack"}, []string{"stacks/shop", "stacks/shop"}},
		{"an action", Query{Action: "stack.deploy"}, []string{"stacks/shop"}},
		{"no partial word", Query{Action: "stack.dep"}, []string{}},
		{"an environment", Query{Env: "prod"}, []string{"hooks/3f2a"}},
		{"since", Query{Since: start.Add(30 * time.Minute)}, []string{"environments/dev", "hooks/3f2a", "stacks/shop"}},
		{"until, excluded", Query{Until: start.Add(2 * time.Hour)}, []string{"hooks/3f2a", "stacks/shop", "stacks/shop"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, next := l.List(tc.q, nil)
			assert.Check(t, is.DeepEqual(ids(got), tc.want))
			assert.Check(t, is.Equal(next, ""))
		})
	}
}

func TestListPagesWithACursor(t *testing.T) {
	l := New(Config{Now: newClock().now})
	for i, env := range []string{"qa", "prod", "qa", "qa", "prod", "qa", "qa"} {
		l.Note(Event{Action: "stack.deploy", Object: fmt.Sprintf("stacks/s%d", i), Env: env, Result: ResultOK})
	}
	onlyQA := func(e Event) bool { return e.Env == "qa" }
	var pages [][]Event
	q := Query{Limit: 2}
	for {
		page, next := l.List(q, onlyQA)
		pages = append(pages, page)
		if next == "" {
			break
		}
		q.Before = next
	}
	assert.Assert(t, is.Len(pages, 3))
	assert.Check(t, is.Len(pages[0], 2), "pages are full though items are filtered out")
	assert.Check(t, is.Len(pages[2], 1))
	seen := map[string]bool{}
	var last string
	for _, p := range pages {
		for _, e := range p {
			assert.Check(t, !seen[e.ID], "no event twice")
			assert.Check(t, last == "" || e.ID < last, "newest first across pages")
			seen[e.ID], last = true, e.ID
		}
	}
	assert.Check(t, is.Len(seen, 5))
}
