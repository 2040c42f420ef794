# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8765
PY_PATHS := hcsync tests examples $(wildcard benchmarks)

.PHONY: venv demo test check lint typecheck pytest format clean bench

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
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)

typecheck: venv
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format $(PY_PATHS)
	$(BIN)/ruff check --fix $(PY_PATHS)

bench: venv
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
