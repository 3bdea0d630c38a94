# lnsym: `make prove` and `make test` do all set-up themselves (see README).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps venv openssl libgcrypt prove test bench clean

setup: system-deps venv openssl libgcrypt

system-deps:
	@PY='$(PY)' bash scripts/setup-system.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

openssl: venv
	@$(BIN)/lnsym targets --fetch --quiet

libgcrypt: venv
	@$(BIN)/lnsym targets --library libgcrypt --fetch --quiet

prove: setup
	$(BIN)/lnsym prove -j 2

test: setup
	$(BIN)/python -m pytest -q tests

bench: setup
	$(BIN)/python -m pytest -q benchmarks --benchmark-only

clean:
	rm -rf $(VENV) build *.egg-info
