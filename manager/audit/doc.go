// Package audit is the manager's audit log: who did what, when, from where, and with what
// result, for every change made through the API or a receiver hook, every denied request,
// and the logins, logouts and first uses of tokens.
//
// The log is durable in the swarm like the rest of EXOS's state, as Swarm configs:
//
//   - The event of an acknowledged change is written by Record as a config of its own
//     (kind audit-event) before the API answers, so a manager killed at any moment loses
//     none of them.
//   - Denials, logins and the like are batched by Note and reach the swarm with the next
//     flush (Run flushes every FlushInterval, 2 s by default, well within 5 s). A batched
//     event repeated within a minute (same actor, source, action, object and result) is
//     kept once, with a count, so a flood of refused requests costs one event a minute.
//   - Flush compacts everything into segments (kind audit-log, up to 500 events or
//     256 KiB of JSON each). A single event is removed only after the segment holding it
//     is written; after a crash between the two, Load finds the event in both and keeps
//     one.
//   - Retention drops whole closed segments, oldest first: those whose newest event is
//     older than Retention, and as many as it takes to keep the segments under MaxBytes
//     of JSON (the stored configs are gzip-compressed, several times smaller).
//
// Reads (List) come from memory: Load reads every segment and single event on start.
//
// An Event never holds a request body, a token, a password or an error message: only
// what the server chose to put in it (names, addresses, the route, the status), each
// field cut to 256 bytes.
package audit
