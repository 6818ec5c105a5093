package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/exos-platform/exos/manager/persist"
)

const (
	// kindEvent labels the config of one change event, written before the API answers and
	// removed once the event is in a segment.
	kindEvent = "audit-event"
	// kindSegment labels the configs holding the log, in segments.
	kindSegment = "audit-log"
	// segmentEvents and segmentBytes close a segment: about 30 KB gzipped, far below
	// Swarm's 500 KB limit for a config.
	segmentEvents = 500
	segmentBytes  = 256 << 10
	// coalesceWindow is how long a batched event keeps counting its repeats.
	coalesceWindow = time.Minute
	// maxPending bounds the batched events waiting for a flush; beyond it they are only
	// counted, in one "audit.dropped" event.
	maxPending = 1000
	// format is the version of the stored documents.
	format = 1
)

// Objects is the durable store of EXOS objects; *persist.Store implements it.
type Objects interface {
	Create(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Delete(ctx context.Context, kind, name string) error
	// Remove removes an object written with Create by its name, with no list: a flush
	// removes the single events it compacted this way.
	Remove(ctx context.Context, kind, name string) error
	List(ctx context.Context, kind string) ([]persist.Object, error)
}

// Config wires a Log.
type Config struct {
	Objects Objects
	Now     func() time.Time
	Log     *slog.Logger
	// Retention drops segments whose newest event is older (0: no limit by age).
	Retention time.Duration
	// MaxBytes bounds the segments' total JSON size (0: no limit by size).
	MaxBytes int64
}

// document is what a config of either kind holds.
type document struct {
	Format int     `json:"format"`
	Events []Event `json:"events"`
}

// record is an event in memory, and where it is stored.
type record struct {
	Event
	seg    int  // the segment it is in, 0 while it is in none yet
	single bool // it is also stored as its own config, to remove once seg is written
	size   int  // its JSON size
}

// segment is one segment of the log in memory.
type segment struct {
	records []*record
	bytes   int
	newest  time.Time
	version int // counts changes, so a write knows whether it wrote the latest
	written int // the version last written
}

func (s *segment) dirty() bool { return s.version != s.written }

// Log is the audit log. Its methods are safe for concurrent use.
type Log struct {
	objects   Objects
	now       func() time.Time
	log       *slog.Logger
	retention time.Duration
	maxBytes  int64

	flushing sync.Mutex // one Flush at a time: segments are written in order

	mu       sync.Mutex
	events   []*record // every event in memory, by ID
	pending  []*record // events in no segment yet
	segments map[int]*segment
	open     int                // the segment new events go to
	recent   map[string]*record // batched events still counting repeats, by coalesceKey
	stale    []string           // single events already in a segment, to remove
	dropped  int                // batched events dropped since the last flush
}

// New returns an empty log; Load fills it from the swarm.
func New(c Config) *Log {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return &Log{
		objects: c.Objects, now: c.Now, log: c.Log, retention: c.Retention, maxBytes: c.MaxBytes,
		segments: map[int]*segment{}, open: 1, recent: map[string]*record{},
	}
}

// Record stores the event of a change durably, as a config of its own, and returns when
// the Engine accepted it: the caller may then acknowledge the change. If it cannot, the
// event is kept in memory for the next flush and the error says so.
func (l *Log) Record(ctx context.Context, e Event) error {
	e = l.stamp(e)
	data, err := json.Marshal(document{Format: format, Events: []Event{e}})
	if err != nil {
		return err
	}
	if err = l.create(ctx, e.ID, data); err != nil {
		l.add(&record{Event: e, size: len(data)})
		return fmt.Errorf("failed to store audit event %s (it is kept for the next flush): %w", e.ID, err)
	}
	l.add(&record{Event: e, single: true, size: len(data)})
	return nil
}

// create writes a single event, trying again briefly: a Raft write that failed once (a
// leader election) often succeeds a moment later.
func (l *Log) create(ctx context.Context, id string, data []byte) error {
	var err error
	for attempt, wait := 0, 100*time.Millisecond; attempt < 3; attempt, wait = attempt+1, wait*3 {
		err = l.objects.Create(ctx, kindEvent, id, data, nil)
		if err == nil || errors.Is(err, persist.ErrExists) { // a retry of a write that made it
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
	}
	return err
}

// Note records an event that may wait for the next flush: a denial, a login, a failed
// request. Repeats within a minute only count.
func (l *Log) Note(e Event) {
	e = l.stamp(e)
	key := e.coalesceKey()
	l.mu.Lock()
	defer l.mu.Unlock()
	if r := l.recent[key]; r != nil && e.Time.Sub(r.Time) < coalesceWindow && (r.seg == 0 || r.seg == l.open) {
		r.Count = r.times() + 1
		r.Last = e.Time
		if s := l.segments[r.seg]; s != nil {
			s.version++
		}
		return
	}
	if len(l.pending) >= maxPending {
		l.dropped++
		return
	}
	r := &record{Event: e, size: eventSize(e)}
	l.recent[key] = r
	l.addLocked(r)
}

func (l *Log) stamp(e Event) Event {
	if e.Time.IsZero() {
		e.Time = l.now().UTC()
	}
	if e.ID == "" {
		e.ID = newID(e.Time)
	}
	return e.sanitized()
}

func (l *Log) add(r *record) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.addLocked(r)
}

// addLocked puts r among the events, in ID order, and among the pending ones. Callers
// hold l.mu.
func (l *Log) addLocked(r *record) {
	i, _ := slices.BinarySearchFunc(l.events, r.ID, func(x *record, id string) int { return strings.Compare(x.ID, id) })
	l.events = slices.Insert(l.events, i, r)
	l.pending = append(l.pending, r)
}

func eventSize(e Event) int {
	data, _ := json.Marshal(e)
	return len(data)
}

// Load reads the log from the swarm: the segments, then the single events, keeping once
// an event a crash left in both.
func (l *Log) Load(ctx context.Context) error {
	segs, err := l.objects.List(ctx, kindSegment)
	if err != nil {
		return fmt.Errorf("failed to read the audit log: %w", err)
	}
	singles, err := l.objects.List(ctx, kindEvent)
	if err != nil {
		return fmt.Errorf("failed to read the audit log: %w", err)
	}
	segments, events, seen := map[int]*segment{}, []*record{}, map[string]bool{}
	open := 1
	for _, o := range segs {
		n := segmentNumber(o.Name)
		doc, err := decode(o)
		if err != nil || n < 1 {
			return fmt.Errorf("audit log segment %s is corrupt: %w", o.Name, err)
		}
		s := &segment{}
		for _, e := range doc.Events {
			r := &record{Event: e, seg: n, size: eventSize(e)}
			s.add(r)
			events = append(events, r)
			seen[e.ID] = true
		}
		segments[n], open = s, max(open, n)
	}
	var pending, stale = []*record{}, []string{}
	for _, o := range singles {
		doc, err := decode(o)
		if err != nil || len(doc.Events) != 1 {
			return fmt.Errorf("audit event %s is corrupt: %w", o.Name, err)
		}
		if e := doc.Events[0]; seen[e.ID] {
			stale = append(stale, o.Name) // compacted, then the manager stopped
		} else {
			r := &record{Event: e, single: true, size: eventSize(e)}
			events, pending = append(events, r), append(pending, r)
		}
	}
	slices.SortFunc(events, func(a, b *record) int { return strings.Compare(a.ID, b.ID) })
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events, l.pending, l.segments, l.open, l.stale = events, pending, segments, open, stale
	l.recent = map[string]*record{}
	if s := segments[open]; s != nil && s.full(0) {
		l.open++
	}
	return nil
}

func decode(o persist.Object) (document, error) {
	var doc document
	if err := json.Unmarshal(o.Data, &doc); err != nil {
		return document{}, err
	}
	if doc.Format > format {
		return document{}, fmt.Errorf("written in format %d by a newer manager; this one reads up to %d", doc.Format, format)
	}
	return doc, nil
}

func (s *segment) add(r *record) {
	s.records = append(s.records, r)
	s.bytes += r.size
	if r.Time.After(s.newest) {
		s.newest = r.Time
	}
}

// full reports whether the segment cannot take an event of size more bytes.
func (s *segment) full(size int) bool {
	return len(s.records) >= segmentEvents || (len(s.records) > 0 && s.bytes+size > segmentBytes)
}

func segmentName(n int) string { return fmt.Sprintf("%08d", n) }

func segmentNumber(name string) int {
	var n int
	if _, err := fmt.Sscanf(name, "%d", &n); err != nil {
		return 0
	}
	return n
}
