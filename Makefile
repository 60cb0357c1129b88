# WhoSaid: `make run` serves the desk, `make test` runs everything CI runs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
SOAK_STAMP := $(VENV)/.installed-soak
AUDIT_STAMP := $(VENV)/.installed-audit
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint typecheck pytest bench soak audit install install-test install-soak install-audit chromium migrate seed clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "WhoSaid needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(SOAK_STAMP): pyproject.toml $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,soak]'
	touch $@

$(AUDIT_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[audit]'
	touch $@

install: $(STAMP)
install-test: $(TEST_STAMP)
install-soak: $(SOAK_STAMP)
install-audit: $(AUDIT_STAMP)

migrate: install
	$(BIN)/whosaid db upgrade

seed: migrate
	$(BIN)/whosaid seed

run: seed
	$(BIN)/whosaid serve

# Debian's Chromium (Playwright's own browser download does not work here).
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium' (or set CHROMIUM=/path)"; exit 1; \
	  fi; \
	fi

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-test
	$(BIN)/mypy

pytest: install-test chromium
	WHOSAID_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -q

test: lint typecheck pytest

# figures to stdout and bench/results.json (PostgreSQL too when TEST_DATABASE_URL is set)
bench: install-test chromium
	$(BIN)/python bench/tagging.py
	WHOSAID_CHROMIUM=$(CHROMIUM) $(BIN)/python bench/browser.py
	$(BIN)/python bench/suggest.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/large.py

# the long part of the reliability suite: 50 SIGKILL trials, the storms and the backup
# under load again, then a bounded locust run (30 editors, 60 s, loopback)
soak: install-soak chromium
	WHOSAID_CRASH_TRIALS=50 $(BIN)/pytest -q tests/test_crash.py tests/test_together.py tests/test_backup_load.py tests/test_busy.py
	$(BIN)/python bench/load.py --users 30 --seconds 60

# periodic (TESTPLAN H5): bandit fails on any medium or high finding in app/; pip-audit
# asks PyPI's advisory data about every installed pin (it needs that network access)
audit: install-audit
	$(BIN)/bandit -q -r app -ll
	$(BIN)/pip-audit --skip-editable --path $(VENV)/lib/python*/site-packages

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
