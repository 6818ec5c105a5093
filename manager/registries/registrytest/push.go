package registrytest

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"gotest.tools/v3/assert"
)

// Transport trusts the registry's CA.
func Transport(t testing.TB, caPEM string) http.RoundTripper {
	t.Helper()
	pool := x509.NewCertPool()
	assert.Assert(t, pool.AppendCertsFromPEM([]byte(caPEM)), "the CA holds no certificate")
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
	return tr
}

// PushRandom pushes a random single-layer image of size bytes as addr/ref (repo:tag) and
// returns its digest. Such an image cannot run: it is for listing and resolving.
func PushRandom(t testing.TB, addr, caPEM, password, ref string, size int64) v1.Hash {
	t.Helper()
	img, err := random.Image(size, 1)
	assert.NilError(t, err)
	return Push(t, addr, caPEM, password, ref, img)
}

// Push pushes img as addr/ref (repo:tag) and returns its digest.
func Push(t testing.TB, addr, caPEM, password, ref string, img v1.Image) v1.Hash {
	t.Helper()
	tag, err := name.NewTag(addr + "/" + ref)
	assert.NilError(t, err)
	auth := authn.FromConfig(authn.AuthConfig{Username: User, Password: password})
	assert.NilError(t, remote.Write(tag, img, remote.WithAuth(auth), remote.WithTransport(Transport(t, caPEM))))
	digest, err := img.Digest()
	assert.NilError(t, err)
	return digest
}

// PlatformImage is a random single-layer image whose config names platform p, as a
// build for that platform leaves it (a Docker image manifest). It cannot run either.
func PlatformImage(t testing.TB, p v1.Platform) v1.Image {
	t.Helper()
	img, err := random.Image(256, 1)
	assert.NilError(t, err)
	cfg, err := img.ConfigFile()
	assert.NilError(t, err)
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture, cfg.Variant = p.OS, p.Architecture, p.Variant
	img, err = mutate.ConfigFile(img, cfg)
	assert.NilError(t, err)
	return img
}

// PushIndex pushes idx, and the images it holds, as addr/ref (repo:tag) and returns its
// digest.
func PushIndex(t testing.TB, addr, caPEM, password, ref string, idx v1.ImageIndex) v1.Hash {
	t.Helper()
	tag, err := name.NewTag(addr + "/" + ref)
	assert.NilError(t, err)
	auth := authn.FromConfig(authn.AuthConfig{Username: User, Password: password})
	assert.NilError(t, remote.WriteIndex(tag, idx, remote.WithAuth(auth), remote.WithTransport(Transport(t, caPEM))))
	digest, err := idx.Digest()
	assert.NilError(t, err)
	return digest
}
