package api

import "time"

// User sources: where a user's password is checked.
const (
	SourceLocal     = "local"     // a password hash the manager keeps
	SourceDirectory = "directory" // the LDAP directory
)

// Credential kinds: what a request authenticated with.
const (
	CredentialSession      = "session"       // a login session (`docker exos login`)
	CredentialToken        = "token"         // an API token (`docker exos token create`)
	CredentialInstallToken = "install-token" // the token `docker exos manager install` made
)

// LoginRequest logs in with a user name and password.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Session is the answer to a login: a bearer token for the session, shown once.
type Session struct {
	Token     string    `json:"token"`
	User      string    `json:"user"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Whoami describes the caller of a request.
type Whoami struct {
	// Name is who the caller is in revisions and the audit log: the user, or "user (token NAME)".
	Name        string `json:"name"`
	User        string `json:"user"`
	DisplayName string `json:"displayName,omitempty"`
	Source      string `json:"source"`
	Admin       bool   `json:"admin"`
	// Groups are the user's EXOS groups: its local ones and those its directory groups map to.
	Groups []string `json:"groups"`
	// Roles are the caller's roles per environment, the strongest of its own and its
	// groups', sorted by environment.
	Roles []EnvRole `json:"roles"`
	// Credential is what the request authenticated with (CredentialSession...).
	Credential string `json:"credential"`
	// Token is the API token's name, and Env and ReadOnly its scope.
	Token     string    `json:"token,omitempty"`
	Env       string    `json:"env,omitempty"`
	ReadOnly  bool      `json:"readOnly,omitempty"`
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
}

// EnvRole is a role in one environment.
type EnvRole struct {
	Env  string `json:"env"`
	Role string `json:"role"`
}

// User is an EXOS user. Its password is never shown, only whether it has one.
type User struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
	Source      string `json:"source"`
	// DN is the user's entry in the directory, known after its first directory login.
	DN          string    `json:"dn,omitempty"`
	Admin       bool      `json:"admin"`
	Disabled    bool      `json:"disabled"`
	HasPassword bool      `json:"hasPassword"`
	Groups      []string  `json:"groups"`
	Roles       []EnvRole `json:"roles"`
	CreatedAt   time.Time `json:"createdAt"`
}

// UserCreateRequest creates a user with a password, or one whose password the directory
// checks (Directory).
type UserCreateRequest struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
	Password    string `json:"password,omitempty"`
	Directory   bool   `json:"directory,omitempty"`
	Admin       bool   `json:"admin,omitempty"`
}

// PasswordRequest sets a password; changing one's own takes the current one too.
type PasswordRequest struct {
	Password string `json:"password"`
	Current  string `json:"current,omitempty"`
}

// Group is a set of users: local members, and the members of the directory groups it maps.
type Group struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Members     []string `json:"members"`
	// DirectoryGroups are the DNs of directory groups whose members belong to this group.
	DirectoryGroups []string  `json:"directoryGroups"`
	Roles           []EnvRole `json:"roles"`
	CreatedAt       time.Time `json:"createdAt"`
}

// GroupCreateRequest creates a group.
type GroupCreateRequest struct {
	Name            string   `json:"name"`
	Description     string   `json:"description,omitempty"`
	Members         []string `json:"members,omitempty"`
	DirectoryGroups []string `json:"directoryGroups,omitempty"`
}

// Token is an API token, without its secret.
type Token struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	User     string `json:"user"`
	Env      string `json:"env,omitempty"`
	ReadOnly bool   `json:"readOnly"`
	// CreatedBy is who created it: the user, or "user (token NAME)" for a token made with
	// another token.
	CreatedBy string    `json:"createdBy,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
	Expired   bool      `json:"expired"`
}

// TokenCreateRequest creates an API token for the caller.
type TokenCreateRequest struct {
	Name string `json:"name"`
	// ExpiresIn is a duration such as "720h"; "" is the manager's default, "0" never.
	ExpiresIn string `json:"expiresIn,omitempty"`
	Env       string `json:"env,omitempty"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
}

// TokenSecret is the answer to a token create: the only time the token is shown.
type TokenSecret struct {
	Token
	Secret string `json:"secret"`
}

// Member is a role binding: a user, or "@group", with a role in an environment.
type Member struct {
	Env     string `json:"env"`
	Subject string `json:"subject"`
	Role    string `json:"role"`
}

// MemberRequest binds a role.
type MemberRequest struct {
	Role string `json:"role"`
}

// LDAPSettings say how the manager checks directory users' passwords. The bind password
// is never shown, only whether one is set.
type LDAPSettings struct {
	// URL is ldap://host:port or ldaps://host:port.
	URL string `json:"url"`
	// StartTLS upgrades an ldap:// connection to TLS before binding.
	StartTLS bool `json:"startTLS,omitempty"`
	// CA is the PEM certificate(s) the directory's certificate must chain to; empty for
	// the system's roots.
	CA string `json:"ca,omitempty"`
	// BindDN is the service account that searches the directory; empty for an anonymous search.
	BindDN          string `json:"bindDN,omitempty"`
	BindPasswordSet bool   `json:"bindPasswordSet"`
	UserBase        string `json:"userBase"`
	// UserFilter finds a user; {username} is replaced by the escaped name.
	UserFilter string `json:"userFilter"`
	// DisplayNameAttribute names the attribute holding the user's display name.
	DisplayNameAttribute string `json:"displayNameAttribute"`
	// GroupBase and GroupFilter find the user's groups; {dn} is replaced by the user's
	// escaped DN. Without GroupBase the user's memberOf attribute is read.
	GroupBase   string    `json:"groupBase,omitempty"`
	GroupFilter string    `json:"groupFilter,omitempty"`
	UpdatedAt   time.Time `json:"updatedAt,omitzero"`
}

// LDAPSettingsRequest sets the directory settings. An empty BindPassword keeps the one
// stored, unless BindDN changes.
type LDAPSettingsRequest struct {
	LDAPSettings
	BindPassword string `json:"bindPassword,omitempty"`
}

// LDAPTestRequest tests the directory settings: connecting and the service bind, and with
// a user name the search, and with a password the user's bind and groups.
type LDAPTestRequest struct {
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
}

// LDAPTestResult is what a test found, step by step.
type LDAPTestResult struct {
	Steps []LDAPTestStep `json:"steps"`
	OK    bool           `json:"ok"`
	// DN, DirectoryGroups and Groups are what a login of the user would find: its entry,
	// its directory groups, and the EXOS groups they map to.
	DN              string   `json:"dn,omitempty"`
	DisplayName     string   `json:"displayName,omitempty"`
	DirectoryGroups []string `json:"directoryGroups"`
	Groups          []string `json:"groups"`
}

// LDAPTestStep is one step of a directory test.
type LDAPTestStep struct {
	Step   string `json:"step"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}
