package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	stdlog "log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/docker/docker/client"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/audit"
	"github.com/exos-platform/exos/manager/catalogs"
	"github.com/exos-platform/exos/manager/dashboard"
	"github.com/exos-platform/exos/manager/envs"
	"github.com/exos-platform/exos/manager/hooks"
	"github.com/exos-platform/exos/manager/identity"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/registries"
	"github.com/exos-platform/exos/manager/scaler"
	"github.com/exos-platform/exos/manager/server"
	"github.com/exos-platform/exos/manager/stacks"
	"github.com/exos-platform/exos/manager/state"
	"github.com/exos-platform/exos/manager/swarm"
	"github.com/exos-platform/exos/manager/templates"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	listen         string
	taskInterval   time.Duration
	resyncInterval time.Duration
	hookRate       float64
	catalogRefresh time.Duration
	catalogKeyFile string
	agentKeyFile   string
	debug          bool
	tls            tlsOptions
	audit          auditOptions

	revisionHistory int // revision bodies each stack keeps outside its archive
}

func newServeCommand() *cobra.Command {
	opts := serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the EXOS API for the swarm of the Docker engine in DOCKER_HOST",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), opts)
		},
	}
	listen := os.Getenv("EXOS_LISTEN")
	if listen == "" {
		listen = ":7420"
	}
	flags := cmd.Flags()
	flags.StringVar(&opts.listen, "listen", listen, "Address to serve the API on (env EXOS_LISTEN)")
	flags.DurationVar(&opts.taskInterval, "task-interval", 5*time.Second, "The longest wait between polls of the tasks of a node without a reporting agent")
	flags.DurationVar(&opts.resyncInterval, "resync-interval", 30*time.Minute, "How often to re-list everything, repairing whatever events and agents missed")
	flags.DurationVar(&opts.catalogRefresh, "catalog-refresh", 15*time.Minute, "How often to fetch every catalog again (0: only at start)")
	flags.StringVar(&opts.catalogKeyFile, "catalog-key-file", catalogs.KeyFile, "Key that seals the credentials of private catalogs (the Swarm secret exos-catalog-key)")
	flags.StringVar(&opts.agentKeyFile, "agent-key-file", agentKeyFile, "Key the agents authenticate their reports with (the Swarm secret exos-agent-key)")
	flags.Float64Var(&opts.hookRate, "hook-rate", 50, "Deliveries per second each receiver hook accepts (0: no limit)")
	flags.BoolVar(&opts.debug, "debug", false, "Log debug messages")
	addRevisionHistoryFlag(flags, &opts.revisionHistory)
	opts.tls.addFlags(flags)
	opts.audit.addFlags(flags)
	return cmd
}

func runServe(ctx context.Context, opts serveOptions) error {
	level := slog.LevelInfo
	if opts.debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	engine, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return fmt.Errorf("failed to create the Docker client: %w", err)
	}
	m, err := newManager(ctx, engine, opts, log)
	if err != nil {
		return err
	}
	tlsConfig, err := serverTLS(ctx, engine, opts.tls, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return fmt.Errorf("failed to listen on %s: %w", opts.listen, err)
	}
	if tlsConfig != nil {
		// The API and the hooks share the listener: both are served over TLS.
		ln = tls.NewListener(ln, tlsConfig)
	}
	httpServer := &http.Server{
		Handler: m.server.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: stdlog.New(redactedWriter{os.Stderr}, "", stdlog.LstdFlags),
	}
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = httpServer.Shutdown(shutdown)
		m.flushAudit()
	}()
	go m.start(ctx)
	log.Info("serving", "addr", ln.Addr().String(), "tls", tlsConfig != nil, "version", Version)
	if err := httpServer.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-drained // Serve returns at once; the requests still running finish, then the audit log is flushed
	return nil
}

