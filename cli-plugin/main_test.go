package main

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/docker/cli/cli-plugins/metadata"
	"github.com/docker/cli/cli-plugins/plugin"
	clicommand "github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/cli-plugin/about"
	"github.com/exos-platform/exos/cli-plugin/command/commands"
	"gotest.tools/v3/assert"
)

// TestMetadataIsThePluginFrameworks: the shortcut answers Docker exactly as plugin.Run's
// own metadata subcommand does.
func TestMetadataIsThePluginFrameworks(t *testing.T) {
	args := os.Args
	t.Cleanup(func() { os.Args = args })
	os.Args = []string{"docker-exos", metadata.MetadataSubcommandName}
	fast := stdoutOf(t, printMetadata)
	framework := stdoutOf(t, func() {
		cli, err := clicommand.NewDockerCli()
		assert.NilError(t, err)
		assert.NilError(t, plugin.RunPlugin(cli, commands.NewRootCommand(cli), about.Metadata()))
	})
	assert.Assert(t, bytes.Contains(fast, []byte(`"SchemaVersion": "0.1.0"`)), "%s", fast)
	assert.Equal(t, string(fast), string(framework))
}

func stdoutOf(t *testing.T, fn func()) []byte {
	t.Helper()
	r, w, err := os.Pipe()
	assert.NilError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	fn()
	os.Stdout = stdout
	assert.NilError(t, w.Close())
	out, err := io.ReadAll(r)
	assert.NilError(t, err)
	return out
}
