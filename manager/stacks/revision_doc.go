package stacks

import (
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
)

// The stored revision format is persist's; the API's is the wire's. These copy between
// them, so that either can change without the other.

func toDoc(rev api.Revision) persist.Revision {
	doc := persist.Revision{
		Stack: rev.Stack, Number: rev.Number, CreatedAt: rev.CreatedAt, Author: rev.Author,
		RemoteAddr: rev.RemoteAddr, Env: rev.Env, RollbackOf: rev.RollbackOf, Images: rev.Images,
		ComposeFiles: toDocFiles(rev.ComposeFiles), Attachments: toDocFiles(rev.Attachments),
		Variables: rev.Variables, Withheld: rev.Withheld, WorkingDir: rev.WorkingDir,
		HomeDir: rev.HomeDir, Prune: rev.Prune,
	}
	if rev.ExosFile != nil {
		f := toDocFiles([]api.File{*rev.ExosFile})[0]
		doc.ExosFile = &f
	}
	if t := rev.Template; t != nil {
		doc.Template = &persist.Template{Catalog: t.Catalog, Template: t.Template, Version: t.Version, Number: t.Number, Commit: t.Commit, Answers: t.Answers}
	}
	for _, p := range rev.Warnings {
		doc.Warnings = append(doc.Warnings, persist.Problem{File: p.File, Line: p.Line, Key: p.Key, Message: p.Message})
	}
	for svc, o := range rev.ImageOverrides {
		if doc.ImageOverrides == nil {
			doc.ImageOverrides = map[string]persist.ImageOverride{}
		}
		doc.ImageOverrides[svc] = persist.ImageOverride{Image: o.Image, Guarded: o.Guarded}
	}
	doc.Platforms = toDocPlatforms(rev.Platforms)
	return doc
}

func fromDoc(doc persist.Revision) api.Revision {
	rev := api.Revision{
		Stack: doc.Stack, Number: doc.Number, CreatedAt: doc.CreatedAt, Author: doc.Author,
		RemoteAddr: doc.RemoteAddr, Env: doc.Env, RollbackOf: doc.RollbackOf, Images: doc.Images,
		ComposeFiles: fromDocFiles(doc.ComposeFiles), Attachments: fromDocFiles(doc.Attachments),
		Variables: doc.Variables, Withheld: doc.Withheld, WorkingDir: doc.WorkingDir,
		HomeDir: doc.HomeDir, Prune: doc.Prune,
	}
	if doc.ExosFile != nil {
		f := fromDocFiles([]persist.File{*doc.ExosFile})[0]
		rev.ExosFile = &f
	}
	if t := doc.Template; t != nil {
		rev.Template = &api.TemplateSource{Catalog: t.Catalog, Template: t.Template, Version: t.Version, Number: t.Number, Commit: t.Commit, Answers: t.Answers}
	}
	for _, p := range doc.Warnings {
		rev.Warnings = append(rev.Warnings, api.Problem{File: p.File, Line: p.Line, Key: p.Key, Message: p.Message})
	}
	for svc, o := range doc.ImageOverrides {
		if rev.ImageOverrides == nil {
			rev.ImageOverrides = map[string]api.ImageOverride{}
		}
		rev.ImageOverrides[svc] = api.ImageOverride{Image: o.Image, Guarded: o.Guarded}
	}
	rev.Platforms = fromDocPlatforms(doc.Platforms)
	return rev
}

// toDocPlatforms copies the recorded platforms. An image recorded with none keeps an
// empty list: recorded, unlike a service that has no entry.
func toDocPlatforms(in map[string][]api.Platform) map[string][]persist.Platform {
	if in == nil {
		return nil
	}
	out := make(map[string][]persist.Platform, len(in))
	for svc, ps := range in {
		out[svc] = make([]persist.Platform, 0, len(ps))
		for _, p := range ps {
			out[svc] = append(out[svc], persist.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant})
		}
	}
	return out
}

func fromDocPlatforms(in map[string][]persist.Platform) map[string][]api.Platform {
	if in == nil {
		return nil
	}
	out := make(map[string][]api.Platform, len(in))
	for svc, ps := range in {
		out[svc] = make([]api.Platform, 0, len(ps))
		for _, p := range ps {
			out[svc] = append(out[svc], api.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant})
		}
	}
	return out
}

func toDocFiles(files []api.File) []persist.File {
	var out []persist.File
	for _, f := range files {
		out = append(out, persist.File{Name: f.Name, Content: f.Content, Base64: f.Base64, Withheld: f.Withheld})
	}
	return out
}

func fromDocFiles(files []persist.File) []api.File {
	var out []api.File
	for _, f := range files {
		out = append(out, api.File{Name: f.Name, Content: f.Content, Base64: f.Base64, Withheld: f.Withheld})
	}
	return out
}

// revisionRecord is the index's record of a revision; doc is its stored document.
func revisionRecord(rev api.Revision, doc []byte) *state.Revision {
	return &state.Revision{
		Stack: rev.Stack, Number: rev.Number, CreatedAt: rev.CreatedAt, Author: rev.Author,
		RemoteAddr: rev.RemoteAddr, Env: rev.Env, RollbackOf: rev.RollbackOf, Images: rev.Images, Data: doc,
		Template: templateRef(rev.Template),
	}
}

func templateRef(src *api.TemplateSource) *state.TemplateRef {
	if src == nil {
		return nil
	}
	return &state.TemplateRef{Catalog: src.Catalog, Template: src.Template, Version: src.Version, Commit: src.Commit}
}

// listedTemplate is the template of a revision in a list: without its answers.
func listedTemplate(ref *state.TemplateRef) *api.TemplateSource {
	if ref == nil {
		return nil
	}
	return &api.TemplateSource{Catalog: ref.Catalog, Template: ref.Template, Version: ref.Version, Commit: ref.Commit}
}
