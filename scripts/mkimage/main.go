// Command mkimage writes a `docker load`-able docker-archive with one layer, built FROM scratch
// out of host files, without any Docker engine. Identical inputs give identical bytes (fixed
// timestamps, sorted entries), so the image ID is stable.
//
//	go run ./scripts/mkimage -o out.tar -tag exos/busybox:1 \
//	    -add /bin/busybox:/bin/busybox:0755 -symlink busybox:/bin/sh -dir /tmp:1777 -cmd '["sh"]'
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// options are the parsed command line.
type options struct {
	out, arch, entrypoint, cmd, workdir, user string

	tags, adds, symlinks, dirs, envs, labels, exposes listFlag
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkimage:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	opts, err := parseFlags(args)
	if err != nil {
		return err
	}
	img, err := buildImage(opts)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	id, err := writeArchive(&buf, img)
	if err != nil {
		return err
	}
	if err := writeAtomic(opts.out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Println(id)
	return nil
}

// writeAtomic writes through a uniquely named temporary file and a rename, so a reader (or a
// concurrent writer of the same archive) never sees a half-written file.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("failed to create the output file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("failed to write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("failed to write %s: %w", tmp.Name(), err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("failed to chmod %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("failed to rename %s: %w", tmp.Name(), err)
	}
	return nil
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("mkimage", flag.ContinueOnError)
	fs.StringVar(&o.out, "o", "", "output archive `path` (required)")
	fs.StringVar(&o.arch, "arch", runtime.GOARCH, "image architecture")
	fs.StringVar(&o.entrypoint, "entrypoint", "", "entrypoint as a JSON array")
	fs.StringVar(&o.cmd, "cmd", "", "default command as a JSON array")
	fs.StringVar(&o.workdir, "workdir", "", "working directory")
	fs.StringVar(&o.user, "user", "", "default user")
	fs.Var(&o.tags, "tag", "repository tag, e.g. exos/busybox:1 (repeatable)")
	fs.Var(&o.adds, "add", "host file as `SRC:DST[:MODE]` (repeatable; MODE octal, default: the source's)")
	fs.Var(&o.symlinks, "symlink", "symbolic link as `TARGET:LINK` (repeatable)")
	fs.Var(&o.dirs, "dir", "directory as `PATH[:MODE]` (repeatable; default mode 0755)")
	fs.Var(&o.envs, "env", "environment `K=V` (repeatable)")
	fs.Var(&o.labels, "label", "label `K=V` (repeatable)")
	fs.Var(&o.exposes, "expose", "exposed port such as 7420/tcp (repeatable)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.out == "" || len(o.tags) == 0 {
		return o, fmt.Errorf("-o and at least one -tag are required")
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return o, nil
}

func buildImage(o options) (image, error) {
	l, err := buildLayer(o)
	if err != nil {
		return image{}, err
	}
	cfg := containerConfig{User: o.user, WorkingDir: o.workdir, Env: o.envs}
	if cfg.Entrypoint, err = parseJSONList("-entrypoint", o.entrypoint); err != nil {
		return image{}, err
	}
	if cfg.Cmd, err = parseJSONList("-cmd", o.cmd); err != nil {
		return image{}, err
	}
	if cfg.Labels, err = parseLabels(o.labels); err != nil {
		return image{}, err
	}
	cfg.ExposedPorts = parsePorts(o.exposes)
	return image{tags: o.tags, arch: o.arch, config: cfg, layer: l}, nil
}

func buildLayer(o options) (*layer, error) {
	l := newLayer()
	for _, d := range o.dirs {
		p, modeStr, hasMode := strings.Cut(d, ":")
		mode := int64(0o755)
		if hasMode {
			m, err := parseMode(modeStr)
			if err != nil {
				return nil, fmt.Errorf("-dir %s: %w", d, err)
			}
			mode = m
		}
		if err := l.addDir(p, mode); err != nil {
			return nil, err
		}
	}
	for _, a := range o.adds {
		if err := addSpec(l, a); err != nil {
			return nil, err
		}
	}
	for _, s := range o.symlinks {
		target, link, ok := strings.Cut(s, ":")
		if !ok || target == "" {
			return nil, fmt.Errorf("-symlink %s: want TARGET:LINK", s)
		}
		if err := l.addSymlink(target, link); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// addSpec adds one SRC:DST[:MODE] file.
func addSpec(l *layer, spec string) error {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" {
		return fmt.Errorf("-add %s: want SRC:DST[:MODE]", spec)
	}
	mode := int64(-1)
	if len(parts) == 3 {
		m, err := parseMode(parts[2])
		if err != nil {
			return fmt.Errorf("-add %s: %w", spec, err)
		}
		mode = m
	}
	src, err := filepath.Abs(parts[0])
	if err != nil {
		return fmt.Errorf("-add %s: %w", spec, err)
	}
	return l.addFile(src, parts[1], mode)
}

func parseJSONList(flagName, s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, fmt.Errorf("%s %s: want a JSON array of strings: %w", flagName, s, err)
	}
	return list, nil
}

func parseLabels(kvs []string) (map[string]string, error) {
	if len(kvs) == 0 {
		return nil, nil
	}
	labels := map[string]string{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("-label %s: want K=V", kv)
		}
		labels[k] = v
	}
	return labels, nil
}

// parsePorts turns "7420" or "7420/tcp" into Docker's "7420/tcp" keys.
func parsePorts(ports []string) map[string]struct{} {
	if len(ports) == 0 {
		return nil
	}
	set := map[string]struct{}{}
	for _, p := range ports {
		if !strings.Contains(p, "/") {
			p += "/tcp"
		}
		set[p] = struct{}{}
	}
	return set
}
