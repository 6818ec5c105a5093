package composeext

import "strings"

// Locate returns the compose file and line that set key (a dotted path such as
// "services.web.ports.0"): the last file that sets the whole key, as later files
// override earlier ones, else the file that defines its service or object. Checks made
// after Load, against the live swarm, use it to point at the input. Line is 0 when no
// file has even the key's first part.
func (s *Stack) Locate(key string) Problem {
	if len(s.files) == 0 {
		return Problem{Key: key}
	}
	depth := strings.Count(key, ".")
	for i := len(s.files) - 1; i >= 0; i-- {
		if line := lineOf(s.files[i].root, key); line > 0 && lineOf(s.files[i].root, parentKey(key, depth)) != line {
			return Problem{File: s.files[i].Name, Line: line, Key: key}
		}
	}
	file, line := locate(key, s.files)
	return Problem{File: file, Line: line, Key: key}
}

// parentKey drops the last element of a key with depth dots ("" for a top-level key).
func parentKey(key string, depth int) string {
	if depth == 0 {
		return ""
	}
	return key[:strings.LastIndex(key, ".")]
}
