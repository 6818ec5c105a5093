package template

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/exos-platform/exos/manager/api"
)

// yesNo is a boolean that a table shows as yes or no. JSON and templates see the bool.
type yesNo bool

func (b yesNo) String() string {
	if b {
		return "yes"
	}
	return "no"
}

// reasons are a template's reasons not to deploy. A table shows the first message cut to
// width (0: every reason in full, "; " between them); JSON always has every reason in
// full, with its file, line and key.
type reasons struct {
	list  []api.Problem
	width int
}

func (r reasons) String() string {
	if len(r.list) == 0 {
		return ""
	}
	if r.width == 0 {
		all := make([]string, 0, len(r.list))
		for _, p := range r.list {
			all = append(all, p.String())
		}
		return strings.Join(all, "; ")
	}
	more := ""
	if len(r.list) > 1 {
		more = fmt.Sprintf(" (+%d)", len(r.list)-1)
	}
	return cutLine(r.list[0].Message, r.width-len(more)) + more
}

// MarshalJSON never truncates.
func (r reasons) MarshalJSON() ([]byte, error) {
	if r.list == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(r.list)
}
