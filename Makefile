# Blauwlijn: `make run`, `make test`, `make lint`. Works from a fresh clone (Debian 12, Python 3.11).
PY ?= python3
PYTEST_ARGS ?=

VENV := .venv
STAMP := $(VENV)/.installed

# Things `make test` needs besides the Python environment: add targets here.
TEST_SETUP := install browser-deps prism vendor faketime

# The suite runs this many days ahead of the machine's date (libfaketime, every process it
# starts included), so a test that leans on the day it runs fails today, not on that day
# (tests/test_clock.py). `make test TEST_DAYS_AHEAD=0` would run it on the real date.
TEST_DAYS_AHEAD ?= 400
FAKETIME := /usr/bin/faketime

# pytest-xdist processes for `make test` (each has its own databases, servers and browser;
# tests/conftest.py). `make test TEST_WORKERS=0` runs the suite in one process.
TEST_WORKERS ?= 2

.PHONY: all install $(VENV) test lint run bench bench-reports bench-ivr wrk bench-assistance bench-rounds bench-peak browser-deps prism vendor translations faketime

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

# The layering contracts first (pyproject.toml [tool.importlinter]; seconds), then the suite.
test: $(TEST_SETUP)
	$(VENV)/bin/lint-imports --no-cache
	scripts/with-postgres.sh $(FAKETIME) -f +$(TEST_DAYS_AHEAD)d $(VENV)/bin/pytest \
	  -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy && \
	  $(VENV)/bin/lint-imports --no-cache

run: install vendor
	scripts/run.sh

# Seed a zone ten times the demo and measure search and booking (writes bench/RESULTS.md).
# wrk drives the GET benchmarks (installed when root); BENCH_ARGS passes options to the script.
bench: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || \
	  echo "wrk not installed: the GET figures fall back to a Python client" >&2
	scripts/with-postgres.sh $(VENV)/bin/python bench/run.py $(BENCH_ARGS)

# wrk for the HTTP benchmarks: from Debian when root, else asked for.
wrk:
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || \
	  { echo "this benchmark needs wrk: install it (apt-get install wrk)" >&2; exit 1; }

# The reporting point with 100,000 reports: the staff's queue and overview in-process, and
# Open311's public list over HTTP beside the floor (its section of bench/RESULTS.md).
bench-reports: install wrk
	scripts/with-postgres.sh $(VENV)/bin/python bench/reports.py $(BENCH_ARGS)

# The voice webhooks with wrk, each beside the floor and the floor plus one query
# (its section of bench/RESULTS.md).
bench-ivr: install wrk
	scripts/with-postgres.sh $(VENV)/bin/python bench/ivr.py $(BENCH_ARGS)

# Bailiff assistance: the team search for 3 officers in a zone ten times the demo
# (its section of bench/RESULTS.md).
bench-assistance: install
	scripts/with-postgres.sh $(VENV)/bin/python bench/assistance.py $(BENCH_ARGS)

# Rounds of home visits against the fixed travel buffer: a month of requests in the demo
# zone played in each mode, one yardstick (its section of bench/RESULTS.md).
bench-rounds: install
	scripts/with-postgres.sh $(VENV)/bin/python bench/rounds.py $(BENCH_ARGS)

# The Monday-morning peak (issue 18): Locust against one web process, then two behind HAProxy
# (from Debian, installed when root), Prism for Twilio (its section of bench/RESULTS.md).
# A smoke run: make bench-peak BENCH_ARGS='--scale 0.1 --minutes 1 --no-write'.
bench-peak: install prism
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || { [ "$$(id -u)" = 0 ] && \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy; } || \
	  { echo "bench-peak needs haproxy: install it (apt-get install haproxy)" >&2; exit 1; }
	$(VENV)/bin/pip install -q -e '.[test,bench]'
	scripts/with-postgres.sh $(VENV)/bin/python bench/peak.py $(BENCH_ARGS)

# What tests/browser needs: Debian's Chromium (Playwright's own browser download cannot work
# here, and is never run) and axe-core from npm (re-installed only when the lock changes).
AXE := node_modules/axe-core/axe.min.js
CHROMIUM := /usr/bin/chromium

browser-deps: $(CHROMIUM) $(AXE)

faketime: $(FAKETIME)

$(FAKETIME):
	@[ "$$(id -u)" = 0 ] || { echo "$@ is missing: install Debian's faketime as root" \
	  "(apt-get install faketime), then rerun make" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 faketime >/dev/null

$(CHROMIUM):
	@[ "$$(id -u)" = 0 ] || { echo "$@ is missing: install Debian's chromium as root" \
	  "(apt-get install chromium), then rerun make" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 chromium >/dev/null

# npm installs the browser's libraries and every test tool at once (axe-core, Prism,
# Twilio's OpenAPI description); re-run only when the lock changes.
NODE_STAMP := node_modules/.blauwlijn-installed

$(NODE_STAMP): package.json $(wildcard package-lock.json)
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js 20+ with npm" >&2; exit 1; }
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
	else npm install --no-audit --no-fund; fi
	touch $@

$(AXE): $(NODE_STAMP)
	test -f $@ && touch $@

# The SMS tests send through the Twilio SDK to Prism serving Twilio's own API description
# (tests/app/twilio_mock.py starts it once per session, only when those tests run).
PRISM := node_modules/.bin/prism
TWILIO_SPEC := node_modules/@twilio-alpha/mcp/twilio-oai/spec/json/twilio_api_v2010.json

prism: $(PRISM) $(TWILIO_SPEC)

$(PRISM) $(TWILIO_SPEC): $(NODE_STAMP)
	test -e $@ && touch $@

# The browser's libraries from npm, served by the app itself (no CDN): Twilio's Voice
# JavaScript SDK (the call-takers' browser phone) and Chart.js's UMD build (the supervisor's
# charts). Committed like the .mo files, so a deploy runs no build step; this refreshes them
# when package-lock.json moves to another version.
VOICE_SDK := app/static/vendor/twilio.min.js
CHART_JS := app/static/vendor/chart.umd.min.js

vendor: $(VOICE_SDK) $(CHART_JS)

$(VOICE_SDK): $(NODE_STAMP)
	mkdir -p $(@D)
	cp node_modules/@twilio/voice-sdk/dist/twilio.min.js $@

$(CHART_JS): $(NODE_STAMP)
	mkdir -p $(@D)
	cp node_modules/chart.js/dist/chart.umd.min.js $@

# Citizen-page messages: extract (babel.cfg) → merge into nl, fr, en → compile. The .mo files
# are committed (deploys run no build step). Translate what is new or fuzzy, then run it again.
I18N := app/translations

translations: install
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l --sort-by-file --project Blauwlijn \
	  --version "$$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)" \
	  -o $(I18N)/messages.pot .
	for lang in nl fr en; do \
	  $(VENV)/bin/pybabel -q update -i $(I18N)/messages.pot -d $(I18N) -l $$lang --init-missing \
	    --ignore-obsolete --ignore-pot-creation-date --previous || exit 1; \
	done
	$(VENV)/bin/pybabel compile -d $(I18N) --statistics
