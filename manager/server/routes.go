package server

import "net/http"

// routes registers the API. Every /api route authenticates its caller and checks it
// against its rule in the permission table (permissions.go).
func (s *Server) routes(mux *http.ServeMux) {
	api := func(pattern string, h handlerFunc) {
		s.registered = append(s.registered, pattern)
		mux.Handle(pattern, s.wrap(pattern, h))
	}
	api("GET /api/v1/info", s.getInfo)

	api("GET /api/v1/stacks", s.listStacks)
	api("GET /api/v1/stacks/{name}", s.inspectStack)
	api("DELETE /api/v1/stacks/{name}", s.removeStack)
	api("POST /api/v1/stacks/{name}/deploy", s.deployStack)
	api("POST /api/v1/stacks/{name}/rollback", s.rollbackStack)
	api("POST /api/v1/stacks/{name}/template", s.deployTemplate)
	api("POST /api/v1/stacks/{name}/upgrade", s.upgradeStack)
	api("GET /api/v1/stacks/{name}/services", s.stackServices)
	api("GET /api/v1/stacks/{name}/containers", s.stackContainers)
	api("GET /api/v1/stacks/{name}/revisions", s.stackHistory)
	api("GET /api/v1/stacks/{name}/revisions/{number}", s.stackRevision)
	api("POST /api/v1/stacks/{name}/image", s.setStackImage)
	api("GET /api/v1/stacks/{name}/diff", s.stackDiff)

	api("GET /api/v1/environments", s.listEnvironments)
	api("POST /api/v1/environments", s.createEnvironment)
	api("GET /api/v1/environments/{name}", s.inspectEnvironment)
	api("DELETE /api/v1/environments/{name}", s.removeEnvironment)
	api("PUT /api/v1/environments/{name}/nodes/{node}", s.addNode)
	api("DELETE /api/v1/environments/{name}/nodes/{node}", s.removeNode)

	api("GET /api/v1/catalogs", s.listCatalogs)
	api("POST /api/v1/catalogs", s.addCatalog)
	api("POST /api/v1/catalogs/refresh", s.refreshCatalogs)
	api("DELETE /api/v1/catalogs/{name}", s.removeCatalog)
	api("GET /api/v1/templates", s.listTemplates)
	api("GET /api/v1/templates/{catalog}/{name}", s.inspectTemplate)

	api("GET /api/v1/registries", s.listRegistries)
	api("POST /api/v1/registries", s.addRegistry)
	api("GET /api/v1/registries/{name}", s.inspectRegistry)
	api("DELETE /api/v1/registries/{name}", s.removeRegistry)
	api("POST /api/v1/registries/{name}/test", s.testRegistry)
	api("GET /api/v1/registries/{name}/repositories", s.registryRepositories)
	api("GET /api/v1/registries/{name}/tags", s.registryTags)
	api("GET /api/v1/registries/{name}/image", s.registryImage)

	api("GET /api/v1/hooks", s.listHooks)
	api("POST /api/v1/hooks", s.createHook)
	api("GET /api/v1/hooks/{id}", s.inspectHook)
	api("DELETE /api/v1/hooks/{id}", s.removeHook)
	api("POST /api/v1/hooks/{id}/rotate", s.rotateHook)
	api("POST /api/v1/hooks/{id}/revoke", s.revokeHook)
	api("GET /api/v1/deploy-hooks/history", s.deployHistory)
	api("GET /api/v1/scaling/history", s.scaleHistory)

	api("POST /api/v1/login", s.login)
	api("POST /api/v1/logout", s.logout)
	api("GET /api/v1/whoami", s.whoami)
	api("PUT /api/v1/whoami/password", s.changePassword)
	api("POST /api/v1/users", s.createUser)
	api("GET /api/v1/users", s.listUsers)
	api("GET /api/v1/users/{name}", s.inspectUser)
	api("DELETE /api/v1/users/{name}", s.removeUser)
	api("POST /api/v1/users/{name}/disable", s.disableUser)
	api("POST /api/v1/users/{name}/enable", s.enableUser)
	api("PUT /api/v1/users/{name}/password", s.setPassword)
	api("POST /api/v1/groups", s.createGroup)
	api("GET /api/v1/groups", s.listGroups)
	api("GET /api/v1/groups/{name}", s.inspectGroup)
	api("DELETE /api/v1/groups/{name}", s.removeGroup)
	api("PUT /api/v1/groups/{name}/members/{user}", s.addGroupMember)
	api("DELETE /api/v1/groups/{name}/members/{user}", s.removeGroupMember)
	api("POST /api/v1/tokens", s.createToken)
	api("GET /api/v1/tokens", s.listTokens)
	api("DELETE /api/v1/tokens/{id}", s.revokeToken)
	api("GET /api/v1/environments/{name}/members", s.listMembers)
	api("PUT /api/v1/environments/{name}/members/{subject}", s.addMember)
	api("DELETE /api/v1/environments/{name}/members/{subject}", s.removeMember)
	api("GET /api/v1/auth/ldap", s.ldapSettings)
	api("PUT /api/v1/auth/ldap", s.setLDAPSettings)
	api("DELETE /api/v1/auth/ldap", s.removeLDAPSettings)
	api("POST /api/v1/auth/ldap/test", s.testLDAP)

	api("GET /api/v1/audit", s.listAudit)

	s.dashboardRoutes(api)

	// Receiver hooks carry their own token, not the admin token.
	mux.HandleFunc("POST /hooks/v1/scale/{id}", s.deliverHook)
	mux.HandleFunc("POST /hooks/v1/scale/{id}/{token}", s.deliverHook)
	if s.deploys != nil {
		mux.HandleFunc("POST /hooks/v1/deploy/{id}", s.deliverDeploy)
		mux.HandleFunc("POST /hooks/v1/deploy/{id}/{token}", s.deliverDeploy)
		mux.HandleFunc("GET /hooks/v1/deploy/{id}/deployments/{deployment}", s.deploymentStatus)
	}

	// Agents carry the agent key, not a user's token.
	mux.HandleFunc(agentReportRoute, s.agentReport)
	mux.HandleFunc(agentEventsRoute, s.agentEvents)

	mux.Handle("/api/", s.wrap("unknown", func(*http.Request) (any, error) {
		return nil, errNoRoute
	}))
}
