# Sabueso — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
DB     ?= sabueso.db

.PHONY: install dev demo test test-latest smoke lock dist eval clean frontend browser-deps

# Installs come from the locks (exact versions and hashes, `make lock` refreshes them); the
# package itself is then installed without dependencies, so nothing outside the lock comes in.
LOCK     := requirements.lock
DEV_LOCK := requirements-dev.lock

$(VENV)/.installed: pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24.2"    # PEP 685 extras (lxml[html_clean])
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.installed $(DEV_LOCK)
	$(PY) -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	@touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

## demo: install, ingest the bundled sample articles into $(DB), show one group
demo: install frontend
	$(BIN)/sabueso ingest samples --db $(DB)
	$(BIN)/sabueso stats --db $(DB)
	$(BIN)/sabueso entities --type CriminalGroup --db $(DB)
	$(BIN)/sabueso show "Tren de Aragua" --db $(DB)
	@echo ""
	@echo "What to try next:"
	@echo "  $(BIN)/sabueso serve --db $(DB)      then open http://127.0.0.1:8000 (API docs at /docs)"
	@echo "  $(BIN)/sabueso profile \"Tren de Aragua\" --db $(DB)      a cited profile (--format html --output tda.html)"
	@echo "  $(BIN)/sabueso entities --wide --db $(DB)      every entity with its full id, country and aliases"

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

## test: install dev dependencies (from the lock) and run the test suite
test: dev frontend browser-deps
	$(BIN)/pytest

## test-latest: the suite against the newest versions the pyproject.toml ranges allow, in its own
## .venv-latest (non-blocking: CI runs the lock; run this before `make lock` to see what breaks)
test-latest: frontend browser-deps
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install --quiet --upgrade "pip>=24.2"
	.venv-latest/bin/pip install --quiet --upgrade --upgrade-strategy eager -e ".[dev]"
	.venv-latest/bin/pip list --outdated || true
	.venv-latest/bin/pytest

## lock: refresh both locks to the newest versions the pyproject.toml ranges allow (uv, from PyPI)
lock: dev
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o $(DEV_LOCK)
	$(BIN)/uv pip compile pyproject.toml -c $(DEV_LOCK) $(LOCK_FLAGS) -o $(LOCK)
LOCK_FLAGS := --upgrade --python-version 3.11 --python-platform linux --generate-hashes \
              --custom-compile-command "make lock" --quiet

## dist: the wheel that is the whole product (front-end libraries and trained models included)
dist: dev frontend
	rm -rf build dist
	$(PY) -m build --wheel
	@unzip -l dist/*.whl | grep -q 'sabueso/web/static/vendor/cytoscape/cytoscape.min.js' && \
	 unzip -l dist/*.whl | grep -q 'sabueso/web/static/vendor/leaflet/leaflet.js' && \
	 unzip -l dist/*.whl | grep -q 'sabueso/models/es_ner/ner/model' && \
	 unzip -l dist/*.whl | grep -q 'sabueso/ontology.yaml' || \
	 { echo "dist: the wheel lacks the front-end, the models or the ontology"; exit 1; }

## smoke: build the wheel, install it (not editable, no dev extras) into a fresh venv in a temp
## folder and run every supported input format, extract, serve and export with its `sabueso`
smoke: dev frontend
	$(PY) tests/smoke/smoke_wheel.py

## eval: score the extractor on the shared seed/dev gold and on our own corpus
eval: install
	-$(BIN)/sabueso eval ../shared/eval/seed
	-$(BIN)/sabueso eval ../shared/eval/dev
	$(BIN)/sabueso eval tests/corpus/en
	$(BIN)/sabueso eval tests/corpus/es

clean:
	rm -rf $(VENV) .venv-latest build dist *.egg-info .pytest_cache $(DB) $(DB)-wal $(DB)-shm
