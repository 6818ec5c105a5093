package registries

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
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
// a stack of environment env), as dockerd pins it for `docker stack deploy`:
// repo:tag@sha256:..., the tag "latest" when none is given, and for a multi-platform
// image the digest of its index. An image that already names a digest is kept as it is,
// without asking the registry. known is false, and pinned the image unchanged, for an
// image of no known registry: those are left to the Engine, as today.
//
// Errors: a reference that does not parse is ErrInvalid; a tag the registry does not
// have, or credentials it refuses, ErrUnprocessable; a registry that does not answer
// (or answers 5xx) ErrBadGateway, which is worth retrying. None carries the password.
func (s *Service) Resolve(ctx context.Context, image, env string) (pinned string, known bool, err error) {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return "", false, api.Errorf(api.ErrInvalid, "%q is no image reference: %v", image, err)
	}
	d, ok := s.match(reference.Domain(named), env)
	if !ok {
		return image, false, nil
	}
	if _, digested := named.(reference.Canonical); digested {
		return reference.FamiliarString(named), true, nil
	}
	tagged := reference.TagNameOnly(named).(reference.NamedTagged)
	dgst, err := s.lookup(ctx, d, tagged)
	if err != nil {
		return "", true, err
	}
	withDigest, err := reference.WithDigest(tagged, dgst)
	if err != nil {
		return "", true, fmt.Errorf("registry %s answered digest %q for %s: %w", d.Name, dgst, reference.FamiliarString(tagged), err)
	}
	return reference.FamiliarString(withDigest), true, nil
}

// lookup asks registry d for the digest of tagged's manifest (or index). Registries that
// do not answer HEAD for manifests are asked with GET.
func (s *Service) lookup(ctx context.Context, d document, tagged reference.NamedTagged) (digest.Digest, error) {
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	var opts []name.Option
	if d.Insecure {
		opts = append(opts, name.Insecure)
	}
	tag, err := name.NewTag(tagged.String(), opts...)
	if err != nil {
		return "", api.Errorf(api.ErrInvalid, "%q is no image reference: %v", reference.FamiliarString(tagged), err)
	}
	auth, err := s.authenticator(d)
	if err != nil {
		return "", err
	}
	tr, err := roundTripper(d)
	if err != nil {
		return "", err
	}
	ropts := []remote.Option{remote.WithContext(ctx), remote.WithAuth(auth), remote.WithTransport(tr)}
	desc, err := remote.Head(tag, ropts...)
	var terr *transport.Error
	if errors.As(err, &terr) && terr.StatusCode == http.StatusMethodNotAllowed {
		var full *remote.Descriptor
		if full, err = remote.Get(tag, ropts...); err == nil {
			desc = &full.Descriptor
		}
	}
	if err != nil {
		return "", resolveError(d, tagged, err)
	}
	return digest.Parse(desc.Digest.String())
}

// resolveError says what a failed tag lookup means and what to do.
func resolveError(d document, tagged reference.NamedTagged, err error) error {
	image := reference.FamiliarString(tagged)
	var terr *transport.Error
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	switch {
	case errors.As(err, &terr) && (terr.StatusCode == http.StatusNotFound || hasCode(terr, transport.ManifestUnknownErrorCode, transport.NameUnknownErrorCode)):
		return api.Errorf(api.ErrUnprocessable, "registry %s (%s) has no tag %q of %s: push it first, or check the tag (`docker exos registry tags`)",
			d.Name, d.URL, tagged.Tag(), reference.FamiliarName(tagged))
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
