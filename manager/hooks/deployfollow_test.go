package hooks

import (
	"testing"

	"github.com/hashicorp/go-memdb"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// The history ends each deployment with how its rollout ended, once, with Swarm's reason.
func TestHistoryRecordsHowRolloutsEnd(t *testing.T) {
	r := newDeployRig(t)
	h := r.hook(t, api.HookCreateRequest{Service: "web"})
	got, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"2"}`)
	assert.NilError(t, err)
	r.d.Wait()
	r.d.recordEnded(memdb.NewWatchSet())
	assert.Check(t, is.DeepEqual(r.outcomes(h.ID), []string{api.DeliveryAccepted, api.DeliveryDeployed}), "still rolling out")
	r.runTasks(t, "shop_web")
	r.d.recordEnded(memdb.NewWatchSet())
	r.d.recordEnded(memdb.NewWatchSet())
	assert.Check(t, is.DeepEqual(r.outcomes(h.ID), []string{api.DeliveryAccepted, api.DeliveryDeployed, api.DeliveryConverged}))

	got, err = r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"3"}`)
	assert.NilError(t, err)
	r.d.Wait()
	r.rollBack(t, "shop_web", 2)
	r.d.recordEnded(memdb.NewWatchSet())
	hist := r.d.DeployHistory(h.ID, "")
	last := hist[len(hist)-1]
	assert.Check(t, is.Equal(last.Outcome, api.DeliveryRolledBack))
	assert.Check(t, is.Equal(last.Deployment, got.Answer.DeploymentID))
	assert.Check(t, is.Equal(last.Revision, 2))
	assert.Check(t, is.Contains(last.Reason, "Swarm rolled the update back"))
	assert.Check(t, is.Equal(last.Actor, "hook:"+h.ID))
}

// An image of no registry EXOS knows is deployed by its tag: a push of another tag is
// deployed (not taken for the running image, as neither has a digest), and converges
// only once the tasks run that tag.
func TestATagOfAnUnknownRegistryIsDeployed(t *testing.T) {
	r := newDeployRig(t)
	r.resolver.unknown = "docker.io/library/postgres"
	svc := r.index.ServiceByName(nil, "shop_db")
	raw := svc.Raw
	spec := *raw.Spec.TaskTemplate.ContainerSpec
	spec.Image = "postgres:16"
	raw.Spec.TaskTemplate.ContainerSpec = &spec
	assert.NilError(t, r.index.UpsertServices(state.NewService(raw)))
	r.runTasks(t, "shop_db")
	h := r.hook(t, api.HookCreateRequest{Service: "db"})
	got, err := r.deliver(h, "tag=17", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.Status, 202), "%+v", got.Answer)
	r.d.Wait()
	assert.Check(t, is.DeepEqual(r.stacks.deployed(), []string{"db=docker.io/library/postgres:17"}))
	assert.Check(t, is.Equal(r.status(t, h, got.Answer.DeploymentID).Status, api.DeploymentConverging), "the tasks run tag 16")
	r.runTasks(t, "shop_db")
	assert.Check(t, is.Equal(r.status(t, h, got.Answer.DeploymentID).Status, api.DeploymentConverged))
	got, err = r.deliver(h, "tag=17", "")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(got.Status, 200), "the tag runs: a retry changes nothing")
}

func TestSameImage(t *testing.T) {
	d1, d2 := "@"+digest1, "@"+digest2
	for _, tc := range []struct {
		running, pinned string
		same            bool
	}{
		{appRepo + ":1" + d1, appRepo + ":1" + d1, true},
		{appRepo + ":1" + d1, appRepo + ":2" + d1, true},
		{appRepo + ":1" + d1, appRepo + ":1" + d2, false},
		{"other:1" + d1, appRepo + ":1" + d1, false},
		{appRepo + ":1", appRepo + ":1" + d1, false},
		{"postgres:16", "docker.io/library/postgres:16", true},
		{"postgres", "docker.io/library/postgres:latest", true},
		{"postgres:16", "docker.io/library/postgres:17", false},
		{"postgres:16" + d1, "docker.io/library/postgres:16", false},
	} {
		assert.Check(t, is.Equal(sameImage(tc.running, tc.pinned), tc.same), "%s %s", tc.running, tc.pinned)
	}
}

// A deploy made before an earlier one converged ends the earlier one as superseded, in
// its status and in the history: a CI polling it does not wait forever.
func TestADeployBeforeConvergenceSupersedes(t *testing.T) {
	r := newDeployRig(t)
	h := r.hook(t, api.HookCreateRequest{Service: "web"})
	first, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"2"}`)
	assert.NilError(t, err)
	r.d.Wait()
	assert.Check(t, is.Equal(r.status(t, h, first.Answer.DeploymentID).Status, api.DeploymentConverging))
	second, err := r.deliver(h, "", `{"image":"reg:5000/shop/app","tag":"3"}`)
	assert.NilError(t, err)
	r.d.Wait()
	st := r.status(t, h, first.Answer.DeploymentID)
	assert.Check(t, is.Equal(st.Status, api.DeploymentSuperseded))
	assert.Check(t, is.Contains(st.Reason, "revision 2 has since replaced it with "+pinned("3", digest3)))
	assert.Check(t, is.Equal(r.status(t, h, second.Answer.DeploymentID).Status, api.DeploymentConverging))
	r.d.recordEnded(memdb.NewWatchSet())
	hist := r.d.DeployHistory(h.ID, "")
	last := hist[len(hist)-1]
	assert.Check(t, is.Equal(last.Outcome, api.DeliverySuperseded))
	assert.Check(t, is.Equal(last.Deployment, first.Answer.DeploymentID))
}
