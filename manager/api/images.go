package api

import (
	"context"
	"net/http"
)

// SetImageRequest deploys one service of a stack at another image, as the stack's next
// revision: `docker exos stack set-image` and deploy hooks send it.
type SetImageRequest struct {
	Service string `json:"service"`
	// Image is repo[:tag][@digest]. A tag is resolved to its digest through the registry
	// the image is in (with a known registry's credentials), and the revision records
	// repo:tag@digest.
	Image string `json:"image"`
	// Guarded makes the rollout start-first, roll back on failure, and monitor the new
	// tasks at least the healthcheck's start period + interval x retries: what a deploy
	// hook asks for, so a broken image never replaces a serving one.
	Guarded bool `json:"guarded,omitempty"`
}

// SetImageResult is what a set-image did. Unchanged says the service already runs that
// digest: no revision was made (Revision is the current one), so retries are safe.
type SetImageResult struct {
	DeployResult
	Image     string `json:"image"` // repo:tag@digest as deployed
	Unchanged bool   `json:"unchanged,omitempty"`
}

// ImageOverride is one service's image set by set-image, as the request gave it.
type ImageOverride struct {
	Image string `json:"image"`
	// Guarded: the service's rollout is start-first, rolls back on failure, and
	// monitors long enough for its healthcheck (see SetImageRequest.Guarded).
	Guarded bool `json:"guarded,omitempty"`
}

// Platform is one platform of an image, as its registry describes it: an entry of its
// index, or its config's for a single image.
type Platform struct {
	OS           string `json:"os"`
	Architecture string `json:"architecture"`
	Variant      string `json:"variant,omitempty"`
}

// SetStackImage deploys one service of a stack at another image, as a new revision.
func (c *Client) SetStackImage(ctx context.Context, name string, req SetImageRequest) (SetImageResult, error) {
	var out SetImageResult
	_, err := c.do(ctx, http.MethodPost, "/api/v1/stacks/"+escape(name)+"/image", nil, req, &out)
	return out, err
}
