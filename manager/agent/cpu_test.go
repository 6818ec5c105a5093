package agent

import (
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestCPUPercent(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		prev, cur cpuMark
		want      float64
	}{
		{name: "half a core over 5 s", prev: cpuMark{1e9, t0}, cur: cpuMark{3.5e9, t0.Add(5 * time.Second)}, want: 50},
		{name: "two cores busy", prev: cpuMark{0, t0}, cur: cpuMark{10e9, t0.Add(5 * time.Second)}, want: 200},
		{name: "idle", prev: cpuMark{7, t0}, cur: cpuMark{7, t0.Add(time.Second)}, want: 0},
		{name: "first sight", prev: cpuMark{}, cur: cpuMark{5e9, t0}, want: 0},
		{name: "counter went back", prev: cpuMark{9e9, t0}, cur: cpuMark{1e9, t0.Add(time.Second)}, want: 0},
		{name: "no time passed", prev: cpuMark{1, t0}, cur: cpuMark{9, t0}, want: 0},
	} {
		assert.Check(t, is.Equal(cpuPercent(tc.prev, tc.cur), tc.want), tc.name)
	}
}
