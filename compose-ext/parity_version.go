package composeext

import (
	"bytes"

	"gopkg.in/yaml.v3"
)

// withoutVersions returns the input with each compose file's top-level `version:` line
// commented out, for compose-go only. compose-go logs "the attribute `version` is
// obsolete" through the process-wide logger for every file that has one, which
// `docker stack deploy` never says (for it the version picks the schema). Commenting the
// line out keeps every other line where it was, so errors still point at the file's lines.
func withoutVersions(in Input, files []composeFile) Input {
	out := in
	out.ComposeFiles = make([]File, len(in.ComposeFiles))
	for i, f := range in.ComposeFiles {
		out.ComposeFiles[i] = f
		if i < len(files) && files[i].root != nil {
			out.ComposeFiles[i].Content = commentOutVersion(f.Content, files[i].root)
		}
	}
	return out
}

// commentOutVersion comments out the `version:` line when key and value sit alone on it,
// and leaves the content as it is otherwise.
func commentOutVersion(content []byte, root *yaml.Node) []byte {
	k, v := child(root, "version")
	if k == nil || v == nil || k.Column != 1 || v.Kind != yaml.ScalarNode || v.Line != k.Line ||
		v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return content
	}
	lines := bytes.SplitAfter(content, []byte("\n"))
	if k.Line > len(lines) || !bytes.HasPrefix(lines[k.Line-1], []byte("version")) {
		return content
	}
	out := make([][]byte, len(lines))
	copy(out, lines)
	out[k.Line-1] = append([]byte("#"), lines[k.Line-1]...)
	return bytes.Join(out, nil)
}
