# Bridgework make targets. `make help` lists them.
SHELL := /bin/bash
GO ?= go
BIN := bin/bridgework
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: help run build web test e2e vet fmt-check verify bench bench-short

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build the bridgework binary into bin/
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/bridgework

web: ## rebuild the browser app into web/dist (commit the result)
	cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build

run: build ## run the demo (both sandboxes, every template installed) on the embedded SQLite database at http://127.0.0.1:8080
	./$(BIN) serve --demo

test: ## run the whole test suite (starts a throwaway Postgres when none answers)
	./scripts/test.sh

e2e: ## run the browser tests in headless Chromium against a real server
	./scripts/e2e.sh

vet: ## go vet every package
	$(GO) vet ./...

fmt-check: ## fail when a Go file is not gofmt-formatted
	@files=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$files" ]; then echo "gofmt needed:"; echo "$$files"; exit 1; fi

verify: fmt-check vet ## formatting and static checks

BENCH_FLAGS ?=
HOT_PATHS := ./internal/bench ./internal/runner ./connectors/builtin ./engine

bench: build ## end-to-end benchmark (bridgework bench, both databases; BENCH_FLAGS=--quick for a short run) and the hot-path Go benchmarks
	./$(BIN) bench $(BENCH_FLAGS) --json bin/bench.json
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 100x $(HOT_PATHS)

bench-short: ## the hot-path Go benchmarks in short mode, as CI runs them (figures only, no timing assertions)
	$(GO) test -short -count=1 -run '^$$' -bench . -benchmem -benchtime 20x $(HOT_PATHS)
