package fastpath

import (
	"context"
	"io"
	"strings"

	"github.com/exos-platform/exos/cli-plugin/listing"
	"github.com/exos-platform/exos/manager/api"
)

// command is a command line this package serves.
type command struct {
	containers bool   // `stack containers STACK`; else `stack ls`
	stack      string // containers' STACK
	all        bool   // ls --all
	options    listing.Options
}

// parseArgs reads `exos stack ls|list [-q] [-a] [--format F]` and `exos stack
// containers|ps [-q] [--no-trunc] [--format F] STACK`, flags anywhere, as cobra would.
// Anything else (a global flag before "exos", --manager, --help, "--", a flag it does not
// know) is not served: the full CLI parses it.
func parseArgs(args []string) (command, bool) {
	var c command
	if len(args) < 3 || args[0] != "exos" || args[1] != "stack" {
		return c, false
	}
	switch args[2] {
	case "ls", "list":
	case "containers", "ps":
		c.containers = true
	default:
		return c, false
	}
	var positional []string
	rest := args[3:]
	for i := 0; i < len(rest); i++ {
		arg := rest[i]
		switch {
		case arg == "--format" && i+1 < len(rest):
			i++
			c.options.Format = rest[i]
		case strings.HasPrefix(arg, "--format="):
			c.options.Format = strings.TrimPrefix(arg, "--format=")
		case arg == "--quiet":
			c.options.Quiet = true
		case arg == "--all" && !c.containers:
			c.all = true
		case arg == "--no-trunc" && c.containers:
			c.options.NoTrunc = true
		case arg == "-" || strings.HasPrefix(arg, "--"):
			return c, false
		case strings.HasPrefix(arg, "-"):
			if !c.shortFlags(arg[1:]) {
				return c, false
			}
		default:
			positional = append(positional, arg)
		}
	}
	if c.containers && len(positional) == 1 {
		c.stack = positional[0]
		return c, true
	}
	return c, !c.containers && len(positional) == 0
}

// shortFlags reads "-q", "-a", "-qa"...
func (c *command) shortFlags(letters string) bool {
	for _, l := range letters {
		switch {
		case l == 'q':
			c.options.Quiet = true
		case l == 'a' && !c.containers:
			c.all = true
		default:
			return false
		}
	}
	return true
}

// reader is what the commands read of the manager.
type reader interface {
	ListStacks(ctx context.Context) ([]api.Stack, error)
	StackContainers(ctx context.Context, name string, q api.QueryOptions) ([]api.Container, uint64, error)
}

func (c command) run(ctx context.Context, m reader, out io.Writer) error {
	if c.containers {
		containers, _, err := m.StackContainers(ctx, c.stack, api.QueryOptions{})
		if err != nil {
			return err
		}
		return listing.WriteContainers(out, c.options, containers)
	}
	stacks, err := m.ListStacks(ctx)
	if err != nil {
		return err
	}
	return listing.WriteStacks(out, c.options, stacks, c.all)
}
