package library

import (
	"io/fs"
	"regexp"
	"testing"

	"gopkg.in/yaml.v3"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// TestFSLayout checks the Rancher catalog layout of every Library template. Rendering and
// converting the templates is tested by package catalog, which owns the rendering.
func TestFSLayout(t *testing.T) {
	for _, name := range []string{"glusterfs", "jenkins", "mariadb", "monitoring", "mysql", "postgresql", "redis", "registry"} {
		t.Run(name, func(t *testing.T) {
			dir := "templates/" + name
			var cfg map[string]any
			data, err := fs.ReadFile(FS, dir+"/config.yml")
			assert.NilError(t, err)
			assert.NilError(t, yaml.Unmarshal(data, &cfg))
			for _, key := range []string{"name", "description", "version", "category", "license", "projectURL"} {
				assert.Check(t, cfg[key] != nil && cfg[key] != "", "config.yml has no %s", key)
			}
			assert.Check(t, is.Equal(cfg["maintainer"], "EXOS"))
			_, err = fs.Stat(FS, dir+"/catalogIcon-"+name+".svg")
			assert.Check(t, err)
			for _, file := range []string{"exos-compose.yml", "README.md"} {
				_, err = fs.Stat(FS, dir+"/0/"+file)
				assert.Check(t, err)
			}
			compose := composeFile(t, dir+"/0")
			for _, image := range imageLine.FindAllStringSubmatch(string(compose), -1) {
				assert.Check(t, pinned.MatchString(image[1]) && !latest.MatchString(image[1]),
					"image %s is not pinned to a version tag", image[1])
			}
		})
	}
}

var (
	imageLine = regexp.MustCompile(`(?m)^\s+image:\s*(\S+)`)
	// pinned wants an explicit tag that is not latest (a digest would do too).
	pinned = regexp.MustCompile(`^[^:@]+(:[0-9A-Za-z][0-9A-Za-z._-]*|@sha256:[0-9a-f]{64})$`)
	latest = regexp.MustCompile(`:latest(-|$)`)
)

func composeFile(t *testing.T, dir string) []byte {
	t.Helper()
	for _, file := range []string{"docker-compose.yml", "docker-compose.yml.tpl"} {
		if data, err := fs.ReadFile(FS, dir+"/"+file); err == nil {
			return data
		}
	}
	t.Fatalf("%s has no docker-compose.yml[.tpl]", dir)
	return nil
}
