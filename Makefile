# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8765
PY_PATHS := hcsync tests examples $(wildcard benchmarks) $(wildcard mutation)
PIP    := $(BIN)/pip install -q --disable-pip-version-check

# mypy's and ruff's caches live in the venv, so `make test` leaves the checkout as it found it
# (the tests themselves see to that for pytest: see tests/conftest.py).
export MYPY_CACHE_DIR := $(VENV)/.mypy_cache
export RUFF_CACHE_DIR := $(VENV)/.ruff_cache

.PHONY: venv demo test test-heavy check lint typecheck pytest format clean bench dist mutate

# Two stamps: the demo needs hcsync alone; tests and checks need the dev extra too. `make demo`
# then `make test` adds the dev extra to the same venv; either works from a clean clone.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	@$(BIN)/python examples/demo.py --port $(PORT)

test: pytest check

pytest: $(VENV)/.installed-dev
	PYTHONDONTWRITEBYTECODE=1 $(BIN)/pytest

# On demand, not in CI: the property-based and fault tests with far more examples and seeds.
test-heavy: $(VENV)/.installed-dev
	PYTHONDONTWRITEBYTECODE=1 HCSYNC_REACH_EXAMPLES=5000 HCSYNC_FAULT_SEEDS=200 $(BIN)/pytest \
		tests/test_reachability.py tests/test_faults.py tests/test_convergence_faults.py

check: lint typecheck

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format $(PY_PATHS)
	$(BIN)/ruff check --fix $(PY_PATHS)

# The whole commands as a user runs them (see benchmarks/run.py), then the README's table
# rewritten from the figures (only between its bench markers). Exits 1 when a target is missed.
bench: $(VENV)/.installed-dev
	PYTHONDONTWRITEBYTECODE=1 $(BIN)/python benchmarks/run.py --readme README.md

# On demand, not in CI: mutation testing of the engine (mutation/run.py), in a copy of the
# checkout under .venv/mutate. Prints the score per module and rewrites the README's table;
# exits 1 below 90%. All 3,000-odd mutants take hours on 2 cores: `make mutate SAMPLE=400`
# estimates the score from a fixed random sample of them.
$(VENV)/.installed-mutate: $(VENV)/.installed-dev
	$(PIP) -e '.[dev,mutate]'
	@touch $@

mutate: $(VENV)/.installed-mutate
	PYTHONDONTWRITEBYTECODE=1 $(BIN)/python mutation/run.py --readme README.md \
		$(if $(SAMPLE),--sample $(SAMPLE))

# The sdist and the wheel, into dist/, with hatchling (the build backend; no network needed).
dist: $(VENV)/.installed-dev
	rm -rf dist
	$(BIN)/python -m hatchling build -d dist

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find hcsync tests examples benchmarks -name __pycache__ -type d -prune -exec rm -rf {} +
