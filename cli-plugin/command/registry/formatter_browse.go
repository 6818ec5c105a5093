package registry

import (
	"strings"

	"github.com/docker/cli/cli/command/formatter"
	"github.com/docker/go-units"
	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

const (
	defaultReposTableFormat = "table {{.Name}}"
	defaultTagsTableFormat  = "table {{.Tag}}\t{{.Digest}}\t{{.Platforms}}\t{{.Size}}\t{{.Created}}"

	repositoryHeader = "REPOSITORY"
	tagHeader        = "TAG"
	digestHeader     = "DIGEST"
	platformsHeader  = "PLATFORMS"
	sizeHeader       = "SIZE"
	mediaTypeHeader  = "MEDIA TYPE"

	// shortDigest is the digest's algorithm and 12 hex digits, as docker shows IDs.
	shortDigest = len("sha256:") + 12
)

// NewReposFormat returns the format for `registry repos`: table, json, or a Go template.
func NewReposFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.Name}}"
		}
		return defaultReposTableFormat
	}
	return formatter.Format(source)
}

// FormatWriteRepos writes repositories in the context's format.
func FormatWriteRepos(ctx formatter.Context, repos []api.RegistryRepository) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, r := range repos {
			if err := format(&repoContext{r: r}); err != nil {
				return err
			}
		}
		return nil
	}
	c := repoContext{}
	c.Header = formatter.SubHeaderContext{"Name": repositoryHeader}
	return ctx.Write(&c, render)
}

type repoContext struct {
	formatter.HeaderContext
	r api.RegistryRepository
}

func (c *repoContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *repoContext) Name() string { return c.r.Name }

// NewTagsFormat returns the format for `registry tags`: table, json, or a Go template.
func NewTagsFormat(source string, quiet bool) formatter.Format {
	if source == formatter.TableFormatKey {
		if quiet {
			return "{{.Tag}}"
		}
		return defaultTagsTableFormat
	}
	return formatter.Format(source)
}

// FormatWriteTags writes tags in the context's format; digests are cut short when the
// context truncates.
func FormatWriteTags(ctx formatter.Context, tags []api.RegistryTag) error {
	render := func(format func(subContext formatter.SubContext) error) error {
		for _, t := range tags {
			if err := format(&tagContext{t: t, trunc: ctx.Trunc}); err != nil {
				return err
			}
		}
		return nil
	}
	c := tagContext{}
	c.Header = formatter.SubHeaderContext{
		"Tag":       tagHeader,
		"Digest":    digestHeader,
		"MediaType": mediaTypeHeader,
		"Platforms": platformsHeader,
		"Size":      sizeHeader,
		"Created":   createdHeader,
	}
	return ctx.Write(&c, render)
}

type tagContext struct {
	formatter.HeaderContext
	t     api.RegistryTag
	trunc bool
}

func (c *tagContext) MarshalJSON() ([]byte, error) { return formatter.MarshalJSON(c) }

func (c *tagContext) Tag() string { return c.t.Tag }

func (c *tagContext) Digest() string {
	if c.trunc && len(c.t.Digest) > shortDigest {
		return c.t.Digest[:shortDigest]
	}
	return c.t.Digest
}

func (c *tagContext) MediaType() string { return c.t.MediaType }

// Platforms is "-" for what is no image (an artifact).
func (c *tagContext) Platforms() string { return listing.OrDash(strings.Join(c.t.Platforms, ",")) }

func (c *tagContext) Size() string { return units.HumanSizeWithPrecision(float64(c.t.Size), 3) }

func (c *tagContext) Created() string { return listing.Ago(c.t.Created) }
