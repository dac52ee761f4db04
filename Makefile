# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test chromium matrix test-ray fuzz docs bench bench-engines clean

demo: $(VENV)/.base
	$(BIN)/python -m errorkit

test: $(VENV)/.dev chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pyright
	$(BIN)/pytest

# The suite on each other Python version the classifiers claim, each in its own .venv-3.X;
# a version not installed is skipped with the reason (see .ci/matrix). CI runs it after `test`.
matrix:
	.ci/matrix

# The docs' browser check renders pages in Chromium: install it where we can (root with
# apt-get), quietly; without it the check is skipped with the reason, never failed.
chromium:
	@[ -x /usr/bin/chromium ] || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] || \
	  { apt-get install -y -qq chromium || { apt-get update -qq && apt-get install -y -qq chromium; }; } \
	  >/dev/null 2>&1 || true

# Ray is a large install and slow to start, so its engine test runs here rather than in `make test`.
test-ray: $(VENV)/.dev
	$(BIN)/python -m pip install --quiet 'ray>=2.9'
	ERRORKIT_RAY=1 $(BIN)/pytest -q tests/cross_cutting/test_engines_ray.py

# Fresh random examples, FUZZ times as many per property (the fixed set runs in `make test`).
FUZZ ?= 10
fuzz: $(VENV)/.dev
	ERRORKIT_FUZZ=$(FUZZ) $(BIN)/pytest -q \
		tests/cross_cutting/test_properties.py tests/cross_cutting/test_pickling.py \
		tests/exceptions/test_from_dict_properties.py tests/redaction/test_redaction_properties.py \
		tests/http_mapping/test_http_mapping_properties.py tests/http_mapping/test_http_mapping.py \
		tests/safety/test_safety.py tests/problem/test_problem_details.py

docs: $(VENV)/.dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The peers it compares with (openai, google-api-core, botocore) come with the `bench` extra.
bench: $(VENV)/.bench
	$(BIN)/python bench/run.py
	$(BIN)/python bench/redaction.py

# Which exceptions of errorkit and its peers survive each engine (a throwaway venv; minutes).
bench-engines:
	$(PYTHON) bench/peers_engines.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base: $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.base

$(VENV)/.bench: $(VENV)/.dev pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

clean:
	rm -rf $(VENV) $(VENV)-3.* build dist .mypy_cache .pytest_cache .ruff_cache .hypothesis
