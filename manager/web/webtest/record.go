package webtest

import (
	"context"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Response is one answer the page received, with its body. A streamed body (the
// dashboard's event stream) holds what arrived until the stream ended or Responses read it.
type Response struct {
	URL      string
	Status   int64
	MimeType string
	Body     []byte
}

// Recorder keeps every response of the tab it records, bodies included.
type Recorder struct {
	ctx     context.Context
	mu      sync.Mutex
	byID    map[network.RequestID]*Response
	order   []network.RequestID
	pending sync.WaitGroup
	errs    []error
}

// Record starts recording the responses of the tab of ctx, from now on.
func Record(ctx context.Context) (*Recorder, error) {
	r := &Recorder{ctx: ctx, byID: map[network.RequestID]*Response{}}
	return r, chromedp.Listen(ctx, r.event)
}

// event runs in chromedp's reading loop: it must not call the browser, so the bodies are
// fetched by goroutines.
func (r *Recorder) event(ev any) {
	switch e := ev.(type) {
	case *network.EventResponseReceived:
		r.mu.Lock()
		r.byID[e.RequestID] = &Response{URL: e.Response.URL, Status: e.Response.Status, MimeType: e.Response.MimeType}
		r.order = append(r.order, e.RequestID)
		r.mu.Unlock()
		if strings.HasPrefix(e.Response.MimeType, "text/event-stream") {
			r.fetch(e.RequestID, r.stream)
		}
	case *network.EventDataReceived:
		r.mu.Lock()
		if resp := r.byID[e.RequestID]; resp != nil && len(e.Data) > 0 {
			resp.Body = append(resp.Body, e.Data...)
		}
		r.mu.Unlock()
	case *network.EventLoadingFinished:
		r.mu.Lock()
		resp := r.byID[e.RequestID]
		r.mu.Unlock()
		if resp != nil && !strings.HasPrefix(resp.MimeType, "text/event-stream") {
			r.fetch(e.RequestID, r.body)
		}
	}
}

func (r *Recorder) fetch(id network.RequestID, get func(network.RequestID) ([]byte, error)) {
	r.pending.Add(1)
	go func() {
		defer r.pending.Done()
		data, err := get(id)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err != nil {
			r.errs = append(r.errs, err)
			return
		}
		resp := r.byID[id]
		resp.Body = append(data, resp.Body...)
	}()
}

func (r *Recorder) body(id network.RequestID) ([]byte, error) {
	res, err := chromedp.Call(r.ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: id})
	return res.Body, err
}

// stream asks for a streamed response's data: what arrived so far, and then each chunk in
// its dataReceived event.
func (r *Recorder) stream(id network.RequestID) ([]byte, error) {
	res, err := chromedp.Call(r.ctx, network.StreamResourceContent, network.StreamResourceContentParams{RequestID: id})
	return res.BufferedData, err
}

// Responses returns the responses so far whose URL contains part, in the order they came;
// errs are the bodies the browser could not give.
func (r *Recorder) Responses(part string) (out []Response, errs []error) {
	r.pending.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range r.order {
		if resp := r.byID[id]; strings.Contains(resp.URL, part) {
			out = append(out, Response{URL: resp.URL, Status: resp.Status, MimeType: resp.MimeType, Body: append([]byte(nil), resp.Body...)})
		}
	}
	return out, append([]error(nil), r.errs...)
}
