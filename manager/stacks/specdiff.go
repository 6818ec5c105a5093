package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	dockerswarm "github.com/docker/docker/api/types/swarm"

	"github.com/exos-platform/exos/manager/api"
)

// specDiffs compares the service specs of two revisions (by full name): the services
// added, removed, and those whose specs differ, with each differing field.
func specDiffs(from, to map[string]dockerswarm.ServiceSpec) []api.ServiceDiff {
	names := map[string]bool{}
	for name := range from {
		names[name] = true
	}
	for name := range to {
		names[name] = true
	}
	out := []api.ServiceDiff{}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		a, inFrom := from[name]
		b, inTo := to[name]
		d := api.ServiceDiff{Service: name, Change: api.SpecChanged}
		switch {
		case !inFrom:
			d.Change = api.SpecAdded
		case !inTo:
			d.Change = api.SpecRemoved
		}
		var fa, fb map[string]string
		if inFrom {
			fa = flatSpec(a)
		}
		if inTo {
			fb = flatSpec(b)
		}
		d.Fields = fieldChanges(fa, fb)
		if len(d.Fields) > 0 || d.Change != api.SpecChanged {
			out = append(out, d)
		}
	}
	return out
}

// fieldChanges lists the paths whose values differ between a and b, sorted.
func fieldChanges(a, b map[string]string) []api.FieldChange {
	paths := map[string]bool{}
	for p := range a {
		paths[p] = true
	}
	for p := range b {
		paths[p] = true
	}
	out := []api.FieldChange{}
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		if a[p] != b[p] {
			out = append(out, api.FieldChange{Path: p, From: a[p], To: b[p]})
		}
	}
	return out
}

// flatSpec is a spec as path -> value, through its JSON form (the Engine API's names),
// empty values left out. Lists of plain values (an Env, a command) are one value, so a
// line added in their middle is one change; lists of objects are indexed.
func flatSpec(spec dockerswarm.ServiceSpec) map[string]string {
	data, err := json.Marshal(spec)
	if err != nil {
		panic("marshal service spec: " + err.Error()) // API types always marshal
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // durations are nanoseconds: 60000000000, not 6e+10
	if err := dec.Decode(&tree); err != nil {
		panic("unmarshal service spec: " + err.Error())
	}
	out := map[string]string{}
	flatten(tree, "", out)
	return out
}

func flatten(v any, path string, out map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		for key, value := range v {
			flatten(value, joinPath(path, key), out)
		}
	case []any:
		if !slices.ContainsFunc(v, func(e any) bool { _, obj := e.(map[string]any); return obj }) {
			if len(v) > 0 {
				data, _ := json.Marshal(v)
				out[path] = string(data)
			}
			return
		}
		for i, e := range v {
			flatten(e, joinPath(path, strconv.Itoa(i)), out)
		}
	case nil:
	case string:
		if v != "" {
			out[path] = v
		}
	default:
		out[path] = fmt.Sprint(v)
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
