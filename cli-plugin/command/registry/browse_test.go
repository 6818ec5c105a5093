package registry

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

const (
	apiDigest   = "sha256:4c0f1f8e2b6a1a4b7f3e5d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a"
	indexDigest = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
)

// pagedRepos is a registry of n repositories repo-0000..., answered pages as the
// manager does: a full page names its last repository as next.
func pagedRepos(n int, asked *[]api.BrowsePage) func(context.Context, string, api.BrowsePage) ([]api.RegistryRepository, string, error) {
	return func(_ context.Context, _ string, p api.BrowsePage) ([]api.RegistryRepository, string, error) {
		*asked = append(*asked, p)
		out := []api.RegistryRepository{}
		for i := 0; i < n && len(out) < p.Limit; i++ {
			if name := fmt.Sprintf("repo-%04d", i); name > p.After {
				out = append(out, api.RegistryRepository{Name: name})
			}
		}
		next := ""
		if len(out) == p.Limit {
			next = out[len(out)-1].Name
		}
		return out, next, nil
	}
}

func TestReposPages(t *testing.T) {
	for _, tc := range []struct {
		name      string
		args      []string
		wantPages []api.BrowsePage
		wantNames int
		wantMore  string
	}{
		{name: "default limit", args: []string{"ci"}, wantPages: []api.BrowsePage{{Limit: 100}}, wantNames: 100,
			wantMore: "more repositories may follow: add --after repo-0099, or --all\n"},
		{name: "limit and after", args: []string{"ci", "-n", "3", "--after", "repo-0010"}, wantPages: []api.BrowsePage{{After: "repo-0010", Limit: 3}}, wantNames: 3,
			wantMore: "more repositories may follow: add --after repo-0013, or --all\n"},
		{name: "all", args: []string{"ci", "--all", "-q"}, wantPages: []api.BrowsePage{{Limit: 1000}, {After: "repo-0999", Limit: 1000}}, wantNames: 1500},
		{name: "limit over a page", args: []string{"ci", "--limit", "1200"}, wantPages: []api.BrowsePage{{Limit: 1000}, {After: "repo-0999", Limit: 200}}, wantNames: 1200,
			wantMore: "more repositories may follow: add --after repo-1199, or --all\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked []api.BrowsePage
			cli := test.NewFakeCli(&test.FakeManager{FakeRegistry: test.FakeRegistry{RegistryRepositoriesFunc: pagedRepos(1500, &asked)}}, nil)
			cmd := newReposCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.DeepEqual(asked, tc.wantPages))
			lines := strings.Split(strings.TrimSuffix(cli.OutBuffer().String(), "\n"), "\n")
			if !strings.Contains(strings.Join(tc.args, " "), "-q") {
				assert.Check(t, is.Equal(lines[0], "REPOSITORY"))
				lines = lines[1:]
			}
			assert.Check(t, is.Len(lines, tc.wantNames))
			assert.Check(t, is.Equal(cli.ErrBuffer().String(), tc.wantMore))
		})
	}
}

func fakeTags() []api.RegistryTag {
	now := time.Now()
	return []api.RegistryTag{
		{Tag: "1.4.0", Digest: apiDigest, MediaType: "application/vnd.docker.distribution.manifest.v2+json",
			Platforms: []string{"linux/amd64"}, Size: 31_457_280, Created: now.Add(-3 * time.Hour)},
		{Tag: "latest", Digest: indexDigest, MediaType: "application/vnd.oci.image.index.v1+json",
			Platforms: []string{"linux/amd64", "linux/arm64/v8"}, Size: 63_963_136, Created: now.Add(-50 * time.Hour)},
		{Tag: "sbom", Digest: apiDigest, MediaType: "application/vnd.oci.artifact.manifest.v1+json", Platforms: []string{}, Size: 912},
	}
}

