# Sabueso — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
DB     ?= sabueso.db

.PHONY: install dev demo test eval clean

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
demo: install
	$(BIN)/sabueso ingest samples --db $(DB)
	$(BIN)/sabueso stats --db $(DB)
	$(BIN)/sabueso entities --type CriminalGroup --db $(DB)
	$(BIN)/sabueso show "Tren de Aragua" --db $(DB)

## test: install dev dependencies and run the test suite
test: dev
	$(BIN)/pytest

## eval: score the extractor on the shared seed/dev gold and on our own corpus
eval: install
	-$(BIN)/sabueso eval ../shared/eval/seed
	-$(BIN)/sabueso eval ../shared/eval/dev
	$(BIN)/sabueso eval tests/corpus/en
	$(BIN)/sabueso eval tests/corpus/es

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache $(DB) $(DB)-wal $(DB)-shm
