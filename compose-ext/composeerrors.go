package composeext

import (
	"errors"
	"regexp"
	"sort"
	"strings"
)

// compose-go returns plain error strings; these patterns turn the common shapes into a
// file, a key path and (from the node tree) a line.
var (
	parseErrRE    = regexp.MustCompile(`(?s)^failed to parse (.+?): (.*)$`)
	validateErrRE = regexp.MustCompile(`(?s)^validating (.+?): (\S*) (.*)$`)
	interpErrRE   = regexp.MustCompile(`(?s)^error while interpolating (\S+): (.*)$`)
	formatErrRE   = regexp.MustCompile(`(?s)^invalid interpolation format for (\S+?)\.\n(.*)$`)
	additionalRE  = regexp.MustCompile(`^additional properties? '([^']+)'.* not allowed$`)
	serviceRE     = regexp.MustCompile(`service "([^"]+)"`)
	quotedRE      = regexp.MustCompile(`'([^']*)'`)
)

// addComposeError records every error compose-go returned as problems.
func addComposeError(err error, files []composeFile, ps *problems) {
	for _, leaf := range leaves(err) {
		for _, p := range composeProblems(leaf.Error(), files) {
			if ps.hasKey(p.File, p.Key) {
				continue // a knock-on of a problem already reported (e.g. a missing variable)
			}
			if mapOrdered(leaf.Error()) && ps.hasFile(p.File) {
				// compose-go names one such problem, picked in map order; the checks
				// that ran first already named this file's, all of them, in order.
				continue
			}
			ps.list = append(ps.list, p)
		}
	}
}

// mapOrdered reports whether compose-go found the error walking a map, so that with
// several it picks one at random: its schema check, and its non-string key check.
func mapOrdered(msg string) bool {
	return validateErrRE.MatchString(msg) || strings.Contains(msg, "non-string key")
}

// composeProblems splits an unknown-keys error into one problem a key, sorted: the
// schema validator lists them in map order.
func composeProblems(msg string, files []composeFile) []Problem {
	m := validateErrRE.FindStringSubmatch(msg)
	if m == nil || !additionalRE.MatchString(m[3]) {
		return []Problem{composeProblem(msg, files)}
	}
	keys := quotedRE.FindAllStringSubmatch(m[3], -1)
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		names = append(names, k[1])
	}
	sort.Strings(names)
	out := make([]Problem, 0, len(names))
	for _, name := range names {
		out = append(out, validationProblem(m[1], m[2], "additional property '"+name+"' not allowed", files))
	}
	return out
}

func leaves(err error) []error {
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) && joined.(error) == err {
		var out []error
		for _, e := range joined.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}

func composeProblem(msg string, files []composeFile) Problem {
	if m := parseErrRE.FindStringSubmatch(msg); m != nil {
		return Problem{File: m[1], Line: lineInMessage(m[2]), Message: strings.TrimPrefix(m[2], "yaml: ")}
	}
	if m := validateErrRE.FindStringSubmatch(msg); m != nil {
		return validationProblem(m[1], m[2], m[3], files)
	}
	for _, re := range []*regexp.Regexp{interpErrRE, formatErrRE} {
		if m := re.FindStringSubmatch(msg); m != nil {
			key := strings.ReplaceAll(m[1], ".[]", "")
			file, line := locate(key, files)
			return Problem{File: file, Line: line, Key: key, Message: m[2]}
		}
	}
	if m := serviceRE.FindStringSubmatch(msg); m != nil {
		key := "services." + m[1]
		file, line := locate(key, files)
		return Problem{File: file, Line: line, Key: key, Message: msg}
	}
	return Problem{File: files[0].Name, Message: msg}
}

// validationProblem handles compose-go's schema errors: "<path> <message>", where an
// unknown key is "additional properties 'x' not allowed" on its parent's path.
func validationProblem(file, path, rest string, files []composeFile) Problem {
	key, message := path, rest
	if m := additionalRE.FindStringSubmatch(rest); m != nil {
		key, message = joinPath(path, m[1]), "unknown key"
	}
	for _, f := range files {
		if f.Name == file {
			return Problem{File: file, Line: lineOf(f.root, key), Key: key, Message: message}
		}
	}
	return Problem{File: file, Key: key, Message: message}
}

// locate finds the last file that sets key (later files override earlier ones) and the
// line there; with no file setting it, the last file and line 0.
func locate(key string, files []composeFile) (string, int) {
	for i := len(files) - 1; i >= 0; i-- {
		if line := lineOf(files[i].root, key); line > 0 && fullyPresent(files[i], key) {
			return files[i].Name, line
		}
	}
	return files[len(files)-1].Name, 0
}

// fullyPresent reports whether the first two elements of key (a service or top-level
// object) exist in the file, so that locate picks the file that defines the object.
func fullyPresent(f composeFile, key string) bool {
	parts := strings.SplitN(key, ".", 3)
	if len(parts) < 2 {
		return true
	}
	_, top := child(f.root, parts[0])
	k, _ := child(top, parts[1])
	return k != nil
}
