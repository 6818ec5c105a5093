package catalog

import (
	"github.com/Masterminds/semver/v3"
)

// Upgrades lists the versions a deployment of version from may upgrade to, oldest first:
// those newer than from whose upgrade_from range includes it. A version with no
// upgrade_from accepts any older version, as in Rancher. Ranges are semver ranges,
// Rancher's space-separated form (">=1.0.0 <2.0.0") and "||" included; pre-release
// versions such as 1.2.0-rancher1 match like releases.
func (t *Template) Upgrades(from string) []Version {
	pos := -1
	for i := range t.Versions {
		if t.Versions[i].Version == from {
			pos = i
		}
	}
	if pos < 0 { // a folder number: compare its version
		for i := range t.Versions {
			if t.Versions[i].Number == from {
				pos, from = i, t.Versions[i].Version
			}
		}
	}
	var out []Version
	for i, v := range t.Versions {
		if !isNewer(v.Version, from, i, pos) {
			continue
		}
		if v.UpgradeFrom == "" || rangeIncludes(v.UpgradeFrom, from) {
			out = append(out, v)
		}
	}
	return out
}

// isNewer compares by semver, else by position in the sorted versions (i is the
// candidate's, pos from's, -1 when from is not in the catalog any more).
func isNewer(candidate, from string, i, pos int) bool {
	if c, ok := compareSemver(candidate, from); ok {
		return c > 0
	}
	return pos >= 0 && i > pos
}

func rangeIncludes(constraint, version string) bool {
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return false // Index reported it
	}
	v, err := semver.NewVersion(version)
	if err != nil {
		return false
	}
	c.IncludePrerelease = true
	return c.Check(v)
}

// compareSemver compares two versions; ok is false when either is not semver.
func compareSemver(a, b string) (int, bool) {
	va, err := semver.NewVersion(a)
	if err != nil {
		return 0, false
	}
	vb, err := semver.NewVersion(b)
	if err != nil {
		return 0, false
	}
	return va.Compare(vb), true
}
