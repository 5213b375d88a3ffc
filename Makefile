# One command each: make run, make test, make bench, make lint, make screenshots.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
AXE := tests/dashboard/axe/node_modules/axe-core/axe.min.js

.PHONY: install run test bench soak lint screenshots browser redis postgres clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "torch>=2.3,<2.14"
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium drives the dashboard's end-to-end test (Playwright uses it, never its own);
# axe-core (pinned in tests/dashboard/axe/package-lock.json) checks every page's accessibility.
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; }
	@command -v npm >/dev/null || { \
	  echo "Installing npm for axe-core (the accessibility test)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm) >/dev/null; }
	@test -f $(AXE) || npm ci --prefix tests/dashboard/axe --no-audit --no-fund --silent

# Debian's redis-server: the broker the distributed tests start on a free port (pytest -m distributed).
redis:
	@command -v redis-server >/dev/null || { \
	  echo "Installing Debian's redis-server for the worker tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >/dev/null; }

# Debian's PostgreSQL 15: the storage tests start a throw-away server with it (pytest -m postgres).
postgres:
	@test -x /usr/lib/postgresql/15/bin/initdb || { \
	  echo "Installing Debian's postgresql-15 for the storage tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15) >/dev/null; }

run: install
	$(PY) -m newsroom.demo

test: install browser redis postgres
	$(PY) -m pytest -q

bench: install
	$(PY) -m bench.run

# kill -9 at random moments of crawl, score, export and backup; reports lost, duplicated,
# stuck runs, orphans and export rows against the snapshot (bench-results/soak.json).
soak: install
	$(PY) -m bench.soak

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

screenshots: install browser
	$(PY) -m pytest -q -m e2e tests/dashboard --screenshots=screenshots

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
