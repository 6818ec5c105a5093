// Package library holds the EXOS Library catalog: the maintained application templates that
// ship inside the manager, so that the Library works offline. The files follow the Rancher
// 1.6 catalog layout (templates/<name>/config.yml, templates/<name>/<n>/...), and FS has
// templates/ at its root, exactly as a Git catalog checkout would.
package library

import "embed"

// FS is the Library catalog's file system; read it with package catalog.
//
//go:embed templates
var FS embed.FS
