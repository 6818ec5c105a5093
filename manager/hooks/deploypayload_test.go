package hooks

import (
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const (
	digestA = "sha256:855ec70af64c8ca6c98c90f536ae567dff5856d698baf10172b4628d73e55c06"
	digestB = "sha256:8a9e9863dbb6e10edb5adfe917c00da84e1700fa76e7ed02476aa6e6fb8ee0d8"
)

func sample(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	assert.NilError(t, err)
	return string(data)
}

func TestDetectPayload(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		query   string
		want    Payload
		wantErr string
	}{
		{name: "real registry notification", body: sample(t, "registry-push-event.json"), want: Payload{Format: FormatRegistry, Pushes: []Push{
			{Repository: "127.0.0.1:5000/harness/busybox", Tag: "1", Digest: digestA, EventID: "47764a45-215b-4697-841a-4f92d8a25652"}}}},
		{name: "Docker Hub webhook", body: sample(t, "dockerhub-push.json"), want: Payload{Format: FormatDockerHub, Pushes: []Push{
			{Repository: "docker.io/exosdemo/shop", Tag: "1.4.2"}}}},
		{name: "Harbor PUSH_ARTIFACT", body: sample(t, "harbor-push-artifact.json"), want: Payload{Format: FormatHarbor, Pushes: []Push{
			{Repository: "hub.harbor.com/test-webhook/debian", Tag: "latest", Digest: digestB}}}},
		{name: "native", body: `{"image":"reg:5000/team/app","tag":"1.4.2","digest":"` + digestA + `"}`, want: Payload{Format: FormatNative, Pushes: []Push{
			{Repository: "reg:5000/team/app", Tag: "1.4.2", Digest: digestA}}}},
		{name: "native, tag in the image", body: `{"image":"reg:5000/app:2"}`, want: Payload{Format: FormatNative, Pushes: []Push{
			{Repository: "reg:5000/app", Tag: "2"}}}},
		{name: "native, docker hub short name", body: `{"image":"nginx","tag":"1.27"}`, want: Payload{Format: FormatNative, Pushes: []Push{
			{Repository: "docker.io/library/nginx", Tag: "1.27"}}}},
		{name: "native, tag only", body: `{"tag":"3"}`, want: Payload{Format: FormatNative, Pushes: []Push{{Tag: "3"}}}},
		{name: "native with ?tag=", body: `{"image":"reg:5000/app"}`, query: "tag=4", want: Payload{Format: FormatNative, Pushes: []Push{
			{Repository: "reg:5000/app", Tag: "4"}}}},
		{name: "Portainer-style", body: "", query: "tag=1.5", want: Payload{Format: FormatPortainer, Pushes: []Push{{Tag: "1.5"}}}},
		{name: "Portainer-style, whitespace body", body: " \n", query: "tag=1.5", want: Payload{Format: FormatPortainer, Pushes: []Push{{Tag: "1.5"}}}},
		{name: "registry pull, blob push and digest push ignored", body: `{"events":[
			{"id":"1","action":"pull","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","repository":"app","tag":"1"},"request":{"host":"r:5000"}},
			{"id":"2","action":"push","target":{"mediaType":"application/octet-stream","repository":"app","digest":"` + digestA + `"},"request":{"host":"r:5000"}},
			{"id":"3","action":"push","target":{"mediaType":"application/vnd.oci.image.index.v1+json","repository":"app","digest":"` + digestA + `"},"request":{"host":"r:5000"}},
			{"id":"4","action":"push","target":{"mediaType":"application/vnd.oci.image.index.v1+json","repository":"app","tag":"2","digest":"` + digestB + `"},"request":{"host":"r:5000"}}]}`,
			want: Payload{Format: FormatRegistry, Pushes: []Push{{Repository: "r:5000/app", Tag: "2", Digest: digestB, EventID: "4"}}, Ignored: []string{
				`events[0]: action "pull" is not a push`,
				`events[1]: media type "application/octet-stream" is not an image manifest or index`,
				`events[2]: a push by digest, without a tag`}}},
		{name: "registry event host from the target URL", body: `{"events":[{"id":"9","action":"push","target":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
			"repository":"team/app","tag":"v1","url":"https://reg.example:5000/v2/team/app/manifests/v1"}}]}`,
			want: Payload{Format: FormatRegistry, Pushes: []Push{{Repository: "reg.example:5000/team/app", Tag: "v1", EventID: "9"}}}},
		{name: "Harbor other event", body: `{"type":"PULL_ARTIFACT","event_data":{}}`, want: Payload{Format: FormatHarbor, Ignored: []string{`type "PULL_ARTIFACT" is not PUSH_ARTIFACT`}}},

		{name: "not JSON", body: `{"image":`, wantErr: "not a JSON object"},
		{name: "JSON array", body: `[1]`, wantErr: "not a JSON object"},
		{name: "unknown object", body: `{"repo":"app"}`, wantErr: "in no known format"},
		{name: "empty, no tag", body: "", wantErr: "there is no ?tag="},
		{name: "bad tag", body: "", query: "tag=" + url.QueryEscape("a b"), wantErr: `tag "a b" is not a valid tag`},
		{name: "bad digest", body: `{"image":"app","digest":"sha256:xyz"}`, wantErr: `digest "sha256:xyz" is not a valid digest`},
		{name: "bad image", body: `{"image":"Shop","tag":"1"}`, wantErr: "is not an image reference"},
		{name: "two tags", body: `{"image":"app:1","tag":"2"}`, wantErr: "give the tag once"},
		{name: "no tag, no digest", body: `{"image":"app"}`, wantErr: "names no tag and no digest"},
		{name: "registry event without id", body: `{"events":[{"action":"push","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","repository":"app","tag":"1"},"request":{"host":"r"}}]}`, wantErr: "has no id"},
		{name: "registry event without host", body: `{"events":[{"id":"1","action":"push","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","repository":"app","tag":"1"}}]}`, wantErr: "no registry host"},
		{name: "registry events not a list", body: `{"events":{}}`, wantErr: "registry notification is malformed"},
		{name: "Docker Hub without tag", body: `{"push_data":{},"repository":{"repo_name":"a/b"}}`, wantErr: "no push_data.tag"},
		{name: "Harbor push without resources", body: `{"type":"PUSH_ARTIFACT","event_data":{"resources":[]}}`, wantErr: "has no event_data.resources"},
		{name: "Harbor bad resource_url", body: `{"type":"PUSH_ARTIFACT","event_data":{"resources":[{"tag":"1","resource_url":"::"}]}}`, wantErr: "resource_url"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			assert.NilError(t, err)
			got, err := DetectPayload([]byte(tc.body), q)
			if tc.wantErr != "" {
				assert.Check(t, errors.Is(err, api.ErrInvalid), "%v", err)
				assert.Check(t, is.ErrorContains(err, tc.wantErr))
				return
			}
			assert.NilError(t, err)
			assert.Check(t, is.DeepEqual(got, tc.want))
		})
	}
}

// The error of an unknown body says which bodies a deploy hook takes.
func TestDetectPayloadSaysWhatItAccepts(t *testing.T) {
	_, err := DetectPayload([]byte(`{"ref":"main"}`), nil)
	assert.Check(t, is.ErrorContains(err, `{"image":"REPO","tag":"TAG","digest":"sha256:..."}`))
	assert.Check(t, strings.Contains(err.Error(), "Harbor"))
}
