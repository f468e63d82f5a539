# The two commands a newcomer needs: `make demo` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast lint format install services clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# DEBUG=true for manage.py, celery and pytest run by hand on this clone (settings.py reads it;
# git- and docker-ignored). Written once: edit it freely afterwards.
.env.dev:
	printf '%s\n' '# Development settings for this clone, read by transfer/settings.py (never in the image).' 'DEBUG=true' > $@

install: $(BIN)/.installed .env.dev

services:
	scripts/services.sh

demo: install
	scripts/demo.sh

test: install services
	scripts/test.sh

# Pure and service tests only: no browser, no worker processes (see README, "Tests").
test-fast: install services
	LINT=false scripts/test.sh -m "not browser and not workers and not slow and not tooling"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles .mypy_cache .ruff_cache .pytest_cache
