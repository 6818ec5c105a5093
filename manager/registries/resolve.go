package registries

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/distribution/reference"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/opencontainers/go-digest"

	"github.com/exos-platform/exos/manager/api"
)

// resolveTimeout bounds one tag lookup, so a registry that does not answer fails a
// deploy in time instead of holding the stack's lock.
const resolveTimeout = 15 * time.Second

// Resolve pins image to the digest its tag has now in the known registry it is in (for
// a stack of environment env), as docker's client pins it for `docker stack deploy`:
// repo:tag@sha256:..., the tag "latest" when none is given, and for a multi-platform
// image the digest of its index. platforms are the image's as the Engine's /distribution
// endpoint gives them to docker's client (platformsOf), read from the same answers. An
// image that already names a digest keeps it as given; its platforms are asked for once
// (what a digest names never changes). known is false, and pinned the image unchanged,
// for an image of no known registry: those are left to the Engine, as today.
//
// Errors: a reference that does not parse is ErrInvalid; a tag or digest the registry
// does not have, or credentials it refuses, ErrUnprocessable; a registry that does not
// answer (or answers 5xx) ErrBadGateway, which is worth retrying. None carries the password.
func (s *Service) Resolve(ctx context.Context, image, env string) (pinned string, platforms []api.Platform, known bool, err error) {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return "", nil, false, api.Errorf(api.ErrInvalid, "%q is no image reference: %v", image, err)
	}
	d, ok := s.match(reference.Domain(named), env)
	if !ok {
		return image, nil, false, nil
	}
	if canonical, digested := named.(reference.Canonical); digested {
		platforms, err := s.digestPlatforms(ctx, d, canonical)
		if err != nil {
			return "", nil, true, err
		}
		return reference.FamiliarString(named), platforms, true, nil
	}
	tagged := reference.TagNameOnly(named).(reference.NamedTagged)
	dgst, platforms, err := s.lookup(ctx, d, tagged)
	if err != nil {
		return "", nil, true, err
	}
	withDigest, err := reference.WithDigest(tagged, dgst)
	if err != nil {
		return "", nil, true, fmt.Errorf("registry %s answered digest %q for %s: %w", d.Name, dgst, reference.FamiliarString(tagged), err)
	}
	s.platforms.keep(d, withDigest, platforms)
	return reference.FamiliarString(withDigest), slices.Clone(platforms), true, nil
}

// digestPlatforms are the platforms of the manifest canonical names, from the registry
// the first time.
func (s *Service) digestPlatforms(ctx context.Context, d document, canonical reference.Canonical) ([]api.Platform, error) {
	if platforms, ok := s.platforms.get(d, canonical); ok {
		return platforms, nil
	}
	_, platforms, err := s.lookup(ctx, d, canonical)
	if err != nil {
		return nil, err
	}
	s.platforms.keep(d, canonical, platforms)
	return slices.Clone(platforms), nil
}

// lookup asks registry d for the manifest (or index) ref names, by its tag or its digest,
// and reads its platforms: one request, and one more for the config of a Docker image.
func (s *Service) lookup(ctx context.Context, d document, ref reference.Named) (digest.Digest, []api.Platform, error) {
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	r, err := remoteReference(d, ref)
	if err != nil {
		return "", nil, api.Errorf(api.ErrInvalid, "%q is no image reference: %v", reference.FamiliarString(ref), err)
	}
	auth, err := s.authenticator(d)
	if err != nil {
		return "", nil, err
	}
	desc, err := remote.Get(r, remote.WithContext(ctx), remote.WithAuth(auth), remote.WithTransport(d.transport))
	if err != nil {
		return "", nil, resolveError(d, ref, err)
	}
	platforms, err := platformsOf(desc)
	if err != nil {
		return "", nil, configError(d, ref, err)
	}
	dgst, err := digest.Parse(desc.Digest.String())
	return dgst, platforms, err
}

// remoteReference is ref for go-containerregistry: its tag, or its digest (a tag beside
// the digest names nothing more).
func remoteReference(d document, ref reference.Named) (name.Reference, error) {
	if canonical, ok := ref.(reference.Canonical); ok {
		return name.NewDigest(reference.TrimNamed(ref).String()+"@"+canonical.Digest().String(), d.nameOptions()...)
	}
	return name.NewTag(ref.String(), d.nameOptions()...)
}

// resolveError says what a failed lookup of a tag or a digest means and what to do.
func resolveError(d document, ref reference.Named, err error) error {
	image := reference.FamiliarString(ref)
	var terr *transport.Error
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	switch {
	case errors.As(err, &terr) && (terr.StatusCode == http.StatusNotFound || hasCode(terr, transport.ManifestUnknownErrorCode, transport.NameUnknownErrorCode)):
		if canonical, ok := ref.(reference.Canonical); ok {
			return api.Errorf(api.ErrUnprocessable, "registry %s (%s) has no manifest %s of %s: check the digest (`docker exos registry tags`)",
				d.Name, d.URL, canonical.Digest(), reference.FamiliarName(ref))
		}
		return api.Errorf(api.ErrUnprocessable, "registry %s (%s) has no tag %q of %s: push it first, or check the tag (`docker exos registry tags`)",
			d.Name, d.URL, ref.(reference.Tagged).Tag(), reference.FamiliarName(ref))
	case errors.As(err, &terr) && (terr.StatusCode == http.StatusUnauthorized || terr.StatusCode == http.StatusForbidden):
		return api.Errorf(api.ErrUnprocessable, "registry %s refused the credentials for %s: %v (check them with `docker exos registry login-test %s`)",
			d.Name, image, explain(d, err), d.Name)
	case errors.As(err, &unknownCA), errors.As(err, &hostname):
		return api.Errorf(api.ErrUnprocessable, "cannot resolve %s: %v", image, explain(d, err))
	case errors.As(err, &terr) && terr.StatusCode >= 500, !errors.As(err, &terr):
		return api.Errorf(api.ErrBadGateway, "registry %s (%s) did not answer for %s: %v; retry once it is reachable", d.Name, d.URL, image, err)
	}
	return api.Errorf(api.ErrBadGateway, "registry %s (%s) answered %d for %s: %v; retry later", d.Name, d.URL, terr.StatusCode, image, err)
}

func hasCode(terr *transport.Error, codes ...transport.ErrorCode) bool {
	for _, e := range terr.Errors {
		for _, c := range codes {
			if e.Code == c {
				return true
			}
		}
	}
	return false
}
