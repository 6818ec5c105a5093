package main

import (
	"os"
	"strings"
	"testing"

	"github.com/exos-platform/exos/catalog"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
)

// TestReportTestdataCatalog reports on catalog's test catalog: read errors, a template
// refused for several features, one refused by its .tpl, swarm-templates/.
func TestReportTestdataCatalog(t *testing.T) {
	var b strings.Builder
	assert.NilError(t, write(&b, summarize(catalog.Index(os.DirFS("../../catalog/testdata/catalog")))))
	golden.Assert(t, b.String(), "report.golden")
}
