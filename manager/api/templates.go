package api

import (
	"context"
	"net/http"
	"strings"
)

// TemplateSource is the catalog template a stack was deployed from.
type TemplateSource struct {
	Catalog  string `json:"catalog"`
	Template string `json:"template"`
	Version  string `json:"version"` // as the template's catalog block writes it
	Number   int    `json:"number"`  // the version's folder: templates/<name>/<number>
	// Commit is the catalog's commit the template was read from ("embedded" for the
	// Library).
	Commit string `json:"commit"`
	// Answers are the answers the stack was deployed with, except passwords: those are
	// never recorded (Revision.Withheld names them).
	Answers map[string]string `json:"answers,omitempty"`
}

// Ref is the template's reference: CATALOG/NAME:VERSION.
func (s TemplateSource) Ref() string { return s.Catalog + "/" + s.Template + ":" + s.Version }

// TemplateDeployRequest deploys a catalog template as a stack.
type TemplateDeployRequest struct {
	// Template is CATALOG/NAME, or CATALOG/NAME:VERSION (a version or its folder number);
	// without a version, the template's default version.
	Template string `json:"template"`
	// Answers is an answers file, YAML or JSON, named for error messages.
	Answers *File `json:"answers,omitempty"`
	// Sets are VARIABLE=VALUE answers; they win over the file.
	Sets []string `json:"sets,omitempty"`
	// Env is the environment to deploy into. A template of an environment's catalog
	// deploys only there, and goes there when Env is empty.
	Env string `json:"env,omitempty"`
}

// StackUpgradeRequest upgrades a stack deployed from a template to a newer version of it,
// keeping its answers (passwords included: their secrets stay as they are).
type StackUpgradeRequest struct {
	// Version is the version (or folder number) to upgrade to; "" for the newest the
	// stack may upgrade to.
	Version string `json:"version,omitempty"`
	// Answers and Sets change answers, or answer the new version's new questions.
	Answers *File    `json:"answers,omitempty"`
	Sets    []string `json:"sets,omitempty"`
}

// DeployTemplate deploys a catalog template as stack name and records a revision.
func (c *Client) DeployTemplate(ctx context.Context, name string, req TemplateDeployRequest) (DeployResult, error) {
	var out DeployResult
	_, err := c.do(ctx, http.MethodPost, "/api/v1/stacks/"+escape(name)+"/template", nil, req, &out)
	return out, err
}

// UpgradeStack upgrades a stack deployed from a template and records a revision.
func (c *Client) UpgradeStack(ctx context.Context, name string, req StackUpgradeRequest) (DeployResult, error) {
	var out DeployResult
	_, err := c.do(ctx, http.MethodPost, "/api/v1/stacks/"+escape(name)+"/upgrade", nil, req, &out)
	return out, err
}

// TemplateRef is a parsed CATALOG/NAME[:VERSION].
type TemplateRef struct {
	Catalog, Name string
	Version       string // "" for the template's default version
}

// ParseTemplateRef reads CATALOG/NAME or CATALOG/NAME:VERSION; the plugin checks a
// reference before sending it, and the manager again on receipt.
func ParseTemplateRef(s string) (TemplateRef, error) {
	invalid := Errorf(ErrInvalid, "invalid template %q: use CATALOG/NAME or CATALOG/NAME:VERSION, such as library/redis or library/redis:7.4.1-exos1 (see `docker exos template ls`)", s)
	catalog, rest, ok := strings.Cut(s, "/")
	name, version, hasVersion := strings.Cut(rest, ":")
	if !ok || catalog == "" || strings.Contains(catalog, ":") || name == "" || strings.ContainsAny(name, "/ ") ||
		strings.ContainsAny(version, "/: ") || (hasVersion && version == "") {
		return TemplateRef{}, invalid
	}
	return TemplateRef{Catalog: catalog, Name: name, Version: version}, nil
}
