package identity

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/exos-platform/exos/manager/authz"
)

// The persist kinds of identity objects, and the kind of the admin token hashes that
// `docker exos manager install` writes (plain configs holding a hex SHA-256).
const (
	kindUser       = "user"
	kindGroup      = "group"
	kindToken      = "token"
	kindSession    = "session"
	kindBinding    = "binding"
	kindLDAP       = "ldap-settings"
	ldapName       = "ldap"
	AdminTokenKind = "admin-token"
)

// format is the version of the stored documents below. They are this package's own,
// not the API's types, so the API can change without migrating the swarm's records.
const format = 1

// userDoc is a stored user. PasswordHash is an argon2id PHC string; never a password.
type userDoc struct {
	Format       int    `json:"format"`
	Name         string `json:"name"`
	DisplayName  string `json:"displayName,omitempty"`
	Source       string `json:"source"`
	PasswordHash string `json:"passwordHash,omitempty"`
	DN           string `json:"dn,omitempty"`
	// DirectoryGroups are the normalized DNs of the user's directory groups at its last
	// directory login: what its API tokens act with between logins.
	DirectoryGroups []string  `json:"directoryGroups,omitempty"`
	Admin           bool      `json:"admin,omitempty"`
	Disabled        bool      `json:"disabled,omitempty"`
	CreatedAt       time.Time `json:"createdAt"`
}

type groupDoc struct {
	Format      int      `json:"format"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Members     []string `json:"members,omitempty"`
	// DirectoryGroups are DNs as the admin gave them; matched normalized.
	DirectoryGroups []string  `json:"directoryGroups,omitempty"`
	CreatedAt       time.Time `json:"createdAt"`
}

// tokenDoc is a stored API token: its SHA-256, never the token.
type tokenDoc struct {
	Format    int       `json:"format"`
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	User      string    `json:"user"`
	Hash      string    `json:"hash"`
	Env       string    `json:"env,omitempty"`
	ReadOnly  bool      `json:"readOnly,omitempty"`
	CreatedBy string    `json:"createdBy,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
	// UsedAt is when the token first authenticated a request: its first use is reported
	// (FirstUse) once, not once per manager start.
	UsedAt time.Time `json:"usedAt,omitzero"`
}

// sessionDoc is a stored login session: its SHA-256, never the token.
type sessionDoc struct {
	Format    int       `json:"format"`
	ID        string    `json:"id"`
	User      string    `json:"user"`
	Hash      string    `json:"hash"`
	Addr      string    `json:"addr,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// bindingDoc holds every role binding of one environment.
type bindingDoc struct {
	Format  int         `json:"format"`
	Env     string      `json:"env"`
	Members []memberDoc `json:"members"`
}

type memberDoc struct {
	Subject string     `json:"subject"` // a user, or "@group"
	Role    authz.Role `json:"role"`
}

// ldapDoc is the directory settings; BindPassword is sealed under the catalog key.
type ldapDoc struct {
	Format               int       `json:"format"`
	URL                  string    `json:"url"`
	StartTLS             bool      `json:"startTLS,omitempty"`
	CA                   string    `json:"ca,omitempty"`
	BindDN               string    `json:"bindDN,omitempty"`
	SealedBindPassword   string    `json:"sealedBindPassword,omitempty"`
	UserBase             string    `json:"userBase"`
	UserFilter           string    `json:"userFilter"`
	DisplayNameAttribute string    `json:"displayNameAttribute"`
	GroupBase            string    `json:"groupBase,omitempty"`
	GroupFilter          string    `json:"groupFilter,omitempty"`
	UpdatedAt            time.Time `json:"updatedAt"`
}

// decode reads a stored document of kind, refusing one from a newer manager.
func decode(kind, name string, data []byte, v any) error {
	var head struct {
		Format int `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("failed to decode stored %s %s: %w", kind, name, err)
	}
	if head.Format > format {
		return fmt.Errorf("stored %s %s has format %d, newer than this manager's %d: upgrade the manager", kind, name, head.Format, format)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("failed to decode stored %s %s: %w", kind, name, err)
	}
	return nil
}
