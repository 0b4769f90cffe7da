# The project's interface: make run | test | dev | lint | bench | lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# uv (pinned) lives in a venv of its own, installed from PyPI with the machine's pip; a system
# Python may refuse `pip install --user` (PEP 668), a venv never does.
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
# Re-sync only when the dependency pins change.
STAMP := $(VENV)/.synced

# uv uses the machine's python3 and never downloads an interpreter; installs copy from its cache
# and compile bytecode, as pip does (with PYTHONDONTWRITEBYTECODE set, nothing would cache it).
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
export UV_COMPILE_BYTECODE := 1

.PHONY: venv run test dev lint bench lock

venv: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet 'uv==$(UV_VERSION)'

# Exactly the versions in uv.lock (--frozen: installed as locked, never re-resolved), plus the
# project itself (editable) and the dev extra. Run `make lock` after changing pyproject.toml.
# setup.py compiles the parser (mypyc): its sources changing rebuilds the editable install.
$(STAMP): pyproject.toml uv.lock setup.py $(wildcard pipeline/parsing/*.py) | $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON)
	touch $(STAMP)

# Re-resolve the whole dependency tree from PyPI into uv.lock (after editing pyproject.toml).
lock: | $(UV)
	$(UV) lock --python $(PYTHON)

run: venv
	$(BIN)/govreports run

# UV: tests/test_packaging.py builds and installs the wheel with it.
test: venv
	UV=$(abspath $(UV)) $(BIN)/pytest

# No -m: [tool.dagster] in pyproject.toml names the module (pipeline.definitions) and the code
# location (govreports) consistently with [tool.dg].
dev: venv
	mkdir -p $(CURDIR)/.dagster
	touch $(CURDIR)/.dagster/dagster.yaml
	DAGSTER_HOME=$(CURDIR)/.dagster $(BIN)/dagster dev

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: venv
	$(BIN)/python bench/benchmark.py
	$(BIN)/python -m bench.parser_throughput
	$(BIN)/python -m bench.flag_accuracy --reports 1000
	$(BIN)/python -m bench.accuracy --reports 1000 --pdf 150
	$(BIN)/python -m bench.real_accuracy