func TestTagsFormats(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "table", golden: "registry-tags.golden"},
		{name: "quiet", args: []string{"-q"}, golden: "registry-tags-quiet.golden"},
		{name: "json", args: []string{"--format", "json"}, golden: "registry-tags-json.golden"},
		{name: "template no-trunc", args: []string{"--format", "{{.Tag}} {{.Digest}} {{.MediaType}}", "--no-trunc"}, golden: "registry-tags-template.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got [2]string
			cli := test.NewFakeCli(&test.FakeManager{FakeRegistry: test.FakeRegistry{
				RegistryTagsFunc: func(_ context.Context, name, repo string, _ api.BrowsePage) ([]api.RegistryTag, string, error) {
					got = [2]string{name, repo}
					return fakeTags(), "", nil
				},
			}}, nil)
			cmd := newTagsCommand(cli)
			cmd.SetArgs(append([]string{"ci/team/api"}, tc.args...))
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.Equal(got, [2]string{"ci", "team/api"}), "NAME is cut at the first '/'")
			golden.Assert(t, cli.OutBuffer().String(), tc.golden)
			assert.Check(t, is.Equal(cli.ErrBuffer().String(), ""))
		})
	}
}

func TestTagsManagerError(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{FakeRegistry: test.FakeRegistry{
		RegistryTagsFunc: func(context.Context, string, string, api.BrowsePage) ([]api.RegistryTag, string, error) {
			return nil, "", &api.Error{StatusCode: 502, Message: "registry ci: cannot log in to registry.example.com:5000: connection refused"}
		},
	}}, nil)
	cmd := newTagsCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"ci/team/api"})
	assert.Error(t, cmd.Execute(), "failed to list the tags of ci/team/api: registry ci: cannot log in to registry.example.com:5000: connection refused")
	assert.Check(t, is.Equal(cli.OutBuffer().String(), ""))
}

// TestInspectRegistriesAndImages: an argument with a '/' is an image, one without a
// registry, in one JSON array as docker inspect prints.
func TestInspectRegistriesAndImages(t *testing.T) {
	var images [][2]string
	fake := &test.FakeManager{FakeRegistry: test.FakeRegistry{
		InspectRegistryFunc: func(_ context.Context, name string) (api.Registry, error) {
			return api.Registry{Name: name, URL: "registry.example.com:5000", Username: "jenkins", HasPassword: true,
				CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), CreatedBy: "admin"}, nil
		},
		RegistryImageFunc: func(_ context.Context, name, ref string) (api.RegistryImage, error) {
			images = append(images, [2]string{name, ref})
			return api.RegistryImage{Registry: name, Repository: "team/api", Reference: "registry.example.com:5000/team/api:1.4.0", Tag: "1.4.0",
				Digest: apiDigest, MediaType: "application/vnd.docker.distribution.manifest.v2+json", Platforms: []string{"linux/amd64"},
				Size: 31_457_280, Created: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC),
				Images: []api.RegistryImagePlatform{{Platform: "linux/amd64", Digest: apiDigest, Size: 31_457_280,
					Layers:  []api.RegistryLayer{{Digest: indexDigest, MediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", Size: 31_456_000}},
					EnvKeys: []string{"PATH", "API_TOKEN"}, Entrypoint: []string{"/app"}}}}, nil
		},
	}}
	cli := test.NewFakeCli(fake, nil)
	cmd := newInspectCommand(cli)
	cmd.SetArgs([]string{"ci", "ci/team/api:1.4.0"})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.DeepEqual(images, [][2]string{{"ci", "team/api:1.4.0"}}))
	golden.Assert(t, cli.OutBuffer().String(), "registry-inspect.golden")

	cli = test.NewFakeCli(fake, nil)
	cmd = newInspectCommand(cli)
	cmd.SetArgs([]string{"--format", "{{.Digest}} {{join .Platforms \",\"}}", "ci/team/api@" + apiDigest})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(cli.OutBuffer().String(), apiDigest+" linux/amd64\n"))
	assert.Check(t, is.DeepEqual(images[1], [2]string{"ci", "team/api@" + apiDigest}))
}
