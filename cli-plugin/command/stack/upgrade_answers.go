package stack

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/pflag"
)

// AnswerOptions are the flags that answer a template's questions. `catalog deploy` and
// `stack upgrade` share them.
type AnswerOptions struct {
	// File is an answers file, YAML or JSON, or "-" for stdin.
	File string
	// Sets are VARIABLE=VALUE answers, sent as they are: the manager checks them against
	// the template's questions.
	Sets []string
}

// AddAnswerFlags registers --answers and --set.
func AddAnswerFlags(flags *pflag.FlagSet, opts *AnswerOptions) {
	flags.StringVar(&opts.File, "answers", "",
		"Path to an answers `file` (YAML or JSON: VARIABLE: value), or \"-\" to read it from stdin")
	// A string array, not a slice: an answer may hold commas.
	flags.StringArrayVar(&opts.Sets, "set", nil, "Answer a question as `VARIABLE=VALUE` (repeatable; wins over --answers)")
}

// Read checks the --set entries and reads the answers file: nil when there is none.
func (o AnswerOptions) Read(stdin io.Reader) (*api.File, []string, error) {
	for _, s := range o.Sets {
		if name, _, ok := strings.Cut(s, "="); !ok || strings.TrimSpace(name) == "" {
			return nil, nil, fmt.Errorf("invalid --set %q: use VARIABLE=VALUE, such as --set REDIS_PASSWORD=s3cret", s)
		}
	}
	if o.File == "" {
		return nil, o.Sets, nil
	}
	f, err := readAnswers(o.File, stdin)
	if err != nil {
		return nil, nil, err
	}
	return f, o.Sets, nil
}

func readAnswers(path string, stdin io.Reader) (*api.File, error) {
	var data []byte
	var err error
	name := path
	if path == "-" {
		name = stdinName
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read answers from %s: %w", name, err)
	}
	f := api.NewFile(name, data)
	return &f, nil
}
