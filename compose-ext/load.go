package composeext

import (
	"context"
	"errors"

	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"
)

// composeFile is one compose file with its node tree (nil when it does not parse).
type composeFile struct {
	File
	root *yaml.Node
}

// Load reads, interpolates, validates and converts the input. Any problem is returned as a
// *ValidationError (use errors.As) listing every problem found, not only the first.
func Load(ctx context.Context, in Input) (*Stack, error) {
	ps := &problems{}
	if !checkStackName(in.Stack, ps) {
		return nil, ps.err()
	}
	if len(in.ComposeFiles) == 0 {
		ps.add("", 0, "", "no compose file given")
		return nil, ps.err()
	}
	var trees rancherTrees
	if in.Rancher {
		in, trees = readRancher(in, ps)
	}
	files := parseComposeFiles(in, trees.compose, ps)
	project, err := loadProject(ctx, withoutVersions(in, files))
	if err != nil {
		addComposeError(err, files, ps)
	}
	exos := loadExos(in, project, files, trees.exos, ps)
	if project != nil {
		matchDockerLoader(project, in, files, ps)
	}
	if project == nil || !ps.empty() {
		_, err := ps.finish(in.Strict)
		return nil, err
	}
	stack := convertStack(project, in, exos, files, ps)
	warnings, err := ps.finish(in.Strict)
	if err != nil {
		return nil, err
	}
	stack.Warnings = warnings
	return stack, nil
}

// parseComposeFiles runs the checks that need positions. A file that does not parse is
// left to compose-go, which reports the syntax error with its line. The trees of a
// Rancher reading (readRancher), when given, are the files' (with the lines as written).
func parseComposeFiles(in Input, trees []*yaml.Node, ps *problems) []composeFile {
	files := make([]composeFile, 0, len(in.ComposeFiles))
	for i, f := range in.ComposeFiles {
		root, err := parseNode(f.Content)
		if i < len(trees) && trees[i] != nil {
			root, err = trees[i], nil
		}
		if err != nil {
			root = nil
		} else {
			checkVariables(f.Name, root, in, ps)
			checkComposeKeys(f.Name, root, ps)
		}
		files = append(files, composeFile{File: f, root: root})
	}
	return files
}

// loadProject loads the compose files with compose-go, in memory only: no OS environment,
// no .env file, no path resolution, no env_file/label_file/include/extends read from disk.
func loadProject(ctx context.Context, in Input) (*types.Project, error) {
	project, err := loadProjectWith(ctx, in, false)
	if err != nil && errors.Is(err, errdefs.ErrInvalid) {
		return nil, consistencyErrors(ctx, in, err)
	}
	return project, err
}

func loadProjectWith(ctx context.Context, in Input, skipConsistency bool) (*types.Project, error) {
	configFiles := make([]types.ConfigFile, 0, len(in.ComposeFiles))
	for _, f := range in.ComposeFiles {
		configFiles = append(configFiles, types.ConfigFile{Filename: f.Name, Content: f.Content})
	}
	env := types.Mapping{}
	for k, v := range in.Variables {
		env[k] = v
	}
	details := types.ConfigDetails{ConfigFiles: configFiles, Environment: env}
	return loader.LoadWithContext(ctx, details, func(o *loader.Options) {
		o.SetProjectName(in.Stack, true)
		o.ResolvePaths = false
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.SkipInclude = true
		o.SkipExtends = true
		o.SkipConsistencyCheck = skipConsistency
		// compose-go's defaults (secret targets under /run/secrets, port protocol and mode,
		// bind create_host_path) are not the CLI's: leave them to Swarm, as the CLI does.
		o.SkipDefaultValues = true
		// Unset variables are warned about by checkVariables with their line; here they
		// only must not be logged.
		o.Interpolate.Substitute = func(s string, m template.Mapping) (string, error) {
			return template.SubstituteWithOptions(s, m, template.WithoutLogging)
		}
	})
}
