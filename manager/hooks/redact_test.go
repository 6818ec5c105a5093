package hooks

import (
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"/hooks/v1/deploy/ab12/s3cr3t-_x":                       "/hooks/v1/deploy/ab12/REDACTED",
		"/hooks/v1/scale/ab12/s3cr3t?x=1":                       "/hooks/v1/scale/ab12/REDACTED?x=1",
		"/hooks/v1/deploy/ab12?token=s3cr3t&tag=2":              "/hooks/v1/deploy/ab12?token=REDACTED&tag=2",
		`path=/hooks/v1/deploy/ab12/tok status=502`:             `path=/hooks/v1/deploy/ab12/REDACTED status=502`,
		"/hooks/v1/deploy/ab12/deployments/cd34":                "/hooks/v1/deploy/ab12/deployments/cd34",
		"GET https://m:7420/hooks/v1/deploy/ab12?tag=1&token=t": "GET https://m:7420/hooks/v1/deploy/ab12?tag=1&token=REDACTED",
		"/api/v1/stacks/shop":                                   "/api/v1/stacks/shop",
	} {
		assert.Check(t, is.Equal(Redact(in), want), in)
	}
}
