package hook

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"

	"github.com/docker/cli/cli"
	"github.com/docker/cli/cli/command/formatter"
	"github.com/docker/cli/templates"
	"github.com/exos-platform/exos/manager/api"
)

const secretFormatHelp = `Format output using a custom template:
'json':             Print in JSON format, one line
'TEMPLATE':         Print output using the given Go template (fields .ID, .URL, .Token)`

// secretView is what create and rotate print: --format json writes it as one JSON line,
// other templates see its fields.
type secretView struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Token string `json:"token"`
}

func newSecretView(baseURL string, s api.HookSecret) secretView {
	return secretView{ID: s.ID, URL: baseURL + s.Path, Token: s.Token}
}

// secretWriter prints a hook's URL and token.
type secretWriter func(out io.Writer, baseURL string, s api.HookSecret) error

// newSecretWriter returns the writer for format; headline starts the default output,
// with %s for the hook's ID. A template is parsed and tried on an
// empty view here, before the manager is called: once the hook exists, a template error
// would lose the token for good.
func newSecretWriter(format, headline string) (secretWriter, error) {
	switch format {
	case "":
		return func(out io.Writer, baseURL string, s api.HookSecret) error {
			return writeSecretText(out, headline, s, newSecretView(baseURL, s))
		}, nil
	case formatter.JSONFormatKey:
		return func(out io.Writer, baseURL string, s api.HookSecret) error {
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			return enc.Encode(newSecretView(baseURL, s))
		}, nil
	}
	tmpl, err := templates.Parse(format)
	if err == nil {
		err = tmpl.Execute(io.Discard, secretView{})
	}
	if err != nil {
		return nil, cli.StatusError{StatusCode: 64, Status: "template parsing error: " + err.Error()}
	}
	return func(out io.Writer, baseURL string, s api.HookSecret) error {
		if err := tmpl.Execute(out, newSecretView(baseURL, s)); err != nil {
			return fmt.Errorf("failed to execute the template: %w", err)
		}
		_, err := fmt.Fprintln(out)
		return err
	}, nil
}

// writeSecretText is the default output: the URL and token, then how to use them.
func writeSecretText(out io.Writer, headline string, s api.HookSecret, v secretView) error {
	if s.Kind == api.HookKindDeploy {
		return writeDeploySecretText(out, headline, v)
	}
	_, err := fmt.Fprintf(out, headline+`

URL:    %s
Token:  %s

Alertmanager (alertmanager.yml):
  receivers:
    - name: exos-%s
      webhook_configs:
        - url: %s
          http_config:
            authorization:
              credentials: %s

%sTools that cannot send headers may call %s?token=%s
`, v.ID, v.URL, v.Token, s.Kind, v.URL, v.Token, labelHint(s), v.URL, url.QueryEscape(v.Token))
	return err
}

// labelHint says which alert labels the hook reads, so the alerting rules can be written.
func labelHint(s api.HookSecret) string {
	if s.Action == api.ActionAuto {
		return "Alerts name the service in their \"service\" label and the direction in \"scale\" (up or down).\n"
	}
	return "Alerts name the service in their \"service\" label.\n"
}

// writeDeploySecretText shows a deploy hook's URL and token, and how a CI and a registry
// call it.
func writeDeploySecretText(out io.Writer, headline string, v secretView) error {
	_, err := fmt.Fprintf(out, headline+`

URL:    %s
Token:  %s

A CI, after docker push (answers 202 and a status_url to poll until converged,
rolled_back or failed):
  curl -fsS -H "Authorization: Bearer $EXOS_HOOK_TOKEN" -d '{"image":"REPO","tag":"TAG","digest":"sha256:..."}' %s

A registry (config.yml):
  notifications:
    endpoints:
      - name: exos
        url: %s
        headers:
          Authorization: [Bearer %s]

Docker Hub and tools that cannot send headers may call %s?token=%s
`, v.ID, v.URL, v.Token, v.URL, v.URL, v.Token, v.URL, url.QueryEscape(v.Token))
	return err
}
