package catalog

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	composeext "github.com/exos-platform/exos/compose-ext"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func mysqlQuestions(t *testing.T) []Question {
	t.Helper()
	return testCatalog(t).Template("mysql").Version("1.1.0").Questions
}

func TestParseAnswersFile(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             map[string]any
		err              string
	}{
		{name: "yaml", file: "a.yml", data: "mysql_port: 3307\nslow_log: true\ndb_name: shop\n",
			want: map[string]any{"mysql_port": 3307, "slow_log": true, "db_name": "shop"}},
		{name: "json", file: "a.JSON", data: `{"mysql_port": 3307, "slow_log": true, "db_name": "shop"}`,
			want: map[string]any{"mysql_port": float64(3307), "slow_log": true, "db_name": "shop"}},
		{name: "empty", file: "a.yml", data: "", want: map[string]any{}},
		{name: "not a mapping", file: "a.yml", data: "- a\n- b\n",
			err: "failed to read answers file a.yml: must be a mapping of variable: answer: line 1: cannot unmarshal !!seq into map[string]interface {}"},
		{name: "bad json", file: "a.json", data: `{"a": }`,
			err: "failed to read answers file a.json: must be a mapping of variable: answer: invalid character '}' looking for beginning of value"},
		{name: "nested", file: "a.yml", data: "b: {c: 1}\na: [1]\nok: 1\n",
			err: "failed to read answers file a.yml: answers must be scalars, not lists or mappings: a, b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAnswersFile(tc.file, []byte(tc.data))
			if tc.err != "" {
				assert.Error(t, err, tc.err)
				return
			}
			assert.NilError(t, err)
			assert.DeepEqual(t, got, tc.want)
		})
	}
}

func TestParseSets(t *testing.T) {
	got, err := ParseSets([]string{"a=1", "b=x=y", "a=2", " c =", "d=secret"})
	assert.NilError(t, err)
	assert.DeepEqual(t, got, map[string]string{"a": "2", "b": "x=y", "c": "", "d": "secret"})

	_, err = ParseSets([]string{"a=1", "hunter2"})
	assert.Error(t, err, "invalid answer #2: want variable=value")
	_, err = ParseSets([]string{"=1"})
	assert.Error(t, err, "invalid answer #1: want variable=value")
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name  string
		file  map[string]any
		sets  map[string]string
		typed map[string]any
	}{
		{name: "defaults", sets: map[string]string{"root_password": "pw"},
			typed: map[string]any{"mysql_port": 3306, "db_name": "app", "root_password": "${root_password}", "slow_log": false, "engine": "innodb"}},
		{name: "yaml file", file: map[string]any{"mysql_port": 3307, "slow_log": true, "root_password": "pw", "engine": "myisam"},
			typed: map[string]any{"mysql_port": 3307, "db_name": "app", "root_password": "${root_password}", "slow_log": true, "engine": "myisam"}},
		{name: "json numbers", file: map[string]any{"mysql_port": float64(3307), "root_password": "pw"},
			typed: map[string]any{"mysql_port": 3307, "db_name": "app", "root_password": "${root_password}", "slow_log": false, "engine": "innodb"}},
		{name: "sets override file", file: map[string]any{"mysql_port": 3307, "root_password": "file"},
			sets:  map[string]string{"mysql_port": "3308", "root_password": "set", "slow_log": "true"},
			typed: map[string]any{"mysql_port": 3308, "db_name": "app", "root_password": "${root_password}", "slow_log": true, "engine": "innodb"}},
		{name: "extra answers kept", sets: map[string]string{"root_password": "pw", "EXTRA": "x"},
			typed: map[string]any{"mysql_port": 3306, "db_name": "app", "root_password": "${root_password}", "slow_log": false, "engine": "innodb", "EXTRA": "x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Resolve(mysqlQuestions(t), tc.file, tc.sets)
			assert.NilError(t, err)
			assert.DeepEqual(t, v.Typed, tc.typed)
			assert.Check(t, is.Equal(v.Variables["mysql_port"], strconv.Itoa(tc.typed["mysql_port"].(int))))
			assert.DeepEqual(t, v.Passwords, []string{"root_password"})
		})
	}
}

func TestResolveReportsEveryViolation(t *testing.T) {
	file := map[string]any{"mysql_port": "abc", "db_name": "Shop-1", "slow_log": "perhaps"}
	sets := map[string]string{"engine": "memory"}
	_, err := Resolve(mysqlQuestions(t), file, sets)
	var aerr *AnswersError
	assert.Assert(t, errors.As(err, &aerr))
	assert.Error(t, err, `answers: db_name: must only contain characters of "abcdefghijklmnopqrstuvwxyz_", got 'S'
answers: engine: must be one of innodb, myisam, got "memory"
answers: mysql_port: must be an int between 1 and 65535, got "abc"
answers: root_password: required (a password), no answer given and no default
answers: slow_log: must be a boolean (true or false), got "perhaps"`)
}

