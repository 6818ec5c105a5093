package composeext

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// Flag bits of a FuzzLoad input.
const (
	fuzzRancher = 1 << iota // Input.Rancher, and the exos bytes are rancher-compose.yml
	fuzzStrict              // Input.Strict
)

// fuzzVariables are what the seed files reference, so that the seeds convert instead of
// stopping at a missing variable.
var fuzzVariables = map[string]string{"SLEEP_SECONDS": "3600", "APP_ENV": "prod", "REPLICAS": "2", "PASSTHROUGH": "x"}

// FuzzLoad loads arbitrary compose (and exos-compose or rancher-compose) bytes. The server
// loads whatever a client sends and whatever a catalog holds, so Load must never panic;
// it must answer a *ValidationError with problems that each say something, or a Stack,
// and the same answer every time for the same input (a deploy is validated twice: by the
// plugin and by the manager).
func FuzzLoad(f *testing.F) {
	attachments := fuzzAttachments(f)
	addFileSeeds(f, "../testdata/compose/*.yml", nil, 0)
	addFileSeeds(f, "../testdata/realworld/*.yml", nil, 0)
	addFileSeeds(f, "../testdata/e2e/bad/*.yml", nil, fuzzStrict)
	base := readSeed(f, "../testdata/exos/compose-base.yml")
	addFileSeeds(f, "../testdata/exos/compose-*.yml", readSeed(f, "../testdata/exos/exos-compose-good.yml"), 0)
	f.Add(base, readSeed(f, "../testdata/exos/rancher-compose-bad.yml"), byte(fuzzRancher))
	f.Add(base, []byte(nil), byte(fuzzRancher|fuzzStrict))
	f.Fuzz(func(t *testing.T, compose, exos []byte, flags byte) {
		in := fuzzInput(compose, exos, flags, attachments)
		st, err := Load(context.Background(), in)
		checkLoad(t, st, err)
		st2, err2 := Load(context.Background(), in)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("Load is not deterministic: %v, then %v", err, err2)
		}
		if err != nil {
			p1, p2 := validationProblems(err), validationProblems(err2)
			if !reflect.DeepEqual(p1, p2) {
				t.Fatalf("Load is not deterministic:\n%v\n%v", p1, p2)
			}
			return
		}
		for _, pair := range [][2]any{{st.Services, st2.Services}, {st.Networks, st2.Networks},
			{st.Configs, st2.Configs}, {st.Secrets, st2.Secrets}, {st.Warnings, st2.Warnings}} {
			if !reflect.DeepEqual(pair[0], pair[1]) {
				t.Fatalf("Load is not deterministic:\n%+v\n%+v", pair[0], pair[1])
			}
		}
	})
}

func fuzzInput(compose, exos []byte, flags byte, attachments map[string][]byte) Input {
	in := Input{
		Stack:        "fuzz",
		ComposeFiles: []File{{Name: "docker-compose.yml", Content: compose}},
		Variables:    fuzzVariables,
		Attachments:  attachments,
		WorkingDir:   "/srv/app",
		HomeDir:      "/home/user",
		Rancher:      flags&fuzzRancher != 0,
		Strict:       flags&fuzzStrict != 0,
	}
	if len(exos) > 0 {
		name := "exos-compose.yml"
		if in.Rancher {
			name = "rancher-compose.yml"
		}
		in.ExosFile = &File{Name: name, Content: exos}
	}
	return in
}

// checkLoad checks one answer of Load: a stack, or problems that say what is wrong.
func checkLoad(t *testing.T, st *Stack, err error) {
	t.Helper()
	if err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) == 0 {
			t.Fatalf("Load failed with %T and no problems: %v", err, err)
		}
		if st != nil {
			t.Fatal("Load returned a stack and an error")
		}
		checkMessages(t, ve.Problems)
		return
	}
	if st == nil {
		t.Fatal("Load returned neither a stack nor an error")
	}
	checkMessages(t, st.Warnings)
}

func checkMessages(t *testing.T, ps []Problem) {
	t.Helper()
	for _, p := range ps {
		if p.Message == "" {
			t.Fatalf("problem without a message: %+v", p)
		}
	}
}

func validationProblems(err error) []Problem {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return nil
}

// fuzzAttachments are the files the compose seeds reference with `file:`, as the plugin
// sends them.
func fuzzAttachments(f *testing.F) map[string][]byte {
	names, err := filepath.Glob("../testdata/compose/files/*")
	if err != nil {
		f.Fatal(err)
	}
	out := map[string][]byte{}
	for _, name := range names {
		out["./files/"+filepath.Base(name)] = readSeed(f, name)
	}
	return out
}

func addFileSeeds(f *testing.F, pattern string, exos []byte, flags byte) {
	names, err := filepath.Glob(pattern)
	if err != nil || len(names) == 0 {
		f.Fatalf("no seeds match %s: %v", pattern, err)
	}
	for _, name := range names {
		f.Add(readSeed(f, name), exos, flags)
	}
}

func readSeed(f *testing.F, name string) []byte {
	data, err := os.ReadFile(name)
	if err != nil {
		f.Fatal(err)
	}
	return data
}
