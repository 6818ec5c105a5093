package api

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// CatalogLibrary is the name of EXOS's own catalog, embedded in the manager.
const CatalogLibrary = "library"

// ActorManager is the author of what the manager does by itself (the periodic catalog
// fetches).
const ActorManager = "exos-manager"

// Catalog is a Git repository of application templates.
type Catalog struct {
	Name   string `json:"name"`
	URL    string `json:"url"` // "embedded" for the Library; never carries credentials
	Branch string `json:"branch,omitempty"`
	// Env scopes the catalog to one environment; "" makes it global (every environment).
	Env         string    `json:"env,omitempty"`
	Commit      string    `json:"commit,omitempty"` // of the last good fetch
	RefreshedAt time.Time `json:"refreshedAt,omitzero"`
	// RefreshedBy asked for the last good fetch: a user, or ActorManager for the fetch at
	// start and the periodic ones.
	RefreshedBy string `json:"refreshedBy,omitempty"`
	// CreatedBy added the catalog, at CreatedAt, from the address CreatedFrom. Who removed
	// one is in the audit log.
	CreatedAt   time.Time `json:"createdAt,omitzero"`
	CreatedBy   string    `json:"createdBy,omitempty"`
	CreatedFrom string    `json:"createdFrom,omitempty"`
	Templates   int       `json:"templates"`
	// Error says why the last refresh failed; the catalog keeps its last good state.
	Error string `json:"error,omitempty"`
	// Problems are templates that could not be read (broken YAML, unknown question
	// type...); the others are unaffected.
	Problems []Problem `json:"problems,omitempty"`
}

// CatalogAddRequest adds a catalog. Username and Password, if any, are kept as a Swarm
// secret, never in a config or an answer.
type CatalogAddRequest struct {
	Name     string `json:"name"`
	URL      string `json:"url"`
	Branch   string `json:"branch,omitempty"`
	Env      string `json:"env,omitempty"`
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
}

// Question is one question a template asks.
type Question struct {
	Variable     string   `json:"variable"`
	Label        string   `json:"label,omitempty"`
	Description  string   `json:"description,omitempty"`
	Type         string   `json:"type"`
	Required     bool     `json:"required,omitempty"`
	Default      string   `json:"default,omitempty"`
	Min          *int     `json:"min,omitempty"`
	Max          *int     `json:"max,omitempty"`
	MinLength    *int     `json:"minLength,omitempty"`
	MaxLength    *int     `json:"maxLength,omitempty"`
	ValidChars   string   `json:"validChars,omitempty"`
	InvalidChars string   `json:"invalidChars,omitempty"`
	Options      []string `json:"options,omitempty"`
}

// TemplateVersion is one version of a template.
type TemplateVersion struct {
	Number      int    `json:"number"` // the folder: templates/<name>/<number>
	Version     string `json:"version"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	UpgradeFrom string `json:"upgradeFrom,omitempty"`
	// Deployable is true when the version deploys with its default answers: rendered,
	// loaded and converted exactly as `catalog deploy` does. A version that is not is
	// never deployed. Lists judge only the default version (Template.Deployable): nil
	// for the others there; inspect judges every version.
	Deployable *bool `json:"deployable,omitempty"`
	// Reasons say why it is not, in full: each names the Rancher feature (or the
	// problem), its file and line, and what to do.
	Reasons []Problem `json:"reasons,omitempty"`
	// Warnings are what its deploy would warn about: the Rancher features translated for
	// Swarm, keys Swarm ignores... Inspect only.
	Warnings  []Problem  `json:"warnings,omitempty"`
	Questions []Question `json:"questions"`
	README    string     `json:"readme,omitempty"`
}

// Template is one template of a catalog. Lists leave Versions' questions and READMEs out.
type Template struct {
	Catalog        string `json:"catalog"`
	Name           string `json:"name"` // the folder name (swarm-<name> for swarm-templates/): CATALOG/NAME
	Title          string `json:"title,omitempty"`
	Description    string `json:"description,omitempty"`
	Category       string `json:"category,omitempty"`
	Maintainer     string `json:"maintainer,omitempty"`
	License        string `json:"license,omitempty"`
	ProjectURL     string `json:"projectURL,omitempty"`
	DefaultVersion string `json:"defaultVersion"`
	// Deployable and Reasons are the default version's (see TemplateVersion).
	Deployable bool              `json:"deployable"`
	Reasons    []Problem         `json:"reasons,omitempty"`
	Versions   []TemplateVersion `json:"versions"`
}

// AddCatalog adds a catalog and fetches it.
func (c *Client) AddCatalog(ctx context.Context, req CatalogAddRequest) (Catalog, error) {
	var out Catalog
	_, err := c.do(ctx, http.MethodPost, "/api/v1/catalogs", nil, req, &out)
	return out, err
}

// ListCatalogs lists the catalogs, the Library first.
func (c *Client) ListCatalogs(ctx context.Context) ([]Catalog, error) {
	var out []Catalog
	_, err := c.do(ctx, http.MethodGet, "/api/v1/catalogs", nil, nil, &out)
	return out, err
}

// RefreshCatalog fetches a catalog again ("" for every catalog) and returns the result.
func (c *Client) RefreshCatalog(ctx context.Context, name string) ([]Catalog, error) {
	var out []Catalog
	q := url.Values{}
	if name != "" {
		q.Set("name", name)
	}
	_, err := c.do(ctx, http.MethodPost, "/api/v1/catalogs/refresh", q, nil, &out)
	return out, err
}

// RemoveCatalog removes a catalog. Stacks deployed from it stay.
func (c *Client) RemoveCatalog(ctx context.Context, name string) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/catalogs/"+escape(name), nil, nil, nil)
	return err
}

// ListTemplates lists templates, filtered by catalog, category and environment when not
// empty (an environment sees global catalogs and its own).
func (c *Client) ListTemplates(ctx context.Context, catalog, category, env string) ([]Template, error) {
	q := url.Values{}
	for k, v := range map[string]string{"catalog": catalog, "category": category, "env": env} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var out []Template
	_, err := c.do(ctx, http.MethodGet, "/api/v1/templates", q, nil, &out)
	return out, err
}

// InspectTemplate returns a template (CATALOG/NAME) with every version's questions and
// README.
func (c *Client) InspectTemplate(ctx context.Context, ref string) (Template, error) {
	var out Template
	_, err := c.do(ctx, http.MethodGet, "/api/v1/templates/"+ref, nil, nil, &out)
	return out, err
}
