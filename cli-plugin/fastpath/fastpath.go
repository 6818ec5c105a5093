// Package fastpath serves the plugin's most frequent reads, `docker exos stack ls` and
// `stack containers`, without docker/cli: in the launcher (docker-exos), which Docker
// starts twice per command (once for the plugin's metadata, once to run it), so whatever
// the launcher links it pays twice before doing anything. docker/cli's plugin framework
// and the compose loader cost about 10 ms of a 20 ms command that way.
//
// It serves a command only when it is sure to answer exactly as the full CLI would: a
// command line it knows whole, a manager that answered before for this Docker endpoint
// (the plugin's endpoint cache) over HTTPS, with the token and CA saved for its swarm.
// In every other case, and on any failure but the manager's refusal, it writes nothing
// and the full CLI runs, so discovery, recovery and their messages stay in one place.
package fastpath

import (
	"bytes"
	"context"
	"errors"
	"io"

	"github.com/exos-platform/exos/manager/api"
)

// Serve runs args (os.Args[1:], as Docker runs a plugin: "exos", "stack", "ls", ...) if
// this package can, writing to stdout, and reports whether it did. getenv is os.Getenv.
// A refusal of the manager's (an answer with an error status) is served too: err is what
// the full CLI would print for it, so the manager is not asked twice (nor audits a denied
// request twice).
func Serve(args []string, getenv func(string) string, stdout io.Writer) (served bool, err error) {
	cmd, ok := parseArgs(args)
	if !ok {
		return false, nil
	}
	m, ok := findSavedManager(getenv)
	if !ok {
		return false, nil
	}
	client, err := m.client()
	if err != nil {
		return false, nil
	}
	var out bytes.Buffer // all or nothing: a failure half-way leaves the full CLI a clean stdout
	if err := cmd.run(context.Background(), client, &out); err != nil {
		var refused *api.Error
		if errors.As(err, &refused) {
			return true, err
		}
		return false, nil
	}
	_, _ = out.WriteTo(stdout)
	return true, nil
}
