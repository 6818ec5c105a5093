package catalog

import (
	"testing"

	composeext "github.com/exos-platform/exos/compose-ext"
	"gotest.tools/v3/assert"
)

// rancherVersion is a .tpl version written for Rancher (a rancher-compose.yml).
func rancherVersion(tpl string, questions ...Question) Version {
	return Version{Template: true, Rancher: true, Questions: questions,
		Compose: composeext.File{Name: "templates/x/0/docker-compose.yml.tpl", Content: []byte(tpl)},
		Exos:    &composeext.File{Name: "templates/x/0/rancher-compose.yml"}}
}

func renderDefaults(t *testing.T, v Version) string {
	t.Helper()
	values, err := DefaultValues(v.Questions)
	assert.NilError(t, err)
	out, err := Render(v, values)
	assert.NilError(t, err)
	return string(out.ComposeFiles[0].Content)
}

// TestRenderRancherTemplates renders the forms community templates use, with the answers
// as strings and Sprig's functions, as Rancher rendered them.
func TestRenderRancherTemplates(t *testing.T) {
	tests := []struct {
		name, tpl string
		questions []Question
		want      string
	}{
		// templates/minio/4: atoi and until over an enum answer
		{"atoi until", `{{- range $idx, $e := atoi .Values.MINIO_DISKS | until }}d{{$idx}} {{end}}`,
			[]Question{{Variable: "MINIO_DISKS", Type: "enum", Options: []string{"1", "2", "4"}, Default: "2"}}, "d0 d1 "},
		// templates/rancher-backup/1: a boolean compared to "true"
		{"boolean as a string", `{{- if eq .Values.enabled "true"}}on{{else}}off{{end}}`,
			[]Question{{Variable: "enabled", Type: "boolean", Default: "true"}}, "on"},
		{"int as a string", `{{- if ne .Values.port "80"}}{{.Values.port}}{{end}}`,
			[]Question{{Variable: "port", Type: "int", Default: "8080"}}, "8080"},
		// sprig's contains takes the substring first: "/" contains the driver
		{"contains", `{{- if (contains .Values.VOLUME_DRIVER "/")}}path{{else}}driver{{end}}`,
			[]Question{{Variable: "VOLUME_DRIVER", Default: "local"}}, "driver"},
		{"unanswered is empty", `{{- if ne .Values.host_label ""}}x{{else}}none{{end}}`,
			[]Question{{Variable: "host_label"}}, "none"},
		{"# notemplating", "# notemplating\nimage: {{ not a template", nil, "# notemplating\nimage: {{ not a template"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, renderDefaults(t, rancherVersion(tc.tpl, tc.questions...)), tc.want)
		})
	}
}

// TestRenderRancherMissingValue: a key no answer gives is "", as Rancher's answers held
// every question, with a warning naming the line.
func TestRenderRancherMissingValue(t *testing.T) {
	v := rancherVersion("a: 1\n{{- if .Values.LB_HOST_LABEL }}\nb: {{ .Values.LB_HOST_LABEL }}\n{{- end }}\n")
	values, err := DefaultValues(nil)
	assert.NilError(t, err)
	out, err := Render(v, values)
	assert.NilError(t, err)
	assert.Equal(t, string(out.ComposeFiles[0].Content), "a: 1\n")
	assert.DeepEqual(t, out.Warnings, []composeext.Problem{{File: v.Compose.Name, Line: 2,
		Message: `.Values.LB_HOST_LABEL is read but no question asks it: it is "", as in Rancher (add a question LB_HOST_LABEL to the .catalog block, or answer it with --set LB_HOST_LABEL=...)`}})

	v.Rancher = false // EXOS's own templates: an error
	_, err = Render(v, values)
	assert.ErrorContains(t, err, `map has no entry for key "LB_HOST_LABEL"`)
}

// TestRenderExosTemplatesTyped keeps EXOS's own templates typed: a false boolean is false.
func TestRenderExosTemplatesTyped(t *testing.T) {
	v := rancherVersion(`{{if .Values.on}}on{{else}}off{{end}} {{add .Values.n 1}}`,
		Question{Variable: "on", Type: "boolean", Default: "false"}, Question{Variable: "n", Type: "int", Default: "2"})
	v.Rancher = false
	assert.Equal(t, renderDefaults(t, v), "off 3")
	v.Rancher = true // as Rancher did: "false" is a non-empty string
	assert.Equal(t, renderDefaults(t, v)[:2], "on")
}
