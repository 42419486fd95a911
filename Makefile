# Quick start: `make demo` runs the default exercise, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test test-slow lint bench browser clean setup library-index

# What running needs: the package (built as a wheel) and its runtime dependencies only.
$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet .
	touch $(RUN_STAMP)

# What the tests add: linters, hypothesis, pm4py (AGPL, tests only); the package becomes
# editable, so the tests and the tool run the working tree.
$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

setup: $(TEST_STAMP)

demo: $(RUN_STAMP)
	$(BIN)/ballotdrill list
	$(BIN)/ballotdrill run
	@echo
	@echo "ballotdrill is installed in $(VENV)/bin. To call it as 'ballotdrill':"
	@echo "  source $(VENV)/bin/activate      (this shell)"
	@echo "  pipx install .                   (everywhere, in its own environment)"
	@echo "To serve live exercises to players (live --serve): $(BIN)/pip install '.[serve]'"

# Headless Chromium for the report's DOM tests: Debian's package, installed when
# we may (root with apt-get). Otherwise those tests are reported as skipped, with why.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		(apt-get install -y -qq chromium >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1)) || \
		echo "could not install chromium: browser tests will be skipped"; \
	else echo "chromium not found and not root: browser tests will be skipped"; fi

# The default run leaves out the long statistical tests (`slow`); each has a reduced form
# that runs here. `make test-slow` runs them in full.
test: $(TEST_STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -m "not slow"

test-slow: $(TEST_STAMP) browser
	$(BIN)/python -m pytest -m slow

# The library's summaries shipped with the package (scenarios/library_index.json), which answer a first
# `list` or `validate` of the library: regenerate after changing scenarios.yaml or scenarios/*.py
# (tests/test_format_library_index.py fails until then).
library-index: $(TEST_STAMP)
	$(BIN)/python -m ballotdrill.scenarios.make_library_index

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(TEST_STAMP)
	$(BIN)/python bench/engine_vs_simpy.py
	$(BIN)/python bench/sweep_throughput.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/commands.py
	$(BIN)/python bench/live_latency.py
	$(BIN)/python bench/live_players.py

clean:
	rm -rf $(VENV) runs .pytest_cache .mypy_cache .ruff_cache
