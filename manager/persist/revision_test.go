package persist

import (
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// A revision stored before documents had a format (the API's Revision as JSON) reads back.
func TestDecodeRevisionReadsFormatZero(t *testing.T) {
	old := `{"stack":"shop","number":2,"createdAt":"2026-01-02T03:04:05Z","author":"admin","images":{"web":"busybox"},` +
		`"composeFiles":[{"name":"c.yml","content":"services: {}"}],"variables":{"A":"1"},"rollbackOf":1}`
	rev, err := DecodeRevision([]byte(old))
	assert.NilError(t, err)
	assert.Check(t, is.Equal(rev.Format, RevisionFormat))
	assert.Check(t, is.Equal(rev.Stack, "shop"))
	assert.Check(t, is.Equal(rev.RollbackOf, 1))
	assert.Check(t, is.DeepEqual(rev.ComposeFiles, []File{{Name: "c.yml", Content: "services: {}"}}))
	assert.Check(t, rev.CreatedAt.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
}

func TestRevisionRoundTrips(t *testing.T) {
	rev := Revision{Stack: "shop", Number: 3, WorkingDir: "/src/shop", Prune: true, Warnings: []Problem{{File: "c.yml", Line: 4, Key: "services.web.build", Message: "ignored"}}}
	data, err := EncodeRevision(rev)
	assert.NilError(t, err)
	back, err := DecodeRevision(data)
	assert.NilError(t, err)
	rev.Format = RevisionFormat
	assert.Check(t, is.DeepEqual(back, rev))
}

func TestDecodeRevisionRefusesANewerFormat(t *testing.T) {
	_, err := DecodeRevision([]byte(`{"format":99,"stack":"shop"}`))
	assert.ErrorContains(t, err, "format 99 is newer")
}

func TestStateLabelIsBounded(t *testing.T) {
	long := string(make([]byte, 10000))
	assert.Check(t, len(StateLabel(long)) <= maxStateLabel)
	assert.Check(t, is.Equal(StateLabel("short"), "short"))
}
