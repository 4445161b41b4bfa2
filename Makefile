# Safer Neighbourhoods Platform. `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
UV ?= uv
PYTEST_ARGS ?=

.PHONY: help install tools run stop clean status test test-unit test-integration proto proto-check policy-check fmt lint typecheck bench load chaos soak audit

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: ## Install the Python workspace from the lock file (uv)
	@command -v $(UV) >/dev/null || { echo "uv is missing: pip install 'uv==0.13.9'"; exit 1; }
	$(UV) sync --frozen --all-packages

tools: install ## Fetch and build every external tool once (Kafka, OPA, Regal, etcd, kube-apiserver, skaffold, the portal's npm packages, Debian's chromium)
	$(UV) run snp-stack tools

run: install tools ## Start the whole platform on loopback in the foreground (Ctrl-C stops it)
	$(UV) run snp-stack run

stop: ## Stop a platform started by `make run` (by the pids it recorded)
	$(UV) run snp-stack stop

clean: ## Delete the state folder of `make run` (after `make stop`): the next run starts afresh
	$(UV) run snp-stack clean

status: ## Show what `make run` has running and where it listens
	$(UV) run snp-stack status

test: install tools proto-check policy-check lint typecheck audit ## Every check and test, on a throwaway stack on free ports
	$(UV) run pytest $(PYTEST_ARGS)

test-unit: install ## Unit tests only (no infrastructure)
	$(UV) run pytest tests/unit $(PYTEST_ARGS)

proto: install ## Regenerate the Python code from proto/
	$(UV) run python proto/codegen.py generate

proto-check: install ## Fail if generated code is stale or a message changed incompatibly
	$(UV) run python proto/codegen.py check-fresh
	$(UV) run python proto/breaking.py

policy-check: install tools ## opa fmt, opa check --strict, Regal lint and opa test (coverage >= 95%)
	$(UV) run snp-stack policy-check

audit: install ## pip-audit the lock file (OSV, else the offline snapshot, dated), then a CycloneDX SBOM per image in .artifacts/sbom
	$(UV) run snp-stack audit
	$(UV) run snp-stack sbom

fmt: install ## Format Python (ruff) and Rego (opa fmt)
	$(UV) run ruff format .
	$(UV) run ruff check --fix .
	"$$($(UV) run snp-stack tool-path opa)" fmt --write policies

lint: install ## ruff lint and format check
	$(UV) run ruff check .
	$(UV) run ruff format --check .

typecheck: install ## mypy --strict on libs, the stack, the operator, every service, the tests and the e2e journeys
	$(UV) run mypy libs/platform/src deploy/local/src deploy/k8s/operator/src $(wildcard services/*/src) tests $(wildcard e2e/*.py)

bench: install ## Benchmarks under e2e/bench, each beside its limit, ending with one table (BENCH="identity backbone" picks some)
	$(UV) run python -m e2e.bench $(BENCH)

load: install tools ## The load test (Locust, headless, on a throwaway stack): ramps up until p95 passes 500 ms, prints the knee, plots it in .artifacts/load/
	$(UV) run --frozen --group load python -m e2e.load

chaos: install tools ## The chaos run (throwaway stack): a steady workload while Kafka, PostgreSQL, OPA and every service role fail; prints recovery, errors, memory (SNP_CHAOS_MINUTES=10)
	$(UV) run python -m e2e.chaos

soak: install tools ## The soak run (throwaway stack): a steady workload for SNP_SOAK_MINUTES (30); fails if memory grows 10 % or descriptors or connections leak
	$(UV) run python -m e2e.soak
