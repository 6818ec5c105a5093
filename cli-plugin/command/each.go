package command

import (
	"errors"
	"fmt"
	"io"
)

// ForEach does do for every name, as `docker rm` does: it prints each name done on out,
// keeps going past a name that fails, and returns every failure together.
func ForEach(out io.Writer, names []string, do func(name string) error) error {
	var errs []error
	for _, name := range names {
		if err := do(name); err != nil {
			errs = append(errs, err)
			continue
		}
		_, _ = fmt.Fprintln(out, name)
	}
	return errors.Join(errs...)
}
