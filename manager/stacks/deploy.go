package stacks

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"sort"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/swarm"
)

// Deploy validates req, records it as the stack's next revision and applies it.
func (s *Service) Deploy(ctx context.Context, name string, req api.DeployRequest, author, remoteAddr string) (api.DeployResult, error) {
	if err := checkStackName(name); err != nil {
		return api.DeployResult{}, err
	}
	defer s.lock(name)()
	rev := api.Revision{
		Stack: name, Author: author, RemoteAddr: remoteAddr, Env: req.Env,
		ComposeFiles: req.ComposeFiles, ExosFile: req.ExosFile, Variables: req.Variables,
		WorkingDir: req.WorkingDir, HomeDir: req.HomeDir, Prune: req.Prune,
	}
	return s.deploy(ctx, rev, req.Attachments, deployOptions{strict: req.Strict, clientAuth: req.RegistryAuth})
}

// deployOptions are what a deploy uses without recording it.
type deployOptions struct {
	// passwords are values of rev.Withheld given for this deploy: used, never recorded.
	passwords map[string]string
	strict    bool
	// imageOnly is the service (full name) whose image alone the deploy changes:
	// set-image (swarm.Options.ImageOnly).
	imageOnly string
	// clientAuth are the client's registry credentials, by registry host
	// (api.DeployRequest.RegistryAuth): used, never recorded.
	clientAuth map[string]string
}

// deploy is every kind of deploy once the stack is locked: check everything, record the
// revision as pending, apply it, and mark it applied, or failed once undone.
func (s *Service) deploy(ctx context.Context, rev api.Revision, attachments []api.File, opts deployOptions) (api.DeployResult, error) {
	res := api.DeployResult{Stack: rev.Stack, Template: rev.Template}
	res.Moved, res.PreviousEnv = s.placeInEnv(&rev)
	res.Env = rev.Env
	stack, err := s.convert(ctx, rev, attachments, opts.passwords, opts.strict)
	if err != nil {
		return api.DeployResult{}, asAPIError(rev.Stack, err)
	}
	platforms, err := s.pinImages(ctx, stack, rev)
	if err != nil {
		return api.DeployResult{}, err
	}
	warnings, err := s.checkPorts(stack, opts.strict)
	if err != nil {
		return api.DeployResult{}, err
	}
	swarmOpts, err := s.swarmOptions(stack, rev)
	if err != nil {
		return api.DeployResult{}, err
	}
	withClientAuth(&swarmOpts, stack, opts.clientAuth)
	swarmOpts.ImageOnly = opts.imageOnly
	plan, err := s.deployer.Plan(ctx, stack, swarmOpts)
	if err != nil {
		return api.DeployResult{}, err
	}
	rev.Number = s.nextRevision(rev.Stack)
	rev.CreatedAt = s.now().UTC()
	rev.Images = stack.Images()
	rev.Platforms = platforms
	rev.Attachments = withoutSecrets(attachments, stack)
	rev.Warnings = append(apiProblems(stack.Warnings), warnings...)
	if err := s.record(ctx, rev); err != nil {
		return api.DeployResult{}, err
	}
	// Whatever the outcome, the history grew by one.
	defer s.compactLogged(ctx, rev.Stack, compactBatch(s.keep))
	applied, err := s.deployer.Apply(ctx, plan, rev.Number)
	if err == nil {
		if err = s.markApplied(ctx, rev); err != nil {
			err = applied.Undo(ctx, err)
		}
	}
	if err != nil {
		return api.DeployResult{}, s.failed(ctx, rev, failureApply, err)
	}
	s.supersedeRemoval(ctx, rev.Stack)
	s.awaitIndexed(ctx, applied)
	res.Revision, res.Warnings = rev.Number, rev.Warnings
	res.Services, res.NotInRevision = toAPIChanges(applied.Changes), applied.Kept
	return res, nil
}

// placeInEnv keeps a redeploy that names no environment in the one the stack is in, and
// says whether the deploy moves the stack, and from where.
func (s *Service) placeInEnv(rev *api.Revision) (moved bool, from string) {
	latest := s.store.LatestRevision(nil, rev.Stack)
	if latest == nil {
		return false, ""
	}
	if rev.Env == "" {
		rev.Env = latest.Env
		return false, ""
	}
	return rev.Env != latest.Env, latest.Env
}

