package persist

import (
	"encoding/json"
	"fmt"
	"time"
)

// RevisionFormat is the version of the stored revision document that this code writes.
// Format 0 is the document EXOS wrote before revisions had a format: the API's Revision
// as JSON, whose fields format 1 keeps under the same names, so it decodes as format 1.
const RevisionFormat = 1

// Revision is one deploy of a stack as it is stored: everything needed to convert it
// again (files, variables, directories, environment) and to say who made it. Its state
// (pending, applied, failed) is not part of the immutable body: it is kept in labels of
// the same config (see the Revision* labels), which Swarm lets change.
type Revision struct {
	Format       int               `json:"format"`
	Stack        string            `json:"stack"`
	Number       int               `json:"number"`
	CreatedAt    time.Time         `json:"createdAt"`
	Author       string            `json:"author"`
	RemoteAddr   string            `json:"remoteAddr,omitempty"`
	Env          string            `json:"env,omitempty"`
	RollbackOf   int               `json:"rollbackOf,omitempty"`
	Images       map[string]string `json:"images"`
	ComposeFiles []File            `json:"composeFiles,omitempty"`
	ExosFile     *File             `json:"exosFile,omitempty"`
	Variables    map[string]string `json:"variables,omitempty"`
	Attachments  []File            `json:"attachments,omitempty"`
	Template     *Template         `json:"template,omitempty"`
	Withheld     []string          `json:"withheld,omitempty"`
	WorkingDir   string            `json:"workingDir,omitempty"`
	HomeDir      string            `json:"homeDir,omitempty"`
	Prune        bool              `json:"prune,omitempty"`
	Warnings     []Problem         `json:"warnings,omitempty"`
	// ImageOverrides are images set by set-image on top of the files, by service.
	ImageOverrides map[string]ImageOverride `json:"imageOverrides,omitempty"`
	// Platforms are the platforms of the images a known registry resolved, by service.
	// Documents written before they were recorded have none.
	Platforms map[string][]Platform `json:"platforms,omitempty"`
}

// Platform is one platform of an image.
type Platform struct {
	OS           string `json:"os"`
	Architecture string `json:"architecture"`
	Variant      string `json:"variant,omitempty"`
}

// ImageOverride is one service's image set by set-image.
type ImageOverride struct {
	Image   string `json:"image"`
	Guarded bool   `json:"guarded,omitempty"`
}

// File is an input file of a revision.
type File struct {
	Name     string `json:"name"`
	Content  string `json:"content,omitempty"`
	Base64   bool   `json:"base64,omitempty"`
	Withheld bool   `json:"withheld,omitempty"`
}

// Template is the catalog template a revision was rendered from.
type Template struct {
	Catalog  string            `json:"catalog"`
	Template string            `json:"template"`
	Version  string            `json:"version"`
	Number   int               `json:"number"`
	Commit   string            `json:"commit"`
	Answers  map[string]string `json:"answers,omitempty"`
}

// Problem is a warning recorded with a revision.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Key     string `json:"key,omitempty"`
	Message string `json:"message"`
}

// Labels of a revision's config that hold its state.
const (
	LabelRevisionState       = "io.exos.revision.state"
	LabelRevisionReason      = "io.exos.revision.reason"
	LabelRevisionCompensated = "io.exos.revision.compensated"
	LabelRevisionFailure     = "io.exos.revision.failure"
)

// maxStateLabel bounds the text kept in a state label: reasons quote Engine errors, which
// can be long, and every list of revisions carries the labels.
const maxStateLabel = 2048

// StateLabel cuts text to what a state label keeps.
func StateLabel(text string) string {
	if len(text) <= maxStateLabel {
		return text
	}
	return text[:maxStateLabel-len("…")] + "…"
}

// EncodeRevision returns the stored document of rev, in the current format.
func EncodeRevision(rev Revision) ([]byte, error) {
	rev.Format = RevisionFormat
	return json.Marshal(rev)
}

// DecodeRevision reads a stored revision document of any format this code knows.
func DecodeRevision(data []byte) (Revision, error) {
	var rev Revision
	if err := json.Unmarshal(data, &rev); err != nil {
		return Revision{}, fmt.Errorf("malformed revision document: %w", err)
	}
	if rev.Format > RevisionFormat {
		return Revision{}, fmt.Errorf("revision document format %d is newer than this manager knows (%d): upgrade the manager", rev.Format, RevisionFormat)
	}
	rev.Format = RevisionFormat
	return rev, nil
}
