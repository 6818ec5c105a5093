package catalog

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"testing"
	"testing/fstest"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// Flag bits of a FuzzRender input: which files the version folder holds.
const (
	fuzzRancherFile  = 1 << iota // the exos bytes are rancher-compose.yml, not exos-compose.yml
	fuzzJSONAnswers              // the answers are answers.json, not answers.yml
	fuzzPlainCompose             // the compose bytes are docker-compose.yml, not a .tpl
)

// FuzzRender indexes a version folder made of the fuzzed files (the .catalog block and its
// questions included), resolves the fuzzed answers file against its questions and renders
// it, as a template deploy does. A catalog comes from a third party's Git repository and
// the answers from the deploying user: neither may panic the manager, and every refusal
// must say what is wrong.
func FuzzRender(f *testing.F) {
	for _, dir := range []string{"library/templates", "testdata/catalog/templates", "testdata/catalog/swarm-templates"} {
		addVersionSeeds(f, dir)
	}
	f.Add([]byte("services:\n  web:\n    image: {{ .Values.nope }}\n"), []byte(nil), []byte(nil), byte(0))
	f.Add([]byte("# notemplating\nservices: {{\n"), []byte(nil), []byte(nil), byte(fuzzRancherFile))
	f.Add([]byte("{{ range until (atoi .Values.n) }}- x\n{{ end }}"), []byte(".catalog:\n  questions:\n  - variable: n\n    type: int\n    max: 5\n"),
		[]byte(`{"n": 3}`), byte(fuzzRancherFile|fuzzJSONAnswers))
	f.Fuzz(func(t *testing.T, compose, exos, answers []byte, flags byte) {
		fsys, dir := versionFS(compose, exos, flags)
		v, problems := indexVersion(fsys, dir, config{Name: "fuzz"})
		checkProblems(t, "index", problems)
		if v == nil {
			if len(problems) == 0 {
				t.Fatal("version refused without a problem")
			}
			return
		}
		name := "answers.yml"
		if flags&fuzzJSONAnswers != 0 {
			name = "answers.json"
		}
		file, err := ParseAnswersFile(name, answers)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("answers refused without a message")
			}
			file = nil
		}
		values, err := Resolve(v.Questions, file, nil)
		if err != nil {
			var ae *AnswersError
			if !errors.As(err, &ae) || len(ae.Problems) == 0 {
				t.Fatalf("Resolve: %T without problems: %v", err, err)
			}
			checkProblems(t, "answers", ae.Problems)
			// Render anyway, as the index's verdict does, with every default.
			if values, err = DefaultValues(v.Questions); err != nil {
				return
			}
		}
		out, err := Render(*v, values)
		if err != nil {
			var ve *composeext.ValidationError
			if errors.As(err, &ve) {
				checkProblems(t, "render", ve.Problems)
			}
			if err.Error() == "" || (ve != nil && len(ve.Problems) == 0) {
				t.Fatalf("Render refused without a reason: %#v", err)
			}
			return
		}
		if len(out.ComposeFiles) != 1 {
			t.Fatalf("rendered %d compose files", len(out.ComposeFiles))
		}
	})
}

// versionFS builds the folder templates/fuzz/0 out of the fuzzed files.
func versionFS(compose, exos []byte, flags byte) (fs.FS, string) {
	dir := "templates/fuzz/0"
	fsys := fstest.MapFS{}
	name := "docker-compose.yml.tpl"
	if flags&fuzzPlainCompose != 0 {
		name = "docker-compose.yml"
	}
	fsys[path.Join(dir, name)] = &fstest.MapFile{Data: compose}
	if len(exos) > 0 {
		name = "exos-compose.yml"
		if flags&fuzzRancherFile != 0 {
			name = "rancher-compose.yml"
		}
		fsys[path.Join(dir, name)] = &fstest.MapFile{Data: exos}
	}
	return fsys, dir
}

func checkProblems(t *testing.T, what string, problems []composeext.Problem) {
	t.Helper()
	for _, p := range problems {
		if p.Message == "" {
			t.Fatalf("%s: problem without a message: %+v", what, p)
		}
	}
}

// addVersionSeeds adds every version folder under dir (the catalog's own test and Library
// templates) as a seed, with its files in the slots versionFS puts them back in.
func addVersionSeeds(f *testing.F, dir string) {
	versions, err := fs.Glob(os.DirFS(dir), "*/*")
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range versions {
		compose, flags := readFirst(dir, v, "docker-compose.yml.tpl"), byte(0)
		if compose == nil {
			compose, flags = readFirst(dir, v, "docker-compose.yml"), fuzzPlainCompose
		}
		if compose == nil {
			continue
		}
		exos := readFirst(dir, v, "exos-compose.yml")
		if exos == nil {
			exos, flags = readFirst(dir, v, "rancher-compose.yml"), flags|fuzzRancherFile
		}
		f.Add(compose, exos, []byte("count: 2\nreplicas: 3\nwith_cache: false\n"), flags)
	}
}

func readFirst(dir, version, name string) []byte {
	data, err := os.ReadFile(path.Join(dir, version, name))
	if err != nil {
		return nil
	}
	return data
}
