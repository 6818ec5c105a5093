// Package server is the manager's HTTP face: the JSON API under /api/v1, receiver hooks
// under /hooks/v1, /healthz, /metrics and the web dashboard at /. Handlers read from the
// index (package state) and reach the stack and environment services through the small
// interfaces declared here.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/web"
	"github.com/hashicorp/go-memdb"
	"github.com/prometheus/client_golang/prometheus"
)

// Stacks deploys and removes stacks; *stacks.Service implements it.
type Stacks interface {
	Deploy(ctx context.Context, name string, req api.DeployRequest, author, remoteAddr string) (api.DeployResult, error)
	Rollback(ctx context.Context, name string, to int, author, remoteAddr string) (api.DeployResult, error)
	Remove(ctx context.Context, name string) (api.StackRemoval, error)
	History(name string) ([]api.Revision, error)
	Revision(name string, number int) (api.Revision, error)
	// Env is the environment stack name is in ("" for none), and whether the stack exists
	// (on the swarm, or in its history).
	Env(name string) (string, bool)
	// Reads from the index; ws, if not nil, watches what they read.
	List(ws memdb.WatchSet, sees func(env string) bool) []api.Stack
	Inspect(name string) (api.StackDetail, error)
	Services(ws memdb.WatchSet, name string) ([]api.Service, error)
	Containers(ws memdb.WatchSet, name string) ([]api.Container, error)
	// SetImage deploys one service at another image; Diff compares two revisions.
	SetImage(ctx context.Context, stack string, req api.SetImageRequest, author, remoteAddr string) (api.SetImageResult, error)
	Diff(ctx context.Context, stack string, from, to int) (api.StackDiff, error)
}

// Environments manages environments; *envs.Service implements it.
type Environments interface {
	Create(ctx context.Context, req api.EnvironmentCreateRequest) (api.Environment, error)
	List() []api.Environment
	Inspect(name string) (api.Environment, error)
	Remove(ctx context.Context, name string) error
	AddNode(ctx context.Context, env, node string) (api.Environment, error)
	RemoveNode(ctx context.Context, env, node string, force bool) (api.Environment, error)
}

// Catalogs keeps the catalogs and reads their templates; *catalogs.Service implements it.
type Catalogs interface {
	Add(ctx context.Context, req api.CatalogAddRequest, author, remoteAddr string) (api.Catalog, error)
	List() []api.Catalog
	Refresh(ctx context.Context, name, author string) ([]api.Catalog, error)
	Remove(ctx context.Context, name string) error
	Templates(catalog, category, env string) ([]api.Template, error)
	Template(catalog, name string) (api.Template, error)
}

// Templates deploys and upgrades catalog templates; *templates.Service implements it.
type Templates interface {
	Deploy(ctx context.Context, name string, req api.TemplateDeployRequest, author, remoteAddr string) (api.DeployResult, error)
	Upgrade(ctx context.Context, name string, req api.StackUpgradeRequest, author, remoteAddr string) (api.DeployResult, error)
	// UpgradeTo is the newest version a stack running catalog/template:version may
	// upgrade to, "" for none.
	UpgradeTo(catalog, template, version string) string
}

// Dashboard computes the bird's-eye view from the index and the agents' reports;
// *dashboard.Service implements it. sees says whether the caller may see an environment
// (principal.Sees): every answer holds only what it lets the caller see, and a host,
// stack, service or environment it does not see answers ErrNotFound, as a missing one.
type Dashboard interface {
	// Ingest takes an agent's report; one from a node the swarm does not know is refused
	// (dashboard.ErrUnknownNode, which answers 403).
	Ingest(report api.AgentReport) error
	// View is the document, narrowed to q.Env if set; user's pins fill its Pinned.
	View(sees func(env string) bool, user string, q api.DashboardQuery) (api.Dashboard, error)
	// Changed returns a channel closed at the next change (a report, the index, a host
	// changing state, pins).
	Changed() <-chan struct{}
	Hosts(sees func(env string) bool) []api.HostLoad
	// Host is one node by ID or hostname.
	Host(sees func(env string) bool, id string) (api.HostDetail, error)
	Usage(sees func(env string) bool, q api.UsageQuery) ([]api.ContainerLoad, error)
	Pins(user string) api.DashboardPins
	SetPins(ctx context.Context, user string, pins api.DashboardPins) (api.DashboardPins, error)
}

// Server serves the API.
type Server struct {
	store      *state.Store
	stacks     Stacks
	envs       Environments
	catalogs   Catalogs
	registries Registries
	templates  Templates
	scaling    Scaling
	deploys    DeployHooks
	authn      Authenticator
	identity   Identity
	audit      AuditLog
	dashboard  Dashboard
	tasks      TaskFeed
	// registered are the API route patterns, for the permission table's test.
	registered []string
	metrics    *metrics
	// agentKey authenticates the agents' reports (empty: every report is refused).
	agentKey     []byte
	agentMetrics agentMetrics
	log          *slog.Logger
	info         func() api.Info
	ready        atomic.Bool
}

// Config wires a Server.
type Config struct {
	Store        *state.Store
	Stacks       Stacks
	Environments Environments
	Catalogs     Catalogs
	Registries   Registries
	Templates    Templates
	Scaling      Scaling
	// Deploys are the deploy hooks (nil: none).
	Deploys DeployHooks
	// Authenticator resolves callers; *identity.Service does.
	Authenticator Authenticator
	// Identity keeps users, groups, roles, sessions and tokens.
	Identity Identity
	// Audit receives the audit events of requests (nil: none are kept).
	Audit AuditLog
	Log   *slog.Logger
	// Info describes the manager for /api/v1/info.
	Info func() api.Info
	// Collectors are other parts' metrics, served on /metrics.
	Collectors []prometheus.Collector
	// Dashboard serves the dashboard and takes the agents' reports (nil: none).
	Dashboard Dashboard
	// Tasks takes the agents' task events and running tasks (nil: they are only counted).
	Tasks TaskFeed
	// AgentKey authenticates agents' reports (nil: reports are refused).
	AgentKey []byte
}

// New returns a server that answers 503 until SetReady.
func New(c Config) *Server {
	m := newMetrics(c.Store)
	m.registry.MustRegister(c.Collectors...)
	if c.Audit == nil {
		c.Audit = noAudit{}
	}
	return &Server{
		store: c.Store, stacks: c.Stacks, envs: c.Environments, catalogs: c.Catalogs, registries: c.Registries, templates: c.Templates, scaling: c.Scaling, deploys: c.Deploys, authn: c.Authenticator, identity: c.Identity, audit: c.Audit,
		log: c.Log, info: c.Info, metrics: m, dashboard: c.Dashboard, tasks: c.Tasks,
		agentKey: c.AgentKey, agentMetrics: newAgentMetrics(m.registry),
	}
}

// SetReady marks the index as built: /healthz answers 200 and the API serves.
func (s *Server) SetReady() { s.ready.Store(true) }

// Handler returns the HTTP handler with every route.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", s.metrics.handler())
	// The web dashboard is static and public, like /healthz: the page calls the API,
	// which authenticates every call. "/" takes only what no other route does.
	mux.Handle("/", web.Handler())
	s.routes(mux)
	return s.metrics.instrument(mux)
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	if !s.ready.Load() {
		http.Error(w, "starting: building the index", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}
