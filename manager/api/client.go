package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// IndexHeader carries the index of the manager's state that an answer was read at. Pass it
// back as QueryOptions.WaitIndex to block until something changes.
const IndexHeader = "X-Exos-Index"

// Client talks to one EXOS manager. The zero value is not usable; use NewClient.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// NewClient returns a client for the manager at baseURL (for example
// "https://10.0.0.5:7420") that authenticates with token. For HTTPS, give an httpClient
// from HTTPClientWithCA, which trusts the manager's CA only; nil uses the system's CAs.
func NewClient(baseURL, token string, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 2 * time.Minute}
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), token: token, http: httpClient}
}

// BaseURL is the manager address this client talks to.
func (c *Client) BaseURL() string { return c.base }

// QueryOptions turn a read into a blocking query: the answer comes when the state's index
// passes WaitIndex, or after WaitTime.
type QueryOptions struct {
	WaitIndex uint64
	WaitTime  time.Duration
}

func (q QueryOptions) values() url.Values {
	v := url.Values{}
	if q.WaitIndex > 0 {
		v.Set("index", strconv.FormatUint(q.WaitIndex, 10))
		if q.WaitTime > 0 {
			v.Set("wait", q.WaitTime.String())
		}
	}
	return v
}

// Health returns nil when the manager answers /healthz with 200.
func (c *Client) Health(ctx context.Context) error {
	_, err := c.do(ctx, http.MethodGet, "/healthz", nil, nil, nil)
	return err
}

// Info describes the manager and its index.
func (c *Client) Info(ctx context.Context) (Info, error) {
	var out Info
	_, err := c.do(ctx, http.MethodGet, "/api/v1/info", nil, nil, &out)
	return out, err
}

func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) (uint64, error) {
	req, err := c.newRequest(ctx, method, path, query, body)
	if err != nil {
		return 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("cannot reach the EXOS manager at %s: %w", c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return 0, decodeError(resp)
	}
	index, _ := strconv.ParseUint(resp.Header.Get(IndexHeader), 10, 64)
	// 204: nothing to decode (a manager of an earlier version answers some calls so).
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, resp.Body)
		return index, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return 0, fmt.Errorf("failed to decode the manager's answer to %s %s: %w", method, path, err)
	}
	return index, nil
}

func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values, body any) (*http.Request, error) {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return req, nil
}

func escape(name string) string { return url.PathEscape(name) }
