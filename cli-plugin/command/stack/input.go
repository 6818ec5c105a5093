package stack

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/pflag"
)

// stdinName is how a file read from standard input (`-c -`) is named in errors.
const stdinName = "stdin"

// fileOptions are the flags `stack deploy` and `stack config` share.
type fileOptions struct {
	composeFiles []string
	exosFile     string
	env          string
}

func addFileFlags(flags *pflag.FlagSet, opts *fileOptions) {
	flags.StringSliceVarP(&opts.composeFiles, "compose-file", "c", nil,
		"Path to a compose file, or \"-\" to read from stdin (repeat to merge several)")
	flags.StringVarP(&opts.exosFile, "exos-file", "x", "",
		"Path to an exos-compose.yml (or rancher-compose.yml)")
	flags.StringVar(&opts.env, "env", "", "Environment to deploy into (see \"docker exos env ls\")")
}

// loadInput reads everything a stack is made from: the files, the variables they reference
// (from the process environment, and only those) and the files their configs and secrets
// attach. lookupEnv is os.LookupEnv outside tests.
func loadInput(stack string, opts fileOptions, stdin io.Reader, lookupEnv func(string) (string, bool)) (composeext.Input, error) {
	if len(opts.composeFiles) == 0 {
		return composeext.Input{}, fmt.Errorf("give at least one compose file with -c")
	}
	in := composeext.Input{Stack: stack}
	for _, path := range opts.composeFiles {
		f, err := readFile(path, stdin)
		if err != nil {
			return in, err
		}
		in.ComposeFiles = append(in.ComposeFiles, f)
	}
	all := in.ComposeFiles
	if opts.exosFile != "" {
		f, err := readFile(opts.exosFile, stdin)
		if err != nil {
			return in, err
		}
		in.ExosFile = &f
		all = append(all[:len(all):len(all)], f)
	}
	in.Variables = collectVariables(all, lookupEnv)
	attachments, err := collectAttachments(in.ComposeFiles, baseDir(opts.composeFiles[0]), in.Variables, os.ReadFile)
	if err != nil {
		return in, err
	}
	in.Attachments = attachments
	return in, nil
}

func readFile(path string, stdin io.Reader) (composeext.File, error) {
	if path == "-" {
		data, err := io.ReadAll(stdin)
		if err != nil {
			return composeext.File{}, fmt.Errorf("failed to read the compose file from stdin: %w", err)
		}
		return composeext.File{Name: stdinName, Content: data}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return composeext.File{}, fmt.Errorf("failed to read %s: %w", path, err)
	}
	return composeext.File{Name: path, Content: data}, nil
}

// baseDir is where relative `file:` paths are read from: the first compose file's
// directory, as in compose; the working directory for stdin.
func baseDir(firstFile string) string {
	if firstFile == "-" {
		return "."
	}
	return filepath.Dir(firstFile)
}

// collectVariables picks from the environment the variables the files reference. Unset
// ones are left out: the files then say what happens (a default, or an error).
func collectVariables(files []composeext.File, lookupEnv func(string) (string, bool)) map[string]string {
	vars := map[string]string{}
	for _, name := range composeext.ReferencedVariables(files...) {
		if v, ok := lookupEnv(name); ok {
			vars[name] = v
		}
	}
	return vars
}

// deployRequest turns the input into what the manager receives.
func deployRequest(in composeext.Input, env string) api.DeployRequest {
	req := api.DeployRequest{Variables: in.Variables, Env: env}
	for _, f := range in.ComposeFiles {
		req.ComposeFiles = append(req.ComposeFiles, api.File{Name: f.Name, Content: string(f.Content)})
	}
	if in.ExosFile != nil {
		req.ExosFile = &api.File{Name: in.ExosFile.Name, Content: string(in.ExosFile.Content)}
	}
	for name, data := range in.Attachments {
		req.Attachments = append(req.Attachments, api.NewFile(name, data))
	}
	sortFiles(req.Attachments)
	return req
}
