package swarm

import (
	"strings"
)

// maxUpdateAttempts bounds the retries of a versioned update that another writer (the
// autoscaler, a deploy, a user) raced.
const maxUpdateAttempts = 5

// RetryOnConflict runs write until it succeeds, fails with anything but a stale version,
// or has run maxUpdateAttempts times, and returns its last error. write must read the
// object again on every call: the version it updates at is what went stale. It is
// client-go's RetryOnConflict for Swarm's versioned updates.
func RetryOnConflict(write func() error) error {
	var err error
	for attempt := 1; attempt <= maxUpdateAttempts; attempt++ {
		if err = write(); err == nil || !OutOfSequence(err) {
			return err
		}
	}
	return err
}

// OutOfSequence reports whether Swarm refused an update because the version it was given
// is stale. The daemon sends it as a plain 500 with swarmkit's message, so the message is
// all there is to recognise it by.
func OutOfSequence(err error) bool {
	return err != nil && strings.Contains(err.Error(), "update out of sequence")
}
