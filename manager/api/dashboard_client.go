package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// DashboardEvent is the server-sent event name of a new dashboard document.
const DashboardEvent = "dashboard"

func (q DashboardQuery) values() url.Values {
	v := url.Values{}
	if q.Env != "" {
		v.Set("env", q.Env)
	}
	return v
}

// Dashboard returns the dashboard of what the caller may see.
func (c *Client) Dashboard(ctx context.Context, q DashboardQuery) (Dashboard, error) {
	var out Dashboard
	_, err := c.do(ctx, http.MethodGet, "/api/v1/dashboard", q.values(), nil, &out)
	return out, err
}

// WatchDashboard calls each with every dashboard document the manager sends on its event
// stream, the first at once, until ctx ends or each returns an error (which it returns).
// A stream the manager or the client's timeout closes is opened again.
func (c *Client) WatchDashboard(ctx context.Context, q DashboardQuery, each func(Dashboard) error) error {
	return c.WatchDashboardReporting(ctx, q, each, nil)
}

// WatchDashboardReporting is WatchDashboard that also calls lost (when not nil) with the
// reason each time the stream ends and is about to be opened again, so that a live view
// can say it is reconnecting: the next document says it is back.
func (c *Client) WatchDashboardReporting(ctx context.Context, q DashboardQuery, each func(Dashboard) error, lost func(error)) error {
	backoff := 100 * time.Millisecond
	for {
		err := c.readDashboardEvents(ctx, q, each)
		var stop stopWatching
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &stop):
			return stop.err
		case isRefusal(err):
			return err // 401, 403, 404: trying again cannot help
		}
		if lost != nil {
			if err == nil {
				err = errors.New("the manager closed the stream")
			}
			lost(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// stopWatching carries the error of the caller's function out of the stream reader.
type stopWatching struct{ err error }

func (s stopWatching) Error() string { return s.err.Error() }

func isRefusal(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode < http.StatusInternalServerError
}

func (c *Client) readDashboardEvents(ctx context.Context, q DashboardQuery, each func(Dashboard) error) error {
	req, err := c.newRequest(ctx, http.MethodGet, "/api/v1/dashboard/events", q.values(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the EXOS manager at %s: %w", c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return decodeError(resp)
	}
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 64*1024), 16*1024*1024)
	var event string
	var data bytes.Buffer
	for scanner.Scan() {
		line := scanner.Bytes()
		switch {
		case len(line) == 0: // an event ends at a blank line
			if event == DashboardEvent && data.Len() > 0 {
				var d Dashboard
				if err := json.Unmarshal(data.Bytes(), &d); err != nil {
					return stopWatching{fmt.Errorf("failed to decode a dashboard event: %w", err)}
				}
				if err := each(d); err != nil {
					return stopWatching{err}
				}
			}
			event = ""
			data.Reset()
		case bytes.HasPrefix(line, []byte("event:")):
			event = string(bytes.TrimSpace(line[len("event:"):]))
		case bytes.HasPrefix(line, []byte("data:")):
			data.Write(bytes.TrimPrefix(line[len("data:"):], []byte(" ")))
		}
	}
	return scanner.Err()
}

// ListHosts returns every node the caller may see, with its state and load.
func (c *Client) ListHosts(ctx context.Context) ([]HostLoad, error) {
	var out []HostLoad
	_, err := c.do(ctx, http.MethodGet, "/api/v1/hosts", nil, nil, &out)
	return out, err
}

// InspectHost returns node id (an ID or a hostname): its load, containers, volumes and
// timeline.
func (c *Client) InspectHost(ctx context.Context, id string) (HostDetail, error) {
	var out HostDetail
	_, err := c.do(ctx, http.MethodGet, "/api/v1/hosts/"+escape(id), nil, nil, &out)
	return out, err
}

// Usage returns the containers of a stack, a service or a node with their history.
func (c *Client) Usage(ctx context.Context, q UsageQuery) ([]ContainerLoad, error) {
	v := url.Values{}
	for key, value := range map[string]string{"stack": q.Stack, "service": q.Service, "node": q.Node} {
		if value != "" {
			v.Set(key, value)
		}
	}
	var out []ContainerLoad
	_, err := c.do(ctx, http.MethodGet, "/api/v1/usage", v, nil, &out)
	return out, err
}

// DashboardPins returns what the caller pinned to their overview.
func (c *Client) DashboardPins(ctx context.Context) (DashboardPins, error) {
	var out DashboardPins
	_, err := c.do(ctx, http.MethodGet, "/api/v1/dashboard/pins", nil, nil, &out)
	return out, err
}

// SetDashboardPins replaces the caller's pins and returns them as saved.
func (c *Client) SetDashboardPins(ctx context.Context, pins DashboardPins) (DashboardPins, error) {
	var out DashboardPins
	_, err := c.do(ctx, http.MethodPut, "/api/v1/dashboard/pins", nil, pins, &out)
	return out, err
}
