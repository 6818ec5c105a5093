package catalog

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// memFS is a read-only file system held in memory: a fetched snapshot must not change
// under an index built from it, and must not depend on a checkout on disk.
type memFS struct {
	files map[string][]byte   // file path -> content
	dirs  map[string][]string // dir path ("." for the root) -> sorted entry names
}

func newMemFS(files map[string][]byte) *memFS {
	m := &memFS{files: files, dirs: map[string][]string{".": nil}}
	seen := map[string]bool{}
	for name := range files {
		for child := name; child != "."; {
			dir := path.Dir(child)
			if !seen[child] {
				seen[child] = true
				m.dirs[dir] = append(m.dirs[dir], path.Base(child))
			}
			child = dir
		}
	}
	for _, names := range m.dirs {
		sort.Strings(names)
	}
	return m
}

// Open implements fs.FS.
func (m *memFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if data, ok := m.files[name]; ok {
		return &memFile{info: memInfo{name: path.Base(name), size: int64(len(data))}, Reader: bytes.NewReader(data)}, nil
	}
	if names, ok := m.dirs[name]; ok {
		return &memDir{fs: m, path: name, names: names}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

type memFile struct {
	info memInfo
	*bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

type memDir struct {
	fs    *memFS
	path  string
	names []string
	read  int
}

func (d *memDir) Stat() (fs.FileInfo, error) {
	return memInfo{name: path.Base(d.path), dir: true}, nil
}
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.path, Err: fs.ErrInvalid}
}
func (d *memDir) Close() error { return nil }

// ReadDir implements fs.ReadDirFile.
func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.names[d.read:]
	if n > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if n > 0 && n < len(rest) {
		rest = rest[:n]
	}
	d.read += len(rest)
	out := make([]fs.DirEntry, 0, len(rest))
	for _, name := range rest {
		full := strings.TrimPrefix(d.path+"/"+name, "./")
		data, isFile := d.fs.files[full]
		out = append(out, fs.FileInfoToDirEntry(memInfo{name: name, size: int64(len(data)), dir: !isFile}))
	}
	return out, nil
}

type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
