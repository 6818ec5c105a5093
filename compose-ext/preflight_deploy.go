package composeext

import (
	"math"

	"github.com/docker/docker/api/types/swarm"
)

// mode applies controlapi/service.go validateMode: replica counts are uint64 on the wire,
// but Swarm refuses any over MaxInt64 (what a negative number becomes once cast).
// compose-go's schema refuses a negative deploy.replicas and the exos decode a negative
// scale (wholeNumbers); this holds the rule should a conversion ever let one through.
func (c *preflight) mode(svc Service) {
	m := svc.Spec.Mode
	var counts []*uint64
	switch {
	case m.Replicated != nil:
		counts = []*uint64{m.Replicated.Replicas}
	case m.ReplicatedJob != nil:
		counts = []*uint64{m.ReplicatedJob.MaxConcurrent, m.ReplicatedJob.TotalCompletions}
	}
	for _, n := range counts {
		if n == nil || int64(*n) >= 0 {
			continue
		}
		if svc.Exos.Scale != nil {
			c.exosProblem(svc.Name, "scale", "must be at most %d, Swarm's maximum of replicas", int64(math.MaxInt64))
		} else {
			c.problem(serviceKey(svc, "deploy.replicas"), "must be at most %d, Swarm's maximum of replicas", int64(math.MaxInt64))
		}
		return
	}
}

// isJob reports whether the service runs to completion (a replicated or global job).
func isJob(m swarm.ServiceMode) bool {
	return m.ReplicatedJob != nil || m.GlobalJob != nil
}

// updates applies controlapi/service.go validateServiceSpec to the update settings:
// validateJob for jobs, validateUpdate for the others (Swarm does not check the rollback
// config's values), and the daemon's enums for both (daemon/cluster/convert/service.go
// updateConfigToGRPC).
func (c *preflight) updates(svc Service) {
	uc := svc.Spec.UpdateConfig
	switch {
	case uc != nil && isJob(svc.Spec.Mode):
		c.jobUpdate(svc)
	case uc != nil:
		key := serviceKey(svc, "deploy.update_config")
		if uc.Delay < 0 {
			c.problem(key+".delay", "delay %s is negative, which Swarm refuses: use 0s or more", uc.Delay)
		}
		if uc.Monitor < 0 {
			c.problem(key+".monitor", "monitor %s is negative, which Swarm refuses: use 0s or more", uc.Monitor)
		}
		if uc.MaxFailureRatio < 0 || uc.MaxFailureRatio > 1 {
			c.problem(key+".max_failure_ratio", "max_failure_ratio %v is not between 0 and 1, which Swarm refuses: give the fraction of failed tasks to tolerate, such as 0.2", uc.MaxFailureRatio)
		}
	}
	c.updateEnums(svc, "update_config", uc)
	c.updateEnums(svc, "rollback_config", svc.Spec.RollbackConfig)
}

// jobUpdate blames the key that gave a job its update config: the compose file's
// update_config, else the EXOS upgrade_strategy.
func (c *preflight) jobUpdate(svc Service) {
	if d := c.p.Services[svc.Name].Deploy; d != nil && d.UpdateConfig != nil {
		c.problem(serviceKey(svc, "deploy.update_config"), "a job (deploy.mode: %s) cannot have an update_config, which Swarm refuses: remove it", d.Mode)
		return
	}
	c.exosProblem(svc.Name, "upgrade_strategy", "a job cannot have an upgrade_strategy: Swarm refuses update settings on jobs, so remove it")
}

// updateEnums checks the values the daemon maps to Swarm's enums.
func (c *preflight) updateEnums(svc Service, block string, uc *swarm.UpdateConfig) {
	if uc == nil {
		return
	}
	key := serviceKey(svc, "deploy."+block)
	switch uc.FailureAction {
	case "", swarm.UpdateFailureActionPause, swarm.UpdateFailureActionContinue, swarm.UpdateFailureActionRollback:
	default:
		c.problem(key+".failure_action", "unknown failure_action %q: use pause, continue or rollback", uc.FailureAction)
	}
	switch uc.Order {
	case "", swarm.UpdateOrderStopFirst, swarm.UpdateOrderStartFirst:
	default:
		c.problem(key+".order", "unknown order %q: use stop-first or start-first", uc.Order)
	}
}
