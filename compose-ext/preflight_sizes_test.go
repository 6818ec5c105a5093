package composeext

import (
	"regexp"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestPreflightConfigAndSecretSizes(t *testing.T) {
	const compose = "services:\n  web:\n    image: busybox\nconfigs:\n  conf:\n    file: ./conf\nsecrets:\n  key:\n    file: ./key\n"
	cases := []struct {
		name      string
		conf, key int
		want      []Problem
	}{
		{"at the limits", maxConfigSize - 1, maxSecretSize - 1, nil},
		{"over the limits", maxConfigSize, maxSecretSize, []Problem{
			at(6, "configs.conf.file", `config "s_conf" is 1024000 bytes: Swarm takes less than 1024000 (1000 KiB), so keep large files out of configs (put them in the image or a volume)`),
			at(9, "secrets.key.file", `secret "s_key" is 512000 bytes: Swarm takes less than 512000 (500 KiB), so keep large files out of secrets (put them in the image or a volume)`),
		}},
		{"empty", 0, 1, []Problem{
			at(6, "configs.conf.file", `config "s_conf" is empty: Swarm refuses a config without data, so give it some content`),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Stack: "s", ComposeFiles: []File{cfile(compose)}, Attachments: map[string][]byte{
				"./conf": []byte(strings.Repeat("c", tc.conf)), "./key": []byte(strings.Repeat("k", tc.key)),
			}}
			assert.DeepEqual(t, snippetProblems(t, in), tc.want)
		})
	}
}

func TestPreflightEmptyData(t *testing.T) {
	runPreflightCases(t, []preflightCase{
		{"from an empty variable", "services:\n  web:\n    image: busybox\nsecrets:\n  pw:\n    environment: EMPTY\n", []Problem{
			at(6, "secrets.pw.environment", `secret "s_pw" is empty: Swarm refuses a secret without data, so give it some content`),
		}},
		// The file's problem is reported once, not again as empty data.
		{"not attached", "services:\n  web:\n    image: busybox\nconfigs:\n  conf:\n    file: ./conf\n", []Problem{
			at(5, "configs.conf.file", `file "./conf" was not attached`),
		}},
	})
}

var aboutBytes = regexp.MustCompile(`about \d+ bytes`)

// Objects over a Raft entry: the size is an estimate, so the test pins all but the number.
func TestPreflightObjectSizes(t *testing.T) {
	big := long("x", maxServiceSpec)
	label := long("l", maxRaftEntry-maxConfigSize)
	cases := []preflightCase{
		{"service", "services:\n  web:\n    image: busybox\n    environment:\n      BIG: " + big + "\n", []Problem{
			at(2, "services.web", `service "s_web" is about N bytes encoded: Swarm stores a service with its previous spec in one Raft entry of at most 1572864 bytes, so a spec over 786432 can be created but never updated or scaled: move large values (environment, command) into a config or secret`),
		}},
		{"config", "services:\n  web:\n    image: busybox\nconfigs:\n  conf:\n    content: " + long("c", maxConfigSize-1) + "\n    labels:\n      big: " + label + "\n", []Problem{
			at(5, "configs.conf", `config "s_conf" is about N bytes encoded: Swarm refuses an object over 1572864 bytes (one Raft entry), so shorten its labels and options`),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := snippetProblems(t, Input{Stack: "s", ComposeFiles: []File{cfile(tc.compose)}})
			for i := range got {
				got[i].Message = aboutBytes.ReplaceAllString(got[i].Message, "about N bytes")
			}
			assert.DeepEqual(t, got, tc.want)
		})
	}
}
