// Package api holds the wire types of the EXOS manager's HTTP API and a Go client for it.
// It imports only the standard library: the CLI plugin and the tests use it, and it must
// stay cheap to import.
package api

import "time"

// File is one input file sent with a deploy: its name as the user gave it (used in error
// messages and stored in the revision) and its content.
type File struct {
	Name    string `json:"name"`
	Content string `json:"content,omitempty"`
	// Base64 marks Content as base64: see NewFile and File.Bytes.
	Base64 bool `json:"base64,omitempty"`
	// Withheld marks a file whose content the manager does not keep (a secret's file in a
	// stored revision).
	Withheld bool `json:"withheld,omitempty"`
}

// DeployRequest asks the manager to deploy (create, update and prune) a stack.
type DeployRequest struct {
	// ComposeFiles are merged in order, later files overriding earlier ones.
	ComposeFiles []File `json:"composeFiles"`
	// ExosFile is the optional exos-compose.yml (or rancher-compose.yml).
	ExosFile *File `json:"exosFile,omitempty"`
	// Variables are the values used to interpolate ${VAR} in the files. The plugin sends
	// only the variables the files reference, never its whole environment.
	Variables map[string]string `json:"variables,omitempty"`
	// Attachments hold the files that configs and secrets reference with `file:`, named
	// by the path exactly as written in the compose file.
	Attachments []File `json:"attachments,omitempty"`
	// Env is the EXOS environment to deploy into. "" keeps the stack where it is (none
	// for a new stack); another name moves it.
	Env string `json:"env,omitempty"`
	// WorkingDir and HomeDir are the client's directories that relative (./data) and home
	// (~/data) bind-mount sources are resolved against, as `docker stack deploy` does.
	WorkingDir string `json:"workingDir,omitempty"`
	HomeDir    string `json:"homeDir,omitempty"`
	// Strict refuses the deploy if it has warnings.
	Strict bool `json:"strict,omitempty"`
	// Prune removes the stack's services that the files no longer have; without it they
	// are kept, as `docker stack deploy` keeps them.
	Prune bool `json:"prune,omitempty"`
	// RegistryAuth are the client's credentials for the registries of the stack's images,
	// by registry host (docker.io for Docker Hub), as X-Registry-Auth values: what
	// `stack deploy --with-registry-auth` sends. They go to Swarm with this deploy's
	// services whose registry EXOS does not know (Swarm keeps them with the service, as
	// for docker stack deploy), and are never recorded, logged or answered.
	RegistryAuth map[string]string `json:"registryAuth,omitempty"`
}

// RollbackRequest asks for the stack to be redeployed from an earlier revision.
type RollbackRequest struct {
	To int `json:"to"`
}

// ServiceChange says what a deploy did to one service.
type ServiceChange struct {
	Name   string `json:"name"`
	Action string `json:"action"` // created, updated, removed
}

// DeployResult is the answer to a deploy or a rollback: the revision it recorded.
type DeployResult struct {
	Stack    string          `json:"stack"`
	Revision int             `json:"revision"`
	Services []ServiceChange `json:"services"`
	// Template is set for a deploy from a catalog template.
	Template *TemplateSource `json:"template,omitempty"`
	// Warnings are what the deploy accepted but a user should know, as recorded in the
	// revision.
	Warnings []Problem `json:"warnings,omitempty"`
	// NotInRevision are services of the stack that the files no longer have, kept
	// because the deploy did not prune.
	NotInRevision []string `json:"notInRevision,omitempty"`
	// Env is the environment the stack is in now ("" for none). Moved says the deploy
	// moved it there, out of PreviousEnv ("" for none).
	Env         string `json:"env,omitempty"`
	Moved       bool   `json:"moved,omitempty"`
	PreviousEnv string `json:"previousEnv,omitempty"`
}

