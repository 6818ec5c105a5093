package catalogs

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/exos-platform/exos/catalog"
	"github.com/exos-platform/exos/catalog/catalogtest"
	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
)

// generated200 is a local Git repository of 200 templates, two versions each, with a
// .tpl compose file and questions, committed once.
func generated200(b *testing.B) *catalogtest.Repo {
	r := catalogtest.NewRepo(b)
	for i := range 200 {
		name := fmt.Sprintf("app%03d", i)
		r.Write(b, "templates/"+name+"/config.yml", "name: "+name+"\nversion: 1.1.0\ncategory: Bench\n")
		for n, version := range []string{"1.0.0", "1.1.0"} {
			dir := fmt.Sprintf("templates/%s/%d/", name, n)
			r.Write(b, dir+"docker-compose.yml.tpl", "services:\n  web:\n    image: nginx:1.25.4\n    environment:\n      PORT: \"{{ .Values.port }}\"\n"+
				"    secrets: [key]\n    deploy:\n      replicas: {{ .Values.replicas }}\nsecrets:\n  key:\n    environment: key\n")
			r.Write(b, dir+"exos-compose.yml", ".catalog:\n  version: "+version+"\n  upgrade_from: \">=1.0.0 <1.1.0\"\n  questions:\n"+
				"    - variable: port\n      type: int\n      default: 80\n    - variable: replicas\n      type: int\n      default: 2\n      min: 1\n"+
				"    - variable: key\n      type: password\n      required: true\n")
			r.Write(b, dir+"README.md", "# "+name+"\n")
		}
	}
	r.Commit(b, "200 templates")
	return r
}

// BenchmarkCatalog200 is the catalog benchmark of `make bench`: adding (fetch + index) a
// catalog of 200 templates from a local Git repository, against `git clone --depth 1` of
// the same repository by git itself (the anchor, in the same run); listing every template
// as the API does (p99); and answering, rendering and converting one template.
func BenchmarkCatalog200(b *testing.B) {
	r := generated200(b)
	ctx := context.Background()
	var add, clone time.Duration
	var s *Service
	for i := 0; b.Loop(); i++ {
		s = newTestService(b, newObjects())
		start := time.Now()
		_, err := s.Add(ctx, api.CatalogAddRequest{Name: "bench", URL: r.Dir}, "alice", "10.0.0.9:41000")
		add += time.Since(start)
		assert.NilError(b, err)

		start = time.Now()
		out, err := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+r.Dir, filepath.Join(b.TempDir(), fmt.Sprint(i))).CombinedOutput()
		clone += time.Since(start)
		assert.NilError(b, err, string(out))
	}
	n := float64(b.N)
	b.ReportMetric(add.Seconds()/n, "add-s")
	b.ReportMetric(clone.Seconds()/n, "git-clone-s")
	b.ReportMetric(add.Seconds()/clone.Seconds(), "ratio")
	b.ReportMetric(listP99(b, s, 208).Seconds()*1000, "list-p99-ms") // and the Library's 8
	b.ReportMetric(renderConvert(b, s).Seconds()*1000, "render-convert-ms")
}

// listP99 lists every template as the API does, want of them, 1,000 times: the p99.
func listP99(b *testing.B, s *Service, want int) time.Duration {
	const lists = 1000
	took := make([]time.Duration, lists)
	for i := range took {
		start := time.Now()
		list, err := s.Templates("", "", "")
		took[i] = time.Since(start)
		assert.Assert(b, err == nil && len(list) == want, "%v %d", err, len(list))
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	return took[lists*99/100]
}

// renderConvert answers, renders and converts app100 as a deploy does, on average.
func renderConvert(b *testing.B, s *Service) time.Duration {
	src, err := s.Lookup("bench", "app100")
	assert.NilError(b, err)
	const runs = 100
	start := time.Now()
	for range runs {
		v := src.Template.Version("")
		values, err := catalog.Resolve(v.Questions, nil, map[string]string{"key": "s3cret"})
		assert.NilError(b, err)
		rendered, err := catalog.Render(*v, values)
		assert.NilError(b, err)
		stack, err := composeext.Load(context.Background(), rendered.Input("app"))
		assert.NilError(b, err)
		assert.Assert(b, len(stack.Services) == 1 && *stack.Services[0].Spec.Mode.Replicated.Replicas == 2)
	}
	return time.Since(start) / runs
}
