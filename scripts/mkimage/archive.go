package main

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// imageConfig is the image configuration JSON (image spec v1, the subset docker load needs).
// Its sha256 is the image ID.
type imageConfig struct {
	Architecture string          `json:"architecture"`
	OS           string          `json:"os"`
	Created      time.Time       `json:"created"`
	Config       containerConfig `json:"config"`
	RootFS       rootFS          `json:"rootfs"`
	History      []history       `json:"history"`
}

// containerConfig holds the run defaults of the image; field names follow Docker's JSON.
type containerConfig struct {
	User         string              `json:"User,omitempty"`
	ExposedPorts map[string]struct{} `json:"ExposedPorts,omitempty"`
	Env          []string            `json:"Env,omitempty"`
	Entrypoint   []string            `json:"Entrypoint,omitempty"`
	Cmd          []string            `json:"Cmd,omitempty"`
	WorkingDir   string              `json:"WorkingDir,omitempty"`
	Labels       map[string]string   `json:"Labels,omitempty"`
}

type rootFS struct {
	Type    string   `json:"type"`
	DiffIDs []string `json:"diff_ids"`
}

type history struct {
	Created   time.Time `json:"created"`
	CreatedBy string    `json:"created_by"`
}

// manifestEntry is one element of the docker-archive manifest.json.
type manifestEntry struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// image is everything needed to write one docker-archive.
type image struct {
	tags   []string
	arch   string
	config containerConfig
	layer  *layer
}

// writeArchive writes a `docker load`-able archive: <id>.json, <diffid>/layer.tar and
// manifest.json. It returns the image ID ("sha256:...").
func writeArchive(w io.Writer, img image) (string, error) {
	layerTar, err := img.layer.tar()
	if err != nil {
		return "", err
	}
	diffID := sha256Hex(layerTar)
	cfg := imageConfig{
		Architecture: img.arch,
		OS:           "linux",
		Created:      epoch,
		Config:       img.config,
		RootFS:       rootFS{Type: "layers", DiffIDs: []string{"sha256:" + diffID}},
		History:      []history{{Created: epoch, CreatedBy: "mkimage"}},
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("failed to encode image config: %w", err)
	}
	id := sha256Hex(cfgJSON)
	manifest, err := json.Marshal([]manifestEntry{{
		Config:   id + ".json",
		RepoTags: img.tags,
		Layers:   []string{diffID + "/layer.tar"},
	}})
	if err != nil {
		return "", fmt.Errorf("failed to encode manifest: %w", err)
	}
	tw := tar.NewWriter(w)
	files := []struct {
		name string
		data []byte
	}{{id + ".json", cfgJSON}, {diffID + "/layer.tar", layerTar}, {"manifest.json", manifest}}
	for _, f := range files {
		hdr := &tar.Header{Name: f.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(f.data)), ModTime: epoch}
		if err := tw.WriteHeader(hdr); err != nil {
			return "", fmt.Errorf("failed to write %s: %w", f.name, err)
		}
		if _, err := tw.Write(f.data); err != nil {
			return "", fmt.Errorf("failed to write %s: %w", f.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return "", fmt.Errorf("failed to finish archive: %w", err)
	}
	return "sha256:" + id, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
