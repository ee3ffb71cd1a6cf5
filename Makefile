# Blauwlijn: `make run`, `make test`, `make lint`. Works from a fresh clone (Debian 12, Python 3.11).
PY ?= python3
PYTEST_ARGS ?=

VENV := .venv
STAMP := $(VENV)/.installed

# Things `make test` needs besides the Python environment: add targets here.
TEST_SETUP := install

.PHONY: all install $(VENV) test lint run

all: test

# Create the virtualenv; on a bare Debian (no ensurepip) install python3-venv first when root.
$(VENV)/bin/python:
	$(PY) -m venv $(VENV) || { \
	  [ "$$(id -u)" = 0 ] || { echo "python venv failed: install python3-venv" >&2; exit 1; }; \
	  rm -rf $(VENV); \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && \
	  $(PY) -m venv $(VENV); }

# Re-install only when pyproject.toml changes (or the venv was recreated).
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

install $(VENV): $(STAMP)

test: $(TEST_SETUP)
	scripts/with-postgres.sh $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

run: install
	scripts/run.sh
