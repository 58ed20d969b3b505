# Torque: developer entry points. `make help` lists them.
# The local stack (Postgres, ClickHouse, Ory Kratos, Mailpit, stripe-mock) is
# described in deploy/README.md; its state lives in the git-ignored .local/.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

LOCAL := .local
# Exports the TORQUE_* variables for the local stack (keeps values already set).
ENV := . deploy/local/env.sh
FUZZTIME ?= 20s
# Go's install folder, for shells whose PATH lacks it (a Go found first wins).
export PATH := $(PATH):/usr/local/go/bin
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help stack stop status reset build run test bench lint fuzz

help: ## Show this list
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  make %-8s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

stack: ## Start the local stack (installs and builds what is missing)
	deploy/local/up.sh

stop: ## Stop the local stack and a `make run` server (data is kept)
	deploy/local/down.sh

status: ## Show which local services are up
	deploy/local/status.sh

reset: ## Stop the local stack and delete its data
	deploy/local/reset.sh

build: ## Build the torque binary into .local/bin/torque
	go build -o $(LOCAL)/bin/torque ./cmd/torque

run: stack ## Start the stack, migrate, seed, and serve Torque on http://127.0.0.1:8080
	scripts/run.sh

test: ## go vet, then every test (Go with -race, then browser tests) against the local stack
	go vet ./...
	deploy/local/up.sh
	if [ -d tests/browser ]; then deploy/local/browser.sh; fi
	$(ENV); go test -race -count=1 ./...
	if [ -f tests/browser/package.json ]; then $(ENV); cd tests/browser && node --test; fi

bench: stack ## Run the benchmarks; raw output in .local/bench.txt
	$(ENV); go test -run '^$$' -bench . -benchmem ./... | tee $(LOCAL)/bench.txt

lint: ## gofmt, golangci-lint (.golangci.yml; layer rules) and the lint config's self-test
	scripts/lint.sh

fuzz: ## Run every fuzz target for FUZZTIME each (default 20s)
	$(ENV); FUZZTIME=$(FUZZTIME) scripts/fuzz.sh
