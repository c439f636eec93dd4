# Two commands for a newcomer: `make run` (platform with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
AXE := tests/e2e/node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-serial lint bench setup messages fonts

run: $(STAMP) fonts
	$(BIN)/flask --app consult init-db
	$(BIN)/flask --app consult load-demo
	$(BIN)/flask --app consult run --host $(HOST) --port $(PORT)

# The tests run in one process per core (pytest-xdist; each has its own
# database), the tests of a file together so that a browser or a built wheel
# is set up once. `make test-serial` runs them in this process, for a debugger
# or `-x`. Either takes pytest arguments: make test-serial PYTEST_ARGS='-x tests/web'.
TEST_WORKERS ?= auto
PYTEST_ARGS ?=

test: $(STAMP) $(AXE) fonts
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-serial: $(STAMP) $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check consult tests bench
	$(BIN)/ruff format --check consult tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run.py

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Consult needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The PDFs need fonts with Arabic, Chinese and Cyrillic glyphs: Debian's Noto
# packages. Installed here when we are root on Debian; otherwise a warning says
# what to install (the PDFs are still made, with empty boxes for missing glyphs).
fonts:
	@if fc-list 2>/dev/null | grep -q "Noto Sans Arabic" && fc-list | grep -q "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null) \
	  || echo "Could not install fonts-noto-core and fonts-noto-cjk: PDFs may lack Arabic or Chinese glyphs"; \
	else echo "Install fonts-noto-core and fonts-noto-cjk (Debian) for Arabic and Chinese text in PDFs"; fi

# axe-core for the browser tests, from the npm registry (skipped without npm:
# the browser tests then say what is missing).
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/e2e --no-audit --no-fund --silent; \
	else echo "npm not found: the browser tests will be skipped"; fi

# Extract every user-facing string into the template catalogue, bring each language's
# catalogue up to date with it (new messages untranslated, changed ones marked fuzzy:
# tests/test_translations.py fails until a translator has dealt with them), and compile.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k lazy_pgettext:1c,2 --sort-by-file \
		--project Consult --copyright-holder "The Consult authors" \
		-o consult/translations/messages.pot .
	$(BIN)/pybabel update -i consult/translations/messages.pot -d consult/translations -w 100
	$(BIN)/pybabel compile -d consult/translations --statistics
