package commands

import (
	"sort"
	"strings"
	"testing"

	"github.com/docker/cli/cli/command"
	"github.com/spf13/cobra"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// TestCommandTree pins the command forms that scripts call.
func TestCommandTree(t *testing.T) {
	dockerCLI, err := command.NewDockerCli()
	assert.NilError(t, err)
	root := NewRootCommand(dockerCLI)
	var paths []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			paths = append(paths, strings.TrimPrefix(sub.CommandPath(), "exos "))
			assert.Check(t, sub.Short != "", "%s has no Short help", sub.CommandPath())
			if !sub.HasSubCommands() {
				assert.Check(t, sub.Example != "", "%s has no example", sub.CommandPath())
			}
			walk(sub)
		}
	}
	walk(root)
	sort.Strings(paths)
	assert.Check(t, is.DeepEqual(paths, []string{
		"audit", "audit ls",
		"auth", "auth ldap", "auth ldap rm", "auth ldap set", "auth ldap show", "auth ldap test",
		"catalog", "catalog add", "catalog deploy", "catalog ls", "catalog refresh", "catalog rm",
		"dashboard",
		"env", "env add-node", "env create", "env inspect", "env ls",
		"env member", "env member add", "env member ls", "env member rm", "env remove-node", "env rm",
		"group", "group add", "group create", "group inspect", "group ls", "group remove", "group rm",
		"hook", "hook create", "hook history", "hook inspect", "hook ls", "hook revoke", "hook rm", "hook rotate",
		"login", "logout",
		"manager", "manager ca", "manager install", "manager status", "manager uninstall",
		"registry", "registry add", "registry inspect", "registry login-test", "registry ls", "registry repos", "registry rm", "registry tags",
		"stack", "stack config", "stack containers", "stack deploy", "stack diff", "stack history", "stack inspect",
		"stack ls", "stack rm", "stack rollback", "stack services", "stack set-image", "stack upgrade",
		"template", "template inspect", "template ls",
		"token", "token create", "token ls", "token revoke",
		"user", "user create", "user disable", "user enable", "user inspect", "user ls", "user passwd", "user rm",
		"whoami",
	}))
	assert.Check(t, root.PersistentFlags().Lookup("manager") != nil)
}
