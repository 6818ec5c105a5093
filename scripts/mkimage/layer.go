package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// epoch is the fixed timestamp of every layer entry and of the image config, so that identical
// inputs always give byte-identical archives (and therefore the same image ID).
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// entry is one file system object of the layer. Paths are clean and relative ("bin/sh").
type entry struct {
	typ    byte
	mode   int64
	src    string // host file to copy, for regular files
	target string // link target, for symlinks
	// implicit marks parent directories created on demand; an explicit -dir replaces them.
	implicit bool
}

// layer collects the entries of the single image layer.
type layer struct {
	entries map[string]entry
}

func newLayer() *layer {
	return &layer{entries: map[string]entry{}}
}

// addFile adds the host file src at dst. mode < 0 keeps the source file's permission bits.
func (l *layer) addFile(src, dst string, mode int64) error {
	st, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("failed to stat %s: %w", src, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("failed to add %s: not a regular file", src)
	}
	if mode < 0 {
		mode = int64(st.Mode().Perm())
	}
	return l.put(dst, entry{typ: tar.TypeReg, mode: mode, src: src})
}

// addSymlink adds the symbolic link link pointing at target.
func (l *layer) addSymlink(target, link string) error {
	return l.put(link, entry{typ: tar.TypeSymlink, mode: 0o777, target: target})
}

// addDir adds the directory p with the given mode (e.g. 01777 for /tmp).
func (l *layer) addDir(p string, mode int64) error {
	return l.put(p, entry{typ: tar.TypeDir, mode: mode})
}

func (l *layer) put(p string, e entry) error {
	name := cleanPath(p)
	if name == "" {
		return fmt.Errorf("failed to add %q: empty or root path", p)
	}
	if old, ok := l.entries[name]; ok && !old.implicit {
		return fmt.Errorf("failed to add %q: path added twice", p)
	} else if ok && e.typ != tar.TypeDir {
		return fmt.Errorf("failed to add %q: path is already a parent directory", p)
	}
	l.entries[name] = e
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if _, ok := l.entries[dir]; !ok {
			l.entries[dir] = entry{typ: tar.TypeDir, mode: 0o755, implicit: true}
		}
	}
	return nil
}

// cleanPath turns "/usr//bin/" into "usr/bin"; "" means the root.
func cleanPath(p string) string {
	return strings.TrimPrefix(path.Clean("/"+p), "/")
}

// tar returns the layer as an uncompressed tar, entries sorted by path, owned by root.
func (l *layer) tar() ([]byte, error) {
	names := make([]string, 0, len(l.entries))
	for n := range l.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		if err := writeEntry(tw, n, l.entries[n]); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("failed to finish layer tar: %w", err)
	}
	return buf.Bytes(), nil
}

func writeEntry(tw *tar.Writer, name string, e entry) error {
	hdr := &tar.Header{Name: name, Typeflag: e.typ, Mode: e.mode, ModTime: epoch, Linkname: e.target}
	var data []byte
	switch e.typ {
	case tar.TypeDir:
		hdr.Name += "/"
	case tar.TypeReg:
		b, err := os.ReadFile(e.src)
		if err != nil {
			return fmt.Errorf("failed to read %s: %w", e.src, err)
		}
		data, hdr.Size = b, int64(len(b))
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("failed to write tar header for %s: %w", name, err)
	}
	if _, err := tw.Write(data); err != nil {
		return fmt.Errorf("failed to write %s to the layer: %w", name, err)
	}
	return nil
}

// parseMode parses an octal mode such as "0755" or "1777".
func parseMode(s string) (int64, error) {
	m, err := strconv.ParseInt(s, 8, 64)
	if err != nil || m < 0 || m > 0o7777 {
		return 0, fmt.Errorf("invalid mode %q: want octal like 0755", s)
	}
	return m, nil
}
