package registries

import (
	"context"
	"slices"
	"strings"

	"github.com/exos-platform/exos/manager/api"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// read reads the manifest ref points at and, for an image or each image of an index,
// its manifest and config: two requests an image (the config only once per digest).
// Another kind of manifest (an artifact, a schema 1 image) is answered without images.
func (b *browser) read(ctx context.Context, ref name.Reference) (api.RegistryImage, error) {
	desc, err := b.puller.Get(ctx, ref)
	if err != nil {
		return api.RegistryImage{}, err
	}
	out := api.RegistryImage{Digest: desc.Digest.String(), MediaType: string(desc.MediaType),
		Size: desc.Size, Platforms: []string{}, Images: []api.RegistryImagePlatform{}}
	switch {
	case desc.MediaType.IsIndex():
		err = b.readIndex(desc, &out)
	case desc.MediaType.IsImage():
		var img v1.Image
		if img, err = desc.Image(); err == nil {
			out.Size = 0 // the image's own size counts its manifest
			err = b.add(&out, img, desc.Descriptor)
		}
	}
	return out, err
}

func (b *browser) readIndex(desc *remote.Descriptor, out *api.RegistryImage) error {
	idx, err := desc.ImageIndex()
	if err != nil {
		return err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	for _, m := range im.Manifests {
		if !m.MediaType.IsImage() || isAttestation(m) {
			continue // not an image a node would run
		}
		img, err := idx.Image(m.Digest)
		if err != nil {
			return err
		}
		if err := b.add(out, img, m); err != nil {
			return err
		}
	}
	return nil
}

// isAttestation is a build's provenance or SBOM that buildx puts in an index beside the
// images, as platform unknown/unknown.
func isAttestation(d v1.Descriptor) bool {
	return d.Annotations["vnd.docker.reference.type"] == "attestation-manifest"
}

// add reads image img (described by d) and adds it to out: its platform, size, creation
// time and details.
func (b *browser) add(out *api.RegistryImage, img v1.Image, d v1.Descriptor) error {
	m, err := img.Manifest()
	if err != nil {
		return err
	}
	cfg, err := b.config(img, m.Config.Digest)
	if err != nil {
		return err
	}
	p := api.RegistryImagePlatform{Digest: d.Digest.String(), MediaType: string(d.MediaType), Size: d.Size + m.Config.Size,
		Layers: make([]api.RegistryLayer, len(m.Layers)), Created: cfg.Created.Time}
	for i, l := range m.Layers {
		p.Layers[i] = api.RegistryLayer{Digest: l.Digest.String(), MediaType: string(l.MediaType), Size: l.Size}
		p.Size += l.Size
	}
	switch {
	case d.Platform != nil && d.Platform.OS != "":
		p.Platform = d.Platform.String() // the index's word, as a pull picks by it
	case cfg.Platform() != nil:
		p.Platform = cfg.Platform().String()
	}
	withConfig(&p, cfg.Config)
	out.Images = append(out.Images, p)
	out.Platforms = append(out.Platforms, p.Platform)
	out.Size += p.Size
	if p.Created.After(out.Created) {
		out.Created = p.Created
	}
	return nil
}

// withConfig copies the image's run settings. Of its environment, only the names: an
// image's ENV often holds a secret (a token given at build time, a proxy URL with its
// password), and no EXOS answer shows one.
func withConfig(p *api.RegistryImagePlatform, c v1.Config) {
	p.Labels, p.Entrypoint, p.Cmd, p.WorkingDir, p.User = c.Labels, c.Entrypoint, c.Cmd, c.WorkingDir, c.User
	for _, kv := range c.Env {
		key, _, _ := strings.Cut(kv, "=") // a variable's name never holds '='
		p.EnvKeys = append(p.EnvKeys, key)
	}
	for port := range c.ExposedPorts {
		p.ExposedPorts = append(p.ExposedPorts, port)
	}
	slices.Sort(p.ExposedPorts)
}

// config reads img's config, once per digest for the whole request.
func (b *browser) config(img v1.Image, digest v1.Hash) (*v1.ConfigFile, error) {
	if cfg, ok := b.configs.Load(digest); ok {
		return cfg.(*v1.ConfigFile), nil
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	b.configs.Store(digest, cfg)
	return cfg, nil
}
