package registry

import (
	"fmt"
	"io"

	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/pflag"
)

// maxPage is the most names the manager answers in one page.
const maxPage = 1000

// pageOptions are the paging flags of repos and tags.
type pageOptions struct {
	limit int
	after string
	all   bool
}

func (o *pageOptions) addFlags(flags *pflag.FlagSet, what string) {
	flags.IntVarP(&o.limit, "limit", "n", 100, "Show at most this many "+what)
	flags.StringVar(&o.after, "after", "", "Start after this `name` (the last one of the previous page)")
	flags.BoolVar(&o.all, "all", false, "Show every one (all pages)")
}

func (o pageOptions) check() error {
	if !o.all && o.limit < 1 {
		return fmt.Errorf("--limit must be at least 1 (or use --all)")
	}
	return nil
}

// collect follows the pages from --after until --limit items (every one with --all) or
// the last page; next is where more start when some may follow the ones collected.
func collect[T any](o pageOptions, get func(api.BrowsePage) ([]T, string, error)) (items []T, next string, err error) {
	p := api.BrowsePage{After: o.after}
	for {
		p.Limit = maxPage
		if !o.all {
			p.Limit = min(o.limit-len(items), maxPage)
		}
		page, more, err := get(p)
		if err != nil {
			return nil, "", err
		}
		items = append(items, page...)
		switch {
		case more == "" || len(page) == 0:
			return items, "", nil
		case !o.all && len(items) >= o.limit:
			return items, more, nil
		}
		p.After = more
	}
}

// writeMore says on stderr how to see what may follow the page shown.
func writeMore(errOut io.Writer, what, next string) {
	if next != "" {
		_, _ = fmt.Fprintf(errOut, "more %s may follow: add --after %s, or --all\n", what, next)
	}
}