// Stack is one stack as `stack ls` shows it. Stacks deployed natively with
// `docker stack deploy` are listed too, with Revision 0.
type Stack struct {
	Name      string    `json:"name"`
	Env       string    `json:"env,omitempty"`
	Services  int       `json:"services"`
	Revision  int       `json:"revision"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	// Template is the catalog template of the latest revision, without its answers; nil
	// for a stack deployed from compose files.
	Template *TemplateSource `json:"template,omitempty"`
	// UpgradeTo is the newest version of Template the stack may upgrade to (the catalog's
	// upgrade_from ranges), "" when there is none.
	UpgradeTo string `json:"upgradeTo,omitempty"`
	// State is the latest revision's state (RevisionPending...), StackRemoved when the
	// stack has history but nothing left on the swarm, "" for a stack deployed natively.
	State string `json:"state,omitempty"`
	// Drift lists what differs on the swarm from the revision EXOS last applied: changes
	// made natively, which EXOS reports and never reverts.
	Drift []Drift `json:"drift"`
}

// ManagerStack is the stack the EXOS manager itself runs as: no deploy, rollback, removal
// or scaling may touch it except `docker exos manager install/uninstall`.
const ManagerStack = "exos"

// DefaultKeptRevisions is how many revisions of each stack the manager keeps as configs
// of their own unless installed with --revision-history; older ones are archived (still
// listed, read and rolled back to).
const DefaultKeptRevisions = 50

// StackRemoved is the state of a stack whose services are all gone (by `stack rm`, EXOS's
// or docker's); its history is kept and a deploy or a rollback brings it back.
const StackRemoved = "removed"

// Drift is one service that differs on the swarm from the stack's current revision.
type Drift struct {
	Service string `json:"service"` // full name on the swarm
	Kind    string `json:"kind"`    // one of the Drift* kinds
	// Fields are the spec fields that differ (dotted paths of the Engine API's service
	// spec), for DriftUpdated and DriftRolledBack.
	Fields []string `json:"fields,omitempty"`
	// Message says more where there is more to say (Swarm's rollback message).
	Message string `json:"message,omitempty"`
}

// Kinds of drift.
const (
	DriftRemoved       = "removed"         // in the revision, gone from the swarm
	DriftUpdated       = "updated"         // its spec differs from the revision's
	DriftRolledBack    = "rolled-back"     // Swarm rolled the revision's update back
	DriftNotInRevision = "not-in-revision" // on the swarm in the stack, not in the revision
)

// Service is one service of a stack, with its replica counts from the index.
type Service struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Stack string `json:"stack"`
	Env   string `json:"env,omitempty"`
	Image string `json:"image"`
	Mode  string `json:"mode"` // replicated or global
	// Labels are the service's labels (of its spec, not its containers').
	Labels   map[string]string `json:"labels,omitempty"`
	Desired  int               `json:"desired"`
	Running  int               `json:"running"`
	Ports    []string          `json:"ports"`
	Revision int               `json:"revision,omitempty"`
	// UpdateState is Swarm's rolling-update state ("" when no update ran).
	UpdateState   string `json:"updateState,omitempty"`
	UpdateMessage string `json:"updateMessage,omitempty"`
	// Monitor is how long a new task must keep running before the service counts as
	// converged: the spec's update_config.monitor, Swarm's 5s by default.
	Monitor time.Duration `json:"monitor"`
	// Healthcheck says the service's containers have a healthcheck: a task counts only
	// once healthy.
	Healthcheck bool `json:"healthcheck,omitempty"`
}

// Container is one Swarm task of a stack: where it runs and how it is doing.
type Container struct {
	ID           string `json:"id"` // task ID
	Name         string `json:"name"`
	Service      string `json:"service"`
	ServiceID    string `json:"serviceId"`
	Node         string `json:"node"` // hostname
	NodeID       string `json:"nodeId"`
	Image        string `json:"image"`
	DesiredState string `json:"desiredState"`
	State        string `json:"state"`
	Health       string `json:"health,omitempty"`
	Error        string `json:"error,omitempty"`
	Message      string `json:"message,omitempty"`
	ContainerID  string `json:"containerId,omitempty"`
	// ExitCode is the container's exit code once it stopped.
	ExitCode  int       `json:"exitCode,omitempty"`
	Ports     []string  `json:"ports"`
	UpdatedAt time.Time `json:"updatedAt"`
	// Current is false for tasks of an earlier spec of the service (being replaced).
	Current bool `json:"current"`
}

// StackDetail is the answer to `stack inspect`.
type StackDetail struct {
	Stack
	Configs  []string  `json:"configs"`
	Secrets  []string  `json:"secrets"`
	Services []Service `json:"serviceList"`
}

// StackRemoval is the answer to `stack rm`: what was removed from the swarm, in the order
// `docker stack rm` prints it (services, secrets, configs, networks). Removed is empty,
// not nil, when there was nothing to remove; nil from a manager of an earlier version,
// which removes and does not say what.
type StackRemoval struct {
	Removed []RemovedObject `json:"removed"`
}

// RemovedObject is one object a stack removal took off the swarm.
type RemovedObject struct {
	Kind string `json:"kind"` // service, secret, config or network
	Name string `json:"name"`
}

// Revision is one recorded deploy of a stack. Lists of revisions leave the files out.
type Revision struct {
	Stack        string            `json:"stack"`
	Number       int               `json:"number"`
	CreatedAt    time.Time         `json:"createdAt"`
	Author       string            `json:"author"`
	RemoteAddr   string            `json:"remoteAddr,omitempty"`
	Env          string            `json:"env,omitempty"`
	RollbackOf   int               `json:"rollbackOf,omitempty"`
	Images       map[string]string `json:"images"` // service -> image as deployed: repo:tag@sha256:... for a known registry's, else as the files name it
	ComposeFiles []File            `json:"composeFiles,omitempty"`
	ExosFile     *File             `json:"exosFile,omitempty"`
	Variables    map[string]string `json:"variables,omitempty"`
	Attachments  []File            `json:"attachments,omitempty"`
	// Template is set for a revision deployed from a catalog template.
	Template *TemplateSource `json:"template,omitempty"`
	// Withheld are the variables whose values EXOS did not record: password answers.
	// Their secrets stay on the swarm as they are when the revision is deployed again.
	Withheld []string `json:"withheld,omitempty"`
	// WorkingDir, HomeDir and Prune are the deploy's, so that a rollback converts the
	// files exactly as the deploy did.
	WorkingDir string `json:"workingDir,omitempty"`
	HomeDir    string `json:"homeDir,omitempty"`
	Prune      bool   `json:"prune,omitempty"`
	// Warnings are what the deploy accepted but a user should know.
	Warnings []Problem `json:"warnings,omitempty"`
	// ImageOverrides are the images `stack set-image` (or a deploy hook) set on top of
	// the files, by service: kept by the revisions made from this one (set-image,
	// rollback), dropped by a deploy of files.
	ImageOverrides map[string]ImageOverride `json:"imageOverrides,omitempty"`
	// Platforms are, by service, the platforms of the image Images names, for the images
	// a known registry resolved (as the Engine's /distribution endpoint reads them; []
	// for an image that names none). The service's Placement.Platforms come from them, as
	// docker's client sets them, so a revision deployed again needs no registry for them.
	Platforms map[string][]Platform `json:"platforms,omitempty"`
	// State is one of the Revision* states. Reason says why a revision failed, and
	// Compensated what EXOS undid so that the swarm is as it was before.
	State       string   `json:"state"`
	Reason      string   `json:"reason,omitempty"`
	Compensated []string `json:"compensated,omitempty"`
}

// Revision states. A revision is pending from before its first write to the swarm until
// it is applied or has failed; an applied revision is superseded once a later one is
// applied.
const (
	RevisionPending    = "pending"
	RevisionApplied    = "applied"
	RevisionFailed     = "failed"
	RevisionSuperseded = "superseded"
)

// Environment is a named set of nodes (Dev, QA, Prod...).
type Environment struct {
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
	// NodeLabel is the node label that puts a node in this environment.
	NodeLabel string   `json:"nodeLabel"`
	Nodes     []string `json:"nodes"` // hostnames
	Stacks    []string `json:"stacks"`
}

// EnvironmentCreateRequest creates an environment.
type EnvironmentCreateRequest struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Info describes the manager: what `manager status` prints.
type Info struct {
	Version   string    `json:"version"`
	SwarmID   string    `json:"swarmId"`
	NodeID    string    `json:"nodeId"`
	StartedAt time.Time `json:"startedAt"`
	ReadyAt   time.Time `json:"readyAt,omitzero"`
	Nodes     int       `json:"nodes"`
	Services  int       `json:"services"`
	Tasks     int       `json:"tasks"`
	Stacks    int       `json:"stacks"`
	Envs      int       `json:"environments"`
	Index     uint64    `json:"index"`
}

// Problem is one thing wrong with the input, located as precisely as the input allows.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Key     string `json:"key,omitempty"`
	Message string `json:"message"`
}

// ErrorBody is the JSON body of every error answer.
type ErrorBody struct {
	Error    string    `json:"error"`
	Problems []Problem `json:"problems,omitempty"`
}
