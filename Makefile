# Lägesbild – the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)
VAR_DIR := $(or $(LAGESBILD_VAR_DIR),var)
STATIC_STAMP := $(VAR_DIR)/static/.collected

.PHONY: setup run test lint format bench migrations-check messages venv demo clean audit

.tools/bin/uv:
	@echo "uv saknas – installerar det i .tools/ med pip"
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

# --compile-bytecode: the installed packages' bytecode is written once at install, so no process
# compiles Django or matplotlib again where PYTHONDONTWRITEBYTECODE is set (as on CI machines).
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

# Our own modules' bytecode too (the project is installed editable, so `uv sync` leaves it
# out): where PYTHONDONTWRITEBYTECODE is set, every start would compile ~120 modules again
# (0.2 s of `manage.py check`'s 1.0 s). Only changed files are written.
venv: $(VENV)/.synced
	@$(PY) -m compileall -q -j 0 lagesbild >/dev/null

# migrate and collectstatic skip what is already done; the demo is reloaded only when its files
# or the code changed (a content hash, `lagesbild demo --force` reloads anyway).
setup: venv $(STATIC_STAMP)
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/lagesbild demo

# Hashed and compressed static files (docs/performance.md), collected again only when a static
# file or the installed packages changed.
$(STATIC_STAMP): $(VENV)/.synced $(shell find lagesbild -path '*/static/*' -type f 2>/dev/null)
	$(PY) manage.py collectstatic --noinput -v0
	@touch $@

run: setup
	$(VENV)/bin/lagesbild serve --port $(PORT)

# The suite runs on every core (pytest-xdist; at most 4 workers, each with its own test
# database). The browser checks (axe-core in Chromium) run in their own process: they load the
# demo once into the test database for the whole session. Whole files go to one worker
# (--dist loadfile), so the tests in a row that share the Stockholm world load it once
# (tests/shared_data.py). TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= auto
test: venv
	$(VENV)/bin/pytest -m "not browser" -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile
	$(VENV)/bin/pytest -m browser tests/browser

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: venv
	$(PY) manage.py makemigrations --check --dry-run

messages: venv
	$(PY) manage.py makemessages -l sv -l en --no-location --ignore=.venv --ignore=.tools
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools

# Benchmarks, each printed as a ratio measured in one run (docs/performance.md): the pytest
# benchmarks (the import against its floor needs DATABASE_URL=postgres://…), pages under load,
# the deadline on SQLite and PostgreSQL (BENCH_PG_URL, default database perfbench) and start-up.
# A few minutes on two cores; BENCH_ROWS, BENCH_SECONDS, BENCH_REPORTERS, … scale them down.
bench: venv
	$(VENV)/bin/pytest bench -o addopts="" -p no:cacheprovider -q -rs --benchmark-only --benchmark-columns=min,median,mean,max,rounds
	$(PY) bench/loadtest.py
	$(PY) bench/deadline.py
	$(PY) bench/startup.py

# Known vulnerabilities in the locked dependencies (pip-audit). Exit 2 when no vulnerability
# service can be reached: an audit that could not run is never a pass (docs/operations.md).
audit: venv
	@mkdir -p var
	$(UV) export --frozen --no-emit-project --format requirements-txt --quiet -o var/audit-requirements.txt
	$(PY) -m lagesbild.core.audit var/audit-requirements.txt

demo: venv
	$(VENV)/bin/lagesbild demo

clean:
	rm -rf $(VENV) .tools var
