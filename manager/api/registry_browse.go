package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Browsing a registry: its repositories, a repository's tags and one image, read by the
// manager with the registry's credentials. Lists come a page at a time, in name order;
// the NextHeader of a page is the name to pass as BrowsePage.After for the next one.

// BrowsePage is one page of a registry list.
type BrowsePage struct {
	// After is where the page starts: the first name after this one ("" for the first).
	After string
	// Limit is the page size (the manager's default 100, at most 1000).
	Limit int
}

func (p BrowsePage) values() url.Values {
	v := url.Values{}
	if p.After != "" {
		v.Set("after", p.After)
	}
	if p.Limit > 0 {
		v.Set("limit", strconv.Itoa(p.Limit))
	}
	return v
}

// RegistryRepository is one repository of a registry.
type RegistryRepository struct {
	Name string `json:"name"`
}

// RegistryTag is one tag of a repository and the manifest it points at.
type RegistryTag struct {
	Tag    string `json:"tag"`
	Digest string `json:"digest"`
	// MediaType says whether the tag is an image or an index of images (multi-platform).
	MediaType string `json:"mediaType"`
	// Platforms are os/arch[/variant] of the image, or of each image of an index.
	Platforms []string `json:"platforms"`
	// Size is what a pull downloads, compressed: manifests, configs and layers (of every
	// platform for an index).
	Size int64 `json:"size"`
	// Created is the image's creation time from its config (the newest image's for an index).
	Created time.Time `json:"created,omitzero"`
}

// RegistryImage is one image or index of a registry, as `registry inspect` shows it.
type RegistryImage struct {
	Registry   string `json:"registry"` // the EXOS registry's name
	Repository string `json:"repository"`
	// Reference is the full image reference asked for: host[:port]/repo:tag or @digest.
	Reference string    `json:"reference"`
	Tag       string    `json:"tag,omitempty"`
	Digest    string    `json:"digest"`
	MediaType string    `json:"mediaType"`
	Platforms []string  `json:"platforms"`
	Size      int64     `json:"size"`
	Created   time.Time `json:"created,omitzero"`
	// Images is the image itself, or each image of an index.
	Images []RegistryImagePlatform `json:"images"`
}

// RegistryImagePlatform is one image: its manifest, layers and run settings.
type RegistryImagePlatform struct {
	Platform   string            `json:"platform"`
	Digest     string            `json:"digest"`
	MediaType  string            `json:"mediaType"`
	Size       int64             `json:"size"`
	Created    time.Time         `json:"created,omitzero"`
	Layers     []RegistryLayer   `json:"layers"`
	Labels     map[string]string `json:"labels,omitempty"`
	Entrypoint []string          `json:"entrypoint,omitempty"`
	Cmd        []string          `json:"cmd,omitempty"`
	WorkingDir string            `json:"workingDir,omitempty"`
	User       string            `json:"user,omitempty"`
	// EnvKeys are the names of the variables the image sets, without their values: an
	// image's ENV often holds a secret (a token passed at build time, a proxy URL with
	// its password), and an EXOS answer never shows one.
	EnvKeys      []string `json:"envKeys,omitempty"`
	ExposedPorts []string `json:"exposedPorts,omitempty"`
}

// RegistryLayer is one layer of an image, compressed.
type RegistryLayer struct {
	Digest    string `json:"digest"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
}

// RegistryRepositories returns a page of the repositories of registry name, and the
// BrowsePage.After of the next page ("" on the last).
func (c *Client) RegistryRepositories(ctx context.Context, name string, p BrowsePage) ([]RegistryRepository, string, error) {
	out := []RegistryRepository{}
	next, err := c.getPage(ctx, "/api/v1/registries/"+escape(name)+"/repositories", p.values(), &out)
	return out, next, err
}

// RegistryTags returns a page of the tags of repository repo (without its registry's
// host) of registry name, with their digests, platforms, sizes and creation times.
func (c *Client) RegistryTags(ctx context.Context, name, repo string, p BrowsePage) ([]RegistryTag, string, error) {
	q := p.values()
	q.Set("repo", repo)
	out := []RegistryTag{}
	next, err := c.getPage(ctx, "/api/v1/registries/"+escape(name)+"/tags", q, &out)
	return out, next, err
}

// RegistryImage inspects image ref (repo:tag or repo@digest, without the registry's
// host; the tag latest when it has neither) of registry name.
func (c *Client) RegistryImage(ctx context.Context, name, ref string) (RegistryImage, error) {
	var out RegistryImage
	_, err := c.do(ctx, http.MethodGet, "/api/v1/registries/"+escape(name)+"/image", url.Values{"ref": {ref}}, nil, &out)
	return out, err
}

// getPage reads a list into out and returns its NextHeader.
func (c *Client) getPage(ctx context.Context, path string, query url.Values, out any) (string, error) {
	req, err := c.newRequest(ctx, http.MethodGet, path, query, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("cannot reach the EXOS manager at %s: %w", c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return "", decodeError(resp)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return "", fmt.Errorf("failed to decode the manager's answer to GET %s: %w", path, err)
	}
	return resp.Header.Get(NextHeader), nil
}
