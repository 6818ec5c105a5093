// Package about is what the plugin says about itself: its version and the metadata
// Docker asks every plugin for. It imports next to nothing, because docker-exos answers
// Docker's question for the metadata before every command (package main).
package about

import "github.com/docker/cli/cli-plugins/metadata"

// Version is the plugin's version, set at build time with
// -ldflags "-X github.com/exos-platform/exos/cli-plugin/about.Version=1.2.3".
// It also picks the default manager image (exos/manager:<Version>).
var Version = "dev"

// Metadata is what `docker-exos docker-cli-plugin-metadata` prints.
func Metadata() metadata.Metadata {
	return metadata.Metadata{
		SchemaVersion:    "0.1.0",
		Vendor:           "EXOS",
		Version:          Version,
		ShortDescription: "Enterprise Swarm platform: environments, stacks, catalog, autoscaling",
		URL:              "https://github.com/exos-platform/exos",
	}
}
