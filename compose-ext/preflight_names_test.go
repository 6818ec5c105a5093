package composeext

import (
	"testing"

	"gotest.tools/v3/assert"
)

// A bad stack name is the name's problem, not the compose file's.
func TestPreflightStackName(t *testing.T) {
	const compose = "services:\n  w:\n    image: busybox\n"
	stack61, stack62 := long("a", 61), long("a", 62)
	cases := []struct {
		stack string
		want  []Problem
	}{
		{"", []Problem{{Key: "stack", Message: `invalid stack name "": give the stack a name`}}},
		{` "' `, []Problem{{Key: "stack", Message: `invalid stack name " \"' ": give the stack a name`}}},
		{"MyApp", []Problem{{Key: "stack", Message: `invalid stack name "MyApp": use only lowercase letters, digits, '-' and '_', starting with a letter or digit (for example "myapp")`}}},
		{"my.app", []Problem{{Key: "stack", Message: `invalid stack name "my.app": use only lowercase letters, digits, '-' and '_', starting with a letter or digit (for example "myapp")`}}},
		{"_", []Problem{{Key: "stack", Message: `invalid stack name "_": use only lowercase letters, digits, '-' and '_', starting with a letter or digit`}}},
		{stack62, []Problem{{Key: "stack", Message: `stack name "` + stack62 + `" is 62 characters: Swarm names services <stack>_<service> in at most 63, so use a stack name of at most 61`}}},
		// The service fits; the network the stack makes for it does not.
		{stack61, []Problem{at(0, "networks.default", `network name "`+stack61+`_default" is 69 characters, counting the stack name and "_": Swarm allows at most 63, so use a shorter stack or network name`)}},
		{"my-app_2", nil},
	}
	for _, tc := range cases {
		t.Run(tc.stack, func(t *testing.T) {
			got := snippetProblems(t, Input{Stack: tc.stack, ComposeFiles: []File{cfile(compose)}})
			assert.DeepEqual(t, got, tc.want)
		})
	}
}

func TestPreflightObjectNames(t *testing.T) {
	name62, name63 := long("web", 62), long("cfg", 63)
	runPreflightCases(t, []preflightCase{
		{"service name too long", "services:\n  " + name62 + ":\n    image: busybox\n", []Problem{
			at(2, "services."+name62, `service name "s_`+name62+`" is 64 characters, counting the stack name and "_": Swarm allows at most 63, so use a shorter stack or service name`),
		}},
		{"dot in a service name", "services:\n  my.web:\n    image: busybox\n", []Problem{
			at(2, "services.my.web", `service name "s_my.web" is not valid on Swarm: use only letters, digits, '-' and '_', starting and ending with a letter or digit`),
		}},
		{"network name too long", "services:\n  web:\n    image: busybox\n    networks: [" + name62 + "]\nnetworks:\n  " + name62 + ": {}\n", []Problem{
			at(6, "networks."+name62, `network name "s_`+name62+`" is 64 characters, counting the stack name and "_": Swarm allows at most 63, so use a shorter stack or network name`),
		}},
		{"network name set", "services:\n  web:\n    image: busybox\n    networks: [front]\nnetworks:\n  front:\n    name: my net\n", []Problem{
			at(7, "networks.front.name", `network name "my net" is not valid on Swarm: use only letters, digits, '-' and '_', starting and ending with a letter or digit`),
		}},
		{"config name too long", "services:\n  web:\n    image: busybox\nconfigs:\n  " + name63 + ":\n    content: x\n", []Problem{
			at(5, "configs."+name63, `config name "s_`+name63+`" is 65 characters, counting the stack name and "_": Swarm allows at most 64, so use a shorter stack or config name`),
		}},
		{"secret name set", "services:\n  web:\n    image: busybox\nsecrets:\n  pw:\n    name: pw-\n    environment: PW\n", []Problem{
			at(6, "secrets.pw.name", `secret name "pw-" is not valid on Swarm: use only letters, digits, '-', '_' and '.', starting and ending with a letter or digit`),
		}},
		{"local volume name", volumeCompose("    name: my data\n"), []Problem{
			at(10, "volumes.data.name", `volume name "my data" is not valid for the local driver: use at least two letters, digits, '_', '.' or '-', starting with a letter or digit`),
		}},
		{"volume of a plugin", volumeCompose("    name: my data\n    driver: rexray\n"), nil},
		// Swarm expands the template for each task before the daemon creates the volume.
		{"volume name template", volumeCompose("    name: \"data-{{.Task.Slot}}\"\n"), nil},
		{"external objects are the swarm's", "services:\n  web:\n    image: busybox\n    networks: [ext]\n    configs: [cfg]\nnetworks:\n  ext: {external: true, name: some.net}\nconfigs:\n  cfg: {external: true, name: -odd-}\n", nil},
	})
}

// volumeCompose mounts volume data, whose definition ends with def.
func volumeCompose(def string) string {
	return "services:\n  web:\n    image: busybox\n    volumes:\n      - type: volume\n        source: data\n        target: /data\nvolumes:\n  data:\n" + def
}
