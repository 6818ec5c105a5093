package hooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/distribution/reference"
	"github.com/exos-platform/exos/manager/api"
)

// Formats of a delivery to a deploy hook, all accepted on the same URL.
const (
	FormatNative    = "native"    // {"image","tag","digest"}, from a CI
	FormatPortainer = "portainer" // an empty body and ?tag=, as Portainer's service webhooks
	FormatRegistry  = "registry"  // a distribution registry notification envelope
	FormatDockerHub = "dockerhub" // a Docker Hub repository webhook
	FormatHarbor    = "harbor"    // a Harbor webhook (PUSH_ARTIFACT)
)

// Push is one pushed image a delivery asks to deploy.
type Push struct {
	// Repository is the image's normalized name ("registry:5000/team/app",
	// "docker.io/library/nginx"); empty when the delivery names none (Portainer-style,
	// or a native body with only a tag), so the hook's scope says which.
	Repository string
	Tag        string
	// Digest is "sha256:..." when the delivery carries it; empty means the tag is
	// resolved through the registry.
	Digest string
	// EventID is a registry notification's event id, by which retries are recognized.
	EventID string
}

// Payload is what a delivery asks for: the pushes to deploy, in the order sent, and why
// each event that asks for none was ignored.
type Payload struct {
	Format  string
	Pushes  []Push
	Ignored []string
}

// deployMediaTypes are the manifest and index media types a registry notification
// carries for a push of something that runs; blob and signature pushes are not deploys.
var deployMediaTypes = map[string]bool{
	"application/vnd.docker.distribution.manifest.v2+json":      true,
	"application/vnd.docker.distribution.manifest.list.v2+json": true,
	"application/vnd.oci.image.manifest.v1+json":                true,
	"application/vnd.oci.image.index.v1+json":                   true,
}

// DetectPayload tells the format of a delivery's body (with its query, for ?tag=) and
// reads the pushes it asks for. It is pure: every error wraps api.ErrInvalid and says
// what is wrong with the body.
func DetectPayload(body []byte, query url.Values) (Payload, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return portainer(query)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil {
		return Payload{}, invalid("the body is not a JSON object: %v", err)
	}
	switch {
	case keys["events"] != nil:
		return registryEnvelope(body)
	case keys["push_data"] != nil:
		return dockerHub(body)
	case keys["event_data"] != nil || keys["type"] != nil:
		return harbor(body)
	}
	return native(body, query)
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{api.ErrInvalid}, args...)...)
}

// acceptedFormats ends the error of a body in no format EXOS knows.
const acceptedFormats = `a deploy hook accepts {"image":"REPO","tag":"TAG","digest":"sha256:..."}, ` +
	`an empty body with ?tag=TAG, a registry notification ({"events":[...]}), a Docker Hub or a Harbor webhook`

func portainer(query url.Values) (Payload, error) {
	tag := query.Get("tag")
	if tag == "" {
		return Payload{}, invalid("the body is empty and there is no ?tag=: %s", acceptedFormats)
	}
	p := Push{Tag: tag}
	if err := p.check("?tag="); err != nil {
		return Payload{}, err
	}
	return Payload{Format: FormatPortainer, Pushes: []Push{p}}, nil
}

type nativeBody struct {
	Image  string `json:"image"`
	Tag    string `json:"tag"`
	Digest string `json:"digest"`
}

func native(body []byte, query url.Values) (Payload, error) {
	var b nativeBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Payload{}, invalid("the body is in no known format (%v): %s", err, acceptedFormats)
	}
	if b.Tag == "" {
		b.Tag = query.Get("tag")
	}
	p := Push{Tag: b.Tag, Digest: b.Digest}
	if b.Image != "" {
		ref, err := reference.ParseNormalizedNamed(b.Image)
		if err != nil {
			return Payload{}, invalid("image %q is not an image reference: %v", b.Image, err)
		}
		p.Repository = ref.Name()
		if t, ok := ref.(reference.Tagged); ok {
			if p.Tag != "" && p.Tag != t.Tag() {
				return Payload{}, invalid("image %q has tag %q but tag says %q; give the tag once", b.Image, t.Tag(), p.Tag)
			}
			p.Tag = t.Tag()
		}
		if d, ok := ref.(reference.Digested); ok {
			if p.Digest != "" && p.Digest != d.Digest().String() {
				return Payload{}, invalid("image %q has digest %s but digest says %s; give the digest once", b.Image, d.Digest(), p.Digest)
			}
			p.Digest = d.Digest().String()
		}
	}
	if p.Tag == "" && p.Digest == "" {
		return Payload{}, invalid(`the body names no tag and no digest: send {"image":"REPO","tag":"TAG"} (and "digest" if you know it)`)
	}
	if err := p.check("the body"); err != nil {
		return Payload{}, err
	}
	return Payload{Format: FormatNative, Pushes: []Push{p}}, nil
}

// registryEvent is the part of a distribution notification event a deploy reads.
type registryEvent struct {
	ID     string `json:"id"`
	Action string `json:"action"`
	Target struct {
		MediaType  string `json:"mediaType"`
		Digest     string `json:"digest"`
		Repository string `json:"repository"`
		URL        string `json:"url"`
		Tag        string `json:"tag"`
	} `json:"target"`
	Request struct {
		Host string `json:"host"`
	} `json:"request"`
}

