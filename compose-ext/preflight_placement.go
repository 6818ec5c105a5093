package composeext

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// swarmkit manager/constraint/constraint.go: the syntax Parse accepts, which
// controlapi/service.go validatePlacement applies to every constraint.
var (
	constraintKey   = regexp.MustCompile(`^(?i)[a-z_][a-z0-9\-_.]+$`)
	constraintValue = regexp.MustCompile(`^(?i)[a-z0-9:\-_\s\.\*\(\)\?\+\[\]\\\^\$\|\/]+$`)
)

// Constraint keys and spread descriptors the scheduler matches (constraint.NodeMatches,
// scheduler/nodeset.go tree). Swarm accepts any other, but no node ever matches an
// unknown constraint key and an unknown spread descriptor is ignored.
var (
	nodeKeys     = []string{"node.id", "node.hostname", "node.ip", "node.role", "node.platform.os", "node.platform.arch"}
	labelsPrefix = []string{"node.labels.", "engine.labels."}
)

// placement checks constraints as Swarm parses them, and warns about the ones it
// takes but cannot honour.
func (c *preflight) placement(svc Service) {
	p := svc.Spec.TaskTemplate.Placement
	if p == nil {
		return
	}
	for i, expr := range p.Constraints {
		key := serviceKey(svc, "deploy.placement.constraints."+strconv.Itoa(i))
		k, value, err := parseConstraint(expr)
		switch {
		case err != nil:
			c.problem(key, "invalid constraint %q: %v; write <key>==<value> or <key>!=<value>, such as node.role==manager or node.labels.disk==ssd", expr, err)
		case !knownConstraintKey(k):
			c.warn(key, "constraint %q: no node ever has %s, so its tasks would never start: use one of %s, node.labels.<label> or engine.labels.<label>", expr, k, strings.Join(nodeKeys, ", "))
		case strings.EqualFold(k, "node.ip") && !validIPOrCIDR(value):
			c.warn(key, "constraint %q: %s is neither an IP address nor a CIDR subnet, so no node ever matches it", expr, value)
		}
	}
	for i, pref := range p.Preferences {
		if pref.Spread != nil && !hasLabelPrefix(pref.Spread.SpreadDescriptor) {
			key := serviceKey(svc, "deploy.placement.preferences."+strconv.Itoa(i))
			c.warn(key, "spread %q is ignored by Swarm, which spreads tasks only over node.labels.<label> or engine.labels.<label>", pref.Spread.SpreadDescriptor)
		}
	}
}

// parseConstraint is constraint.Parse for one expression: the first operator it holds
// ("==" is looked for before "!="), a key and a value of the allowed characters.
func parseConstraint(expr string) (key, value string, _ error) {
	for _, op := range []string{"==", "!="} {
		if !strings.Contains(expr, op) {
			continue
		}
		parts := strings.SplitN(expr, op, 2)
		key, value = strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
		if !constraintKey.MatchString(key) {
			return "", "", fmt.Errorf("key '%s' is invalid", key)
		}
		if !constraintValue.MatchString(value) {
			return "", "", fmt.Errorf("value '%s' is invalid", value)
		}
		return key, value, nil
	}
	return "", "", errors.New("constraint expected one operator from ==, !=")
}

func knownConstraintKey(key string) bool {
	for _, k := range nodeKeys {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	return hasLabelPrefix(key)
}

// hasLabelPrefix reports whether s names a node or engine label (the prefix, in any
// case, followed by a label).
func hasLabelPrefix(s string) bool {
	for _, prefix := range labelsPrefix {
		if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
			return true
		}
	}
	return false
}

// validIPOrCIDR is what NodeMatches can compare a node.ip to.
func validIPOrCIDR(s string) bool {
	if net.ParseIP(s) != nil {
		return true
	}
	_, _, err := net.ParseCIDR(s)
	return err == nil
}
