package composeext

import (
	"github.com/docker/docker/api/types/versions"
	"gopkg.in/yaml.v3"
)

// dockerDefaultVersion is the version docker/cli's schema.Version gives a file without
// `version:` (or with "3").
const dockerDefaultVersion = "3.13"

// warnExternalNames warns, in the words docker/cli's loader logs, about top-level objects
// that name an external object with the deprecated `external: {name: x}`. compose-go takes
// it as docker does (name: x, external: true). Like docker, only from version 3.4
// (volumes) or 3.5 (the others) on.
func warnExternalNames(file string, root *yaml.Node, ps *problems) {
	version := fileVersion(root)
	for _, kind := range []struct{ key, noun, since string }{
		{"networks", "network", "3.5"}, {"volumes", "volume", "3.4"},
		{"secrets", "secret", "3.5"}, {"configs", "config", "3.5"},
	} {
		if !versions.GreaterThanOrEqualTo(version, kind.since) {
			continue
		}
		_, objs := mergedChild(root, kind.key)
		for _, obj := range mergedPairs(objs) {
			_, ext := mergedChild(obj.value, "external")
			nameKey, _ := mergedChild(ext, "name")
			if nameKey == nil {
				continue
			}
			ps.warn(file, nameKey.Line, kind.key+"."+obj.key.Value+".external.name",
				"%[1]s %[2]s: %[1]s.external.name is deprecated in favor of %[1]s.name", kind.noun, obj.key.Value)
		}
	}
}

// fileVersion is the file's version as docker/cli's schema.Version normalises it.
func fileVersion(root *yaml.Node) string {
	_, v := child(root, "version")
	if v == nil || v.Kind != yaml.ScalarNode {
		return dockerDefaultVersion
	}
	switch v.Value {
	case "", "3":
		return dockerDefaultVersion
	default:
		return v.Value
	}
}
