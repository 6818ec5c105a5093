package test

import (
	"context"

	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/manager/api"
)

// SetLoginStore sets where the login of the fake swarm is saved (a test's temporary dir).
func (c *FakeCli) SetLoginStore(s command.LoginStore) { c.loginStore = s }

// LoginStore returns what SetLoginStore set.
func (c *FakeCli) LoginStore(context.Context) (command.LoginStore, error) {
	return c.loginStore, nil
}

// ManagerAs returns the fake manager and records the token it was asked to send. A
// manager that is a real client (of a test HTTP server) sends that token.
func (c *FakeCli) ManagerAs(_ context.Context, token string) (command.ManagerClient, error) {
	if c.managerErr != nil {
		return nil, c.managerErr
	}
	c.tokens = append(c.tokens, token)
	if client, ok := c.manager.(*api.Client); ok {
		return client.WithToken(token), nil
	}
	return c.manager, nil
}

// ManagerAsTokens are the tokens ManagerAs was asked for, in order.
func (c *FakeCli) ManagerAsTokens() []string { return c.tokens }
