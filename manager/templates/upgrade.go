package templates

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/exos-platform/exos/catalog"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/catalogs"
)

// Upgrade deploys a newer version of the template stack name runs, with its answers:
// the recorded ones, changed by req's, and its passwords' secrets as they are unless
// req gives them again. req.Version may also name the stack's own version, to change
// answers only.
func (s *Service) Upgrade(ctx context.Context, name string, req api.StackUpgradeRequest, author, remoteAddr string) (api.DeployResult, error) {
	old, err := s.stacks.Latest(name)
	if err != nil {
		return api.DeployResult{}, err
	}
	from := old.Template
	if from == nil {
		return api.DeployResult{}, api.Errorf(api.ErrInvalid, "stack %s was deployed from compose files, not from a catalog template: deploy it again with `docker exos stack deploy`", name)
	}
	src, err := s.catalogs.Lookup(from.Catalog, from.Template)
	if err != nil {
		return api.DeployResult{}, fmt.Errorf("stack %s came from %s: %w", name, from.Ref(), err)
	}
	ver, err := upgradeTarget(src, from, req.Version)
	if err != nil {
		return api.DeployResult{}, err
	}
	file, sets, err := readAnswers(req.Answers, req.Sets)
	if err != nil {
		return api.DeployResult{}, err
	}
	answers := map[string]any{}
	for k, v := range from.Answers {
		answers[k] = v
	}
	maps.Copy(answers, file)
	// Checked against every question: a misspelled password ("pasword") would otherwise
	// leave the real one withheld and kept, and the typo would pass unseen.
	if problems := catalog.CheckSets(ver.Questions, sets); len(problems) > 0 {
		return api.DeployResult{}, answersError(src, ver, &catalog.AnswersError{Problems: problems})
	}
	kept := keptPasswords(ver.Questions, old.Withheld, answers, sets)
	values, err := catalog.Resolve(withoutVariables(ver.Questions, kept), answers, sets)
	if err != nil {
		return api.DeployResult{}, answersError(src, ver, err)
	}
	for _, v := range kept {
		values.Typed[v] = "${" + v + "}" // the stand-in Resolve gives answered passwords
	}
	return s.deploy(ctx, name, deployment{src: src, ver: ver, values: values, kept: kept, env: old.Env}, author, remoteAddr)
}

// upgradeTarget picks the version to upgrade to: the one asked for, which must accept
// the stack's version in its upgrade_from (or be that version), else the newest that does.
func upgradeTarget(src catalogs.Source, from *api.TemplateSource, version string) (*catalog.Version, error) {
	upgrades := src.Template.Upgrades(from.Version)
	if version == "" {
		newest := newestDeployable(upgrades)
		if newest == nil {
			return nil, api.Errorf(api.ErrInvalid, "stack runs %s, and catalog %s offers no newer version it may upgrade to (see `docker exos template inspect %s/%s`)",
				from.Ref(), from.Catalog, from.Catalog, from.Template)
		}
		version = newest.Version
	}
	ver, err := pickVersion(src, version)
	if err != nil {
		return nil, err
	}
	offered := slices.ContainsFunc(upgrades, func(v catalog.Version) bool { return v.Version == ver.Version })
	if !offered && ver.Version != from.Version {
		return nil, api.Errorf(api.ErrInvalid, "%s/%s:%s cannot upgrade a stack running version %s (it is older, or its upgrade_from %q excludes it)",
			from.Catalog, from.Template, ver.Version, from.Version, ver.UpgradeFrom)
	}
	return ver, nil
}

// keptPasswords are the withheld variables that are still password questions and are not
// answered again: their secrets stay on the swarm as they are.
func keptPasswords(questions []catalog.Question, withheld []string, file map[string]any, sets map[string]string) []string {
	var out []string
	for _, q := range questions {
		_, inFile := file[q.Variable]
		_, inSets := sets[q.Variable]
		if q.Type == "password" && slices.Contains(withheld, q.Variable) && !inFile && !inSets {
			out = append(out, q.Variable)
		}
	}
	return out
}

// UpgradeTo is the newest deployable version a stack running ref's version may upgrade
// to, "" when there is none or the template is gone.
func (s *Service) UpgradeTo(catalogName, template, version string) string {
	src, err := s.catalogs.Lookup(catalogName, template)
	if err != nil {
		return ""
	}
	if newest := newestDeployable(src.Template.Upgrades(version)); newest != nil {
		return newest.Version
	}
	return ""
}

// newestDeployable is the last version of upgrades (oldest first) that Swarm can run.
func newestDeployable(upgrades []catalog.Version) *catalog.Version {
	for i := len(upgrades) - 1; i >= 0; i-- {
		if upgrades[i].Deployable() {
			return &upgrades[i]
		}
	}
	return nil
}

// folderNumber is the version's folder as a number (Rancher's layout numbers them).
func folderNumber(v *catalog.Version) int {
	n, _ := strconv.Atoi(v.Number)
	return n
}
