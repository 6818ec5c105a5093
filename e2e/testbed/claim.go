//go:build e2e

package testbed

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// runBase holds the per-swarm run dirs and the lock files K.lock.
const runBase = "/run/exos-testbed"

// maxSwarms is the number of swarm ids (0..9): the id is one digit in every derived name.
const maxSwarms = 10

// errAllBusy means every swarm id is taken.
var errAllBusy = errors.New("all test swarm ids 0..9 are in use")

// dataBase is the parent of the per-swarm data dirs, as in scripts/testbed/env.sh.
func dataBase() string {
	if d := os.Getenv("EXOS_TESTBED_DIR"); d != "" {
		return d
	}
	return "/tmp/exos-testbed"
}

// claimID takes the first swarm id whose lock is free and that no one else uses. The lock is an
// flock on runBase/K.lock, held until the returned file is closed (also when the process dies).
// stale reports that a swarm of a dead test process is left on that id and must be torn down.
func claimID() (id int, lock *os.File, stale bool, err error) {
	if err := os.MkdirAll(runBase, 0o755); err != nil {
		return 0, nil, false, fmt.Errorf("failed to create %s: %w", runBase, err)
	}
	for id := range maxSwarms {
		lock, err := tryLock(filepath.Join(runBase, fmt.Sprintf("%d.lock", id)))
		if err != nil {
			return 0, nil, false, err
		}
		if lock == nil {
			continue
		}
		inUse, stale := ownerState(id)
		if inUse {
			lock.Close()
			continue
		}
		return id, lock, stale, nil
	}
	return 0, nil, false, errAllBusy
}

// tryLock returns the locked file, or nil if someone else holds the lock.
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("failed to open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, nil
		}
		return nil, fmt.Errorf("failed to lock %s: %w", path, err)
	}
	return f, nil
}

// ownerState reads the owner that swarm-up.sh wrote into the run dir of swarm id: "manual" (a
// swarm started by hand: in use) or the PID of the e2e test process (in use while it lives).
// Without an owner file, leftovers of an interrupted start may still exist: stale.
func ownerState(id int) (inUse, stale bool) {
	b, err := os.ReadFile(filepath.Join(runBase, fmt.Sprint(id), "owner"))
	if err != nil {
		return false, true
	}
	owner := strings.TrimSpace(string(b))
	pid, err := strconv.Atoi(owner)
	if err != nil {
		return owner == "manual", owner != "manual"
	}
	if pid != os.Getpid() && syscall.Kill(pid, 0) == nil {
		return true, false
	}
	return false, true
}
