//go:build tools

// Package exos pins the dependencies the packages under construction import, so go.sum is
// complete while they are written. Removed once every package imports what it needs.
package exos

import (
	_ "github.com/compose-spec/compose-go/v2/loader"
	_ "github.com/compose-spec/compose-go/v2/template"
	_ "github.com/compose-spec/compose-go/v2/types"
	_ "github.com/distribution/reference"
	_ "github.com/docker/cli/cli-plugins/metadata"
	_ "github.com/docker/cli/cli-plugins/plugin"
	_ "github.com/docker/cli/cli/command"
	_ "github.com/docker/cli/cli/command/formatter"
	_ "github.com/docker/cli/cli/compose/convert"
	_ "github.com/docker/cli/cli/compose/loader"
	_ "github.com/docker/cli/cli/config"
	_ "github.com/docker/docker/api/types/filters"
	_ "github.com/docker/docker/api/types/swarm"
	_ "github.com/docker/docker/client"
	_ "github.com/docker/go-units"
	_ "github.com/go-viper/mapstructure/v2"
	_ "github.com/hashicorp/go-memdb"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/prometheus/client_golang/prometheus/promhttp"
	_ "github.com/spf13/cobra"
	_ "gopkg.in/yaml.v3"
	_ "gotest.tools/v3/assert"
	_ "gotest.tools/v3/golden"
	_ "gotest.tools/v3/icmd"
	_ "golang.org/x/sync/errgroup"
)
