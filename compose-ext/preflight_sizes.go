package composeext

import (
	"encoding/json"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

const (
	// swarmkit manager/controlapi/config.go: MaxConfigSize; validateConfigSpec wants
	// 0 < len(data) < MaxConfigSize.
	maxConfigSize = 1000 * 1024
	// swarmkit api/validation/secrets.go: MaxSecretSize; ValidateSecretPayload (from
	// controlapi/secret.go validateSecretSpec, for secrets without a driver) wants
	// 0 < len(data) < MaxSecretSize.
	maxSecretSize = 500 * 1024
	// swarmkit manager/state/store/memory.go: MaxTransactionBytes, which
	// manager/state/raft/raft.go ProposeValue enforces on every encoded write
	// (ErrRequestTooLarge). The gRPC limit (transport.GRPCMaxMsgSize, 4 MiB) is larger.
	maxRaftEntry = 1536 * 1024
	// maxServiceSpec: controlapi/service.go UpdateService keeps the old spec as
	// PreviousSpec, so an update writes two specs in one entry. A bigger spec can be
	// created but never updated or scaled again.
	maxServiceSpec = maxRaftEntry / 2
)

// sizes checks config and secret data against Swarm's limits, and every object the
// stack writes against the Raft entry limit.
func (c *preflight) sizes() {
	configs := objectRefs("configs", c.ns, c.p.Configs, func(o types.ConfigObjConfig) string { return o.Name })
	for _, cfg := range c.st.Configs {
		if cfg.External {
			continue
		}
		ref := configs[cfg.Spec.Name]
		path := ref.path()
		obj := types.FileObjectConfig(c.p.Configs[ref.key])
		c.data("config", cfg.Spec.Name, dataKey(path, obj), cfg.Spec.Data, maxConfigSize)
		spec := cfg.Spec
		spec.Data = nil // counted raw below, not as JSON's base64
		c.objectSize("config", cfg.Spec.Name, path, encodedSize(spec)+len(cfg.Spec.Data))
	}
	secrets := objectRefs("secrets", c.ns, c.p.Secrets, func(o types.SecretConfig) string { return o.Name })
	for _, sec := range c.st.Secrets {
		if sec.External || sec.Keep {
			continue
		}
		ref := secrets[sec.Spec.Name]
		path := ref.path()
		obj := types.FileObjectConfig(c.p.Secrets[ref.key])
		if sec.Spec.Driver == nil { // a driver supplies the data itself
			c.data("secret", sec.Spec.Name, dataKey(path, obj), sec.Spec.Data, maxSecretSize)
		}
		spec := sec.Spec
		spec.Data = nil
		c.objectSize("secret", sec.Spec.Name, path, encodedSize(spec)+len(sec.Spec.Data))
	}
	nets := c.networkRefs()
	for _, n := range c.st.Networks {
		if !n.External {
			c.objectSize("network", n.Name, nets[n.Name].path(), encodedSize(n.Create)+len(n.Name))
		}
	}
	for _, svc := range c.st.Services {
		if size := encodedSize(svc.Spec); size > maxServiceSpec {
			c.problem("services."+svc.Name, "service %q is about %d bytes encoded: Swarm stores a service with its previous spec in one Raft entry of at most %d bytes, so a spec over %d can be created but never updated or scaled: move large values (environment, command) into a config or secret", svc.Spec.Name, size, maxRaftEntry, maxServiceSpec)
		}
	}
}

// dataKey is the key that gave a config or secret its data.
func dataKey(path string, obj types.FileObjectConfig) string {
	switch {
	case obj.File != "":
		return path + ".file"
	case obj.Environment != "":
		return path + ".environment"
	case obj.Content != "":
		return path + ".content"
	}
	return path
}

// data checks a payload against Swarm's bounds: not empty and under max.
func (c *preflight) data(kind, name, key string, data []byte, limit int) {
	if c.reported(key) {
		return // no data because of a problem already reported (a missing file...)
	}
	switch {
	case len(data) == 0:
		c.problem(key, "%s %q is empty: Swarm refuses a %s without data, so give it some content", kind, name, kind)
	case len(data) >= limit:
		c.problem(key, "%s %q is %d bytes: Swarm takes less than %d (%d KiB), so keep large files out of %ss (put them in the image or a volume)", kind, name, len(data), limit, limit/1024, kind)
	}
}

func (c *preflight) objectSize(kind, name, key string, size int) {
	if size > maxRaftEntry {
		c.problem(key, "%s %q is about %d bytes encoded: Swarm refuses an object over %d bytes (one Raft entry), so shorten its labels and options", kind, name, size, maxRaftEntry)
	}
}

// reported reports whether a problem was already recorded for key or a parent of it.
func (c *preflight) reported(key string) bool {
	for _, p := range c.ps.list {
		if p.Key != "" && (p.Key == key || strings.HasPrefix(key, p.Key+".")) {
			return true
		}
	}
	return false
}

// encodedSize approximates the bytes of v in a Raft entry by its JSON. Protobuf spends
// no more than JSON on the same strings, and JSON's field names add a few KiB at most,
// so the estimate errs on the large side by a margin small next to the limits. HTML is
// not escaped: protobuf does not escape it either.
func encodedSize(v any) int {
	var n byteCounter
	enc := json.NewEncoder(&n)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return int(n)
}

type byteCounter int

func (n *byteCounter) Write(p []byte) (int, error) {
	*n += byteCounter(len(p))
	return len(p), nil
}
