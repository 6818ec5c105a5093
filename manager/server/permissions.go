package server

import "github.com/exos-platform/exos/manager/authz"

// rule is the permission one route takes: an action, in the environments its scope finds
// for the request (none for global and self actions).
type rule struct {
	action authz.Action
	scope  scopeFunc
}

// permissions is the one permission table: every route the server registers has a rule
// here (a test walks them), and no handler checks permissions by itself. Lists answer
// Self and leave out, item by item, what the caller may not see.
var permissions = map[string]rule{
	"GET /api/v1/info": {authz.Self, nil},

	"GET /api/v1/stacks":                           {authz.Self, nil},
	"GET /api/v1/stacks/{name}":                    {authz.Read, stackScope},
	"DELETE /api/v1/stacks/{name}":                 {authz.Change, stackScope},
	"POST /api/v1/stacks/{name}/deploy":            {authz.Change, deployScope},
	"POST /api/v1/stacks/{name}/rollback":          {authz.Change, rollbackScope},
	"POST /api/v1/stacks/{name}/template":          {authz.Change, deployScope},
	"POST /api/v1/stacks/{name}/upgrade":           {authz.Change, stackScope},
	"GET /api/v1/stacks/{name}/services":           {authz.Read, stackScope},
	"GET /api/v1/stacks/{name}/containers":         {authz.Read, stackScope},
	"GET /api/v1/stacks/{name}/revisions":          {authz.Read, stackScope},
	"GET /api/v1/stacks/{name}/revisions/{number}": {authz.Read, stackScope},
	"POST /api/v1/stacks/{name}/image":             {authz.Change, stackScope},
	"GET /api/v1/stacks/{name}/diff":               {authz.Read, stackScope},

	"GET /api/v1/environments":                        {authz.Self, nil},
	"POST /api/v1/environments":                       {authz.Admin, nil},
	"GET /api/v1/environments/{name}":                 {authz.Read, envScope},
	"DELETE /api/v1/environments/{name}":              {authz.Admin, nil},
	"PUT /api/v1/environments/{name}/nodes/{node}":    {authz.Admin, nil},
	"DELETE /api/v1/environments/{name}/nodes/{node}": {authz.Admin, nil},

	"GET /api/v1/catalogs":                   {authz.Self, nil},
	"POST /api/v1/catalogs":                  {authz.Manage, catalogAddScope},
	"POST /api/v1/catalogs/refresh":          {authz.Manage, catalogRefreshScope},
	"DELETE /api/v1/catalogs/{name}":         {authz.Manage, catalogScope},
	"GET /api/v1/templates":                  {authz.Self, nil},
	"GET /api/v1/templates/{catalog}/{name}": {authz.Read, templateScope},

	// Registries: global ones are everyone's to read and the admin's to change.
	"GET /api/v1/registries":              {authz.Self, nil},
	"POST /api/v1/registries":             {authz.Change, registryAddScope},
	"GET /api/v1/registries/{name}":       {authz.Read, registryReadScope},
	"DELETE /api/v1/registries/{name}":    {authz.Change, registryScope},
	"POST /api/v1/registries/{name}/test": {authz.Read, registryReadScope},
	// Browsing reads the registry with its credentials: whoever may read the registry.
	"GET /api/v1/registries/{name}/repositories": {authz.Read, registryReadScope},
	"GET /api/v1/registries/{name}/tags":         {authz.Read, registryReadScope},
	"GET /api/v1/registries/{name}/image":        {authz.Read, registryReadScope},

	"GET /api/v1/hooks":              {authz.Self, nil},
	"POST /api/v1/hooks":             {authz.Change, hookCreateScope},
	"GET /api/v1/hooks/{id}":         {authz.Read, hookScope},
	"DELETE /api/v1/hooks/{id}":      {authz.Change, hookScope},
	"POST /api/v1/hooks/{id}/rotate": {authz.Change, hookScope},
	"GET /api/v1/scaling/history":    {authz.Self, nil},
	// Deploy hooks: revoking one takes the right to change its stack's environment; the
	// history is filtered by the stacks' environments.
	"POST /api/v1/hooks/{id}/revoke":   {authz.Change, hookScope},
	"GET /api/v1/deploy-hooks/history": {authz.Self, nil},

	// Identity. Logging in is the one public route. Tokens are the caller's own: the
	// list leaves out what it does not own, and revoking another's answers 404.
	"POST /api/v1/login":                                   {authz.Public, nil},
	"POST /api/v1/logout":                                  {authz.Self, nil},
	"GET /api/v1/whoami":                                   {authz.Self, nil},
	"PUT /api/v1/whoami/password":                          {authz.Own, nil},
	"POST /api/v1/users":                                   {authz.Admin, nil},
	"GET /api/v1/users":                                    {authz.Admin, nil},
	"GET /api/v1/users/{name}":                             {authz.Admin, nil},
	"DELETE /api/v1/users/{name}":                          {authz.Admin, nil},
	"POST /api/v1/users/{name}/disable":                    {authz.Admin, nil},
	"POST /api/v1/users/{name}/enable":                     {authz.Admin, nil},
	"PUT /api/v1/users/{name}/password":                    {authz.Admin, nil},
	"POST /api/v1/groups":                                  {authz.Admin, nil},
	"GET /api/v1/groups":                                   {authz.Admin, nil},
	"GET /api/v1/groups/{name}":                            {authz.Admin, nil},
	"DELETE /api/v1/groups/{name}":                         {authz.Admin, nil},
	"PUT /api/v1/groups/{name}/members/{user}":             {authz.Admin, nil},
	"DELETE /api/v1/groups/{name}/members/{user}":          {authz.Admin, nil},
	"POST /api/v1/tokens":                                  {authz.Own, nil},
	"GET /api/v1/tokens":                                   {authz.Self, nil},
	"DELETE /api/v1/tokens/{id}":                           {authz.Own, nil},
	"GET /api/v1/environments/{name}/members":              {authz.Read, envScope},
	"PUT /api/v1/environments/{name}/members/{subject}":    {authz.Manage, envScope},
	"DELETE /api/v1/environments/{name}/members/{subject}": {authz.Manage, envScope},
	"GET /api/v1/auth/ldap":                                {authz.Admin, nil},
	"PUT /api/v1/auth/ldap":                                {authz.Admin, nil},
	"DELETE /api/v1/auth/ldap":                             {authz.Admin, nil},
	"POST /api/v1/auth/ldap/test":                          {authz.Admin, nil},

	// The audit log is filtered: the admin sees all, an owner its environments' events.
	"GET /api/v1/audit": {authz.Self, nil},

	// The dashboard answers everyone with what they see, filtered by the dashboard itself:
	// a node is seen by whoever sees one of its environments (one in none by the global
	// admin), a stack, service or container by its stack's environment; a host, stack,
	// service or environment the caller does not see answers 404, as a missing one. Pins
	// are the caller's own.
	"GET /api/v1/dashboard":        {authz.Self, nil},
	"GET /api/v1/dashboard/events": {authz.Self, nil},
	"GET /api/v1/dashboard/pins":   {authz.Self, nil},
	"PUT /api/v1/dashboard/pins":   {authz.Own, nil},
	"GET /api/v1/hosts":            {authz.Self, nil},
	"GET /api/v1/hosts/{id}":       {authz.Self, nil},
	"GET /api/v1/usage":            {authz.Self, nil},

	// Unknown routes answer 404 to anyone authenticated.
	"unknown": {authz.Self, nil},
}
