package server

import (
	"net/http"

	"github.com/exos-platform/exos/manager/api"
)

func (s *Server) createGroup(r *http.Request) (any, error) {
	var req api.GroupCreateRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.identity.CreateGroup(r.Context(), req)
}

func (s *Server) listGroups(*http.Request) (any, error) { return s.identity.ListGroups(), nil }

func (s *Server) inspectGroup(r *http.Request) (any, error) {
	return s.identity.InspectGroup(r.PathValue("name"))
}

func (s *Server) removeGroup(r *http.Request) (any, error) {
	return nil, s.identity.RemoveGroup(r.Context(), r.PathValue("name"))
}

func (s *Server) addGroupMember(r *http.Request) (any, error) {
	return s.identity.AddGroupMember(r.Context(), r.PathValue("name"), r.PathValue("user"))
}

func (s *Server) removeGroupMember(r *http.Request) (any, error) {
	return s.identity.RemoveGroupMember(r.Context(), r.PathValue("name"), r.PathValue("user"))
}

// createToken makes an API token for the caller, for an environment that exists.
func (s *Server) createToken(r *http.Request) (any, error) {
	var req api.TokenCreateRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if req.Env != "" {
		if _, err := s.envs.Inspect(req.Env); err != nil {
			return nil, err
		}
	}
	return s.identity.CreateToken(r.Context(), principalOf(r), req)
}

// listTokens lists the caller's tokens, or ?user='s or ?all='s, of which it sees only
// those it owns: the global admin everyone's, anybody else its own.
func (s *Server) listTokens(r *http.Request) (any, error) {
	p := principalOf(r)
	user := p.User
	q := r.URL.Query()
	switch {
	case q.Get("all") == "true":
		user = ""
	case q.Get("user") != "":
		user = q.Get("user")
	}
	out := []api.Token{}
	for _, t := range s.identity.ListTokens(user) {
		if p.Owns(t.User) {
			out = append(out, t)
		}
	}
	return out, nil
}

// revokeToken revokes a token the caller owns; anyone else's answers 404, as a token
// that does not exist does.
func (s *Server) revokeToken(r *http.Request) (any, error) {
	id := r.PathValue("id")
	owner, ok := s.identity.TokenOwner(id)
	if !ok || !principalOf(r).Owns(owner) {
		return nil, api.Errorf(api.ErrNotFound, "token %q does not exist (see `docker exos token ls`)", id)
	}
	return nil, s.identity.RevokeToken(r.Context(), id)
}

func (s *Server) listMembers(r *http.Request) (any, error) {
	return s.identity.Members(r.PathValue("name")), nil
}

// addMember binds a role in an environment that exists (the global admin passes the
// scope without its lookup).
func (s *Server) addMember(r *http.Request) (any, error) {
	var req api.MemberRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	env := r.PathValue("name")
	if _, err := s.envs.Inspect(env); err != nil {
		return nil, err
	}
	return s.identity.AddMember(r.Context(), env, r.PathValue("subject"), req.Role)
}

func (s *Server) removeMember(r *http.Request) (any, error) {
	return nil, s.identity.RemoveMember(r.Context(), r.PathValue("name"), r.PathValue("subject"))
}

func (s *Server) ldapSettings(*http.Request) (any, error) { return s.identity.LDAPSettings() }

func (s *Server) setLDAPSettings(r *http.Request) (any, error) {
	var req api.LDAPSettingsRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.identity.SetLDAPSettings(r.Context(), req)
}

func (s *Server) removeLDAPSettings(r *http.Request) (any, error) {
	return nil, s.identity.RemoveLDAPSettings(r.Context())
}

func (s *Server) testLDAP(r *http.Request) (any, error) {
	var req api.LDAPTestRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.identity.TestLDAP(r.Context(), req)
}
