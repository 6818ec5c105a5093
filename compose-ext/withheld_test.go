package composeext

import (
	"context"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const withheldCompose = `services:
  db:
    image: postgres:16
    secrets: [db_password]
secrets:
  db_password:
    environment: pw
`

// TestWithheldSecretIsKept: a secret made from a withheld password answer keeps the
// swarm's secret; given again, the value is used.
func TestWithheldSecretIsKept(t *testing.T) {
	in := Input{Stack: "s", ComposeFiles: []File{{Name: "c.yml", Content: []byte(withheldCompose)}}, Withheld: []string{"pw"}}
	stack, err := Load(context.Background(), in)
	assert.NilError(t, err)
	assert.Assert(t, is.Len(stack.Secrets, 1))
	assert.Check(t, stack.Secrets[0].Keep)
	assert.Check(t, is.Equal(stack.Secrets[0].Spec.Name, "s_db_password"))
	assert.Check(t, is.Nil(stack.Secrets[0].Spec.Data))

	in.Variables = map[string]string{"pw": "s3cret"}
	stack, err = Load(context.Background(), in)
	assert.NilError(t, err)
	assert.Check(t, !stack.Secrets[0].Keep)
	assert.Check(t, is.Equal(string(stack.Secrets[0].Spec.Data), "s3cret"))
}

// TestWithheldVariableInterpolatedIsAProblem: EXOS cannot put back a password it did not
// keep into a file, not even through a default.
func TestWithheldVariableInterpolatedIsAProblem(t *testing.T) {
	compose := "services:\n  db:\n    image: postgres:16\n    environment:\n      A: ${pw}\n      B: ${pw:-fallback}\n"
	in := Input{Stack: "s", ComposeFiles: []File{{Name: "c.yml", Content: []byte(compose)}}, Withheld: []string{"pw"}}
	ps := loadProblems(t, in)
	assert.Assert(t, is.Len(ps, 2))
	for i, key := range []string{"services.db.environment.A", "services.db.environment.B"} {
		assert.Check(t, is.Equal(ps[i].Key, key))
		assert.Check(t, is.Equal(ps[i].Line, 5+i))
		assert.Check(t, is.Contains(ps[i].Message, `variable "pw" holds a password that EXOS does not keep`))
	}
}

func TestWithheldVariableInAConfigIsAProblem(t *testing.T) {
	compose := "services:\n  db:\n    image: postgres:16\n    configs: [c]\nconfigs:\n  c:\n    environment: pw\n"
	in := Input{Stack: "s", ComposeFiles: []File{{Name: "c.yml", Content: []byte(compose)}}, Withheld: []string{"pw"}}
	ps := loadProblems(t, in)
	assert.Assert(t, is.Len(ps, 1))
	assert.Check(t, is.Equal(ps[0].Key, "configs.c.environment"))
	assert.Check(t, is.Contains(ps[0].Message, "give its value again"))
}
