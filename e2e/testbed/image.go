//go:build e2e

package testbed

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// BusyboxImageRef is the reference of the image in BusyboxImage's archive.
const BusyboxImageRef = "exos/busybox:1"

var busybox struct {
	once sync.Once
	path string
	err  error
}

// BusyboxImage returns the path of a docker-archive of exos/busybox:1 (static busybox with all
// applets, /tmp, root and nobody; see scripts/build-images.sh). It is built once per process and
// cached under the test-bed data dir, keyed by the hash of the busybox binary and of the build
// scripts, so later runs reuse it.
func BusyboxImage(t testing.TB) string {
	t.Helper()
	busybox.once.Do(func() { busybox.path, busybox.err = buildBusybox(repoRoot(t)) })
	if busybox.err != nil {
		t.Fatalf("failed to build the busybox test image: %v", busybox.err)
	}
	return busybox.path
}

func buildBusybox(root string) (string, error) {
	bin := os.Getenv("BUSYBOX")
	if bin == "" {
		bin = "/bin/busybox"
	}
	inputs := []string{
		bin,
		filepath.Join(root, "scripts", "build-images.sh"),
		filepath.Join(root, "scripts", "mkimage", "main.go"),
		filepath.Join(root, "scripts", "mkimage", "layer.go"),
		filepath.Join(root, "scripts", "mkimage", "archive.go"),
	}
	key, err := hashFiles(inputs)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(dataBase(), "images", key[:16])
	archive := filepath.Join(dir, "busybox.tar")
	if _, err := os.Stat(archive); err == nil {
		return archive, nil
	}
	// build-images.sh writes through a temporary file and a rename, so concurrent builders of
	// the same key are harmless
	cmd := exec.Command(filepath.Join(root, "scripts", "build-images.sh"), dir)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build-images.sh: %w\n%s", err, out)
	}
	return archive, nil
}

// hashFiles returns the hex sha256 over the contents of the files, in order.
func hashFiles(paths []string) (string, error) {
	h := sha256.New()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return "", fmt.Errorf("failed to hash image input: %w", err)
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("failed to hash %s: %w", p, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
