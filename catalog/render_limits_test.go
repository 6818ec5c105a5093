package catalog

import (
	"errors"
	"testing"

	composeext "github.com/exos-platform/exos/compose-ext"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func renderLine(t *testing.T, line string) (string, error) {
	t.Helper()
	v := Version{Template: true, Compose: composeext.File{Name: "x.tpl", Content: []byte(line)}}
	out, err := Render(v, Values{Typed: map[string]any{"n": 3, "s": "ab"}})
	if err != nil {
		return "", err
	}
	return string(out.ComposeFiles[0].Content), nil
}

// Each of these would take the manager's memory without the limits;
// each must fail as a rendering problem instead, at once.
func TestRenderRefusesWhatWouldExhaustMemory(t *testing.T) {
	for _, line := range []string{
		`{{ repeat 3000000000 "x" }}`,
		`{{ range until 3000000000 }}{{ end }}`,
		`{{ indent 3000000000 "x" }}`,
		`{{ nindent 2000000 (repeat 3000 "\n") }}`,
		`{{ replace "" (repeat 3000 "y") (repeat 3000 "x") }}`,
		`{{ wrapWith 1 (repeat 3000 "y") (repeat 3000 "x") }}`,
		`{{ regexReplaceAll "" (repeat 3000 "x") (repeat 3000 "y") }}`,
		`{{ regexReplaceAllLiteral "x" (repeat 3000 "x") (repeat 3000 "y") }}`,
		`{{ join (repeat 3000 "y") (until 3000) }}`,
		`{{ printf (repeat 3000 "%[1]s") (repeat 3000 "x") }}`,
		`{{ randAlpha 3000000000 }}`,
		`{{ splitList "" (repeat 4000000 "x") }}`,
		`{{ $s := "xx" }}{{ range until 64 }}{{ $s = cat $s $s }}{{ end }}`,
		`{{ $s := "xx" }}{{ range until 64 }}{{ $s = print $s $s }}{{ end }}`,
		`{{ $l := list 1 }}{{ range until 64 }}{{ $l = concat $l $l }}{{ end }}`,
		`{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ toJson $d }}`,
		`{{ range until 100000 }}{{ range until 100000 }}xxxxxxxxxx{{ end }}{{ end }}`,
	} {
		t.Run(line, func(t *testing.T) {
			_, err := renderLine(t, line)
			var ve *composeext.ValidationError
			assert.Assert(t, errors.As(err, &ve), "got %v", err)
			assert.Assert(t, is.Len(ve.Problems, 1))
			assert.Check(t, is.Contains(ve.Problems[0].Message, "more than 4194304 bytes"))
		})
	}
}

// What templates do use is unchanged.
func TestRenderLimitsKeepOrdinaryUse(t *testing.T) {
	for line, want := range map[string]string{
		`{{ repeat 3 "x" }}`: "xxx",
		`{{ range $i, $e := atoi "3" | until }}{{ $i }}{{ end }}`: "012",
		`{{ untilStep 0 10 4 }}`:                                  "[0 4 8]",
		// Sprig's own loops forever here: i += step overflows.
		`{{ untilStep 0 9223372036854775807 4611686018427387904 | len }}`: "2",
		`{{ until -2 }}`:                                "[0 -1]",
		`{{ indent 2 "a\nb" }}`:                         "  a\n  b",
		`{{ replace "a" "bb" .Values.s }}`:              "bbb",
		`{{ join "," (list 1 "x") }}`:                   "1,x",
		`{{ printf "%s-%03d" .Values.s .Values.n }}`:    "ab-003",
		`{{ print 1 "x" }}`:                             "1x",
		`{{ splitList "," "a,b" | len }}`:               "2",
		`{{ .Values.s | upper | quote }}`:               `"AB"`,
		`{{ regexReplaceAll "a(b)" .Values.s "$1$1" }}`: "bb",
	} {
		got, err := renderLine(t, line)
		assert.Check(t, err, line)
		assert.Check(t, is.Equal(got, want), line)
	}
}
