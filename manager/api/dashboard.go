package api

import "time"

// AgentReportPath is where each node's agent posts an AgentReport every AgentInterval,
// authenticated with the agent key (Authorization: Bearer <key>).
const AgentReportPath = "/agent/v1/report"

// AgentInterval is how often an agent reports; a node whose agent has not reported for
// AgentSilentAfter is "agent silent".
const (
	AgentInterval    = 5 * time.Second
	AgentSilentAfter = 15 * time.Second
)

// AgentReport is one node's sample, read by the agent on that node.
type AgentReport struct {
	NodeID     string            `json:"nodeId"` // the Swarm node ID the local Engine reports
	Time       time.Time         `json:"time"`
	Node       NodeSample        `json:"node"`
	Containers []ContainerSample `json:"containers"`
	Volumes    []VolumeSample    `json:"volumes"`
}

// NodeSample is a node's load and pressure.
type NodeSample struct {
	CPUs            int     `json:"cpus"`
	Load1           float64 `json:"load1"`
	Load5           float64 `json:"load5"`
	Load15          float64 `json:"load15"`
	MemoryTotal     uint64  `json:"memoryTotal"`
	MemoryAvailable uint64  `json:"memoryAvailable"`
	DiskTotal       uint64  `json:"diskTotal"` // of the Engine's data root
	DiskFree        uint64  `json:"diskFree"`
	CPUPressure     float64 `json:"cpuPressure"` // PSI "some" avg10, percent
	MemoryPressure  float64 `json:"memoryPressure"`
	IOPressure      float64 `json:"ioPressure"`
}

// ContainerSample is one container of a Swarm task on the reporting node.
type ContainerSample struct {
	ContainerID string `json:"containerId"`
	TaskID      string `json:"taskId"`
	ServiceID   string `json:"serviceId"`
	Service     string `json:"service"` // the Swarm service name (stack_service)
	Stack       string `json:"stack,omitempty"`
	// CPUPercent is of one core (200 is two cores busy), over the last interval.
	CPUPercent  float64 `json:"cpuPercent"`
	MemoryUsage uint64  `json:"memoryUsage"`
	MemoryLimit uint64  `json:"memoryLimit"` // 0: no limit
	Restarts    int     `json:"restarts"`
	Health      string  `json:"health,omitempty"` // starting, healthy, unhealthy; "" without a healthcheck
	OOMKilled   bool    `json:"oomKilled,omitempty"`
}

// VolumeSample is one node-local volume and how much of the disk it uses.
type VolumeSample struct {
	Name   string `json:"name"`
	Driver string `json:"driver"`
	// Size in bytes, -1 when the agent cannot tell (a driver other than local).
	Size       int64 `json:"size"`
	Containers int   `json:"containers"` // how many containers mount it
	// Stack is the volume's com.docker.stack.namespace label ("" for none): the
	// dashboard counts a volume for whoever sees its stack's environment.
	Stack string `json:"stack,omitempty"`
}

// DashboardQuery narrows the dashboard to one environment ("" is all the caller sees).
type DashboardQuery struct {
	Env string
}

// Dashboard is the bird's-eye view of what the caller may see.
type Dashboard struct {
	Time     time.Time         `json:"time"`
	Env      string            `json:"env,omitempty"`
	Counters DashboardCounters `json:"counters"`
	// Environments and Hosts are the top 5 needing intervention, highest score first.
	Environments []Attention     `json:"environments"`
	Hosts        []Attention     `json:"hosts"`
	TopCPU       []ContainerLoad `json:"topCpu"`
	TopMemory    []ContainerLoad `json:"topMemory"`
	// Timeline is every visible node's state over the last TimelineWindow.
	Timeline []HostTimeline `json:"timeline"`
	// Pinned are the caller's pinned services and hosts, with their load.
	Pinned DashboardPinned `json:"pinned"`
}

// TimelineWindow is how much of the host timeline the dashboard document carries.
const TimelineWindow = 24 * time.Hour

// DashboardCounters are the totals of what the caller may see.
type DashboardCounters struct {
	Environments int             `json:"environments"`
	Hosts        HostCounts      `json:"hosts"`
	Volumes      int             `json:"volumes"`
	Registries   int             `json:"registries"`
	Stacks       int             `json:"stacks"`
	Services     int             `json:"services"`
	Containers   ContainerCounts `json:"containers"`
}

// HostCounts count nodes by state; Silent nodes are ready for Swarm but their agent
// stopped reporting.
type HostCounts struct {
	Total  int `json:"total"`
	Ready  int `json:"ready"`
	Down   int `json:"down"`
	Drain  int `json:"drain"`
	Silent int `json:"silent"`
}

// ContainerCounts count the containers of current tasks.
type ContainerCounts struct {
	Total   int `json:"total"`
	Running int `json:"running"`
	Failing int `json:"failing"`
}

// Attention is an environment or a host and why it needs someone.
type Attention struct {
	Kind    string   `json:"kind"` // environment or node
	Name    string   `json:"name"` // environment name or hostname
	ID      string   `json:"id,omitempty"`
	Score   float64  `json:"score"`
	Reasons []Reason `json:"reasons"`
}

