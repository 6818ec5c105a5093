package dashboard

import "strings"

// blocks are the eight heights of a sparkline's bar, lowest first.
var blocks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws the last width values as bars scaled to their largest, latest at the
// right; a shorter series is padded with spaces on the left, so every line of a list ends
// at the same instant.
func sparkline(values []float64, width int) string {
	if width <= 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	peak := 0.0
	for _, v := range values {
		peak = max(peak, v)
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width-len(values)))
	for _, v := range values {
		level := 0
		if peak > 0 && v > 0 {
			level = int(v/peak*float64(len(blocks)-1) + 0.5)
		}
		b.WriteRune(blocks[min(max(level, 0), len(blocks)-1)])
	}
	return b.String()
}

// memorySeries is a memory history as sparkline values.
func memorySeries(mem []uint64) []float64 {
	out := make([]float64, len(mem))
	for i, m := range mem {
		out[i] = float64(m)
	}
	return out
}
