package agent

import (
	"testing"

	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestReadNode(t *testing.T) {
	n, err := readNode("testdata/v1", "/", 2)
	assert.NilError(t, err)
	assert.Check(t, n.DiskTotal > 0 && n.DiskFree <= n.DiskTotal)
	n.DiskTotal, n.DiskFree = 0, 0
	assert.Check(t, is.DeepEqual(n, api.NodeSample{
		CPUs: 2, Load1: 0.52, Load5: 0.41, Load15: 0.30,
		MemoryTotal: 4028604 * 1024, MemoryAvailable: 2014302 * 1024,
		CPUPressure: 1.5, MemoryPressure: 12.25, IOPressure: 0, // no io file: 0
	}))
}

func TestReadNodeWithoutPSI(t *testing.T) {
	n, err := readNode("testdata/v2", "/", 4)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(n.CPUPressure+n.MemoryPressure+n.IOPressure, 0.0))
}

func TestReadNodeWithoutDataRoot(t *testing.T) {
	_, err := readNode("testdata/v1", "/var/lib/docker", 1)
	assert.ErrorContains(t, err, "data root /var/lib/docker")
}

func TestParsePressure(t *testing.T) {
	for in, want := range map[string]float64{
		"some avg10=3.25 avg60=1.00 avg300=0.00 total=1\nfull avg10=9.00 avg60=0 avg300=0 total=0\n": 3.25,
		"full avg10=9.00 avg60=0 avg300=0 total=0\n":                                                 0,
		"":         0,
		"some x\n": 0,
	} {
		assert.Check(t, is.Equal(parsePressure([]byte(in)), want), "%q", in)
	}
}

func TestParseLoadavg(t *testing.T) {
	_, _, _, err := parseLoadavg([]byte("0.1 0.2\n"))
	assert.Check(t, err != nil)
	_, _, _, err = parseLoadavg([]byte("0.1 x 0.3 1/2 3\n"))
	assert.Check(t, err != nil)
}