// manager holds the wired parts of the daemon.
type manager struct {
	engine     *client.Client
	store      *state.Store
	watcher    *swarm.Watcher
	identity   *identity.Service
	stacks     *stacks.Service
	envs       *envs.Service
	catalogs   *catalogs.Service
	registries *registries.Service
	audit      *audit.Log
	scaler     *scaler.Scaler
	deploys    *hooks.Deploys
	dashboard  *dashboard.Service
	server     *server.Server
	log        *slog.Logger
	startedAt  time.Time
	readyAt    atomic.Int64 // unix nanoseconds; 0 until ready
	swarmID    string
	nodeID     string

	catalogRefresh time.Duration // how often every catalog is fetched again
}

func newManager(ctx context.Context, engine *client.Client, opts serveOptions, log *slog.Logger) (*manager, error) {
	info, err := engine.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("failed to reach the Docker engine: %w", err)
	}
	if !info.Swarm.ControlAvailable {
		return nil, errors.New("the Docker engine is not a swarm manager; the EXOS manager must run on a manager node")
	}
	store := state.New()
	objects := persist.New(engine)
	m := &manager{
		engine: engine, store: store, log: log, startedAt: time.Now().UTC(),
		swarmID: info.Swarm.Cluster.ID, nodeID: info.Swarm.NodeID,
		watcher: swarm.NewWatcher(engine, store, log),
		stacks:  stacks.New(store, objects, swarm.NewDeployer(engine), time.Now, log),
		envs:    envs.New(store, objects, engine, time.Now),
	}
	// One registry holds every hook: scale hooks (the scaler) and deploy hooks.
	hookRegistry := hooks.NewRegistry(objects, time.Now)
	m.scaler = scaler.New(scaler.Config{
		Index: store, Engine: engine, Objects: objects, Locks: m.stacks, Hooks: hookRegistry, Now: time.Now, Log: log,
		HookRate: opts.hookRate, HookBurst: max(1, int(2*opts.hookRate)),
	})
	m.watcher.SlowestTaskInterval, m.watcher.ResyncInterval = opts.taskInterval, opts.resyncInterval
	key, err := readCatalogKey(opts.catalogKeyFile, log)
	if err != nil {
		return nil, err
	}
	if m.catalogs, err = catalogs.New(store, objects, key, time.Now, log); err != nil {
		return nil, fmt.Errorf("failed to use the catalog key %s: %w", opts.catalogKeyFile, err)
	}
	if m.identity, err = identity.New(identity.Config{Objects: objects, Configs: engine, Key: key, Now: time.Now, Log: log}); err != nil {
		return nil, fmt.Errorf("failed to use the catalog key %s: %w", opts.catalogKeyFile, err)
	}
	if m.registries, err = registries.New(store, objects, key, time.Now); err != nil {
		return nil, fmt.Errorf("failed to use the catalog key %s: %w", opts.catalogKeyFile, err)
	}
	m.stacks.UseRegistries(m.registries)
	m.stacks.AwaitIndex(stacks.IndexWait)
	if err := keepRevisions(m.stacks, opts.revisionHistory); err != nil {
		return nil, err
	}
	m.catalogRefresh = opts.catalogRefresh
	m.audit = newAuditLog(objects, opts.audit, log)
	m.identity.FirstUse = m.noteFirstUse
	m.deploys = hooks.NewDeploys(hooks.DeployConfig{
		Registry: hookRegistry, Objects: objects, Resolver: m.registries, Deployer: m.stacks,
		Stacks: m.stacks, Swarm: store, Audit: m.audit.API(), Now: time.Now, Log: log,
		HookRate: opts.hookRate, HookBurst: max(1, int(2*opts.hookRate)),
	})
	agentKey, err := readAgentKey(opts.agentKeyFile, log)
	if err != nil {
		return nil, err
	}
	m.dashboard = dashboard.New(dashboard.Config{Index: store, Objects: objects, Registries: m.registries, Drifts: m.stacks, Now: time.Now, Log: log})
	m.server = server.New(server.Config{
		Store: store, Stacks: m.stacks, Environments: m.envs, Catalogs: m.catalogs, Registries: m.registries, Scaling: m.scaler, Deploys: m.deploys, Authenticator: m.identity, Identity: m.identity,
		Templates: templates.New(store, m.catalogs, m.stacks),
		Log:       log, Info: m.info, Collectors: m.scaler.Collectors(), Audit: m.audit.API(),
		Dashboard: m.dashboard,
		Tasks:     m.watcher,
		AgentKey:  agentKey,
	})
	return m, nil
}

