package state

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/swarm"
)

// Labels the index reads; they are written by `docker stack deploy` and by EXOS deploys.
const (
	labelStack      = "com.docker.stack.namespace"
	labelEnv        = "io.exos.env"
	labelRevision   = "io.exos.stack.revision"
	nodeLabelEnvPfx = "io.exos.env." // node label io.exos.env.<name>=true puts the node in <name>
)

// Node is a swarm node with the fields the API filters and joins on. Read-only once stored.
type Node struct {
	ID, Hostname, Role, State, Availability, Addr string
	Labels                                        map[string]string
	// Envs are the environments the node belongs to (labels io.exos.env.<name>=true), sorted.
	Envs []string
	Raw  swarm.Node
}

// NewNode derives a Node's index fields from the Engine API object.
func NewNode(n swarm.Node) *Node {
	return &Node{
		ID:           n.ID,
		Hostname:     n.Description.Hostname,
		Role:         string(n.Spec.Role),
		State:        string(n.Status.State),
		Availability: string(n.Spec.Availability),
		Addr:         n.Status.Addr,
		Labels:       n.Spec.Labels,
		Envs:         nodeEnvs(n.Spec.Labels),
		Raw:          n,
	}
}

func nodeEnvs(labels map[string]string) []string {
	var envs []string
	for k, v := range labels {
		if name, ok := strings.CutPrefix(k, nodeLabelEnvPfx); ok && name != "" && v == "true" {
			envs = append(envs, name)
		}
	}
	slices.Sort(envs)
	return envs
}

// Service is a swarm service with its stack, environment and EXOS revision. Read-only once
// stored.
type Service struct {
	ID, Name string
	Stack    string // label com.docker.stack.namespace; empty for services outside a stack
	Env      string // label io.exos.env
	Revision int    // label io.exos.stack.revision; 0 when absent or not a number
	Raw      swarm.Service
}

// NewService derives a Service's index fields from the Engine API object.
func NewService(s swarm.Service) *Service {
	labels := s.Spec.Labels
	rev, err := strconv.Atoi(labels[labelRevision])
	if err != nil {
		rev = 0 // natively deployed or hand-edited: no EXOS revision
	}
	return &Service{
		ID:       s.ID,
		Name:     s.Spec.Name,
		Stack:    labels[labelStack],
		Env:      labels[labelEnv],
		Revision: rev,
		Raw:      s,
	}
}

// Task is a swarm task (a container slot). Read-only once stored.
type Task struct {
	ID, ServiceID, NodeID string
	Stack                 string // the stack of the task's service
	Slot                  int
	DesiredState, State   string
	Raw                   swarm.Task
}

// NewTask derives a Task's index fields. stack is the stack of the task's service: the
// caller passes it because task labels are not a reliable source for it.
func NewTask(t swarm.Task, stack string) *Task {
	return &Task{
		ID:           t.ID,
		ServiceID:    t.ServiceID,
		NodeID:       t.NodeID,
		Stack:        stack,
		Slot:         t.Slot,
		DesiredState: string(t.DesiredState),
		State:        string(t.Status.State),
		Raw:          t,
	}
}

// Environment is an EXOS environment (Dev, QA, Prod...). Read-only once stored.
type Environment struct {
	Name, Description string
	CreatedAt         time.Time
}

// Revision is one immutable deploy of a stack. Read-only once stored.
type Revision struct {
	Stack      string
	Number     int
	CreatedAt  time.Time
	Author     string
	RemoteAddr string
	Env        string
	RollbackOf int               // the revision this one redeployed, 0 for a plain deploy
	Images     map[string]string // service name -> resolved image reference
	Template   *TemplateRef      // nil for a deploy from compose files
	// State is "pending", "applied" or "failed"; Failure says what failed ("apply": the
	// deploy was undone; "rollout": Swarm rolled its update back; "recovery": finishing
	// it after a restart failed), Reason why and Compensated what was undone.
	State, Failure, Reason string
	Compensated            []string
	// Data is the full JSON revision document; kept as bytes so lists stay cheap.
	Data []byte
}

// TemplateRef names the catalog template a revision was deployed from.
type TemplateRef struct {
	Catalog, Template, Version, Commit string
}

// sameSwarmMeta reports whether two versions of a swarm object are the same: Swarm bumps
// Version.Index and UpdatedAt on every change it makes.
func sameSwarmMeta(a, b swarm.Meta) bool {
	return a.Version.Index == b.Version.Index && a.UpdatedAt.Equal(b.UpdatedAt)
}
