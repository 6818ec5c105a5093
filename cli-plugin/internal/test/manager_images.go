package test

import (
	"context"

	"github.com/exos-platform/exos/manager/api"
)

// FakeStackImages is the set-image and diff part of FakeManager.
type FakeStackImages struct {
	SetStackImageFunc func(ctx context.Context, name string, req api.SetImageRequest) (api.SetImageResult, error)
	StackDiffFunc     func(ctx context.Context, name string, from, to int) (api.StackDiff, error)
}

func (f *FakeStackImages) SetStackImage(ctx context.Context, name string, req api.SetImageRequest) (api.SetImageResult, error) {
	if f.SetStackImageFunc == nil {
		return api.SetImageResult{DeployResult: api.DeployResult{Stack: name}, Image: req.Image}, nil
	}
	return f.SetStackImageFunc(ctx, name, req)
}

func (f *FakeStackImages) StackDiff(ctx context.Context, name string, from, to int) (api.StackDiff, error) {
	if f.StackDiffFunc == nil {
		return api.StackDiff{Stack: name, From: from, To: to, Files: []api.FileDiff{}, Services: []api.ServiceDiff{}}, nil
	}
	return f.StackDiffFunc(ctx, name, from, to)
}
