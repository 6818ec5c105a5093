package template

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/exos-platform/exos/manager/api"
)

// ref is a parsed CATALOG/NAME[:VERSION].
type ref api.TemplateRef

// path is what the manager's API names the template by.
func (r ref) path() string { return r.Catalog + "/" + r.Name }

// parseRef checks the form client-side, so a typo gets a hint rather than a 404.
func parseRef(s string) (ref, error) {
	r, err := api.ParseTemplateRef(s)
	return ref(r), err
}

// ValidateRef checks that s is CATALOG/NAME or CATALOG/NAME:VERSION, for the commands
// that send a reference as it is (catalog deploy): a typo fails here as it does for
// template inspect.
func ValidateRef(s string) error {
	_, err := parseRef(s)
	return err
}

// pickVersion finds the version wanted: the default one when version is "", otherwise the
// one whose version string or folder number it is.
func pickVersion(t api.Template, version string) (api.TemplateVersion, error) {
	want := version
	if want == "" {
		want = t.DefaultVersion
	}
	for _, v := range t.Versions {
		if v.Version == want || strconv.Itoa(v.Number) == want {
			return v, nil
		}
	}
	known := make([]string, 0, len(t.Versions))
	for _, v := range t.Versions {
		known = append(known, fmt.Sprintf("%s (or %d)", v.Version, v.Number))
	}
	if version == "" {
		return api.TemplateVersion{}, fmt.Errorf("template %s/%s has no default version %q: name one of its versions: %s",
			t.Catalog, t.Name, t.DefaultVersion, strings.Join(known, ", "))
	}
	return api.TemplateVersion{}, fmt.Errorf("template %s/%s has no version %q: its versions are %s",
		t.Catalog, t.Name, version, strings.Join(known, ", "))
}
