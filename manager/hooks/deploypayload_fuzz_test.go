package hooks

import (
	"net/url"
	"os"
	"reflect"
	"testing"

	"github.com/distribution/reference"
	"github.com/exos-platform/exos/manager/api"
)

// FuzzDeployPayload feeds arbitrary bodies and ?tag= values to the detection every
// delivery to a deploy hook reaches once its token is accepted. A body is refused with a
// 400 that says why, or read into pushes that each make a valid image reference (what
// the deploy will pin), in a known format; the same input always reads the same.
func FuzzDeployPayload(f *testing.F) {
	for _, name := range []string{"registry-push-event.json", "dockerhub-push.json", "harbor-push-artifact.json"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "")
	}
	for _, seed := range [][2]string{
		{`{"image":"reg:5000/app","tag":"1","digest":"` + digestA + `"}`, ""},
		{``, "1.4"}, {`{"tag":"x"}`, ""}, {`{"events":[]}`, ""}, {`{"events":null}`, ""},
		{`{"type":"PUSH_ARTIFACT","event_data":{"resources":[{"tag":"1"}],"repository":{"repo_full_name":"a/b"}}}`, ""},
		{`{"push_data":{"tag":"t"},"repository":{"repo_name":"a/b"}}`, ""}, {`null`, ""}, {`{"image":"app@sha256:00"}`, ""},
	} {
		f.Add([]byte(seed[0]), seed[1])
	}
	formats := map[string]bool{FormatNative: true, FormatPortainer: true, FormatRegistry: true, FormatDockerHub: true, FormatHarbor: true}
	f.Fuzz(func(t *testing.T, body []byte, tag string) {
		q := url.Values{}
		if tag != "" {
			q.Set("tag", tag)
		}
		p, err := DetectPayload(body, q)
		if err != nil {
			if s := api.StatusOf(err); s != 400 || err.Error() == "" {
				t.Fatalf("refused with status %d and message %q, want a 400 that says why", s, err)
			}
			return
		}
		if !formats[p.Format] {
			t.Fatalf("unknown format %q", p.Format)
		}
		for _, push := range p.Pushes {
			checkPush(t, push)
		}
		again, err := DetectPayload(body, q)
		if err != nil || !reflect.DeepEqual(p, again) {
			t.Fatalf("not deterministic: %+v then %+v, %v", p, again, err)
		}
	})
}

func checkPush(t *testing.T, p Push) {
	if p.Tag == "" && p.Digest == "" {
		t.Fatalf("a push with neither tag nor digest: %+v", p)
	}
	name := p.Repository
	if name == "" {
		name = "example/app"
	} else if n, err := reference.ParseNormalizedNamed(name); err != nil || n.Name() != name {
		t.Fatalf("repository %q is not a normalized name: %v", name, err)
	}
	ref := name
	if p.Tag != "" {
		ref += ":" + p.Tag
	}
	if p.Digest != "" {
		ref += "@" + p.Digest
	}
	if _, err := reference.ParseNormalizedNamed(ref); err != nil {
		t.Fatalf("push %+v makes no valid reference %q: %v", p, ref, err)
	}
}
