package command

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// The manager's CA is pinned in the login file (savedToken.CA), beside the token: the
// plugin trusts no other CA for that swarm, and the system's CAs not at all.

// SaveCA pins caPEM for swarm clusterID in the login file `manager install` wrote; nil
// removes the pin (a manager installed with --insecure-http has no CA). Every other field
// of the file is kept as it is.
func SaveCA(dir, clusterID string, caPEM []byte) error {
	path := TokenPath(dir, clusterID)
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("failed to save the EXOS manager's CA: %w", err)
	}
	fields := map[string]json.RawMessage{}
	if err := json.Unmarshal(data, &fields); err != nil {
		return fmt.Errorf("failed to save the EXOS manager's CA: the EXOS token file %s is damaged: %w", path, err)
	}
	if len(caPEM) == 0 {
		delete(fields, "ca")
	} else {
		ca, _ := json.Marshal(string(caPEM))
		fields["ca"] = ca
	}
	out, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	return writePrivate(dir, path, out)
}

// LoadCA returns the CA pinned for swarm clusterID, nil when none is (no login file, or a
// manager installed before TLS), and the file it is in.
func LoadCA(dir, clusterID string) ([]byte, string) {
	path := TokenPath(dir, clusterID)
	if ca := savedCA(dir, clusterID); ca != "" {
		return []byte(ca), path
	}
	return nil, path
}

// savedCA is the CA in the login file for clusterID, "" when there is none.
func savedCA(dir, clusterID string) string {
	data, err := os.ReadFile(TokenPath(dir, clusterID))
	if err != nil {
		return ""
	}
	var saved savedToken
	if json.Unmarshal(data, &saved) != nil || saved.Swarm != clusterID {
		return ""
	}
	return saved.CA
}

// writePrivate replaces path with data, readable by the user only (CreateTemp makes
// files 0600), through a temporary file renamed over it so that a crash never leaves half
// a file.
func writePrivate(dir, path string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".token-*")
	if err != nil {
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err = errors.Join(err, tmp.Close()); err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	return nil
}
