package catalog

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"testing/fstest"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Source says where a catalog comes from. URL is http(s)://, file:// or a local path;
// Branch "" means the repository's HEAD. Credentials are for http(s) only and never
// appear in an error.
type Source struct {
	URL      string
	Branch   string
	Username string
	Password string
}

// Snapshot is the content of a catalog at one commit.
type Snapshot struct {
	Commit string // full commit hash: each deploy records which one it came from
	FS     fs.FS  // read-only, in memory, with templates/ at the top
}

// Sentinel errors of Fetch, for errors.Is.
var (
	// ErrRepositoryNotFound means the URL or path holds no Git repository.
	ErrRepositoryNotFound = errors.New("repository not found")
	// ErrBranchNotFound means the repository has no such branch.
	ErrBranchNotFound = errors.New("branch not found")
)

// Fetch reads the catalog at the tip of src.Branch: a depth-1, single-branch clone into
// memory for http(s), a direct read of the repository for a local one (no git binary is
// needed either way). It has no side effect: on error the caller keeps its last good
// Snapshot.
func Fetch(ctx context.Context, src Source) (Snapshot, error) {
	u, auth, err := splitCredentials(src)
	if err != nil {
		return Snapshot{}, err
	}
	var commit *object.Commit
	switch {
	case strings.HasPrefix(u, "http://"), strings.HasPrefix(u, "https://"):
		commit, err = cloneCommit(ctx, u, src.Branch, auth)
	case strings.HasPrefix(u, "file://"):
		commit, err = localCommit(strings.TrimPrefix(u, "file://"), src.Branch)
	case strings.Contains(u, "://"):
		return Snapshot{}, fmt.Errorf("failed to fetch catalog %s: unsupported URL scheme (use http, https, file or a path)", u)
	default:
		commit, err = localCommit(u, src.Branch)
	}
	if err != nil {
		return Snapshot{}, fetchError(u, src.Branch, err)
	}
	fsys, err := commitFS(commit)
	if err != nil {
		return Snapshot{}, fmt.Errorf("failed to read catalog %s at %s: %w", u, commit.Hash, err)
	}
	return Snapshot{Commit: commit.Hash.String(), FS: fsys}, nil
}

// splitCredentials takes credentials out of the URL (user:password@host), so that no
// error message built from the URL can show them.
func splitCredentials(src Source) (string, transport.AuthMethod, error) {
	user, pass := src.Username, src.Password
	u := src.URL
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		parsed, err := url.Parse(u)
		if err != nil {
			return "", nil, fmt.Errorf("invalid catalog URL: %w", errors.Unwrap(err))
		}
		if parsed.User != nil && user == "" {
			user = parsed.User.Username()
			pass, _ = parsed.User.Password()
		}
		parsed.User = nil
		u = parsed.String()
	}
	if user == "" && pass == "" {
		return u, nil, nil
	}
	return u, &githttp.BasicAuth{Username: user, Password: pass}, nil
}

func cloneCommit(ctx context.Context, u, branch string, auth transport.AuthMethod) (*object.Commit, error) {
	opts := &git.CloneOptions{URL: u, Auth: auth, Depth: 1, SingleBranch: true, Tags: git.NoTags}
	if branch != "" {
		opts.ReferenceName = plumbing.NewBranchReferenceName(branch)
	}
	repo, err := git.CloneContext(ctx, memory.NewStorage(), nil, opts)
	if err != nil {
		return nil, err
	}
	head, err := repo.Head()
	if err != nil {
		return nil, err
	}
	return repo.CommitObject(head.Hash())
}

func localCommit(dir, branch string) (*object.Commit, error) {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return nil, err
	}
	name := plumbing.HEAD
	if branch != "" {
		name = plumbing.NewBranchReferenceName(branch)
	}
	ref, err := repo.Reference(name, true)
	if err != nil {
		return nil, err
	}
	return repo.CommitObject(ref.Hash())
}

// fetchError names what was not found; the URL has no credentials by now.
func fetchError(u, branch string, err error) error {
	var noRef git.NoMatchingRefSpecError
	switch {
	case errors.Is(err, git.ErrRepositoryNotExists), errors.Is(err, transport.ErrRepositoryNotFound):
		return fmt.Errorf("failed to fetch catalog %s: %w", u, ErrRepositoryNotFound)
	case branch != "" && (errors.Is(err, plumbing.ErrReferenceNotFound) || errors.As(err, &noRef)):
		return fmt.Errorf("failed to fetch catalog %s: %w: %q", u, ErrBranchNotFound, branch)
	case errors.Is(err, transport.ErrEmptyRemoteRepository), errors.Is(err, plumbing.ErrReferenceNotFound):
		return fmt.Errorf("failed to fetch catalog %s: repository is empty", u)
	}
	return fmt.Errorf("failed to fetch catalog %s: %w", u, err)
}

// commitFS copies the commit's regular files into memory: a fetched snapshot must not
// change under an index built from it, nor depend on a checkout on disk. fstest.MapFS is
// the standard library's map-backed fs.FS (its package does not pull in "testing").
func commitFS(commit *object.Commit) (fs.FS, error) {
	tree, err := commit.Tree()
	if err != nil {
		return nil, err
	}
	files := fstest.MapFS{}
	err = tree.Files().ForEach(func(f *object.File) error {
		if !f.Mode.IsFile() || f.Mode == filemode.Symlink {
			return nil // a catalog is plain files
		}
		content, err := f.Contents()
		if err != nil {
			return fmt.Errorf("reading %s: %w", f.Name, err)
		}
		files[f.Name] = &fstest.MapFile{Data: []byte(content), Mode: 0o444}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}
