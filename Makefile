# Partnering Kit: two commands do everything.
#   make demo   set up, seed the demo cohort, serve the apps on http://localhost:8866
#   make test   set up, then run the whole suite (unit, notebooks under strict nbval,
#               browser, PostgreSQL)
# Every target is idempotent and quick once set up.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KIT := $(VENV)/bin/kit
STAMP := $(VENV)/.kit-installed
PORT ?= 8866
PYTEST_WORKERS ?= 2
RUNS ?= 3
CHROMIUM ?= /usr/bin/chromium

.PHONY: help setup demo serve test test-busy unit browser nbval notebooks check-notebooks bench lint lint-imports clean browser-deps hub-deps screenshots translations

help:
	@echo "make demo    - set up, seed the demo cohort, serve the apps on http://localhost:$(PORT)"
	@echo "make test    - set up and run the whole suite"
	@echo "make test-busy - the whole suite three times in a row with every core busy"
	@echo "make bench   - run benchmarks/ (figures in benchmarks/results/)"
	@echo "make lint    - ruff"
	@echo "make lint-imports - check the floors (import-linter contracts in pyproject.toml)"
	@echo "make notebooks - re-execute every notebook in place (refresh committed outputs)"
	@echo "make translations - extract strings, update catalogues, make the pseudo-language, compile"

# ---- set-up ---------------------------------------------------------------------------
$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

# Chromium for the browser tests: Debian's package (Playwright's own download cannot work here).
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "== installing Chromium (Debian packages)"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	  else \
	    echo "Chromium not found at $(CHROMIUM): browser tests will skip (install: apt-get install chromium chromium-driver)"; \
	  fi; \
	fi

# JupyterHub's proxy for the hub test (tests/browser/test_jupyterhub.py): configurable-http-proxy
# from the npm registry, kept inside the virtual environment (jupyterhub itself comes from PyPI
# with the test extras).
CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy
$(CHP): | $(PY)
	@command -v npm >/dev/null || { echo "npm not found: install Node.js (apt-get install nodejs npm)"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@^4

hub-deps: setup $(CHP)

# ---- the demo -------------------------------------------------------------------------
demo: setup
	$(KIT) demo
	$(KIT) serve --port $(PORT)

serve: setup
	$(KIT) serve --port $(PORT)

# ---- tests ----------------------------------------------------------------------------
test: setup browser-deps hub-deps
	@$(MAKE) --no-print-directory lint-imports unit nbval browser

# The whole suite RUNS times in a row with every core kept busy (tests/cpu_burn.py).
test-busy: setup browser-deps hub-deps
	$(PY) tests/cpu_burn.py --runs $(RUNS) -- $(MAKE) --no-print-directory unit nbval browser

# The floors (pyproject.toml [tool.importlinter], drawn in docs/architecture.md).
lint-imports: setup
	$(VENV)/bin/lint-imports

unit: setup
	$(PY) -m pytest tests -n $(PYTEST_WORKERS) --dist loadscope -p no:cacheprovider --ignore=tests/browser -q

browser: setup hub-deps
	$(PY) -m pytest tests/browser -p no:cacheprovider -q

nbval: setup
	$(KIT) notebooks --nbval

notebooks: setup
	$(KIT) notebooks --execute

check-notebooks: setup
	$(KIT) notebooks --check

# Extract the kit's strings, update each language, regenerate the pseudo-language, compile
# (docs/translating.md).
translations: setup
	$(KIT) translations all

# Refresh the README's screenshots from the latest browser run.
screenshots: setup browser-deps
	$(PY) -m pytest tests/browser -p no:cacheprovider -q
	mkdir -p docs/screenshots
	cp test-artifacts/screenshots/*.png docs/screenshots/

# ---- benchmarks and lint --------------------------------------------------------------
bench: setup browser-deps
	$(PY) benchmarks/run_all.py

lint: setup
	$(VENV)/bin/ruff check kit tests benchmarks

clean:
	rm -rf test-artifacts .pytest_cache .ruff_cache .import_linter_cache .grimp_cache build dist