// convert loads the revision's files for its stack and environment. A withheld variable
// missing from passwords keeps its secret as the swarm has it.
func (s *Service) convert(ctx context.Context, rev api.Revision, attachments []api.File, passwords map[string]string, strict bool) (*composeext.Stack, error) {
	if rev.Env != "" && s.store.EnvironmentByName(nil, rev.Env) == nil {
		return nil, &composeext.ValidationError{Problems: []composeext.Problem{{
			Key: "env", Message: fmt.Sprintf("environment %q does not exist (see `docker exos env ls`)", rev.Env),
		}}}
	}
	variables := maps.Clone(rev.Variables)
	if variables == nil {
		variables = map[string]string{}
	}
	maps.Copy(variables, passwords)
	in := composeext.Input{
		Stack: rev.Stack, Variables: variables, Withheld: rev.Withheld, Attachments: map[string][]byte{},
		WorkingDir: rev.WorkingDir, HomeDir: rev.HomeDir, Strict: strict,
		// A catalog template is read as Rancher read it, as the catalog's verdict did.
		Rancher: rev.Template != nil,
	}
	for _, f := range rev.ComposeFiles {
		in.ComposeFiles = append(in.ComposeFiles, composeext.File{Name: f.Name, Content: []byte(f.Content)})
	}
	if rev.ExosFile != nil {
		in.ExosFile = &composeext.File{Name: rev.ExosFile.Name, Content: []byte(rev.ExosFile.Content)}
	}
	for _, a := range attachments {
		data, err := a.Bytes()
		if err != nil {
			return nil, err
		}
		in.Attachments[a.Name] = data
	}
	stack, err := composeext.Load(ctx, in)
	if err != nil {
		return nil, err
	}
	if rev.Env != "" {
		stack.PlaceInEnv(rev.Env)
	}
	applyImages(stack, rev)
	return stack, nil
}

// nextRevision numbers revisions per stack, continuing after a removal (the history
// stays).
func (s *Service) nextRevision(stack string) int {
	if latest := s.store.LatestRevision(nil, stack); latest != nil {
		return latest.Number + 1
	}
	return 1
}

// supersedeRemoval deletes the record of a removal a deploy just undid: one that could
// not be finished, which a restart would otherwise finish, removing the stack deployed
// since. Failing to delete it fails nothing: the applied deploy stands, and it is tried
// again on the next deploy.
func (s *Service) supersedeRemoval(ctx context.Context, stack string) {
	if _, ok := s.removalOf(stack); !ok {
		return
	}
	if err := s.forgetRemoval(ctx, stack); err != nil {
		s.log.Warn("a removal record outlived a deploy of its stack", "stack", stack, "err", err)
	}
}

// withoutSecrets keeps the attachments a revision may store in clear: the content of secret
// files is left out (EXOS never writes secrets into a config), so a rollback to a revision
// that created secrets needs their files deployed again.
func withoutSecrets(attachments []api.File, stack *composeext.Stack) []api.File {
	var out []api.File
	for _, a := range attachments {
		secret := false
		data, _ := a.Bytes() // convert decoded every attachment already
		for _, sec := range stack.Secrets {
			if !sec.External && bytes.Equal(sec.Spec.Data, data) {
				secret = true
			}
		}
		if secret {
			out = append(out, api.File{Name: a.Name, Withheld: true})
			continue
		}
		out = append(out, a)
	}
	return out
}

func toAPIChanges(changes []swarm.Change) []api.ServiceChange {
	out := make([]api.ServiceChange, 0, len(changes))
	for _, c := range changes {
		out = append(out, api.ServiceChange{Name: c.Service, Action: c.Action})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func apiProblems(ps []composeext.Problem) []api.Problem {
	out := make([]api.Problem, 0, len(ps))
	for _, p := range ps {
		out = append(out, api.Problem{File: p.File, Line: p.Line, Key: p.Key, Message: p.Message})
	}
	return out
}
