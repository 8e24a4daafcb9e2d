# tws-tui — the two commands a newcomer needs are `make demo` and `make test`;
# `make serve-demo` tries the server mode (the reference CTI server and two consoles on it).
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

# Stamps: one per set of extras. The test set (dev, sip, audio, server, scale, web, web-test,
# postgres) includes the other two.
STAMP_DEV   := $(VENV)/.installed-dev
STAMP_SERVE := $(VENV)/.installed-dev-server
STAMP_TEST  := $(VENV)/.installed-dev-sip-audio-server-scale-web-postgres

# Two workers (pytest-xdist), each test file on one worker: the suite mostly waits (servers,
# peers, timers; 12 CPU minutes in 28), so two halve its time on two cores. The slowest tests
# are listed at the end.
PYTEST_FLAGS ?= -q -p no:cacheprovider -n 2 --dist loadfile --durations=20
PYTEST_ARGS  ?=

# Deterministic UI in tests: Textual reads these when it is imported.
TEST_ENV := TEXTUAL_ANIMATIONS=none

# make serve-demo: where its server and consoles keep their files, its port, the command.
SERVE_DEMO_DIR  ?= .serve-demo
SERVE_DEMO_PORT ?= 8765
SERVE_SCALED_DIR ?= .serve-scaled
SERVE_SCALED_INSTANCES ?= 3
TWS_TUI         ?= $(BIN)/tws-tui

.PHONY: help demo serve-demo serve-scaled test test-deps sip-peers browser xdg-utils postgresql redis lint bench clean clean-venv

help:
	@echo "make demo        install (once) and start the console on the embedded simulator"
	@echo "make serve-demo  install the server extra (once), start the CTI server on loopback"
	@echo "                 with two accounts and traffic, and print how to open their consoles"
	@echo "make serve-scaled  the server's scaled mode on loopback: redis-server, a switch and a"
	@echo "                 standby, 3 API instances (SERVE_SCALED_INSTANCES=N), the demo accounts"
	@echo "make test        install everything the suite needs (venv, extras, SIP peers, chromium,"
	@echo "                 PostgreSQL, Redis), run it"
	@echo "make lint        ruff check, ruff format --check, mypy --strict on tws_tui, contracts"
	@echo "make bench       run the benchmarks in bench/ (prints figures)"
	@echo "make clean       remove caches, build output and the snapshot report (keeps .venv)"

# --- environment ----------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "tws-tui needs Python >= 3.11, got " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# A stamp is remade when pyproject.toml is newer than it (or when the venv is new).
$(STAMP_DEV): pyproject.toml | $(BIN)/python
	@if [ -f $(STAMP_TEST) ] && [ $(STAMP_TEST) -nt pyproject.toml ]; then \
	  echo "dev extras already installed (with sip,audio,server,scale,web,postgres)"; \
	else \
	  echo "installing tws-tui with the dev extras into $(VENV)"; \
	  $(PIP) install --quiet -e '.[dev]'; \
	fi
	@touch $@

$(STAMP_SERVE): pyproject.toml | $(BIN)/python
	@if [ -f $(STAMP_TEST) ] && [ $(STAMP_TEST) -nt pyproject.toml ]; then \
	  echo "server extra already installed (with dev,sip,audio,scale,web,postgres)"; \
	else \
	  echo "installing tws-tui with the dev and server extras into $(VENV)"; \
	  $(PIP) install --quiet -e '.[dev,server]'; \
	fi
	@touch $@ $(STAMP_DEV)

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e '.[dev,sip,audio,server,scale,web,web-test,postgres]'
	@touch $@ $(STAMP_DEV) $(STAMP_SERVE)

# --- the two commands of the README ---------------------------------------------------------

demo: $(STAMP_DEV)
	$(BIN)/tws-tui --demo

# The reference server on 127.0.0.1:$(SERVE_DEMO_PORT), accounts alice and bruno (tools/serve_demo.sh).
serve-demo: $(STAMP_SERVE)
	@TWS_TUI='$(TWS_TUI)' SERVE_DEMO_DIR='$(SERVE_DEMO_DIR)' SERVE_DEMO_PORT='$(SERVE_DEMO_PORT)' \
	  bash tools/serve_demo.sh

# The scaled mode on loopback (tools/serve_scaled.sh): Redis, a switch and its standby, N APIs.
serve-scaled: $(STAMP_TEST) redis
	@TWS_TUI='$(TWS_TUI)' SERVE_SCALED_DIR='$(SERVE_SCALED_DIR)' \
	  SERVE_SCALED_INSTANCES='$(SERVE_SCALED_INSTANCES)' bash tools/serve_scaled.sh

test: $(STAMP_TEST) sip-peers browser xdg-utils postgresql redis
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_FLAGS) $(PYTEST_ARGS)

# Debian packages of the SIP test peers (kamailio, baresip, sipp), installed only when missing.
sip-peers:
	@bash tools/install_sip_peers.sh

# Debian's chromium for the browser-mode test (driven by playwright), installed only when missing.
browser:
	@bash tools/install_browser.sh

# Debian's PostgreSQL for the server's scaled-mode tests (each session starts its own throw-away
# cluster on loopback: tests/pg_server.py), installed only when missing.
postgresql:
	@bash tools/install_postgresql.sh

# Debian's redis-server for the scaled-mode tests (Redis Streams), installed only when missing.
redis:
	@bash tools/install_redis.sh

# xdg-mime, for the test of `tws-tui install-handler`, installed only when missing.
xdg-utils:
	@bash tools/install_xdg_utils.sh

test-deps: $(STAMP_TEST) sip-peers browser xdg-utils postgresql redis

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
