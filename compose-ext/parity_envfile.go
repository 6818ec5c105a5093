package composeext

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/compose-spec/compose-go/v2/types"
)

// resolveEnvironment builds a service's environment like the CLI loader's
// resolveEnvironment: the env_file entries first (read from Input.Attachments, keyed by
// the path as written, and parsed as docker/cli's kvfile does, not as compose's .env),
// then `environment:` over them. In both, a variable with no value or an empty one takes
// the caller's value when there is one (Input.Variables).
func resolveEnvironment(svc *types.ServiceConfig, in Input, files []composeFile, ps *problems) {
	if len(svc.EnvFiles) == 0 && len(svc.Environment) == 0 {
		return
	}
	env := types.MappingWithEquals{}
	for i, f := range svc.EnvFiles {
		key := "services." + svc.Name + ".env_file." + strconv.Itoa(i)
		if len(svc.EnvFiles) == 1 {
			key = "services." + svc.Name + ".env_file"
		}
		lines, err := envFileLines(f.Path, in)
		if err != nil {
			file, line := locate(key, files)
			ps.add(file, line, key, "%s", err.Error())
			continue
		}
		overrideEnvironment(env, types.NewMappingWithEquals(lines), in)
	}
	overrideEnvironment(env, svc.Environment, in)
	svc.Environment = env
	svc.EnvFiles = nil
}

// overrideEnvironment is the loader's updateEnvironment.
func overrideEnvironment(env, vars types.MappingWithEquals, in Input) {
	for k, v := range vars {
		if value, ok := in.Variables[k]; ok && (v == nil || *v == "") {
			env[k] = &value
			continue
		}
		env[k] = v
	}
}

func envFileLines(path string, in Input) ([]string, error) {
	data, ok := in.Attachments[path]
	if !ok {
		return nil, fmt.Errorf("env file %q was not attached", path)
	}
	lines, err := parseEnvFile(data, func(name string) (string, bool) {
		v, ok := in.Variables[name]
		return v, ok
	})
	if err != nil {
		return nil, fmt.Errorf("env file %s: %w", path, err)
	}
	return lines, nil
}

// parseEnvFile is docker/cli's pkg/kvfile parseKeyValueFile: KEY=VALUE lines kept as they
// are (no quotes, no interpolation), a KEY alone takes lookup's value or is left out,
// leading whitespace and # comments skipped.
func parseEnvFile(data []byte, lookup func(string) (string, bool)) ([]string, error) {
	lines := []string{}
	scanner := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; scanner.Scan(); n++ {
		raw := scanner.Bytes()
		if !utf8.Valid(raw) {
			return []string{}, fmt.Errorf("invalid utf8 bytes at line %d: %v", n, raw)
		}
		if n == 1 {
			raw = bytes.TrimPrefix(raw, []byte{0xEF, 0xBB, 0xBF})
		}
		line := strings.TrimLeftFunc(string(raw), unicode.IsSpace)
		if line == "" || line[0] == '#' {
			continue
		}
		key, _, hasValue := strings.Cut(line, "=")
		if key == "" {
			return []string{}, fmt.Errorf("no variable name on line '%s'", line)
		}
		if strings.ContainsAny(key, " \t") {
			return []string{}, fmt.Errorf("variable '%s' contains whitespaces", key)
		}
		if hasValue {
			lines = append(lines, line)
		} else if v, ok := lookup(line); ok {
			lines = append(lines, key+"="+v)
		}
	}
	return lines, scanner.Err()
}

// EnvFileVariables returns the names an env file takes from the caller's environment: the
// variables with no value or an empty one, so that a client sends only those.
func EnvFileVariables(data []byte) []string {
	var names []string
	lines, _ := parseEnvFile(data, func(string) (string, bool) { return "", true })
	for _, l := range lines {
		if name, value, _ := strings.Cut(l, "="); value == "" {
			names = append(names, name)
		}
	}
	return names
}
