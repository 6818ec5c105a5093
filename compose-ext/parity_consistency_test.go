package composeext

import (
	"context"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// compose-go names one inconsistent service, picked in map order; EXOS names every one,
// in file order.
func TestEveryInconsistentServiceIsReportedInOrder(t *testing.T) {
	compose := "services:\n  web:\n    command: x\n  api:\n    image: a\n    networks: [missing]\n  db:\n    image: b\n    secrets: [nope]\n"
	for range 5 {
		_, err := Load(context.Background(), Input{Stack: "s", ComposeFiles: []File{{Name: "docker-compose.yml", Content: []byte(compose)}}})
		ps := validationProblems(err)
		var keys []string
		for _, p := range ps {
			keys = append(keys, p.Key)
		}
		assert.Check(t, is.DeepEqual(keys, []string{"services.web", "services.api", "services.db"}))
		assert.Check(t, is.Contains(ps[1].Message, "refers to undefined network missing"))
		assert.Check(t, is.Equal(ps[1].Line, 4))
	}
}
