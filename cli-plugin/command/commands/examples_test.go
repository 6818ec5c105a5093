package commands

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/docker/cli/cli/command"
	"github.com/exos-platform/exos/catalog"
	catalogLibrary "github.com/exos-platform/exos/catalog/library"
	"github.com/spf13/cobra"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// TestEveryExampleParses runs every example of every command's --help as far as parsing
// goes: the command resolves, its flags exist and take their values, the positional
// arguments satisfy its Args validator and required flags are given. A `docker exos`
// inside $(...) is checked too; what other programs do (cat x |, | jq) is not.
func TestEveryExampleParses(t *testing.T) {
	dockerCLI, err := command.NewDockerCli()
	assert.NilError(t, err)
	newRoot := func() *cobra.Command { return NewRootCommand(dockerCLI) }
	checked := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, line := range exampleLines(c.Example) {
			cmds, err := exosCommands(line)
			if !assert.Check(t, err, "%s: example %q", c.CommandPath(), line) {
				continue
			}
			for _, argv := range cmds {
				assert.Check(t, checkArgv(newRoot(), argv), "%s: example %q", c.CommandPath(), line)
				checked++
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot())
	assert.Check(t, checked > 50, "only %d examples found: is the walk broken?", checked)
}

// TestExampleCheckerCatchesMistakes keeps the test above honest.
func TestExampleCheckerCatchesMistakes(t *testing.T) {
	dockerCLI, err := command.NewDockerCli()
	assert.NilError(t, err)
	for line, want := range map[string]string{
		"docker exos nope ls":                                               `unknown command "nope"`,
		"docker exos env nope":                                              `unknown command "nope" for "exos env"`,
		"docker exos env rm":                                                "requires at least 1 argument",
		"docker exos stack deploy --bogus -c a.yml w":                       "unknown flag: --bogus",
		"docker exos stack rollback --to three web":                         `invalid argument "three" for "--to"`,
		"docker exos hook rm $(docker exos hook ls x)":                      `accepts no arguments`,
		"docker exos catalog ls --format":                                   "flag needs an argument: --format",
		"docker exos template inspect library/mysql:4":                      `the Library's mysql has no version "4"`,
		"docker exos catalog deploy library/nope --name x":                  `the Library has no template "nope"`,
		"docker exos catalog deploy library/redis --name x --set pasword=x": `the Library's redis:7.4.1-exos1 asks no question "pasword"`,
		"docker exos template ls --catalog library --category Games":        `the Library has no template in category "Games"`,
	} {
		cmds, err := exosCommands(line)
		assert.NilError(t, err, line)
		var errs []error
		for _, argv := range cmds {
			errs = append(errs, checkArgv(NewRootCommand(dockerCLI), argv))
		}
		assert.Check(t, is.ErrorContains(errors.Join(errs...), want), line)
	}
}

func TestExosCommands(t *testing.T) {
	for line, want := range map[string][][]string{
		`docker exos env create prod && docker exos env add-node prod node3`:  {{"env", "create", "prod"}, {"env", "add-node", "prod", "node3"}},
		`cat ~/t | docker exos catalog add p https://x --password-stdin`:      {{"catalog", "add", "p", "https://x", "--password-stdin"}},
		`docker exos stack history -q web | head -2`:                          {{"stack", "history", "-q", "web"}},
		`docker exos hook rotate --format '{{.Token}}' 3f > /run/secrets/t`:   {{"hook", "rotate", "--format", "{{.Token}}", "3f"}},
		`docker --context prod exos manager install --port 7420`:              {{"manager", "install", "--port", "7420"}},
		`docker exos hook rm $(docker exos hook ls -q)`:                       {{"hook", "ls", "-q"}, {"hook", "rm", "$(docker exos hook ls -q)"}},
		`EXOS_TOKEN=x docker exos env ls --format "{{.Name}} \"q\""`:          {{"env", "ls", "--format", `{{.Name}} "q"`}},
		`docker exos catalog deploy r --set password=$(openssl rand -hex 16)`: {{"catalog", "deploy", "r", "--set", "password=$(openssl rand -hex 16)"}},
		`openssl rand -hex 16`: nil,
	} {
		got, err := exosCommands(line)
		assert.NilError(t, err, line)
		assert.Check(t, is.DeepEqual(got, want), line)
	}
}

// checkArgv parses argv (what follows `docker exos`) against a fresh command tree.
func checkArgv(root *cobra.Command, argv []string) error {
	cmd, rest, err := root.Find(argv)
	if err != nil {
		return err
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return err
	}
	args := cmd.Flags().Args()
	if cmd.HasSubCommands() && len(args) > 0 {
		return fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	if err := cmd.ValidateArgs(args); err != nil {
		return err
	}
	if err := cmd.ValidateRequiredFlags(); err != nil {
		return err
	}
	if err := cmd.ValidateFlagGroups(); err != nil {
		return err
	}
	return checkLibrary(cmd, args)
}

// library is the Library catalog the manager embeds: examples that name its templates
// must name ones it has.
var library = catalog.Index(catalogLibrary.FS)

// checkLibrary checks what an example asks of the Library: the template and version
// exist, --set answers its questions, --category is one of its categories.
func checkLibrary(cmd *cobra.Command, args []string) error {
	switch cmd.CommandPath() {
	case "exos template ls":
		if c, _ := cmd.Flags().GetString("catalog"); c != "library" {
			return nil
		}
		category, _ := cmd.Flags().GetString("category")
		for _, t := range library.Templates {
			if category == "" || strings.EqualFold(t.Category, category) {
				return nil
			}
		}
		return fmt.Errorf("the Library has no template in category %q", category)
	case "exos template inspect", "exos catalog deploy":
	default:
		return nil
	}
	ref, ok := strings.CutPrefix(args[0], "library/")
	if !ok {
		return nil
	}
	name, version, _ := strings.Cut(ref, ":")
	t := library.Template(name)
	if t == nil {
		return fmt.Errorf("the Library has no template %q", name)
	}
	v := t.Version(version)
	if v == nil {
		return fmt.Errorf("the Library's %s has no version %q", name, version)
	}
	sets, _ := cmd.Flags().GetStringArray("set")
	for _, set := range sets {
		variable, _, _ := strings.Cut(set, "=")
		if !slices.ContainsFunc(v.Questions, func(q catalog.Question) bool { return q.Variable == variable }) {
			return fmt.Errorf("the Library's %s:%s asks no question %q", name, v.Version, variable)
		}
	}
	return nil
}

// exampleLines are an Example's command lines, with backslash continuations joined and
// comments left out.
func exampleLines(example string) []string {
	var out []string
	var cur strings.Builder
	for _, l := range strings.Split(example, "\n") {
		l = strings.TrimSpace(l)
		if cont, ok := strings.CutSuffix(l, `\`); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(l)
		if line := strings.TrimSpace(cur.String()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
		cur.Reset()
	}
	return out
}

// exosCommands splits a shell line into its simple commands and returns, for each that
// runs `docker [global flags] exos`, the words after exos. Commands inside $(...) come
// first, as the shell runs them first.
func exosCommands(line string) ([][]string, error) {
	words, subs, err := shellWords(line)
	if err != nil {
		return nil, err
	}
	var out [][]string
	for _, sub := range subs {
		inner, err := exosCommands(sub)
		if err != nil {
			return nil, err
		}
		out = append(out, inner...)
	}
	var simple []string
	flush := func() {
		if argv, ok := exosArgv(simple); ok {
			out = append(out, argv)
		}
		simple = nil
	}
	for i := 0; i < len(words); i++ {
		switch w := words[i]; {
		case w.op && (w.text == "|" || w.text == "||" || w.text == "&&" || w.text == ";"):
			flush()
		case w.op: // a redirection: it and its target are no arguments
			i++
		default:
			simple = append(simple, w.text)
		}
	}
	flush()
	return out, nil
}

// dockerValueFlags are the docker CLI's global flags that take a value.
var dockerValueFlags = map[string]bool{
	"--config": true, "-c": true, "--context": true, "-H": true, "--host": true, "-l": true, "--log-level": true,
	"--tlscacert": true, "--tlscert": true, "--tlskey": true,
}

// exosArgv returns the words after `docker [global flags] exos`, skipping leading
// VAR=value assignments.
func exosArgv(words []string) ([]string, bool) {
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
		words = words[1:]
	}
	if len(words) == 0 || words[0] != "docker" {
		return nil, false
	}
	for i := 1; i < len(words); i++ {
		switch w := words[i]; {
		case w == "exos":
			return append([]string{}, words[i+1:]...), true
		case dockerValueFlags[w]:
			i++
		case !strings.HasPrefix(w, "-"):
			return nil, false // another docker command
		}
	}
	return nil, false
}

type word struct {
	text string
	op   bool // an operator: | || && ; or a redirection
}

// shellWords splits line into words as sh does for the quoting examples use: single and
// double quotes, backslash escapes, $(...) kept whole (its text is also returned, to be
// checked on its own) and the operators | || && ; > >> < 2> as words of their own.
func shellWords(line string) ([]word, []string, error) {
	var words []word
	var subs []string
	var cur strings.Builder
	inWord := false
	end := func() {
		if inWord {
			words = append(words, word{text: cur.String()})
		}
		cur.Reset()
		inWord = false
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t':
			end()
		case r == '\'':
			j := indexRune(rs, i+1, '\'')
			if j < 0 {
				return nil, nil, fmt.Errorf("unterminated ' in %q", line)
			}
			cur.WriteString(string(rs[i+1 : j]))
			inWord, i = true, j
		case r == '"':
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) && strings.ContainsRune(`"\$`+"`", rs[j+1]) {
					j++
				}
				cur.WriteRune(rs[j])
			}
			if j == len(rs) {
				return nil, nil, fmt.Errorf(`unterminated " in %q`, line)
			}
			inWord, i = true, j
		case r == '\\' && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
			inWord = true
		case r == '$' && i+1 < len(rs) && rs[i+1] == '(':
			j, depth := i+2, 1
			for ; j < len(rs) && depth > 0; j++ {
				switch rs[j] {
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth > 0 {
				return nil, nil, fmt.Errorf("unterminated $( in %q", line)
			}
			subs = append(subs, string(rs[i+2:j-1]))
			cur.WriteString(string(rs[i:j]))
			inWord, i = true, j-1
		case strings.ContainsRune("|&;<>", r) || (r == '2' && !inWord && i+1 < len(rs) && rs[i+1] == '>'):
			end()
			op := string(r)
			if i+1 < len(rs) && (rs[i+1] == r || (r == '2' && rs[i+1] == '>')) {
				op, i = op+string(rs[i+1]), i+1
			}
			words = append(words, word{text: op, op: true})
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	end()
	return words, subs, nil
}

func indexRune(rs []rune, from int, r rune) int {
	for i := from; i < len(rs); i++ {
		if rs[i] == r {
			return i
		}
	}
	return -1
}
