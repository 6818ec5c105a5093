package stacks

import (
	"context"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
)

const secretCompose = `services:
  db:
    image: exos/busybox:1
    secrets: [pw]
secrets:
  pw:
    environment: db_password
`

func templateDeploy() TemplateDeploy {
	return TemplateDeploy{
		ComposeFiles: []api.File{{Name: "docker-compose.yml", Content: secretCompose}},
		Variables:    map[string]string{"port": "5432"},
		Passwords:    map[string]string{"db_password": "hunter2"},
		Source:       api.TemplateSource{Catalog: "library", Template: "pg", Version: "1.0.0", Commit: "embedded", Answers: map[string]string{"port": "5432"}},
	}
}

// TestTemplateRevisionsWithholdPasswords: the password makes the secret but is not in the
// revision; a rollback, which does not have it, keeps the swarm's secret.
func TestTemplateRevisionsWithholdPasswords(t *testing.T) {
	f := newFixture(t)
	res, err := f.svc.DeployTemplate(context.Background(), "pg", templateDeploy(), "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Template.Ref(), "library/pg:1.0.0"))
	secretIDs := sortedNames(f.engine.Secrets)
	assert.Assert(t, is.Len(secretIDs, 1))
	assert.Check(t, is.Equal(string(f.engine.SecretData[secretIDs[0]]), "hunter2"))

	stored := f.store.Revision(nil, "pg", 1).Data
	assert.Check(t, !strings.Contains(string(stored), "hunter2"), "%s", stored)
	rev, err := f.svc.Revision("pg", 1)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(rev.Withheld, []string{"db_password"}))
	want := templateDeploy().Source
	assert.Check(t, is.DeepEqual(rev.Template, &want))

	f.engine.Mutations()
	res, err = f.svc.Rollback(context.Background(), "pg", 1, "admin", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(res.Revision, 2))
	assert.Check(t, is.DeepEqual(sortedNames(f.engine.Secrets), secretIDs), "the rollback keeps the secret the swarm holds")
	for _, w := range f.engine.Mutations() {
		assert.Check(t, !strings.HasPrefix(w, "Secret"), "no write to the secret: %s", w)
	}
	rolled, err := f.svc.Revision("pg", 2)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(rolled.Withheld, []string{"db_password"}))
	assert.Check(t, is.Equal(rolled.Template.Version, "1.0.0"))

	history, err := f.svc.History("pg")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(history[0].Template, &api.TemplateSource{Catalog: "library", Template: "pg", Version: "1.0.0", Commit: "embedded"}))
	stacks := f.store.RevisionsByStack(nil, "pg")
	assert.Check(t, is.Equal(stacks[0].Template.Version, "1.0.0"))
}

func TestTemplateDeployKeepsPasswordsNotGivenAgain(t *testing.T) {
	f := newFixture(t)
	d := templateDeploy()
	d.Passwords, d.Kept = nil, []string{"db_password"}
	_, err := f.svc.DeployTemplate(context.Background(), "pg", d, "admin", "")
	assert.ErrorContains(t, err, "the swarm no longer has it", "a kept secret must exist")

	f = newFixture(t)
	_, err = f.svc.DeployTemplate(context.Background(), "pg", templateDeploy(), "admin", "")
	assert.NilError(t, err)
	d.Source.Version = "1.1.0"
	_, err = f.svc.DeployTemplate(context.Background(), "pg", d, "admin", "")
	assert.NilError(t, err)
	rev, err := f.svc.Revision("pg", 2)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(rev.Withheld, []string{"db_password"}))
}
