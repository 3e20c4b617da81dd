# Sabueso — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
DB     ?= sabueso.db

.PHONY: install dev demo test eval clean frontend browser-deps

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

## demo: install, ingest the bundled sample articles into $(DB), show one group
demo: install frontend
	$(BIN)/sabueso ingest samples --db $(DB)
	$(BIN)/sabueso stats --db $(DB)
	$(BIN)/sabueso entities --type CriminalGroup --db $(DB)
	$(BIN)/sabueso show "Tren de Aragua" --db $(DB)

## frontend: the web app's libraries (Cytoscape.js, Leaflet, ...) from the npm registry, pinned
## by frontend/package-lock.json, copied into sabueso/web/static/vendor (git-ignored)
frontend:
	cd frontend && npm ci --no-audit --no-fund
	cd frontend && node copy-vendor.mjs

## browser-deps: Debian's Chromium for tests/test_browser.py, installed only when missing
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends chromium; \
	fi

## test: install dev dependencies and run the test suite
test: dev frontend browser-deps
	$(BIN)/pytest

## eval: score the extractor on the shared seed/dev gold and on our own corpus
eval: install
	-$(BIN)/sabueso eval ../shared/eval/seed
	-$(BIN)/sabueso eval ../shared/eval/dev
	$(BIN)/sabueso eval tests/corpus/en
	$(BIN)/sabueso eval tests/corpus/es

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache $(DB) $(DB)-wal $(DB)-shm
