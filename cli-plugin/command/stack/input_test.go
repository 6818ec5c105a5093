package stack

import (
	"errors"
	"io/fs"
	"testing"

	composeext "github.com/exos-platform/exos/compose-ext"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestCollectAttachments(t *testing.T) {
	base := composeext.File{Name: "docker-compose.yml", Content: []byte(`services:
  api:
    image: x
configs:
  nginx_conf:
    file: ./nginx.conf
  from_env:
    environment: NGINX_CONF
  external_one:
    external: true
secrets:
  db_password:
    file: /run/keys/db
  versioned:
    file: ./certs/${CERT_NAME:-default}.pem
`)}
	override := composeext.File{Name: "prod.yml", Content: []byte(`configs:
  nginx_conf:
    file: ./nginx.conf
  extra:
    file: extra.txt
`)}
	disk := map[string]string{
		"stacks/web/nginx.conf":        "server {}",
		"/run/keys/db":                 "s3cret",
		"stacks/web/certs/default.pem": "PEM",
		"stacks/web/extra.txt":         "extra",
	}
	var reads []string
	read := func(path string) ([]byte, error) {
		reads = append(reads, path)
		if c, ok := disk[path]; ok {
			return []byte(c), nil
		}
		return nil, fs.ErrNotExist
	}
	got, err := collectAttachments([]composeext.File{base, override}, "stacks/web", map[string]string{}, read)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(got, map[string][]byte{
		"./nginx.conf":        []byte("server {}"),
		"/run/keys/db":        []byte("s3cret"),
		"./certs/default.pem": []byte("PEM"),
		"extra.txt":           []byte("extra"),
	}))
	assert.Check(t, is.Len(reads, 4), "a file named twice is read once")
}

func TestCollectAttachmentsExpandsVariables(t *testing.T) {
	f := composeext.File{Name: "c.yml", Content: []byte("secrets:\n  cert:\n    file: ./${CERT}.pem\n")}
	read := func(path string) ([]byte, error) { return []byte(path), nil }
	got, err := collectAttachments([]composeext.File{f}, "d", map[string]string{"CERT": "prod"}, read)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(got, map[string][]byte{"./prod.pem": []byte("d/prod.pem")}))
}

func TestCollectAttachmentsReportsEveryMissingFile(t *testing.T) {
	f := composeext.File{Name: "docker-compose.yml", Content: []byte(`services: {}
configs:
  a:
    file: a.conf
secrets:
  b:
    file: b.key
`)}
	read := func(string) ([]byte, error) { return nil, fs.ErrNotExist }
	_, err := collectAttachments([]composeext.File{f}, "dir", nil, read)
	var verr *composeext.ValidationError
	assert.Assert(t, errors.As(err, &verr))
	assert.Check(t, is.DeepEqual(verr.Problems, []composeext.Problem{
		{File: "docker-compose.yml", Line: 4, Key: "configs.a.file", Message: "file dir/a.conf does not exist"},
		{File: "docker-compose.yml", Line: 7, Key: "secrets.b.file", Message: "file dir/b.key does not exist"},
	}))
}

func TestCollectAttachmentsSkipsInvalidYAML(t *testing.T) {
	f := composeext.File{Name: "c.yml", Content: []byte("configs: [\n")}
	got, err := collectAttachments([]composeext.File{f}, ".", nil, nil)
	assert.NilError(t, err)
	assert.Check(t, is.Len(got, 0))
}

func TestCollectVariables(t *testing.T) {
	compose := composeext.File{Name: "c.yml", Content: []byte(`services:
  api:
    image: api:${TAG}
    environment:
      - LOG=${LOG_LEVEL:-info}
      - HOME_DIR=$HOME_DIR
`)}
	exos := composeext.File{Name: "exos-compose.yml", Content: []byte("api:\n  scale: ${SCALE}\n")}
	env := map[string]string{"TAG": "1.4", "LOG_LEVEL": "", "SCALE": "3", "PATH": "/usr/bin", "AWS_SECRET": "x"}
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	got := collectVariables([]composeext.File{compose, exos}, lookup)
	// HOME_DIR is unset: left out, so the files decide (default or error).
	assert.Check(t, is.DeepEqual(got, map[string]string{"TAG": "1.4", "LOG_LEVEL": "", "SCALE": "3"}))
}

func TestLoadInputNeedsAComposeFile(t *testing.T) {
	_, err := loadInput("web", fileOptions{}, nil, noEnv)
	assert.Error(t, err, "give at least one compose file with -c")
}
