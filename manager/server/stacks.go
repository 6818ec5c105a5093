package server

import (
	"net/http"
	"strconv"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/hashicorp/go-memdb"
)

func (s *Server) listStacks(r *http.Request) (any, error) {
	out := s.stacks.List(nil, principalOf(r).Sees)
	for i := range out {
		s.withUpgrade(&out[i])
	}
	return out, nil
}

// withUpgrade adds the upgrade the stack's template's catalog offers.
func (s *Server) withUpgrade(st *api.Stack) {
	if t := st.Template; t != nil {
		st.UpgradeTo = s.templates.UpgradeTo(t.Catalog, t.Template, t.Version)
	}
}

func (s *Server) inspectStack(r *http.Request) (any, error) {
	out, err := s.stacks.Inspect(r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	s.withUpgrade(&out.Stack)
	return out, nil
}

func (s *Server) stackServices(r *http.Request) (any, error) {
	var out []api.Service
	index, err := s.blocking(r, func(ws memdb.WatchSet) (err error) {
		out, err = s.stacks.Services(ws, r.PathValue("name"))
		return err
	})
	if err != nil {
		return nil, err
	}
	return indexed{index: index, value: out}, nil
}

func (s *Server) stackContainers(r *http.Request) (any, error) {
	var out []api.Container
	index, err := s.blocking(r, func(ws memdb.WatchSet) (err error) {
		out, err = s.stacks.Containers(ws, r.PathValue("name"))
		return err
	})
	if err != nil {
		return nil, err
	}
	return indexed{index: index, value: out}, nil
}

func (s *Server) blocking(r *http.Request, fn state.QueryFn) (uint64, error) {
	index, wait, err := queryWait(r)
	if err != nil {
		return 0, err
	}
	return s.store.BlockingQuery(r.Context(), index, wait, fn)
}

func (s *Server) deployStack(r *http.Request) (any, error) {
	var req api.DeployRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if len(req.ComposeFiles) == 0 {
		return nil, api.Errorf(api.ErrInvalid, "a deploy needs at least one compose file")
	}
	author, addr := caller(r)
	res, err := s.stacks.Deploy(r.Context(), r.PathValue("name"), req, author, addr)
	s.metrics.deploy(err)
	return res, err
}

func (s *Server) rollbackStack(r *http.Request) (any, error) {
	var req api.RollbackRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	author, addr := caller(r)
	res, err := s.stacks.Rollback(r.Context(), r.PathValue("name"), req.To, author, addr)
	s.metrics.deploy(err)
	return res, err
}

func (s *Server) removeStack(r *http.Request) (any, error) {
	return s.stacks.Remove(r.Context(), r.PathValue("name"))
}

func (s *Server) stackHistory(r *http.Request) (any, error) {
	return s.stacks.History(r.PathValue("name"))
}

func (s *Server) stackRevision(r *http.Request) (any, error) {
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil {
		return nil, api.Errorf(api.ErrInvalid, "revision must be a number, got %q", r.PathValue("number"))
	}
	return s.stacks.Revision(r.PathValue("name"), n)
}

func (s *Server) getInfo(r *http.Request) (any, error) {
	return s.info(), nil
}

func (s *Server) deployTemplate(r *http.Request) (any, error) {
	var req api.TemplateDeployRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	author, addr := caller(r)
	res, err := s.templates.Deploy(r.Context(), r.PathValue("name"), req, author, addr)
	s.metrics.deploy(err)
	return res, err
}

func (s *Server) upgradeStack(r *http.Request) (any, error) {
	var req api.StackUpgradeRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	author, addr := caller(r)
	res, err := s.templates.Upgrade(r.Context(), r.PathValue("name"), req, author, addr)
	s.metrics.deploy(err)
	return res, err
}
