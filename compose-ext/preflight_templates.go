package composeext

import (
	"io"
	"strconv"
	"strings"
	"text/template"
)

// Swarm expands Go templates ({{.Task.Slot}}...) in a container's environment values,
// mount sources, targets and volume options, and hostname; controlapi/service.go
// validateContainerSpec tries them on a made-up task (template.ExpandContainerSpec) and
// refuses the service when one fails. An environment value that only looks like a
// template ({{user}} in a prompt, a Jinja snippet) is refused too.

// templateContext is swarmkit's template.Context (template/context.go) with the values
// validateContainerSpec gives it: the same fields, so that a template reading one works,
// and no service labels, so that {{.Service.Labels.x}} fails (missingkey=error) as it
// fails in Swarm.
type templateContext struct {
	Service templateService
	Node    templateNode
	Task    templateTask
}

type templateService struct {
	ID     string
	Name   string
	Labels map[string]string
}

type templateNode struct {
	ID       string
	Hostname string
	Platform struct{ Architecture, OS string }
}

type templateTask struct{ ID, Name, Slot string }

var validationTask = func() templateContext {
	var ctx templateContext
	ctx.Service.ID, ctx.Service.Name = "serviceid", "servicename"
	ctx.Node.ID, ctx.Node.Hostname = "nodeid", "nodeHostname"
	ctx.Node.Platform.Architecture, ctx.Node.Platform.OS = "architecture", "os"
	ctx.Task.Name, ctx.Task.Slot = "taskname", "1"
	return ctx
}()

// templateFuncs is swarmkit's template.funcMap (template/template.go).
var templateFuncs = template.FuncMap{
	"join": func(s ...string) string { return strings.Join(s[1:], s[0]) },
}

// expandError returns the error Swarm's expansion of s gives, or nil.
func expandError(s string) error {
	if !strings.Contains(s, "{{") {
		return nil // plain text: nothing to parse or run
	}
	tmpl, err := template.New("expansion").Option("missingkey=error").Funcs(templateFuncs).Parse(s)
	if err != nil {
		return err
	}
	return tmpl.Execute(io.Discard, validationTask)
}

// templates tries every field Swarm expands.
func (c *preflight) templates(svc Service) {
	cs := svc.Spec.TaskTemplate.ContainerSpec
	for _, env := range cs.Env {
		if name, value, ok := strings.Cut(env, "="); ok {
			c.template(serviceKey(svc, "environment."+name), "environment variable "+name, value)
		}
	}
	for i, m := range cs.Mounts {
		key := serviceKey(svc, "volumes."+strconv.Itoa(i))
		c.template(key, "mount source", m.Source)
		c.template(key, "mount target", m.Target)
		if vo := m.VolumeOptions; vo != nil {
			for k, v := range vo.Labels {
				c.template(key, "volume label "+k, v)
			}
			if vo.DriverConfig != nil {
				for k, v := range vo.DriverConfig.Options {
					c.template(key, "volume driver option "+k, v)
				}
			}
		}
	}
	c.template(serviceKey(svc, "hostname"), "hostname", cs.Hostname)
}

// expanded is s as Swarm expands it for the made-up task; s itself when it has no
// template or one that fails (the templates check reports that).
func expanded(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	tmpl, err := template.New("expansion").Option("missingkey=error").Funcs(templateFuncs).Parse(s)
	var b strings.Builder
	if err != nil || tmpl.Execute(&b, validationTask) != nil {
		return s
	}
	return b.String()
}

func (c *preflight) template(key, what, value string) {
	if err := expandError(value); err != nil {
		c.problem(key, "%s: Swarm expands {{ }} in it as a Go template and refuses this one (%v): write a literal {{ as {{\"{{\"}}", what, err)
	}
}
