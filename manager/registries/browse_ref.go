package registries

import (
	"github.com/distribution/reference"
	"github.com/exos-platform/exos/manager/api"
	"github.com/google/go-containerregistry/pkg/name"
)

// named parses what the user gave (repo, repo:tag, repo@digest) as a reference under the
// registry's host, with distribution/reference: never by splitting on ':', which a
// host's port has too.
func (b *browser) named(ref string) (reference.Named, error) {
	named, err := reference.ParseNormalizedNamed(b.d.URL + "/" + ref)
	if ref == "" || err != nil {
		return nil, api.Errorf(api.ErrInvalid, "%q is no image of registry %s: give REPO, REPO:TAG or REPO@sha256:DIGEST, without the registry's host (%v)", ref, b.d.Name, err)
	}
	return named, nil
}

// repository is repo, which must have neither tag nor digest.
func (b *browser) repository(repo string) (name.Repository, error) {
	named, err := b.named(repo)
	if err != nil {
		return name.Repository{}, err
	}
	if !reference.IsNameOnly(named) {
		return name.Repository{}, api.Errorf(api.ErrInvalid, "%q: give the repository without a tag or digest (its tags are what is listed)", repo)
	}
	return name.NewRepository(b.d.URL+"/"+reference.Path(named), b.d.nameOptions()...)
}

// imageReference is ref by digest when it has one, else by its tag (latest by default);
// tag is the tag given, "" for none.
func (b *browser) imageReference(ref string) (name.Reference, string, error) {
	named, err := b.named(ref)
	if err != nil {
		return nil, "", err
	}
	repo := b.d.URL + "/" + reference.Path(named)
	var tag string
	if t, ok := named.(reference.Tagged); ok {
		tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		r, err := name.NewDigest(repo+"@"+d.Digest().String(), b.d.nameOptions()...)
		return r, tag, err
	}
	t := reference.TagNameOnly(named).(reference.Tagged)
	r, err := name.NewTag(repo+":"+t.Tag(), b.d.nameOptions()...)
	return r, t.Tag(), err
}

// shortName is r without the registry's host: repo:tag or repo@digest.
func shortName(r name.Reference) string {
	sep := ":"
	if _, ok := r.(name.Digest); ok {
		sep = "@"
	}
	return r.Context().RepositoryStr() + sep + r.Identifier()
}
