package stacks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"strconv"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm"
)

// Labels on the revision configs, so they can be found per stack.
const (
	labelStack    = "io.exos.stack"
	labelRevision = "io.exos.revision"
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
	}
	return s.deploy(ctx, rev, req.Attachments, nil)
}

// deploy is every kind of deploy once the stack is locked. passwords are values of
// rev.Withheld given for this deploy: used to convert, never recorded.
func (s *Service) deploy(ctx context.Context, rev api.Revision, attachments []api.File, passwords map[string]string) (api.DeployResult, error) {
	stack, err := s.convert(ctx, rev, attachments, passwords)
	if err != nil {
		return api.DeployResult{}, asAPIError(rev.Stack, err)
	}
	if err := s.deployer.Check(ctx, stack); err != nil {
		return api.DeployResult{}, classify(err)
	}
	rev.Number = s.nextRevision(rev.Stack)
	rev.CreatedAt = s.now().UTC()
	rev.Images = stack.Images()
	rev.Attachments = withoutSecrets(attachments, stack)
	if err := s.record(ctx, rev); err != nil {
		return api.DeployResult{}, err
	}
	changes, err := s.deployer.Apply(ctx, stack, rev.Number)
	if err != nil {
		err = classify(err)
		return api.DeployResult{}, fmt.Errorf("revision %d of stack %s is recorded but applying it failed (the manager retries it when it restarts; deploying again also completes it): %w", rev.Number, rev.Stack, err)
	}
	return api.DeployResult{Stack: rev.Stack, Revision: rev.Number, Services: toAPIChanges(changes), Template: rev.Template}, nil
}

// convert loads the revision's files for its stack and environment. A withheld variable
// missing from passwords keeps its secret as the swarm has it.
func (s *Service) convert(ctx context.Context, rev api.Revision, attachments []api.File, passwords map[string]string) (*composeext.Stack, error) {
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
	in := composeext.Input{Stack: rev.Stack, Variables: variables, Withheld: rev.Withheld, Attachments: map[string][]byte{}}
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
	return stack, nil
}

// nextRevision numbers revisions per stack, continuing after a removal.
func (s *Service) nextRevision(stack string) int {
	n := s.removedAt(stack)
	if latest := s.store.LatestRevision(nil, stack); latest != nil && latest.Number > n {
		n = latest.Number
	}
	return n + 1
}

// record stores the revision in the swarm, then in the index. Only a stored revision may
// be applied: it is what Recover finishes after a crash.
func (s *Service) record(ctx context.Context, rev api.Revision) error {
	doc, err := json.Marshal(rev)
	if err != nil {
		return err
	}
	name := rev.Stack + "." + strconv.Itoa(rev.Number)
	labels := map[string]string{labelStack: rev.Stack, labelRevision: strconv.Itoa(rev.Number)}
	if err := s.objects.Create(ctx, kindRevision, name, doc, labels); err != nil {
		return fmt.Errorf("failed to record revision %d of stack %s: %w", rev.Number, rev.Stack, err)
	}
	return s.store.UpsertRevisions(revisionRecord(rev, doc))
}

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
