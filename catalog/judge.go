package catalog

import (
	"context"
	"runtime"
	"sync"
)

// judgement is a version's verdict, made once, when first asked for: `template ls` needs
// only the default versions' (Index judges those), and a load takes milliseconds, which
// the hundreds of versions of a community catalog would multiply.
type judgement struct {
	stack   string
	once    sync.Once
	verdict Verdict
}

// Verdict is whether the version deploys: Check's answer, made on first use and kept (a
// version out of Index never changes). It is safe for concurrent use.
func (v *Version) Verdict() Verdict {
	if v.judge == nil { // a version not made by Index
		return Check(context.Background(), "app", *v)
	}
	v.judge.once.Do(func() { v.judge.verdict = Check(context.Background(), v.judge.stack, *v) })
	return v.judge.verdict
}

// Judge makes the verdicts of every version of t not judged yet, in parallel: what
// `template inspect` shows.
func (t *Template) Judge() {
	vs := make([]*Version, 0, len(t.Versions))
	for i := range t.Versions {
		vs = append(vs, &t.Versions[i])
	}
	judge(vs)
}

// judge makes the verdicts of versions, as many at a time as there are CPUs.
func judge(versions []*Version) {
	work := make(chan *Version)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(versions)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range work {
				v.Verdict()
			}
		}()
	}
	for _, v := range versions {
		work <- v
	}
	close(work)
	wg.Wait()
}

// judgeDefaults prepares every version's judgement and makes those of the default
// versions, which set the templates' Reasons.
func judgeDefaults(templates []Template) {
	defaults := make([]*Version, 0, len(templates))
	for i := range templates {
		t := &templates[i]
		for k := range t.Versions {
			t.Versions[k].judge = &judgement{stack: VerdictStack(t.Name)}
		}
		defaults = append(defaults, t.Version(t.DefaultVersion))
	}
	judge(defaults)
	for i := range templates {
		templates[i].Reasons = defaults[i].Verdict().Reasons
	}
}
