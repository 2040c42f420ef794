# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8765
DEMO_TOKEN := demo-token-not-a-secret

.PHONY: venv demo test check lint typecheck pytest clean bench

$(BIN)/hcsync: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

venv: $(BIN)/hcsync

demo: venv
	@$(BIN)/python examples/demo.py --port $(PORT)

test: venv pytest check

pytest: venv
	$(BIN)/pytest

check: lint typecheck

lint: venv
	$(BIN)/ruff check hcsync tests benchmarks examples
	$(BIN)/ruff format --check hcsync tests benchmarks examples

typecheck: venv
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format hcsync tests benchmarks examples
	$(BIN)/ruff check --fix hcsync tests benchmarks examples

bench: venv
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
