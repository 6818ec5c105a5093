package listing

import (
	"io"
	"strings"
	"time"

	"github.com/docker/go-units"
	"golang.org/x/text/width"
)

// Options are the output flags of the lists here.
type Options struct {
	Quiet  bool
	Format string // --format: "" for the default table
	// NoTrunc keeps IDs and errors whole (stack containers --no-trunc).
	NoTrunc bool
}

// context is where and how o says a list is written; quietFormat and tableFormat are the
// list's templates for the default table, with and without --quiet.
func (o Options) context(out io.Writer, tableFormat, quietFormat string) listContext {
	f := listFormat(o.Format)
	if o.Format == "" || o.Format == tableKey {
		f = listFormat(tableFormat)
		if o.Quiet {
			f = listFormat(quietFormat)
		}
	}
	return listContext{out: out, format: f}
}

// Ago is "2 minutes ago", or "-" for a time the manager does not know: how every list of
// the plugin shows a time.
func Ago(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return units.HumanDuration(time.Since(t)) + " ago"
}

// OrDash is s, or "-" when it is empty, as every list of the plugin shows an empty cell.
func OrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// shortIDLen is how much of an ID a table shows, as docker's do.
const shortIDLen = 12

// truncateID is docker's formatter.TruncateID.
func truncateID(id string) string {
	if i := strings.IndexRune(id, ':'); i >= 0 {
		id = id[i+1:]
	}
	if len(id) > shortIDLen {
		id = id[:shortIDLen]
	}
	return id
}

// ellipsis is docker's formatter.Ellipsis: s cut to maxWidth columns, wide characters
// counted as two, with "…" where it was cut.
func ellipsis(s string, maxWidth int) string {
	rs := []rune(s)
	switch {
	case maxWidth <= 0 || s == "": // docker's panics on "" cut to 1
		return ""
	case maxWidth == 1:
		return string(rs[0])
	case len(s) == len(rs):
		if len(s) <= maxWidth {
			return s
		}
		return string(rs[:maxWidth-1]) + "…"
	}
	display := make([]int, 0, len(rs))
	total := 0
	for _, r := range rs {
		total += charWidth(r)
		display = append(display, total)
	}
	if total <= maxWidth {
		return s
	}
	for i := range display {
		if display[i] <= maxWidth-1 && display[i+1] > maxWidth-1 {
			return string(rs[:i+1]) + "…"
		}
	}
	return s
}

func charWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	default:
		return 1
	}
}
