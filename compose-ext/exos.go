package composeext

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ServiceExt holds a service's EXOS settings, from `x-exos` in the compose files merged
// with (and overridden by) its entry in the exos file. Nil fields were not set.
type ServiceExt struct {
	// Scale sets the replicas; it overrides deploy.replicas.
	Scale *uint64 `mapstructure:"scale"`
	// HealthCheck is a Rancher health check; it replaces the compose healthcheck.
	HealthCheck *HealthCheck `mapstructure:"health_check"`
	// UpgradeStrategy sets update_config order, parallelism and delay.
	UpgradeStrategy *UpgradeStrategy `mapstructure:"upgrade_strategy"`
	// Autoscale is the scaling policy the manager applies; it is stored as service labels.
	Autoscale *Autoscale `mapstructure:"autoscale"`
	// ScalePolicy is Rancher's scale_policy; its min/max/increment become Autoscale bounds
	// and steps when autoscale is not set.
	ScalePolicy *ScalePolicy `mapstructure:"scale_policy"`
}

// HealthCheck is Rancher's health_check; times are in milliseconds.
type HealthCheck struct {
	Port                  int    `mapstructure:"port"`
	RequestLine           string `mapstructure:"request_line"`
	Interval              int    `mapstructure:"interval"`
	InitializingTimeout   int    `mapstructure:"initializing_timeout"`
	ReinitializingTimeout int    `mapstructure:"reinitializing_timeout"`
	HealthyThreshold      int    `mapstructure:"healthy_threshold"`
	UnhealthyThreshold    int    `mapstructure:"unhealthy_threshold"`
	ResponseTimeout       int    `mapstructure:"response_timeout"`
	Strategy              string `mapstructure:"strategy"`
}

// UpgradeStrategy is Rancher's upgrade_strategy.
type UpgradeStrategy struct {
	StartFirst     *bool   `mapstructure:"start_first"`
	BatchSize      *uint64 `mapstructure:"batch_size"`
	IntervalMillis *int64  `mapstructure:"interval_millis"`
}

// Autoscale is the EXOS autoscaling policy. Steps are a count ("2") or a percentage of the
// current replicas ("50%").
type Autoscale struct {
	Min      *int   `mapstructure:"min"`
	Max      *int   `mapstructure:"max"`
	StepUp   string `mapstructure:"step_up"`
	StepDown string `mapstructure:"step_down"`
	// Cooldowns are pointers so that an explicit 0s is kept, not taken for unset.
	CooldownUp   *time.Duration `mapstructure:"cooldown_up"`
	CooldownDown *time.Duration `mapstructure:"cooldown_down"`
	Mode         string         `mapstructure:"mode"`
}

// ScalePolicy is Rancher's scale_policy.
type ScalePolicy struct {
	Min       *int `mapstructure:"min"`
	Max       *int `mapstructure:"max"`
	Increment int  `mapstructure:"increment"`
}

// Autoscale modes.
const (
	AutoscaleEnforce = "enforce"
	AutoscaleDryRun  = "dry-run"
)

// fieldError is a semantic problem in a ServiceExt, keyed relative to the service entry.
type fieldError struct{ key, msg string }

// normalize fills defaults (folding scale_policy into autoscale) and validates.
func (e *ServiceExt) normalize() []fieldError {
	var errs []fieldError
	add := func(key, format string, args ...any) {
		errs = append(errs, fieldError{key, fmt.Sprintf(format, args...)})
	}
	if sp := e.ScalePolicy; sp != nil {
		if e.Autoscale != nil {
			add("scale_policy", "set either scale_policy or autoscale, not both")
		} else {
			e.Autoscale = &Autoscale{Min: sp.Min, Max: sp.Max}
			if sp.Increment > 0 {
				e.Autoscale.StepUp = strconv.Itoa(sp.Increment)
				e.Autoscale.StepDown = e.Autoscale.StepUp
			}
		}
	}
	if us := e.UpgradeStrategy; us != nil && us.IntervalMillis != nil && *us.IntervalMillis < 0 {
		add("upgrade_strategy.interval_millis", "must not be negative (it is Swarm's update delay)")
	}
	if hc := e.HealthCheck; hc != nil {
		hc.setDefaults()
		for _, fe := range hc.validate() {
			add("health_check."+fe.key, "%s", fe.msg)
		}
	}
	if a := e.Autoscale; a != nil {
		key := "autoscale"
		if e.ScalePolicy != nil {
			key = "scale_policy"
		}
		a.setDefaults()
		for _, fe := range a.validate() {
			add(key+"."+fe.key, "%s", fe.msg)
		}
	}
	return errs
}

