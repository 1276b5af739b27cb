# The whole onboarding: `make demo` and `make test`. Everything installs into .venv and
# node_modules from pinned versions (constraints.txt, package-lock.json).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED_LONDON := ../shared/data/london
export LINKWELL_DATABASE_URL ?= sqlite:///./linkwell.db

.PHONY: demo demo-reset serve test lint bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed .venv-mesh-sandbox/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# NHS England's MESH sandbox, for the GP-record tests and benchmark: its own virtualenv,
# because it pins its own FastAPI. The marker holds the requirements it was made from.
.venv-mesh-sandbox/.installed: tests/mesh-sandbox-requirements.txt
	$(PYTHON) -m venv .venv-mesh-sandbox
	.venv-mesh-sandbox/bin/pip install --quiet -r tests/mesh-sandbox-requirements.txt
	cp tests/mesh-sandbox-requirements.txt $@

# The NHS.UK CSS is built from the package's Sass sources without its @font-face rules
# (fonts from assets.nhs.uk make pages wait where that host is unreachable): see the .scss.
NHSUK_SCSS := src/linkwell/web/styles/nhsuk-frontend.scss
node_modules/.installed: package.json package-lock.json $(NHSUK_SCSS)
	npm ci --no-audit --no-fund --loglevel=error
	node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
	  --load-path=node_modules $(NHSUK_SCSS) node_modules/.build/nhsuk-frontend.min.css
	touch $@

install: $(VENV)/.installed node_modules/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

# Built as one recipe; if any step fails the half-built database is removed, so the next
# `make demo` starts again instead of serving an empty one.
linkwell.db: | install
	{ $(BIN)/linkwell db upgrade \
	  && if [ -f $(SHARED_LONDON)/lsoa2011.csv ]; then $(BIN)/linkwell geo load $(SHARED_LONDON); \
	     else $(BIN)/linkwell geo fetch; fi \
	  && $(BIN)/linkwell demo-data --people 5000 --with-outcomes; } \
	|| { rm -f linkwell.db linkwell.db-wal linkwell.db-shm; exit 1; }

## Set up everything on a fresh machine and serve the demo at http://127.0.0.1:8000
demo: install linkwell.db
	$(BIN)/linkwell db upgrade
	$(BIN)/linkwell serve --host 127.0.0.1 --port 8000

## Start again from an empty demo database
demo-reset:
	rm -f linkwell.db linkwell.db-wal linkwell.db-shm
	$(MAKE) demo

## Lint, then the whole suite on SQLite and PostgreSQL, browser tests in headless Chromium
test: lint
	$(BIN)/pytest -n 2 --dist loadfile

## Lint alone: ruff (rules in pyproject.toml) and the import contracts
lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

## Benchmarks: print the figures each issue sets targets for
bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .venv-mesh-sandbox node_modules .pytest_cache .ruff_cache
