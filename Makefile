# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
EXTRAS := analysis,dask,web,postgres,draft,docs,dev

.PHONY: install run test lint docs bench clean browser screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[$(EXTRAS)]"
	touch $(STAMP)

install: $(STAMP)

# the seed article beside the clone, when it is there: the scenario's quotes are then checked
SOURCES := $(wildcard ../shared/seed)

run: $(STAMP)
	$(BIN)/accord run --out reports/south-caucasus-2025 $(if $(SOURCES),--sources $(SOURCES))

# Browser tests drive Debian's Chromium through Playwright (no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The documentation site is built strictly (a broken link or a bad reference fails) into site/.
test: $(STAMP) browser
	$(BIN)/ruff check src tests benchmarks docs/hooks
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site
	$(BIN)/python -m pytest -n 2 --durations=10

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs/hooks

# the documentation site at http://127.0.0.1:8000, rebuilt on every change
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

# docs/screenshots/: the dashboard's pages at 1400 x 900 and at a phone's 390 px (never by tests)
screenshots: $(STAMP) browser
	$(BIN)/python scripts/screenshots.py

bench: $(STAMP)
	$(BIN)/python benchmarks/process.py

clean:
	rm -rf $(VENV) reports site .pytest_cache
