# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8765
PY_PATHS := hcsync tests examples $(wildcard benchmarks)

.PHONY: venv demo test test-heavy check lint typecheck pytest format clean bench

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

# On demand, not in CI: the property-based and fault tests with far more examples and seeds.
test-heavy: venv
	HCSYNC_REACH_EXAMPLES=5000 HCSYNC_FAULT_SEEDS=200 $(BIN)/pytest \
		tests/test_reachability.py tests/test_faults.py tests/test_convergence_faults.py

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
