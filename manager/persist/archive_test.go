package persist

import (
	"encoding/json"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestArchiveRoundTrips(t *testing.T) {
	in := RevisionArchive{Stack: "shop", Revisions: []ArchivedRevision{
		{Number: 1, Document: json.RawMessage(`{"stack":"shop","number":1}`), State: "applied"},
		{Number: 2, Document: json.RawMessage(`{"stack":"shop","number":2}`), State: "failed", Failure: "apply", Reason: "boom", Compensated: []string{"removed x"}},
	}}
	data, err := EncodeArchive(in)
	assert.NilError(t, err)
	out, err := DecodeArchive(data)
	assert.NilError(t, err)
	in.Format = ArchiveFormat
	assert.Check(t, is.DeepEqual(out, in))
}

func TestArchiveOfANewerFormatIsRefused(t *testing.T) {
	_, err := DecodeArchive([]byte(`{"format":99,"stack":"shop"}`))
	assert.Check(t, is.ErrorContains(err, "upgrade the manager"))
}
