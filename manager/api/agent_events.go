package api

import "time"

// AgentEventsPath is where each node's agent posts the container events of Swarm tasks
// as they happen (an AgentEvents batch), authenticated like its reports. They keep the
// manager's task index current without listing the swarm's tasks.
const AgentEventsPath = "/agent/v1/events"

// Container events an agent forwards, as the Engine names them.
const (
	TaskEventStart  = "start"
	TaskEventDie    = "die"
	TaskEventHealth = "health_status"
	TaskEventOOM    = "oom"
)

// AgentEvents is a batch of one node's task container events, oldest first.
type AgentEvents struct {
	NodeID string      `json:"nodeId"`
	Events []TaskEvent `json:"events"`
}

// TaskEvent is one container event of a Swarm task.
type TaskEvent struct {
	TaskID      string    `json:"taskId"`
	ServiceID   string    `json:"serviceId"`
	ContainerID string    `json:"containerId"`
	Action      string    `json:"action"`             // one of the TaskEvent* actions
	ExitCode    string    `json:"exitCode,omitempty"` // of a die, as the Engine reports it
	Health      string    `json:"health,omitempty"`   // of a health_status: healthy, unhealthy, starting
	Time        time.Time `json:"time"`
}
