package persist

import (
	"encoding/json"
	"fmt"
)

// ArchiveFormat is the version of the revision archive segment that this code writes.
const ArchiveFormat = 1

// RevisionArchive is one segment of a stack's archived revisions: documents that fell
// out of the stack's kept history, compacted into one config so that the swarm holds a
// bounded number of revision configs. A revision's state lives in labels while it is
// stored alone; in a segment it is part of the entry, since no label is left to hold it
// (archived revisions are never pending nor current, so their state no longer changes).
type RevisionArchive struct {
	Format    int                `json:"format"`
	Stack     string             `json:"stack"`
	Revisions []ArchivedRevision `json:"revisions"`
}

// ArchivedRevision is one revision in a segment.
type ArchivedRevision struct {
	Number int `json:"number"`
	// Document is the revision's stored document, as EncodeRevision wrote it.
	Document    json.RawMessage `json:"document"`
	State       string          `json:"state"`
	Failure     string          `json:"failure,omitempty"`
	Reason      string          `json:"reason,omitempty"`
	Compensated []string        `json:"compensated,omitempty"`
}

// EncodeArchive returns the stored document of a segment, in the current format.
func EncodeArchive(a RevisionArchive) ([]byte, error) {
	a.Format = ArchiveFormat
	return json.Marshal(a)
}

// DecodeArchive reads a stored segment.
func DecodeArchive(data []byte) (RevisionArchive, error) {
	var a RevisionArchive
	if err := json.Unmarshal(data, &a); err != nil {
		return RevisionArchive{}, fmt.Errorf("malformed revision archive: %w", err)
	}
	if a.Format > ArchiveFormat {
		return RevisionArchive{}, fmt.Errorf("revision archive format %d is newer than this manager knows (%d): upgrade the manager", a.Format, ArchiveFormat)
	}
	return a, nil
}
