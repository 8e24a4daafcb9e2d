# tws-tui — the two commands a newcomer needs are `make demo` and `make test`.
#
# Installs are keyed on pyproject.toml: a stamp file inside .venv is newer than pyproject.toml
# once `pip install -e` has run for that set of extras, so a second `make demo` or `make test`
# does not reinstall. Deleting .venv (or `make clean-venv`) starts from scratch.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

# Stamps: one per set of extras. The test set includes the dev set.
STAMP_DEV  := $(VENV)/.installed-dev
STAMP_TEST := $(VENV)/.installed-dev-sip-server

PYTEST_FLAGS ?= -q -p no:cacheprovider
PYTEST_ARGS  ?=

# Deterministic UI in tests: Textual reads these when it is imported.
TEST_ENV := TEXTUAL_ANIMATIONS=none

.PHONY: help demo test test-deps sip-peers lint bench clean clean-venv

help:
	@echo "make demo    install (once) and start the console on the embedded simulator"
	@echo "make test    install everything the suite needs (venv, extras, SIP peers) and run it"
	@echo "make lint    ruff check, ruff format --check, mypy --strict on tws_tui, import contracts"
	@echo "make bench   run the benchmarks in bench/ (prints figures)"
	@echo "make clean   remove caches, build output and the snapshot report (keeps .venv)"

# --- environment ----------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "tws-tui needs Python >= 3.11, got " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# A stamp is remade when pyproject.toml is newer than it (or when the venv is new).
$(STAMP_DEV): pyproject.toml | $(BIN)/python
	@if [ -f $(STAMP_TEST) ] && [ $(STAMP_TEST) -nt pyproject.toml ]; then \
	  echo "dev extras already installed (with sip,server)"; \
	else \
	  echo "installing tws-tui with the dev extras into $(VENV)"; \
	  $(PIP) install --quiet -e '.[dev]'; \
	fi
	@touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e '.[dev,sip,server]'
	@touch $@ $(STAMP_DEV)

# --- the two commands of the README ---------------------------------------------------------

demo: $(STAMP_DEV)
	$(BIN)/tws-tui --demo

test: $(STAMP_TEST) sip-peers
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_FLAGS) $(PYTEST_ARGS)

# Debian packages of the SIP test peers (kamailio, baresip, sipp), installed only when missing.
sip-peers:
	@bash tools/install_sip_peers.sh

test-deps: $(STAMP_TEST) sip-peers

# --- the rest -------------------------------------------------------------------------------

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy tws_tui
	$(BIN)/lint-imports --no-cache

bench: $(STAMP_DEV)
	@set -e; for script in bench/*.py; do \
	  echo "== $$script"; \
	  $(BIN)/python "$$script"; \
	done

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache snapshot_report.html
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

clean-venv:
	rm -rf $(VENV)