// Reason kinds, each with its weight in the scoring table (docs/dashboard.md).
const (
	ReasonNodeDown       = "node_down"
	ReasonAgentSilent    = "agent_silent"
	ReasonNodeDrain      = "node_drain"
	ReasonTaskFailing    = "task_failing"
	ReasonRestarting     = "restarting"
	ReasonBelowReplicas  = "below_replicas"
	ReasonUnhealthy      = "unhealthy"
	ReasonRevisionFailed = "revision_failed"
	ReasonDrifted        = "drifted"
	ReasonCPUPressure    = "cpu_pressure"
	ReasonMemoryPressure = "memory_pressure"
	ReasonDiskPressure   = "disk_pressure"
)

// Reason is one contribution to a score, naming the object behind it.
type Reason struct {
	Kind   string    `json:"kind"`
	Text   string    `json:"text"`
	Score  float64   `json:"score"`
	Object ObjectRef `json:"object"`
}

// ObjectRef names a stack, service, node or container so a page or a terminal can link it.
type ObjectRef struct {
	Kind  string `json:"kind"` // stack, service, node, container, environment
	Name  string `json:"name"`
	ID    string `json:"id,omitempty"`
	Stack string `json:"stack,omitempty"`
}

// ContainerLoad is one container's latest sample, with its history.
type ContainerLoad struct {
	ContainerID string  `json:"containerId"`
	TaskID      string  `json:"taskId"`
	Service     string  `json:"service"`
	Stack       string  `json:"stack,omitempty"`
	Env         string  `json:"env,omitempty"`
	NodeID      string  `json:"nodeId"`
	Hostname    string  `json:"hostname"`
	CPUPercent  float64 `json:"cpuPercent"`
	MemoryUsage uint64  `json:"memoryUsage"`
	MemoryLimit uint64  `json:"memoryLimit"`
	History     Series  `json:"history"`
}

// Series is a history at the agents' resolution, in columns (as a chart takes them):
// Time in unix seconds, CPU percent of one core, Memory bytes.
type Series struct {
	Time   []int64   `json:"t"`
	CPU    []float64 `json:"cpu"`
	Memory []uint64  `json:"mem"`
}

// HistoryWindow is how far back a container's history goes.
const HistoryWindow = 15 * time.Minute

// Host states on the timeline.
const (
	HostReady   = "ready"
	HostDown    = "down"
	HostDrain   = "drain"
	HostSilent  = "agent_silent"
	HostUnknown = "unknown"
)

// HostTimeline is a node's states, oldest first; the last segment's To is zero while it
// lasts.
type HostTimeline struct {
	NodeID   string        `json:"nodeId"`
	Hostname string        `json:"hostname"`
	Segments []HostSegment `json:"segments"`
}

// HostSegment is one state of a node from From to To.
type HostSegment struct {
	State string    `json:"state"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to,omitzero"`
}

// DashboardPins are what a user pinned to their overview: services by Swarm name
// (stack_service) and hosts by node ID.
type DashboardPins struct {
	Services []string `json:"services"`
	Hosts    []string `json:"hosts"`
}

// DashboardPinned is the load of the pinned services and hosts the caller may still see.
type DashboardPinned struct {
	Services []ServiceLoad `json:"services"`
	Hosts    []HostLoad    `json:"hosts"`
}

// ServiceLoad is a service's containers summed, with the sum's history.
type ServiceLoad struct {
	Service     string  `json:"service"`
	Stack       string  `json:"stack,omitempty"`
	Env         string  `json:"env,omitempty"`
	Desired     int     `json:"desired"`
	Running     int     `json:"running"`
	CPUPercent  float64 `json:"cpuPercent"`
	MemoryUsage uint64  `json:"memoryUsage"`
	History     Series  `json:"history"`
}

// HostLoad is a node's state and latest sample, with its containers' summed history.
type HostLoad struct {
	NodeID     string     `json:"nodeId"`
	Hostname   string     `json:"hostname"`
	State      string     `json:"state"` // one of the Host* states
	Envs       []string   `json:"envs"`
	LastReport time.Time  `json:"lastReport,omitzero"`
	Node       NodeSample `json:"node"`
	Containers int        `json:"containers"`
	History    Series     `json:"history"`
}

// HostDetail is one node: its load, its containers and volumes, its timeline.
type HostDetail struct {
	HostLoad
	Running  []ContainerLoad `json:"running"`
	Volumes  []VolumeSample  `json:"volumes"`
	Timeline HostTimeline    `json:"timeline"`
}

// UsageQuery selects the containers whose history a chart shows: those of one stack,
// or one service (Swarm name), or one node; at least one is set.
type UsageQuery struct {
	Stack   string
	Service string
	Node    string
}

// AgentServerName is the manager's name on the agent network (a network alias of
// exos_manager), and a name its certificate holds: agents dial it and verify it.
const AgentServerName = "exos-manager"
