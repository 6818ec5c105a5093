package catalog

import (
	"fmt"
	"io"

	"github.com/exos-platform/exos/manager/api"
)

// writeProblems lists, indented under a catalog's line, the templates that could not be
// read, so the catalog's author can fix them.
func writeProblems(out io.Writer, problems []api.Problem) error {
	if len(problems) == 0 {
		return nil
	}
	noun := "templates"
	if len(problems) == 1 {
		noun = "template"
	}
	if _, err := fmt.Fprintf(out, "  %d %s could not be read:\n", len(problems), noun); err != nil {
		return err
	}
	for _, p := range problems {
		if _, err := fmt.Fprintf(out, "    %s\n", p); err != nil {
			return err
		}
	}
	return nil
}

func templates(n int) string {
	if n == 1 {
		return "1 template"
	}
	return fmt.Sprintf("%d templates", n)
}