// setDefaults applies Rancher's defaults.
func (h *HealthCheck) setDefaults() {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&h.Interval, 2000)
	def(&h.ResponseTimeout, 2000)
	def(&h.UnhealthyThreshold, 3)
	def(&h.HealthyThreshold, 2)
	def(&h.InitializingTimeout, 60000)
	if h.Strategy == "" {
		h.Strategy = "recreate"
	}
}

func (h *HealthCheck) validate() []fieldError {
	var errs []fieldError
	if h.Port < 1 || h.Port > 65535 {
		errs = append(errs, fieldError{"port", "must be a port number between 1 and 65535"})
	}
	if h.RequestLine != "" {
		if f := strings.Fields(h.RequestLine); len(f) < 2 || !strings.HasPrefix(f[1], "/") {
			errs = append(errs, fieldError{"request_line", `must look like "GET /path HTTP/1.0"`})
		}
	}
	switch h.Strategy {
	case "none", "recreate":
	case "recreateOnQuorum":
		errs = append(errs, fieldError{"strategy", "not supported on Swarm: recreateOnQuorum (use none or recreate)"})
	default:
		errs = append(errs, fieldError{"strategy", fmt.Sprintf("unknown strategy %q (none or recreate)", h.Strategy)})
	}
	for key, v := range map[string]int{"interval": h.Interval, "response_timeout": h.ResponseTimeout,
		"unhealthy_threshold": h.UnhealthyThreshold, "initializing_timeout": h.InitializingTimeout} {
		if v < 0 {
			errs = append(errs, fieldError{key, "must not be negative"})
		}
	}
	return errs
}

func (a *Autoscale) setDefaults() {
	if a.StepUp == "" {
		a.StepUp = "1"
	}
	if a.StepDown == "" {
		a.StepDown = "1"
	}
	if a.CooldownUp == nil {
		up := 60 * time.Second
		a.CooldownUp = &up
	}
	if a.CooldownDown == nil {
		down := 300 * time.Second
		a.CooldownDown = &down
	}
	if a.Mode == "" {
		a.Mode = AutoscaleEnforce
	}
}

func (a *Autoscale) validate() []fieldError {
	var errs []fieldError
	add := func(key, msg string) { errs = append(errs, fieldError{key, msg}) }
	switch {
	case a.Min == nil:
		add("min", "is required")
	case *a.Min < 0:
		add("min", "must be 0 or more")
	}
	switch {
	case a.Max == nil:
		add("max", "is required")
	case *a.Max < 1:
		add("max", "must be 1 or more")
	case a.Min != nil && *a.Min > *a.Max:
		add("min", fmt.Sprintf("must not exceed max (%d > %d)", *a.Min, *a.Max))
	}
	for key, step := range map[string]string{"step_up": a.StepUp, "step_down": a.StepDown} {
		if !validStep(step) {
			add(key, fmt.Sprintf("must be a count of 1 or more or a percentage like \"50%%\", not %q", step))
		}
	}
	if *a.CooldownUp < 0 {
		add("cooldown_up", "must be positive")
	}
	if *a.CooldownDown < 0 {
		add("cooldown_down", "must be positive")
	}
	if a.Mode != AutoscaleEnforce && a.Mode != AutoscaleDryRun {
		add("mode", fmt.Sprintf("unknown mode %q (enforce or dry-run)", a.Mode))
	}
	return errs
}

func validStep(s string) bool {
	n, err := strconv.Atoi(strings.TrimSuffix(s, "%"))
	return err == nil && n >= 1 && (!strings.HasSuffix(s, "%") || n <= 100)
}
