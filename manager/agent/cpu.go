package agent

import "time"

// cpuMark is a container's cumulative CPU time at a moment.
type cpuMark struct {
	nanos uint64
	at    time.Time
}

// cpuPercent is the CPU a container used between two marks, in percent of one core (200
// is two cores busy the whole time). A first mark, a counter that went back (the cgroup
// was made again) or no time passed gives 0: there is no interval to speak of.
func cpuPercent(prev, cur cpuMark) float64 {
	elapsed := cur.at.Sub(prev.at)
	if prev.at.IsZero() || elapsed <= 0 || cur.nanos < prev.nanos {
		return 0
	}
	return float64(cur.nanos-prev.nanos) / float64(elapsed.Nanoseconds()) * 100
}
