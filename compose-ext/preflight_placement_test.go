package composeext

import (
	"context"
	"testing"

	"gotest.tools/v3/assert"
)

// placementCompose places service web with the placement block's lines.
func placementCompose(lines string) string {
	return deployCompose("      placement:\n" + lines)
}

func TestPreflightConstraintSyntax(t *testing.T) {
	const how = "; write <key>==<value> or <key>!=<value>, such as node.role==manager or node.labels.disk==ssd"
	runPreflightCases(t, []preflightCase{
		{"no operator", placementCompose("        constraints:\n          - node.role=manager\n"), []Problem{
			at(7, "services.web.deploy.placement.constraints.0", `invalid constraint "node.role=manager": constraint expected one operator from ==, !=`+how),
		}},
		{"bad key", placementCompose("        constraints:\n          - node.role==manager\n          - x==y\n"), []Problem{
			at(8, "services.web.deploy.placement.constraints.1", `invalid constraint "x==y": key 'x' is invalid`+how),
		}},
		{"bad value", placementCompose("        constraints:\n          - node.labels.zone==a>b\n"), []Problem{
			at(7, "services.web.deploy.placement.constraints.0", `invalid constraint "node.labels.zone==a>b": value 'a>b' is invalid`+how),
		}},
		// "==" is looked for first: node.role!==x splits at "==", leaving the key "node.role!".
		{"both operators", placementCompose("        constraints:\n          - node.role!==manager\n"), []Problem{
			at(7, "services.web.deploy.placement.constraints.0", `invalid constraint "node.role!==manager": key 'node.role!' is invalid`+how),
		}},
	})
}

// What Swarm takes but cannot honour loads with a warning.
func TestPreflightPlacementWarnings(t *testing.T) {
	cases := []struct {
		name  string
		lines string
		want  []Problem
	}{
		{"unknown key", "        constraints:\n          - node.name==a\n", []Problem{
			at(7, "services.web.deploy.placement.constraints.0", `constraint "node.name==a": no node ever has node.name, so its tasks would never start: use one of node.id, node.hostname, node.ip, node.role, node.platform.os, node.platform.arch, node.labels.<label> or engine.labels.<label>`),
		}},
		{"bad address", "        constraints:\n          - node.ip==10.0.0\n", []Problem{
			at(7, "services.web.deploy.placement.constraints.0", `constraint "node.ip==10.0.0": 10.0.0 is neither an IP address nor a CIDR subnet, so no node ever matches it`),
		}},
		{"spread", "        preferences:\n          - spread: node.role\n", []Problem{
			at(7, "services.web.deploy.placement.preferences.0", `spread "node.role" is ignored by Swarm, which spreads tasks only over node.labels.<label> or engine.labels.<label>`),
		}},
		{"case", "        constraints:\n          - NODE.Labels.zone==a\n        preferences:\n          - spread: Engine.labels.az\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Load(context.Background(), Input{Stack: "s", ComposeFiles: []File{cfile(placementCompose(tc.lines))}})
			assert.NilError(t, err)
			assert.DeepEqual(t, st.Warnings, tc.want)
		})
	}
}
