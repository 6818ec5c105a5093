package hooks

import (
	"regexp"
	"strings"
)

// Redacted stands for a token in what is logged.
const Redacted = "REDACTED"

var (
	// pathToken is the token segment of a hook URL: /hooks/v1/KIND/ID/TOKEN.
	pathToken = regexp.MustCompile(`(/hooks/v1/[a-z]+/[^/\s?"]+/)([^/\s?"&]+)`)
	// queryToken is a ?token= or &token= parameter.
	queryToken = regexp.MustCompile(`([?&]token=)[^&\s"]*`)
)

// Redact replaces every hook token in s (a path, a URL, a log line) by REDACTED: one in
// a hook URL's last segment, and a token= query parameter. A deployment's status path
// (/hooks/v1/deploy/ID/deployments/DEPLOYMENT) holds none and is kept.
func Redact(s string) string {
	if !strings.Contains(s, "/hooks/") && !strings.Contains(s, "token=") {
		return s
	}
	s = pathToken.ReplaceAllStringFunc(s, func(m string) string {
		sub := pathToken.FindStringSubmatch(m)
		if sub[2] == "deployments" {
			return m
		}
		return sub[1] + Redacted
	})
	return queryToken.ReplaceAllString(s, "${1}"+Redacted)
}