// start builds the index, loads EXOS's objects, opens the API, finishes whatever a crash
// interrupted, then follows the swarm until ctx ends. Until the index is built /healthz
// answers 503, so Swarm and the plugin wait for a complete view.
func (m *manager) start(ctx context.Context) {
	for {
		err := m.load(ctx)
		if err == nil {
			break
		}
		m.log.Error("cannot build the index; retrying", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
	readyAt := time.Now().UTC()
	m.readyAt.Store(readyAt.UnixNano())
	m.server.SetReady()
	m.log.Info("ready", "took", readyAt.Sub(m.startedAt), "services", m.store.Counts(nil).Services)
	go m.scaler.History.Run(ctx, time.Second)
	go m.deploys.History.Run(ctx, time.Second)
	go m.audit.Run(ctx, audit.FlushInterval)
	go m.dashboard.Run(ctx, dashboard.RecordInterval)
	go m.refreshCatalogs(ctx, m.catalogRefresh)
	if err := m.stacks.Recover(ctx); err != nil {
		m.log.Error("some stacks could not be recovered", "err", err)
	}
	go m.stacks.WatchRollouts(ctx)
	go m.deploys.FollowRollouts(ctx)
	if err := m.watcher.Run(ctx); err != nil {
		m.log.Error("watcher stopped", "err", err)
	}
}

func (m *manager) load(ctx context.Context) error {
	if err := m.watcher.Sync(ctx); err != nil {
		return err
	}
	if err := m.identity.Load(ctx); err != nil {
		return err
	}
	if err := m.audit.Load(ctx); err != nil {
		return err
	}
	if err := m.envs.Load(ctx); err != nil {
		return err
	}
	if err := m.registries.Load(ctx); err != nil {
		return err
	}
	if err := m.catalogs.Load(ctx); err != nil {
		return err
	}
	if err := m.scaler.Load(ctx); err != nil { // loads the hook registry, deploy hooks' too
		return err
	}
	if err := m.deploys.Load(ctx); err != nil {
		return err
	}
	if err := m.dashboard.Load(ctx); err != nil { // the host timeline and the pins
		return err
	}
	return m.stacks.Load(ctx)
}

// refreshCatalogs fetches every catalog now, then every interval (0: only now). Load did
// not fetch, so that no Git server delays readiness.
func (m *manager) refreshCatalogs(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		m.catalogs.Run(ctx, nil) // a nil channel never ticks
		return
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	m.catalogs.Run(ctx, ticker.C)
}

func (m *manager) info() api.Info {
	c := m.store.Counts(nil)
	var readyAt time.Time
	if ns := m.readyAt.Load(); ns != 0 {
		readyAt = time.Unix(0, ns).UTC()
	}
	return api.Info{
		Version: Version, SwarmID: m.swarmID, NodeID: m.nodeID, StartedAt: m.startedAt, ReadyAt: readyAt,
		Nodes: c.Nodes, Services: c.Services, Tasks: c.Tasks, Stacks: c.Stacks, Envs: c.Envs, Index: m.store.Index(),
	}
}

// readCatalogKey reads the catalog key; a manager installed by an older plugin has none
// and runs without private catalogs.
func readCatalogKey(path string, log *slog.Logger) ([]byte, error) {
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		log.Warn("no catalog key: catalogs that need credentials cannot be added until `docker exos manager install` runs again", "file", path)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read the catalog key: %w", err)
	}
	return key, nil
}

// readAgentKey reads the agent key; a manager installed by an older plugin has none and
// refuses every agent's report.
func readAgentKey(path string, log *slog.Logger) ([]byte, error) {
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		log.Warn("no agent key: agents' reports are refused until `docker exos manager install` runs again", "file", path)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read the agent key: %w", err)
	}
	return bytes.TrimSpace(key), nil
}

// redactedWriter writes what net/http logs with every hook token redacted: its messages
// may quote a request's URL.
type redactedWriter struct{ w io.Writer }

func (r redactedWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, hooks.Redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
