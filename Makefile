# Two commands on a fresh machine with only Python: `make demo` and `make test`.
# Each creates the virtual environment when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pywb pins old redis and werkzeug releases, so it lives in a virtual environment of its own
PYWB_VENV := .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed
PYWB_VERSION := 2.10.0

.PHONY: demo test lint typecheck check clean chromium bytecode

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# An editable install leaves the project's modules uncompiled, and where the environment
# sets PYTHONDONTWRITEBYTECODE nothing caches them later: every `tracer` process would
# compile them again (0.15-0.2 s of each start here). Stale files are recompiled in memory.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q tracer adapters cache

$(PYWB_STAMP):
	test -x $(PYWB_VENV)/bin/python || $(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/python -m pip install -q 'pywb==$(PYWB_VERSION)'
	touch $(PYWB_STAMP)

demo: bytecode
	$(BIN)/tracer trace --offline examples/harbour-ledger-grain-terminal.html

# the HTML report is checked in a real headless Chromium (Debian's package)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium missing: the HTML report tests will be skipped"; fi; }

# the PostgreSQL run of the storage tests joins in when a local server answers (PG_URL,
# or TRACER_TEST_DATABASE_URL when set); -rs lists every skipped test with its reason
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# a part of the suite: make test TESTS=tests/store/test_storage.py
TESTS ?=
test: bytecode $(PYWB_STAMP) chromium
	@if [ -z "$$TRACER_TEST_DATABASE_URL" ] && command -v pg_isready >/dev/null 2>&1 \
		&& pg_isready -q -h 127.0.0.1 -p 5432; then \
		export TRACER_TEST_DATABASE_URL='$(PG_URL)'; \
		echo "PostgreSQL answers on 127.0.0.1:5432: its tests run too"; \
	fi; \
	TRACER_TEST_PYWB=$(CURDIR)/$(PYWB_VENV)/bin $(BIN)/python -m pytest -q -rs $(TESTS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: test lint typecheck

clean:
	rm -rf $(VENV) $(PYWB_VENV) .pytest_cache .mypy_cache .ruff_cache
