# The two commands: `make demo` and `make test`. Only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test install install-test lint format serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[serve]"
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test,serve]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/onehome migrate --no-input -v 0
	$(BIN)/onehome collectstatic --no-input -v 0
	$(BIN)/onehome load_geography
	$(BIN)/onehome load_demo
	@echo "OneHome is at http://$(HOST)/  (Ctrl-C stops it and its background-task worker)"
	$(BIN)/onehome db_worker --no-startup-delay & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/onehome runserver $(HOST) --noreload

serve: install
	$(BIN)/onehome collectstatic --no-input -v 0
	$(BIN)/onehome runserver $(HOST)

test: install-test
	ONEHOME_CONN_MAX_AGE=0 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports pyproject.toml --no-cache

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static var/fonts
