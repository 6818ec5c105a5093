// Package catalog reads EXOS catalogs: Git repositories of application templates laid out
// like Rancher 1.6 catalogs, so that a Rancher catalog can be imported as it is.
//
// Layout (paths in the catalog's file system):
//
//	templates/<name>/config.yml                       name, description, version (default), category...
//	templates/<name>/catalogIcon-<name>.svg           the icon
//	templates/<name>/<n>/docker-compose.yml[.tpl]     one folder per version: 0, 1, 2...
//	templates/<name>/<n>/exos-compose.yml             or rancher-compose.yml, with the .catalog block
//	templates/<name>/<n>/README.md
//	swarm-templates/<name>/...                        the same, listed as swarm-<name> (Rancher's Swarm templates)
//
// Metadata is read as Rancher read it (yaml.v2: of keys given twice, the last wins; the
// catalog: block of the v2 layout; an empty questions:), and a .tpl is rendered with
// Sprig's functions, over answers that are strings in a template written for Rancher.
//
// The flow of a deploy:
//
//	snap, err := catalog.Fetch(ctx, catalog.Source{URL: url, Branch: "main"})
//	cat := catalog.Index(snap.FS)              // never fails as a whole; see cat.Problems
//	tpl := cat.Template("mysql")
//	v := tpl.Version(tpl.DefaultVersion)
//	file, _ := catalog.ParseAnswersFile("a.yml", data)
//	sets, _ := catalog.ParseSets([]string{"mysql_port=3307"})
//	values, err := catalog.Resolve(v.Questions, file, sets) // *AnswersError lists every violation
//	out, err := catalog.Render(*v, values)
//	stack, err := composeext.Load(ctx, out.Input("mysql"))
//
// Index judges every version by the path a deploy takes (Check: default answers, Render,
// composeext.Load of Rendered.Input, which reads the files as Rancher did): a version
// that does not go through carries the reasons in Reasons and must not be deployed. Fetch has no side effect on a previous Snapshot, so a caller
// keeps its last good index when a refresh fails. Password answers are kept apart
// (Values.Secrets) so that they can be stored as Swarm secrets rather than in clear.
package catalog