func registryEnvelope(body []byte) (Payload, error) {
	var env struct {
		Events []registryEvent `json:"events"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return Payload{}, invalid("the registry notification is malformed: %v", err)
	}
	out := Payload{Format: FormatRegistry}
	for i, e := range env.Events {
		key := fmt.Sprintf("events[%d]", i)
		switch {
		case e.Action != "push":
			out.Ignored = append(out.Ignored, fmt.Sprintf("%s: action %q is not a push", key, e.Action))
			continue
		case !deployMediaTypes[e.Target.MediaType]:
			out.Ignored = append(out.Ignored, fmt.Sprintf("%s: media type %q is not an image manifest or index", key, e.Target.MediaType))
			continue
		case e.Target.Tag == "":
			out.Ignored = append(out.Ignored, key+": a push by digest, without a tag")
			continue
		case e.ID == "":
			return Payload{}, invalid("%s: the event has no id, so a retry could not be told from a new push", key)
		}
		repo, err := eventRepository(e)
		if err != nil {
			return Payload{}, invalid("%s: %v", key, err)
		}
		p := Push{Repository: repo, Tag: e.Target.Tag, Digest: e.Target.Digest, EventID: e.ID}
		if err := p.check(key); err != nil {
			return Payload{}, err
		}
		out.Pushes = append(out.Pushes, p)
	}
	return out, nil
}

// eventRepository names the pushed repository as the pusher did: the registry gives the
// path only, and the host the push was sent to (request.host, else the target URL's).
func eventRepository(e registryEvent) (string, error) {
	host := e.Request.Host
	if host == "" {
		if u, err := url.Parse(e.Target.URL); err == nil {
			host = u.Host
		}
	}
	if host == "" || e.Target.Repository == "" {
		return "", errors.New("the event names no repository or no registry host (target.repository, request.host)")
	}
	return normalizedName(host + "/" + e.Target.Repository)
}

func dockerHub(body []byte) (Payload, error) {
	var b struct {
		PushData struct {
			Tag string `json:"tag"`
		} `json:"push_data"`
		Repository struct {
			RepoName string `json:"repo_name"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return Payload{}, invalid("the Docker Hub webhook is malformed: %v", err)
	}
	if b.Repository.RepoName == "" || b.PushData.Tag == "" {
		return Payload{}, invalid("the Docker Hub webhook has no repository.repo_name or no push_data.tag")
	}
	repo, err := normalizedName("docker.io/" + b.Repository.RepoName)
	if err != nil {
		return Payload{}, invalid("repository.repo_name: %v", err)
	}
	p := Push{Repository: repo, Tag: b.PushData.Tag}
	if err := p.check("push_data"); err != nil {
		return Payload{}, err
	}
	return Payload{Format: FormatDockerHub, Pushes: []Push{p}}, nil
}

func harbor(body []byte) (Payload, error) {
	var b struct {
		Type      string `json:"type"`
		EventData struct {
			Resources []struct {
				Digest      string `json:"digest"`
				Tag         string `json:"tag"`
				ResourceURL string `json:"resource_url"`
			} `json:"resources"`
			Repository struct {
				RepoFullName string `json:"repo_full_name"`
			} `json:"repository"`
		} `json:"event_data"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return Payload{}, invalid("the Harbor webhook is malformed: %v", err)
	}
	out := Payload{Format: FormatHarbor}
	if b.Type != "PUSH_ARTIFACT" {
		out.Ignored = append(out.Ignored, fmt.Sprintf("type %q is not PUSH_ARTIFACT", b.Type))
		return out, nil
	}
	for i, r := range b.EventData.Resources {
		key := fmt.Sprintf("event_data.resources[%d]", i)
		if r.Tag == "" {
			out.Ignored = append(out.Ignored, key+": a push by digest, without a tag")
			continue
		}
		repo, err := harborRepository(r.ResourceURL, b.EventData.Repository.RepoFullName)
		if err != nil {
			return Payload{}, invalid("%s: %v", key, err)
		}
		p := Push{Repository: repo, Tag: r.Tag, Digest: r.Digest}
		if err := p.check(key); err != nil {
			return Payload{}, err
		}
		out.Pushes = append(out.Pushes, p)
	}
	if len(out.Pushes) == 0 && len(out.Ignored) == 0 {
		return Payload{}, invalid("the Harbor PUSH_ARTIFACT event has no event_data.resources")
	}
	return out, nil
}

// harborRepository reads the repository from the resource URL (host/project/repo:tag),
// which names Harbor's host; repo_full_name (project/repo) does not.
func harborRepository(resourceURL, fullName string) (string, error) {
	if resourceURL != "" {
		ref, err := reference.ParseNormalizedNamed(resourceURL)
		if err != nil {
			return "", fmt.Errorf("resource_url %q is not an image reference: %v", resourceURL, err)
		}
		return ref.Name(), nil
	}
	if fullName == "" {
		return "", errors.New("no resource_url and no event_data.repository.repo_full_name")
	}
	return normalizedName(fullName)
}

func normalizedName(s string) (string, error) {
	ref, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		return "", fmt.Errorf("%q is not a repository name: %v", s, err)
	}
	if !reference.IsNameOnly(ref) {
		return "", fmt.Errorf("%q is a repository with a tag or a digest, not a repository name", s)
	}
	return ref.Name(), nil
}

// check validates the tag and the digest, which end up in an image reference.
func (p Push) check(where string) error {
	name := p.Repository
	if name == "" {
		name = "example/app" // any valid name: only the tag and the digest are checked
	}
	if p.Tag != "" {
		if _, err := reference.ParseNormalizedNamed(name + ":" + p.Tag); err != nil {
			return invalid("%s: tag %q is not a valid tag (letters, digits, '_', '.', '-', at most 128)", where, p.Tag)
		}
	}
	if p.Digest != "" {
		if _, err := reference.ParseNormalizedNamed(name + "@" + p.Digest); err != nil {
			return invalid("%s: digest %q is not a valid digest (sha256:<64 hex digits>)", where, p.Digest)
		}
	}
	return nil
}
