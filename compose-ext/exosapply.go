package composeext

import (
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/swarm"
)

// applyExos applies validated EXOS settings to a converted spec. EXOS settings win over
// the compose file's: scale over deploy.replicas, health_check over healthcheck,
// upgrade_strategy over the matching update_config fields.
func applyExos(spec *swarm.ServiceSpec, ext ServiceExt, file string, name string, ps *problems) {
	if ext.Scale != nil {
		if spec.Mode.Replicated == nil {
			ps.add(file, 0, "services."+name+".scale", "scale needs a replicated service (deploy.mode is global or a job)")
		} else {
			replicas := *ext.Scale
			spec.Mode.Replicated.Replicas = &replicas
		}
	}
	if hc := ext.HealthCheck; hc != nil {
		spec.TaskTemplate.ContainerSpec.Healthcheck = hc.toSwarm()
	}
	if us := ext.UpgradeStrategy; us != nil {
		spec.UpdateConfig = us.apply(spec.UpdateConfig)
	}
	if a := ext.Autoscale; a != nil {
		a.WriteLabels(spec.Labels)
	}
}

// toSwarm builds a container healthcheck whose test works with busybox: wget for an HTTP
// request line, nc -z for a bare TCP port.
func (h *HealthCheck) toSwarm() *container.HealthConfig {
	port := strconv.Itoa(h.Port)
	test := []string{"CMD", "nc", "-z", "127.0.0.1", port}
	if f := strings.Fields(h.RequestLine); len(f) >= 2 {
		test = []string{"CMD", "wget", "-q", "-O-", "http://127.0.0.1:" + port + f[1]}
	}
	ms := func(v int) time.Duration { return time.Duration(v) * time.Millisecond }
	return &container.HealthConfig{
		Test:        test,
		Interval:    ms(h.Interval),
		Timeout:     ms(h.ResponseTimeout),
		StartPeriod: ms(h.InitializingTimeout),
		Retries:     h.UnhealthyThreshold,
	}
}

// apply sets the fields the strategy gives on uc (created with the CLI's default
// parallelism of 1 when the file has no update_config).
func (u *UpgradeStrategy) apply(uc *swarm.UpdateConfig) *swarm.UpdateConfig {
	if uc == nil {
		uc = &swarm.UpdateConfig{Parallelism: 1}
	}
	if u.StartFirst != nil {
		uc.Order = swarm.UpdateOrderStopFirst
		if *u.StartFirst {
			uc.Order = swarm.UpdateOrderStartFirst
		}
	}
	if u.BatchSize != nil {
		uc.Parallelism = *u.BatchSize
	}
	if u.IntervalMillis != nil {
		uc.Delay = time.Duration(*u.IntervalMillis) * time.Millisecond
	}
	return uc
}
