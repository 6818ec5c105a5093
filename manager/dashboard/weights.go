package dashboard

import "github.com/exos-platform/exos/manager/api"

// weights is the scoring table (docs/dashboard.md): what each reason adds to the score of
// the environment or host it is found in. A reason counting several things (failed tasks,
// missing replicas) multiplies its weight, capped at maxUnits.
var weights = map[string]float64{
	api.ReasonNodeDown:       100,
	api.ReasonAgentSilent:    50,
	api.ReasonRevisionFailed: 40,
	api.ReasonBelowReplicas:  30, // times the missing share of the desired replicas
	api.ReasonUnhealthy:      20,
	api.ReasonTaskFailing:    10, // per failed task
	api.ReasonRestarting:     10,
	api.ReasonMemoryPressure: 15,
	api.ReasonDiskPressure:   15,
	api.ReasonCPUPressure:    10,
	api.ReasonNodeDrain:      5,
	api.ReasonDrifted:        5,
}

// Thresholds of the reasons that are judgements rather than facts.
const (
	// maxUnits caps how many failed tasks count toward one reason: a crash-looping
	// service must not hide everything else.
	maxUnits = 5
	// failingWindow is how recent a failed task must be to count.
	failingWindow = api.HistoryWindow
	// cpuPressure is the CPU "some" pressure (PSI avg10, percent) from which a node is
	// under pressure; a load over loadPerCPU per CPU counts too, for kernels without PSI.
	cpuPressure = 25.0
	loadPerCPU  = 1.5
	// memoryFree and diskFree are the free shares under which a node is under pressure;
	// memoryPressure the PSI "some" avg10 over which it is, whatever is free.
	memoryFree     = 0.10
	memoryPressure = 10.0
	diskFree       = 0.10
	// topN is how many environments and hosts the dashboard ranks; topContainers how
	// many containers by CPU and by memory.
	topN          = 5
	topContainers = 10
)

// reasonScore is a reason's score for units of it.
func reasonScore(kind string, units float64) float64 {
	return weights[kind] * min(units, maxUnits)
}
