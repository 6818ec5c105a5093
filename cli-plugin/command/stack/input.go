package stack

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// stdinName is how a file read from standard input (`-c -`) is named in errors.
const stdinName = "stdin"

// fileOptions are the flags `stack deploy` and `stack config` share.
type fileOptions struct {
	composeFiles []string
	exosFile     string
	env          string
	strict       bool
}

func addFileFlags(flags *pflag.FlagSet, opts *fileOptions) {
	flags.StringSliceVarP(&opts.composeFiles, "compose-file", "c", nil,
		"Path to a compose file, or \"-\" to read from stdin (repeat to merge several)")
	flags.StringVarP(&opts.exosFile, "exos-file", "x", "",
		"Path to an exos-compose.yml (or rancher-compose.yml)")
	flags.StringVar(&opts.env, "env", "", "Environment to deploy into (see \"docker exos env ls\")")
}

// loadInput reads everything a stack is made from: the files, the variables they reference
// (from the process environment, and only those), the files their configs, secrets and
// env_file entries attach, and the directories bind mounts are resolved against: the
// first compose file's (the current one for -c -) and HOME, as `docker stack deploy`
// takes them. lookupEnv is os.LookupEnv outside tests.
func loadInput(stack string, opts fileOptions, stdin io.Reader, lookupEnv func(string) (string, bool)) (composeext.Input, error) {
	if len(opts.composeFiles) == 0 {
		return composeext.Input{}, fmt.Errorf("give at least one compose file with -c")
	}
	in := composeext.Input{Stack: stack, Strict: opts.strict}
	var err error
	if in.WorkingDir, err = workingDir(opts.composeFiles[0]); err != nil {
		return in, err
	}
	// docker/cli expands ~ with HOME from the environment (os.UserHomeDir's answer on
	// Unix), so HOME is what is sent.
	in.HomeDir, _ = lookupEnv("HOME")
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
	dir := baseDir(opts.composeFiles[0])
	attachments, err := collectAttachments(in.ComposeFiles, dir, in.Variables, os.ReadFile)
	if err != nil {
		return in, err
	}
	envFiles, err := collectEnvFiles(in.ComposeFiles, dir, in.Variables, os.ReadFile)
	if err != nil {
		return in, err
	}
	in.Attachments = attachments
	for name, data := range envFiles {
		in.Attachments[name] = data
		for _, v := range composeext.EnvFileVariables(data) {
			if value, ok := lookupEnv(v); ok {
				in.Variables[v] = value
			}
		}
	}
	return in, nil
}

// workingDir is the directory `docker stack deploy` resolves relative paths against: the
// first compose file's, absolute; the current directory for stdin.
func workingDir(firstFile string) (string, error) {
	if firstFile == "-" {
		return os.Getwd()
	}
	abs, err := filepath.Abs(firstFile)
	if err != nil {
		return "", fmt.Errorf("failed to resolve the directory of %s: %w", firstFile, err)
	}
	return filepath.Dir(abs), nil
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
func deployRequest(in composeext.Input, env string, prune bool) api.DeployRequest {
	req := api.DeployRequest{
		Variables: in.Variables, Env: env, Prune: prune, Strict: in.Strict,
		WorkingDir: in.WorkingDir, HomeDir: in.HomeDir,
	}
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

// collectEnvFiles reads the files services name with env_file, relative to dir, as
// collectAttachments reads configs' and secrets' files: `docker stack deploy` reads them on
// the client, so they travel with the deploy, keyed by the path as written.
func collectEnvFiles(files []composeext.File, dir string, vars map[string]string,
	read func(string) ([]byte, error),
) (map[string][]byte, error) {
	out := map[string][]byte{}
	var problems []composeext.Problem
	for _, f := range files {
		var doc yaml.Node
		if err := yaml.Unmarshal(f.Content, &doc); err != nil {
			continue // loading the file reports the syntax error
		}
		for _, ref := range envFileRefs(f.Name, &doc, "") {
			name := expand(ref.path, vars)
			if _, done := out[name]; done {
				continue
			}
			p := name
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			data, err := read(p)
			if err != nil {
				problems = append(problems, composeext.Problem{File: ref.file, Line: ref.line, Key: ref.key, Message: readProblem(p, err)})
				continue
			}
			out[name] = data
		}
	}
	if len(problems) > 0 {
		return nil, &composeext.ValidationError{Problems: problems}
	}
	return out, nil
}

// envFileRefs finds every env_file entry under n, also in x- blocks that services merge
// in with <<.
func envFileRefs(file string, n *yaml.Node, path string) []fileRef {
	var refs []fileRef
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			refs = append(refs, envFileRefs(file, c, path)...)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := strings.TrimPrefix(path+"."+k.Value, ".")
			if k.Value != "env_file" {
				refs = append(refs, envFileRefs(file, v, key)...)
				continue
			}
			entries := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				entries = v.Content
			}
			for j, e := range entries {
				if e.Kind == yaml.ScalarNode && e.Value != "" {
					entryKey := key
					if v.Kind == yaml.SequenceNode {
						entryKey = fmt.Sprintf("%s.%d", key, j)
					}
					refs = append(refs, fileRef{file: file, line: e.Line, key: entryKey, path: e.Value})
				}
			}
		}
	}
	return refs
}
