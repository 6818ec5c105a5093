package stacks

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	dockerswarm "github.com/docker/docker/api/types/swarm"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/swarm"
)

// Diff tells what changed from revision from to revision to of a stack: its inputs as
// unified diffs, and its services' Swarm specs field by field, images with the digests
// they were deployed at. to 0 is the newest revision, from 0 the one before to (nothing,
// for the first). Passwords are not shown: EXOS never recorded them.
func (s *Service) Diff(ctx context.Context, stack string, from, to int) (api.StackDiff, error) {
	latest := s.store.LatestRevision(nil, stack)
	if latest == nil {
		return api.StackDiff{}, api.Errorf(api.ErrNotFound, "stack %q has no revisions", stack)
	}
	if to == 0 {
		to = latest.Number
	}
	if from == 0 {
		from = s.before(stack, to)
	}
	b, err := s.Revision(stack, to)
	if err != nil {
		return api.StackDiff{}, err
	}
	a := api.Revision{Stack: stack}
	if from > 0 {
		if a, err = s.Revision(stack, from); err != nil {
			return api.StackDiff{}, err
		}
	}
	out := api.StackDiff{Stack: stack, From: from, To: to, Files: inputDiffs(a, b), Services: []api.ServiceDiff{}}
	specsA, noteA := s.specsOf(ctx, a)
	specsB, noteB := s.specsOf(ctx, b)
	for _, note := range []string{noteA, noteB} {
		if note != "" {
			out.Notes = append(out.Notes, note)
		}
	}
	if noteA == "" && noteB == "" {
		out.Services = specDiffs(specsA, specsB)
	}
	return out, nil
}

// before is the newest revision of the stack older than n, 0 for none.
func (s *Service) before(stack string, n int) int {
	for _, r := range s.store.RevisionsByStack(nil, stack) {
		if r.Number < n {
			return r.Number
		}
	}
	return 0
}

// specsOf converts a revision as its deploy did, digests and set images included; a
// revision that no longer converts has a note instead. The zero revision has no services.
func (s *Service) specsOf(ctx context.Context, rev api.Revision) (map[string]dockerswarm.ServiceSpec, string) {
	if rev.Number == 0 {
		return map[string]dockerswarm.ServiceSpec{}, ""
	}
	stack, err := s.convert(ctx, rev, rev.Attachments, nil, false)
	if err != nil {
		return nil, fmt.Sprintf("revision %d no longer converts, so its services are not compared: %v", rev.Number, err)
	}
	return swarm.DesiredServices(stack), ""
}

// inputDiffs are the unified diffs of what two revisions were deployed from: each
// compose file, the exos file, the attachments, the variables and the images set on top.
func inputDiffs(a, b api.Revision) []api.FileDiff {
	out := []api.FileDiff{}
	add := func(name, textA, textB string) {
		if d := unifiedDiff(label(name, a), label(name, b), textA, textB); d != "" {
			out = append(out, api.FileDiff{Name: name, Diff: d})
		}
	}
	filesA, filesB := inputFiles(a), inputFiles(b)
	names := slices.Sorted(maps.Keys(filesA))
	for name := range filesB {
		if _, ok := filesA[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		add(name, filesA[name], filesB[name])
	}
	add("variables", variablesText(a), variablesText(b))
	add("set-image", overridesText(a), overridesText(b))
	return out
}

func label(name string, rev api.Revision) string {
	if rev.Number == 0 {
		return "/dev/null"
	}
	return fmt.Sprintf("%s (revision %d)", name, rev.Number)
}

// inputFiles are a revision's files by name, as text. The content of a secret's file is
// not kept, and binary files are not shown.
func inputFiles(rev api.Revision) map[string]string {
	out := map[string]string{}
	for _, f := range rev.ComposeFiles {
		out[f.Name] = f.Content
	}
	if f := rev.ExosFile; f != nil {
		out[f.Name] = f.Content
	}
	for _, f := range rev.Attachments {
		switch {
		case f.Withheld:
			out[f.Name] = "(a secret's content: not kept by EXOS)\n"
		case f.Base64:
			out[f.Name] = fmt.Sprintf("(binary, %d bytes base64)\n", len(f.Content))
		default:
			out[f.Name] = f.Content
		}
	}
	return out
}

// variablesText is one NAME=value line per variable, sorted; a withheld variable (a
// password) shows only that it was given.
func variablesText(rev api.Revision) string {
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(rev.Variables)) {
		lines = append(lines, name+"="+rev.Variables[name])
	}
	for _, name := range rev.Withheld {
		lines = append(lines, name+"=(password: withheld)")
	}
	slices.Sort(lines)
	return joinLines(lines)
}

// overridesText is one line per image set by set-image.
func overridesText(rev api.Revision) string {
	var lines []string
	for _, svc := range slices.Sorted(maps.Keys(rev.ImageOverrides)) {
		o := rev.ImageOverrides[svc]
		line := svc + ": " + o.Image
		if o.Guarded {
			line += " (guarded)"
		}
		lines = append(lines, line)
	}
	return joinLines(lines)
}

func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}
