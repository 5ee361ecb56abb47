PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/assurance.duckdb

.PHONY: run test install install-dev browser samples demo load lint clean bench screenshots

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Debian's Chromium for the browser tests (never a browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

samples: install
	$(PY) -m data.build_samples

demo: install
	$(PY) -m data.demo.generate

load: install
	$(PY) -m data.load_if_empty --db $(DB)

run: load
	$(VENV)/bin/streamlit run app.py

test: install-dev browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

# The benchmark at national scale (about 25 minutes); `$(PY) -m bench --quick` for a smoke run.
bench: install-dev browser
	$(PY) -m bench

# The README's pictures: every main page at 1920x1080 and in presentation view at 1366x768, into docs/.
screenshots: install-dev browser
	$(PY) -m docs.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
