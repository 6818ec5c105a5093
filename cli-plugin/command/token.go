package command

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/docker/cli/cli/config"
)

// savedToken is the file `manager install` leaves in the user's Docker config dir, one per
// swarm, so one user can administer several swarms through docker contexts.
type savedToken struct {
	Token string `json:"token"`
	Swarm string `json:"swarm"`
	// User is who the token logs in as (`docker exos login`); "" for the install-time
	// admin token of an older install.
	User string `json:"user,omitempty"`
	// CA is the manager's CA certificate (PEM), pinned: the plugin trusts no other for
	// this swarm.
	CA string `json:"ca,omitempty"`
}

// TokenDir is where tokens are saved: <docker config dir>/exos (honours DOCKER_CONFIG).
func TokenDir() string {
	return filepath.Join(config.Dir(), "exos")
}

// TokenPath is the token file for swarm clusterID.
func TokenPath(dir, clusterID string) string {
	return filepath.Join(dir, clusterID+".json")
}

// SaveToken writes the token for swarm clusterID, readable by the user only. It writes a
// temporary file and renames it so a crash never leaves half a token behind.
func SaveToken(dir, clusterID, token string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("failed to create %s: %w", dir, err)
	}
	// The pinned CA stays: a new token does not change whom the plugin trusts.
	data, err := json.Marshal(savedToken{Token: token, Swarm: clusterID, CA: savedCA(dir, clusterID)})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".token-*")
	if err != nil {
		return fmt.Errorf("failed to save the EXOS token: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("failed to save the EXOS token: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("failed to save the EXOS token: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("failed to save the EXOS token: %w", err)
	}
	if err := os.Rename(tmp.Name(), TokenPath(dir, clusterID)); err != nil {
		return fmt.Errorf("failed to save the EXOS token: %w", err)
	}
	return nil
}

// LoadToken reads the token saved for swarm clusterID. A missing file is an error that says
// how to get one.
func LoadToken(dir, clusterID string) (string, error) {
	path := TokenPath(dir, clusterID)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no EXOS token saved for swarm %s (%s): run `docker exos login`, or `docker exos manager install` on a new swarm, or set EXOS_TOKEN", clusterID, path)
	}
	if err != nil {
		return "", fmt.Errorf("failed to read the EXOS token: %w", err)
	}
	var saved savedToken
	if err := json.Unmarshal(data, &saved); err != nil {
		return "", fmt.Errorf("the EXOS token file %s is damaged: run `docker exos manager install` again", path)
	}
	if saved.Token == "" { // logged out; the pinned CA stays
		return "", fmt.Errorf("not logged in to the EXOS manager of swarm %s: run `docker exos login`, or set EXOS_TOKEN", clusterID)
	}
	if saved.Swarm != clusterID {
		return "", fmt.Errorf("the EXOS token file %s belongs to swarm %s, not %s", path, saved.Swarm, clusterID)
	}
	return saved.Token, nil
}

// RemoveToken deletes the token saved for swarm clusterID; a missing file is not an error.
func RemoveToken(dir, clusterID string) error {
	err := os.Remove(TokenPath(dir, clusterID))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("failed to remove the EXOS token: %w", err)
	}
	return nil
}
