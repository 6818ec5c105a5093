# EXOS: `make demo` runs it on this machine, `make test` runs every test.
SHELL := /bin/bash
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BUILD   := build
GO      ?= go
LDFLAGS := -X github.com/exos-platform/exos/cli-plugin/about.Version=$(VERSION) -X main.Version=$(VERSION)
PLUGIN_DIR ?= $(HOME)/.docker/cli-plugins
MANAGER_IMAGE ?= exos/manager:$(VERSION)

.PHONY: all build plugin manager image images install-plugin deps test unit e2e bench fuzz lint demo clean web

all: build

build: plugin manager

# The plugin is two files, installed side by side: docker-exos, the launcher Docker runs
# (it serves the frequent reads itself), and exos-cli, every command. Both are static:
# loading libc costs 1 ms a start, and Docker starts the launcher twice per command.
plugin:
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BUILD)/docker-exos ./cli-plugin
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BUILD)/exos-cli ./cli-plugin/exos-cli

# The manager runs FROM scratch, so it must be static.
manager:
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BUILD)/exos-manager ./manager

# Images are written as `docker load` archives without a Docker engine (no pulls, no
# builder): the manager image and the busybox image the e2e tests run.
image: manager
	mkdir -p $(BUILD)/images
	$(GO) run ./scripts/mkimage -o $(BUILD)/images/exos-manager.tar -tag $(MANAGER_IMAGE) \
	  -add $(BUILD)/exos-manager:/exos-manager:0755 -dir /tmp \
	  -entrypoint '["/exos-manager"]' -cmd '["serve"]' -expose 7420/tcp \
	  -label org.opencontainers.image.version=$(VERSION)

images: image
	scripts/build-images.sh $(BUILD)/images

# The web dashboard: npm ci (uPlot), then esbuild (a Go program) into manager/web/dist,
# which is committed and embedded. `go build` needs neither node nor the network.
web:
	rm -f manager/web/node_modules/.exos-package-lock.json && scripts/install-web-deps.sh
	$(GO) run ./manager/web/build -dir manager/web

install-plugin: plugin
	install -D -m 0755 $(BUILD)/docker-exos $(PLUGIN_DIR)/docker-exos
	install -D -m 0755 $(BUILD)/exos-cli $(PLUGIN_DIR)/exos-cli

deps:
	scripts/install-deps.sh

# Unit tests need no Docker; e2e tests start disposable swarms of their own (root needed).
test: deps lint unit e2e

unit:
	$(GO) test ./...

e2e: build images
	EXOS_VERSION=$(VERSION) EXOS_BUILD_DIR=$(CURDIR)/$(BUILD) $(GO) test -tags e2e -p 1 -count=1 -timeout 60m ./e2e/... ./manager/swarm/

bench: deps build images
	scripts/bench.sh

# Not part of test: each fuzz target runs FUZZTIME, one at a time (scripts/fuzz.sh lists them).
FUZZTIME ?= 2m
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet ./...
	$(GO) vet -tags e2e ./e2e/... ./manager/swarm/
	scripts/check-deps.sh
	scripts/check-web.sh

demo: deps install-plugin images
	scripts/demo.sh $(BUILD)/images/exos-manager.tar $(MANAGER_IMAGE)

clean:
	rm -rf $(BUILD)
