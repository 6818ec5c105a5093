package dashboard

import (
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// slots is how many samples a history holds: 15 minutes at the agents' 5 s.
const slots = int(api.HistoryWindow / api.AgentInterval)

var step = int64(api.AgentInterval / time.Second)

// ring is a history of HistoryWindow at AgentInterval resolution, in fixed arrays: each
// sample goes to the slot of its time, so a ring never grows and an old sample is simply
// overwritten (or ignored: a slot remembers when it was written).
type ring struct {
	t   [slots]int64 // unix seconds of the slot's sample, 0 for none
	cpu [slots]float32
	mem [slots]uint64
}

// slotOf is the slot of a time and that time rounded down to the resolution.
func slotOf(at time.Time) (int, int64) {
	t := at.Unix() / step * step
	return int(t / step % int64(slots)), t
}

func (r *ring) add(at time.Time, cpu float64, mem uint64) {
	i, t := slotOf(at)
	r.t[i], r.cpu[i], r.mem[i] = t, float32(cpu), mem
}

// window is the oldest slot time a history at now still shows.
func window(now time.Time) int64 {
	_, t := slotOf(now)
	return t - int64(slots-1)*step
}

// series is the ring's samples of the last HistoryWindow, oldest first.
func (r *ring) series(now time.Time) api.Series {
	var acc sum
	acc.add(r, now)
	return acc.series(now)
}

// sum adds histories slot by slot: a service's containers, a node's.
type sum struct {
	t   [slots]int64
	cpu [slots]float64
	mem [slots]uint64
}

func (s *sum) add(r *ring, now time.Time) {
	from := window(now)
	for i, t := range r.t {
		if t < from {
			continue
		}
		s.t[i] = t
		s.cpu[i] += float64(r.cpu[i])
		s.mem[i] += r.mem[i]
	}
}

// series lists the slots written, oldest first.
func (s *sum) series(now time.Time) api.Series {
	out := api.Series{Time: make([]int64, 0, slots), CPU: make([]float64, 0, slots), Memory: make([]uint64, 0, slots)}
	start, _ := slotOf(now)
	from := window(now)
	for k := 1; k <= slots; k++ {
		i := (start + k) % slots
		if s.t[i] < from {
			continue
		}
		out.Time = append(out.Time, s.t[i])
		out.CPU = append(out.CPU, s.cpu[i])
		out.Memory = append(out.Memory, s.mem[i])
	}
	return out
}
