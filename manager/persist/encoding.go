package persist

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/docker/docker/api/types/swarm"
)

// ErrExists is returned by Create when the object is already stored.
var ErrExists = errors.New("already exists")

// maxData keeps a stored object under Swarm's config size limit (500 KiB) after compression.
const maxData = 500 * 1024

// labelEncoding marks the data as gzip-compressed: revisions hold whole compose files,
// which compress well, and the Raft store is best kept small.
const labelEncoding = "io.exos.encoding"

// validName is what Swarm accepts in a config name.
var validName = regexp.MustCompile(`^[a-zA-Z0-9]+(?:[a-zA-Z0-9_.-]*[a-zA-Z0-9])?$`)

func encodeObject(kind, name string, seq int, data []byte, extra map[string]string) (swarm.ConfigSpec, error) {
	configName := fmt.Sprintf("exos.%s.%s.%d", kind, name, seq)
	if !validName.MatchString(configName) || len(configName) > 64 {
		return swarm.ConfigSpec{}, fmt.Errorf("cannot store %s %q: the name must be at most 40 letters, digits, '-', '_' or '.'", kind, name)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		return swarm.ConfigSpec{}, err
	}
	if err := zw.Close(); err != nil {
		return swarm.ConfigSpec{}, err
	}
	if buf.Len() > maxData {
		return swarm.ConfigSpec{}, fmt.Errorf("cannot store %s %q: %d bytes compressed, the limit is %d", kind, name, buf.Len(), maxData)
	}
	labels := map[string]string{}
	for k, v := range extra {
		labels[k] = v
	}
	labels[LabelKind] = kind
	labels[LabelName] = name
	labels[LabelSeq] = strconv.Itoa(seq)
	labels[labelEncoding] = "gzip"
	return swarm.ConfigSpec{Annotations: swarm.Annotations{Name: configName, Labels: labels}, Data: buf.Bytes()}, nil
}

func decodeObject(c swarm.Config) (Object, error) {
	labels := map[string]string{}
	for k, v := range c.Spec.Labels {
		switch k {
		case LabelKind, LabelName, LabelSeq, labelEncoding:
		default:
			labels[k] = v
		}
	}
	obj := Object{Kind: c.Spec.Labels[LabelKind], Name: c.Spec.Labels[LabelName], Seq: seqOf(c), Labels: labels, Data: c.Spec.Data}
	if c.Spec.Labels[labelEncoding] != "gzip" {
		return obj, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(c.Spec.Data))
	if err != nil {
		return Object{}, fmt.Errorf("failed to decode stored object %s: %w", c.Spec.Name, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return Object{}, fmt.Errorf("failed to decode stored object %s: %w", c.Spec.Name, err)
	}
	obj.Data = data
	return obj, nil
}
