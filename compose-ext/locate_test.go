package composeext

import (
	"context"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestLocateFindsTheFileThatSetsAKey(t *testing.T) {
	base := File{Name: "base.yml", Content: []byte("services:\n  web:\n    image: busybox\n    ports:\n      - \"8080:80\"\n")}
	over := File{Name: "prod.yml", Content: []byte("services:\n  web:\n    image: busybox:2\n")}
	st, err := Load(context.Background(), Input{Stack: "shop", ComposeFiles: []File{base, over}})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(st.Locate("services.web.ports.0"), Problem{File: "base.yml", Line: 5, Key: "services.web.ports.0"}))
	assert.Check(t, is.DeepEqual(st.Locate("services.web.image"), Problem{File: "prod.yml", Line: 3, Key: "services.web.image"}))
	assert.Check(t, is.DeepEqual((&Stack{}).Locate("services.x"), Problem{Key: "services.x"}))
}