func TestResolveChecks(t *testing.T) {
	two, five := 2, 5
	tests := []struct {
		name string
		q    Question
		raw  any
		err  string
	}{
		{"int below min", Question{Type: "int", Min: &two}, 1, `must be an int >= 2, got "1"`},
		{"int above max", Question{Type: "int", Max: &five}, "6", `must be an int <= 5, got "6"`},
		{"int fraction", Question{Type: "int"}, 1.5, `must be an int, got "1.5"`},
		{"too short", Question{Type: "string", MinLength: &two}, "a", "must be at least 2 characters long, got 1"},
		{"too long", Question{Type: "multiline", MaxLength: &two}, "abc", "must be at most 2 characters long, got 3"},
		{"invalid char", Question{Type: "string", InvalidChars: "/"}, "a/b", "must not contain '/'"},
		{"password char not shown", Question{Type: "password", InvalidChars: "!"}, "s3cr!t", "must not contain another character"},
		{"list", Question{Type: "string"}, []any{"a"}, "must be a string, got a []interface {}"},
		{"ok string from int", Question{Type: "string"}, 42, ""},
		{"ok boolean", Question{Type: "boolean"}, "TRUE", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Variable = "v"
			_, err := Resolve([]Question{tc.q}, map[string]any{"v": tc.raw}, nil)
			if tc.err == "" {
				assert.NilError(t, err)
				return
			}
			assert.Error(t, err, "answers: v: "+tc.err)
		})
	}
}

func TestResolveSeparatesPasswords(t *testing.T) {
	v, err := Resolve(mysqlQuestions(t), nil, map[string]string{"root_password": "s3cret"})
	assert.NilError(t, err)
	assert.DeepEqual(t, v.Secrets(), map[string]string{"root_password": "s3cret"})
	public := v.Public()
	_, leaked := public["root_password"]
	assert.Check(t, !leaked)
	assert.Check(t, is.Equal(public["mysql_port"], "3306"))
	assert.Check(t, is.Equal(v.Variables["root_password"], "s3cret"), "the compose file still needs it")
	assert.Check(t, is.Equal(v.Typed["root_password"], "${root_password}"), ".tpl files render a stand-in")
}

func TestResolveOptionalUnanswered(t *testing.T) {
	qs := []Question{{Variable: "s", Type: "string"}, {Variable: "b", Type: "boolean"}, {Variable: "n", Type: "int"}}
	v, err := Resolve(qs, map[string]any{"n": nil}, nil)
	assert.NilError(t, err)
	assert.DeepEqual(t, v.Typed, map[string]any{"s": "", "b": false, "n": ""})
	assert.DeepEqual(t, v.Variables, map[string]string{"s": "", "b": "false", "n": ""})
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"password", "password", 0}, {"pasword", "password", 1}, {"passwrod", "password", 1},
		{"mysql_prot", "mysql_port", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"dé", "de", 1},
	} {
		assert.Check(t, is.Equal(editDistance(tc.a, tc.b), tc.d), "%s/%s", tc.a, tc.b)
		assert.Check(t, is.Equal(editDistance(tc.b, tc.a), tc.d), "%s/%s", tc.b, tc.a)
	}
}

func TestCheckSetsNamesTheClosestQuestion(t *testing.T) {
	qs := []Question{{Variable: "password"}, {Variable: "mysql_port"}, {Variable: "db"}, {Variable: "db_name"}, {Variable: "db_host"}}
	got := CheckSets(qs, map[string]string{
		"pasword": "hunter2", "mysql_prot": "1", "MYSQL_PORT": "2", "db_nam": "x", // typos
		"password": "ok", "dc": "far: short names match only themselves", "EXTRA": "kept", "db_hosts_extra": "far",
	})
	assert.DeepEqual(t, got, []composeext.Problem{
		{Key: "MYSQL_PORT", Message: `unknown answer "MYSQL_PORT": did you mean "mysql_port"?`},
		{Key: "db_nam", Message: `unknown answer "db_nam": did you mean "db_name"?`},
		{Key: "mysql_prot", Message: `unknown answer "mysql_prot": did you mean "mysql_port"?`},
		{Key: "pasword", Message: `unknown answer "pasword": did you mean "password"?`},
	})
	for _, p := range got {
		assert.Check(t, !strings.Contains(p.Message, "hunter2"), "a value is never shown")
	}
}

func TestResolveRefusesAMisspelledSet(t *testing.T) {
	_, err := Resolve(mysqlQuestions(t), nil, map[string]string{"root_pasword": "s3cret", "mysql_port": "abc"})
	assert.Error(t, err, `answers: mysql_port: must be an int between 1 and 65535, got "abc"
answers: root_password: required (a password), no answer given and no default
answers: root_pasword: unknown answer "root_pasword": did you mean "root_password"?`)
}
