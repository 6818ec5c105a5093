package server

import (
	"net/http"
	"strconv"

	"github.com/exos-platform/exos/manager/api"
)

// setStackImage deploys one service of a stack at another image, as a new revision.
func (s *Server) setStackImage(r *http.Request) (any, error) {
	var req api.SetImageRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if req.Service == "" || req.Image == "" {
		return nil, api.Errorf(api.ErrInvalid, "set-image needs a service and an image (repo[:tag] or repo@sha256:...)")
	}
	author, addr := caller(r)
	res, err := s.stacks.SetImage(r.Context(), r.PathValue("name"), req, author, addr)
	if !res.Unchanged {
		s.metrics.deploy(err)
	}
	return res, err
}

// stackDiff compares two revisions of a stack: ?from=A&to=B, by default the last two.
func (s *Server) stackDiff(r *http.Request) (any, error) {
	from, err := revisionParam(r, "from")
	if err != nil {
		return nil, err
	}
	to, err := revisionParam(r, "to")
	if err != nil {
		return nil, err
	}
	return s.stacks.Diff(r.Context(), r.PathValue("name"), from, to)
}

// revisionParam is query parameter key as a revision number, 0 when absent.
func revisionParam(r *http.Request, key string) (int, error) {
	v := r.URL.Query().Get(key)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, api.Errorf(api.ErrInvalid, "%s must be a revision number (1 or more), got %q", key, v)
	}
	return n, nil
}
