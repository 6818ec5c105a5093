package dashboard

import (
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestCells(t *testing.T) {
	seg := func(state string, from, to time.Duration) api.HostSegment {
		s := api.HostSegment{State: state, From: ago(from)}
		if to >= 0 {
			s.To = ago(to)
		}
		return s
	}
	for _, tc := range []struct {
		name     string
		segments []api.HostSegment
		want     string
	}{
		{"nothing known", nil, "····"},
		{"ready all along", []api.HostSegment{seg(api.HostReady, 48*time.Hour, -1)}, "████"},
		{"joined 7 hours ago", []api.HostSegment{seg(api.HostReady, 7*time.Hour, -1)}, "··██"},
		{"a minute down shows in its cell", []api.HostSegment{
			seg(api.HostReady, 48*time.Hour, 13*time.Hour), seg(api.HostDown, 13*time.Hour, 13*time.Hour-time.Minute),
			seg(api.HostReady, 13*time.Hour-time.Minute, -1)}, "█░██"},
		{"down outranks drain and silent in one cell", []api.HostSegment{
			seg(api.HostDrain, 24*time.Hour, 23*time.Hour), seg(api.HostDown, 23*time.Hour, 22*time.Hour),
			seg(api.HostSilent, 22*time.Hour, 21*time.Hour), seg(api.HostReady, 21*time.Hour, -1)}, "░███"},
		{"silent now", []api.HostSegment{seg(api.HostReady, 30*time.Hour, time.Hour), seg(api.HostSilent, time.Hour, -1)}, "███▒"},
		{"segment ending at a cell's start stays out of it", []api.HostSegment{
			seg(api.HostDrain, 30*time.Hour, 18*time.Hour), seg(api.HostReady, 18*time.Hour, -1)}, "▓███"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := bar(cells(api.HostTimeline{Segments: tc.segments}, at, 4))
			assert.Check(t, is.Equal(got, tc.want))
		})
	}
}

func TestCurrent(t *testing.T) {
	assert.Check(t, is.Equal(current(api.HostTimeline{}).State, api.HostUnknown))
	h := fixture().Timeline[2]
	assert.Check(t, is.DeepEqual(current(h), api.HostSegment{State: api.HostDown, From: ago(20 * time.Minute)}))
	assert.Check(t, is.Equal(stateName(api.HostSilent), "agent silent"))
	assert.Check(t, is.Equal(stateName("rebooting"), "rebooting"))
	assert.Check(t, is.Equal(glyph("rebooting"), "?"))
}

func TestSparkline(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []float64
		width  int
		want   string
	}{
		{"empty", nil, 4, "    "},
		{"scaled to the peak", []float64{0, 50, 100}, 3, "▁▅█"},
		{"padded on the left", []float64{1, 2}, 4, "  ▅█"},
		{"the latest kept", []float64{100, 0, 0, 10}, 2, "▁█"},
		{"all zero", []float64{0, 0}, 2, "▁▁"},
		{"no room", []float64{1}, 0, ""},
		{"rounded to the nearest bar", []float64{7, 100}, 2, "▁█"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Check(t, is.Equal(sparkline(tc.values, tc.width), tc.want))
		})
	}
	assert.Check(t, is.DeepEqual(memorySeries([]uint64{1, 2}), []float64{1, 2}))
}

func TestByHostname(t *testing.T) {
	hosts := []api.HostTimeline{{NodeID: "z", Hostname: "node2"}, {NodeID: "b", Hostname: "node1"}, {NodeID: "a", Hostname: "node1"}}
	got := byHostname(hosts)
	assert.Check(t, is.DeepEqual(got, []api.HostTimeline{{NodeID: "a", Hostname: "node1"}, {NodeID: "b", Hostname: "node1"}, {NodeID: "z", Hostname: "node2"}}))
	assert.Check(t, is.Equal(hosts[0].NodeID, "z"), "the document was sorted in place")
}
