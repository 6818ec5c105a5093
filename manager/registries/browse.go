package registries

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// browseTimeout bounds one browse request, so that a registry that hangs answers in time.
const browseTimeout = 30 * time.Second

// Page sizes of the browse lists.
const (
	defaultPage = 100
	maxPage     = 1000
)

// fetchers is how many tags a page of tags reads at once: enough to hide the registry's
// latency, few enough not to flood it.
const fetchers = 8

// browser reads one registry for one request. Its puller keeps the authenticated
// transport of each repository, so a page of tags logs in once rather than once a tag.
type browser struct {
	d      document
	reg    name.Registry
	puller *remote.Puller
	// configs are the image configs read so far, by digest: tags of one image (latest,
	// 1.2, 1.2.3) read its config once.
	configs sync.Map
}

func (s *Service) browser(regName string) (*browser, error) {
	d, ok := s.document(regName)
	if !ok {
		return nil, NotFound(regName)
	}
	reg, err := name.NewRegistry(d.URL, d.nameOptions()...)
	if err != nil {
		return nil, fmt.Errorf("stored registry %s has an address that is no host[:port]: %w", d.Name, err)
	}
	auth, err := s.authenticator(d)
	if err != nil {
		return nil, err
	}
	puller, err := remote.NewPuller(remote.WithAuth(auth), remote.WithTransport(d.transport))
	if err != nil {
		return nil, fmt.Errorf("failed to set up reading registry %s: %w", d.Name, err)
	}
	return &browser{d: d, reg: reg, puller: puller}, nil
}

func (d document) nameOptions() []name.Option {
	if d.Insecure {
		return []name.Option{name.Insecure}
	}
	return nil
}

// Repositories returns a page of the registry's repositories, in name order, and the
// name to start the next page after: the last one when the page is full (the next page
// may then be empty, as the registry does not say whether more follow), else "".
func (s *Service) Repositories(ctx context.Context, regName string, p api.BrowsePage) ([]api.RegistryRepository, string, error) {
	limit, err := pageLimit(p.Limit)
	if err != nil {
		return nil, "", err
	}
	b, err := s.browser(regName)
	if err != nil {
		return nil, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, browseTimeout)
	defer cancel()
	names, err := remote.CatalogPage(b.reg, p.After, limit, remote.WithContext(ctx), remote.Reuse(b.puller))
	if err != nil {
		return nil, "", b.failed(err, fmt.Sprintf("registry %s does not list its repositories (its catalog answered 404): give a repository to `docker exos registry tags %s/REPO`", b.d.Name, b.d.Name))
	}
	out := make([]api.RegistryRepository, len(names))
	for i, n := range names {
		out[i] = api.RegistryRepository{Name: n}
	}
	next := ""
	if len(names) == limit {
		next = names[len(names)-1]
	}
	return out, next, nil
}

// Tags returns a page of the tags of repository repo, in name order, each with its
// digest, platforms, size and creation time, and the tag to start the next page after
// ("" on the last page). The registry lists every tag at once; only the page's tags are
// read, fetchers at a time.
func (s *Service) Tags(ctx context.Context, regName, repo string, p api.BrowsePage) ([]api.RegistryTag, string, error) {
	limit, err := pageLimit(p.Limit)
	if err != nil {
		return nil, "", err
	}
	b, err := s.browser(regName)
	if err != nil {
		return nil, "", err
	}
	r, err := b.repository(repo)
	if err != nil {
		return nil, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, browseTimeout)
	defer cancel()
	all, err := b.puller.List(ctx, r)
	if err != nil {
		return nil, "", b.failed(err, fmt.Sprintf("registry %s has no repository %q (see `docker exos registry repos %s`)", b.d.Name, r.RepositoryStr(), b.d.Name))
	}
	page, next := pageOf(all, p.After, limit)
	images, errs := make([]api.RegistryImage, len(page)), make([]error, len(page))
	sem := make(chan struct{}, fetchers)
	var wg sync.WaitGroup
	for i, tag := range page {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			images[i], errs[i] = b.read(ctx, r.Tag(tag))
		})
	}
	wg.Wait()
	out := make([]api.RegistryTag, 0, len(page))
	for i, tag := range page {
		switch {
		case isNotFound(errs[i]): // removed since the list was read: no longer a tag
			continue
		case errs[i] != nil:
			return nil, "", b.failed(errs[i], "")
		}
		img := images[i]
		out = append(out, api.RegistryTag{Tag: tag, Digest: img.Digest, MediaType: img.MediaType,
			Platforms: img.Platforms, Size: img.Size, Created: img.Created})
	}
	return out, next, nil
}

// Image reads image ref (repo, repo:tag or repo@digest; the tag latest without either).
func (s *Service) Image(ctx context.Context, regName, ref string) (api.RegistryImage, error) {
	b, err := s.browser(regName)
	if err != nil {
		return api.RegistryImage{}, err
	}
	r, tag, err := b.imageReference(ref)
	if err != nil {
		return api.RegistryImage{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, browseTimeout)
	defer cancel()
	img, err := b.read(ctx, r)
	if err != nil {
		return api.RegistryImage{}, b.failed(err, fmt.Sprintf("registry %s has no image %s (see `docker exos registry tags %s/%s`)",
			b.d.Name, shortName(r), b.d.Name, r.Context().RepositoryStr()))
	}
	img.Registry, img.Repository, img.Reference, img.Tag = b.d.Name, r.Context().RepositoryStr(), r.Name(), tag
	return img, nil
}

// failed says what a failed read means: the object does not exist (404, saying
// notFound), or the registry is unreachable, refused the credentials or answered an
// error (502). The message never carries the password: the transport's errors name the
// request's method and URL, which hold none.
func (b *browser) failed(err error, notFound string) error {
	var terr *transport.Error
	switch {
	case isNotFound(err):
		return api.Errorf(api.ErrNotFound, "%s", notFound)
	case errors.Is(err, context.DeadlineExceeded):
		return api.Errorf(api.ErrBadGateway, "registry %s (%s) did not answer within %s: try again later", b.d.Name, b.d.URL, browseTimeout)
	case errors.As(err, &terr) && terr.StatusCode != http.StatusUnauthorized:
		return api.Errorf(api.ErrBadGateway, "registry %s (%s) answered an error: %v", b.d.Name, b.d.URL, err)
	}
	return api.Errorf(api.ErrBadGateway, "registry %s: %v", b.d.Name, explain(b.d, err))
}

func isNotFound(err error) bool {
	var terr *transport.Error
	return errors.As(err, &terr) && terr.StatusCode == http.StatusNotFound
}

func pageLimit(n int) (int, error) {
	switch {
	case n == 0:
		return defaultPage, nil
	case n < 1 || n > maxPage:
		return 0, api.Errorf(api.ErrInvalid, "limit must be from 1 to %d, got %d", maxPage, n)
	}
	return n, nil
}

// pageOf is the names after after, at most limit, in name order, and the name to start
// the next page after ("" when none follow).
func pageOf(all []string, after string, limit int) (page []string, next string) {
	slices.Sort(all)
	start, found := slices.BinarySearch(all, after)
	if found {
		start++
	}
	end := min(start+limit, len(all))
	page = all[start:end]
	if end < len(all) {
		next = page[len(page)-1]
	}
	return page, next
}
