# The project's interface: make run | test | dev | lint | bench.
VENV := .venv
BIN := $(VENV)/bin
# Re-install only when the dependency pins change.
STAMP := $(VENV)/.installed

.PHONY: venv run test dev lint bench

venv: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: venv
	$(BIN)/govreports run

test: venv
	$(BIN)/pytest

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
	$(BIN)/python -m bench.flag_accuracy --reports 1000
	$(BIN)/python -m bench.accuracy --reports 1000 --pdf 150
	$(BIN)/python -m bench.real_accuracy
