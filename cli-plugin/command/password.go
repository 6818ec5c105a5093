package command

import (
	"errors"
	"fmt"
	"io"
	"strings"

	dockercommand "github.com/docker/cli/cli/command"
	"golang.org/x/term"
)

// Passwords come from standard input (--password-stdin, as `docker login` takes them) or
// are typed at a terminal without echo. There is never a --password flag: a password on
// the command line stays in the shell's history and shows in `ps`.

// ErrNoTerminal means a password was needed, stdin is not a terminal, and
// --password-stdin was not given.
var ErrNoTerminal = errors.New("cannot ask for the password: standard input is not a terminal; pipe it in with --password-stdin")

// ReadStdinSecrets reads n secrets from stdin, one a line; with n == 1, all of stdin
// without its trailing newline, as `docker login --password-stdin` does.
func ReadStdinSecrets(in io.Reader, n int) ([]string, error) {
	contents, err := io.ReadAll(in)
	if err != nil {
		return nil, fmt.Errorf("failed to read standard input: %w", err)
	}
	text := strings.TrimSuffix(strings.TrimSuffix(string(contents), "\n"), "\r")
	if n == 1 {
		if text == "" {
			return nil, errors.New("--password-stdin read an empty password: pipe the password in, such as `cat password-file | docker exos ...`")
		}
		return []string{text}, nil
	}
	lines := strings.Split(text, "\n")
	if len(lines) != n {
		return nil, fmt.Errorf("--password-stdin read %d lines, want %d", len(lines), n)
	}
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	return lines, nil
}

// PromptPassword asks for a password at the terminal, without echo. The prompt goes to
// stderr so that it never ends up in redirected output.
func PromptPassword(streams dockercommand.Streams, prompt string) (string, error) {
	in := streams.In()
	if !in.IsTerminal() {
		return "", ErrNoTerminal
	}
	_, _ = fmt.Fprint(streams.Err(), prompt)
	password, err := term.ReadPassword(int(in.FD()))
	_, _ = fmt.Fprintln(streams.Err())
	if err != nil {
		return "", fmt.Errorf("failed to read the password: %w", err)
	}
	return string(password), nil
}

// PromptNewPassword asks for a new password twice, so that a typo does not lock anyone out.
func PromptNewPassword(streams dockercommand.Streams, prompt string) (string, error) {
	password, err := PromptPassword(streams, prompt)
	if err != nil {
		return "", err
	}
	if password == "" {
		return "", errors.New("the password is empty: type one, or pipe it in with --password-stdin")
	}
	again, err := PromptPassword(streams, "Repeat it: ")
	if err != nil {
		return "", err
	}
	if again != password {
		return "", errors.New("the passwords typed do not match: nothing was changed")
	}
	return password, nil
}

// ReadPassword returns one password: from stdin with fromStdin, else typed at prompt.
func ReadPassword(streams dockercommand.Streams, prompt string, fromStdin bool) (string, error) {
	if fromStdin {
		secrets, err := ReadStdinSecrets(streams.In(), 1)
		if err != nil {
			return "", err
		}
		return secrets[0], nil
	}
	return PromptPassword(streams, prompt)
}
