// Command docker-minimal is the least a Docker CLI plugin can be: the standard library,
// an answer to Docker's metadata question, and a command that does nothing.
// BenchmarkReadCommands times `docker minimal` as the floor of Docker's plugin mechanism
// (the docker process and the plugin's two starts), which every `docker exos` command
// pays before it does anything.
package main

import "os"

func main() {
	if len(os.Args) == 2 && os.Args[1] == "docker-cli-plugin-metadata" {
		_, _ = os.Stdout.WriteString(`{"SchemaVersion":"0.1.0","Vendor":"EXOS tests","Version":"1"}` + "\n")
	}
}
