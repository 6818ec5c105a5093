// Package test holds the fakes the command tests share: a FakeCli modelled on docker/cli's
// internal/test.FakeCli (which cannot be imported) and a fake EXOS manager.
package test

import (
	"bytes"
	"context"
	"io"
	"strings"

	"github.com/docker/cli/cli/config/configfile"
	"github.com/docker/cli/cli/streams"
	"github.com/docker/docker/client"
	"github.com/exos-platform/exos/cli-plugin/command"
)

// FakeCli implements command.Cli with in-memory streams.
type FakeCli struct {
	client     client.APIClient
	manager    command.ManagerClient
	managerErr error
	out        *streams.Out
	outBuffer  *bytes.Buffer
	err        *streams.Out
	errBuffer  *bytes.Buffer
	in         *streams.In
	loginStore command.LoginStore
	tokens     []string // asked of ManagerAs
	configFile *configfile.ConfigFile
}

var _ command.Cli = (*FakeCli)(nil)

// NewFakeCli returns a FakeCli whose manager is mgr and whose Engine client is apiClient
// (either may be nil when the command under test does not use it).
func NewFakeCli(mgr command.ManagerClient, apiClient client.APIClient) *FakeCli {
	outBuffer, errBuffer := new(bytes.Buffer), new(bytes.Buffer)
	return &FakeCli{
		client:     apiClient,
		manager:    mgr,
		out:        streams.NewOut(outBuffer),
		outBuffer:  outBuffer,
		err:        streams.NewOut(errBuffer),
		errBuffer:  errBuffer,
		in:         streams.NewIn(io.NopCloser(strings.NewReader(""))),
		configFile: configfile.New(""),
	}
}

// ConfigFile returns the Docker CLI configuration, empty unless the test filled it.
func (c *FakeCli) ConfigFile() *configfile.ConfigFile { return c.configFile }

// SetIn sets what the command reads as its standard input.
func (c *FakeCli) SetIn(s string) {
	c.in = streams.NewIn(io.NopCloser(strings.NewReader(s)))
}

// SetManagerErr makes Manager fail, as when no manager can be found.
func (c *FakeCli) SetManagerErr(err error) { c.managerErr = err }

// In returns the input stream.
func (c *FakeCli) In() *streams.In { return c.in }

// Out returns the output stream.
func (c *FakeCli) Out() *streams.Out { return c.out }

// Err returns the error stream.
func (c *FakeCli) Err() *streams.Out { return c.err }

// Client returns the fake Engine client.
func (c *FakeCli) Client() client.APIClient { return c.client }

// Manager returns the fake manager, or the error set with SetManagerErr.
func (c *FakeCli) Manager(context.Context) (command.ManagerClient, error) {
	if c.managerErr != nil {
		return nil, c.managerErr
	}
	return c.manager, nil
}

// OutBuffer returns what was written to stdout.
func (c *FakeCli) OutBuffer() *bytes.Buffer { return c.outBuffer }

// ErrBuffer returns what was written to stderr.
func (c *FakeCli) ErrBuffer() *bytes.Buffer { return c.errBuffer }
