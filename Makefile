# voxclone: `make run` serves on :8080 with SQLite and files in ./data;
# `make test` runs every test, the PostgreSQL suite and browser tests included.
GO       ?= go
# Recipes run in bash with pipefail, so `go test | summary` fails when the
# tests do.
SHELL       := /bin/bash
.SHELLFLAGS := -o pipefail -ec
BIN      ?= bin/voxclone
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)

# Debian packages the binary needs at build and run time, and those only the
# tests need (speech recognition for the evaluation, a browser for the web app).
# The official OpenAI and ElevenLabs SDKs (with Node.js) come from scripts/sdk.sh.
RUN_DEBS  := flite1-dev ffmpeg lame pkg-config gcc libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us
TEST_DEBS := pocketsphinx pocketsphinx-en-us chromium fonts-liberation sox curl

.PHONY: help run build test deps test-deps lint fmt vet bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

run: deps build ## install what is missing, build, serve on :8080 (SQLite + ./data)
	./$(BIN) serve

build: ## build bin/voxclone
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/voxclone

# testsummary prints go test -json as go test would, records each test's
# outcome, and at the end lists what was skipped and why.
SUMMARY  := $(GO) run ./scripts/testsummary

test: deps test-deps vet ## every test: unit, PostgreSQL suite, end-to-end, browser; then the skipped ones
	@test -z "$$(gofmt -l cmd internal scripts)" || { echo "gofmt needed:"; gofmt -l cmd internal scripts; exit 1; }
	@mkdir -p bin
	$(GO) test -race -count=1 -timeout 40m -json ./... | $(SUMMARY) -record bin/test-race.jsonl
	@# The engine's and the watermark's measurement tests (likeness, pitch,
	@# MCD, golden hashes; loudness of the mark, detection after codecs,
	@# false positives) skip under the race detector's tenfold slowdown;
	@# run them plainly.
	$(GO) test -count=1 -timeout 20m -json ./internal/voice/... ./internal/eval/... ./internal/watermark/... | $(SUMMARY) -record bin/test-plain.jsonl
	@$(SUMMARY) -skipped bin/test-race.jsonl bin/test-plain.jsonl

bench: ## engine and hot-path benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

vet: ## go vet
	$(GO) vet ./...

lint: vet ## vet and gofmt
	@test -z "$$(gofmt -l cmd internal scripts)" || { gofmt -l cmd internal scripts; exit 1; }

deps: ## install missing Debian packages needed to build and run
	@./scripts/debs.sh $(RUN_DEBS)

test-deps: ## install missing Debian packages and the pinned SDKs the tests need
	@./scripts/debs.sh $(TEST_DEBS)
	@./scripts/sdk.sh

clean:
	rm -rf bin
