// Package composeext loads compose files plus exos-compose.yml (and x-exos keys, and
// rancher-compose.yml), validates them and converts them to Swarm specs exactly as
// `docker stack deploy` would, plus what the EXOS keys add. It does no I/O beyond reading
// what it is given and never talks to Docker.
package composeext

import (
	"slices"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
)

// File is one input file: the name the user gave (used in errors) and its content.
type File struct {
	Name    string
	Content []byte
}

// Input is everything a stack is made from.
type Input struct {
	// Stack is the stack (project) name; it prefixes every object name.
	Stack string
	// ComposeFiles are merged in order, later ones overriding earlier ones.
	ComposeFiles []File
	// ExosFile is an optional exos-compose.yml or rancher-compose.yml.
	ExosFile *File
	// Variables interpolate ${VAR}; the process environment is never read.
	Variables map[string]string
	// Attachments hold the content of files that configs and secrets reference with
	// `file:`, keyed by the path exactly as written in the compose file.
	Attachments map[string][]byte
	// Withheld are variables whose values the caller no longer has: the answers to
	// password questions, which EXOS never records. A secret made from one with
	// `environment:` keeps the swarm's secret as it is (Secret.Keep); any other use of one
	// is a problem asking for the value again. A withheld variable given in Variables is
	// not withheld.
	Withheld []string
	// WorkingDir is the absolute directory, on the client, that relative bind-mount
	// sources (./data) are resolved against: the first compose file's directory, as
	// `docker stack deploy` resolves them. The plugin sends it; the revision records it.
	WorkingDir string
	// HomeDir replaces a leading ~ in bind-mount sources: the client user's home
	// directory, as `docker stack deploy` expands it.
	HomeDir string
	// Strict turns every warning into a problem: Load then refuses what it would only
	// warn about (keys Swarm ignores, unset variables...).
	Strict bool
	// Rancher says the files come from a Rancher 1.x catalog template: the compose v1
	// layout (no version:, services at the top level), rancher-compose.yml in v1 layout,
	// and Rancher's keys and labels are read; what Swarm can express is translated (each
	// translation a warning), what it cannot is refused naming the Rancher feature. Off,
	// Load takes exactly what `docker stack deploy` takes.
	Rancher bool
}

// withheld reports whether the variable's value was withheld.
func (in Input) withheld(name string) bool {
	_, given := in.Variables[name]
	return !given && slices.Contains(in.Withheld, name)
}

// Stack is the converted stack: what a deploy creates, updates or prunes.
type Stack struct {
	Name     string
	Services []Service // sorted by name
	Networks []Network // sorted by name
	Configs  []Config  // sorted by name
	Secrets  []Secret  // sorted by name
	// Catalog is the raw `.catalog` block of the exos file, nil when absent; the catalog
	// package interprets it.
	Catalog map[string]any
	// Warnings are what Load accepted but a user should know: keys Swarm ignores, unset
	// variables defaulted to blank... Sorted like problems. Under Input.Strict Load
	// refuses them instead.
	Warnings []Problem
	// files are the compose files with their node trees, for Locate.
	files []composeFile
}

// Service is one service: its compose name, the Swarm spec and the EXOS settings.
type Service struct {
	Name string // compose name, without the stack prefix
	Spec swarm.ServiceSpec
	Exos ServiceExt
}

// Network is a network the stack uses. External networks must exist; the others are
// created with Create.
type Network struct {
	Name     string // full name on the swarm (stack_net for stack networks)
	External bool
	Create   network.CreateOptions
}

// Config is a Swarm config the stack uses.
type Config struct {
	External bool
	Spec     swarm.ConfigSpec // Spec.Name is the full name on the swarm
}

// Secret is a Swarm secret the stack uses.
type Secret struct {
	External bool
	// Keep uses the stack's existing secret of this name as it is: its content came from
	// a withheld variable, so only the swarm still holds it. It must exist.
	Keep bool
	Spec swarm.SecretSpec
}

// Problem is one thing wrong with the input.
type Problem struct {
	File    string
	Line    int // 0 when the input carries no line for it
	Key     string
	Message string
}

// ValidationError lists every problem found.
type ValidationError struct {
	Problems []Problem
}
