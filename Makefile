# The two commands of README.md: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test setup setup-test golden bench lint typecheck

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

setup-test: $(BIN)/python
	bash scripts/setup-test-env.sh $(BIN)/python

# Install, compile the bundled joke spec, and stream it.
demo: setup
	$(BIN)/flowc check specs/joke.toml
	$(BIN)/flowc compile specs/joke.toml -o build/demo
	$(BIN)/flowc run specs/joke.toml --input '{"topic": "ice cream"}' --stream-mode updates --stream-mode custom --stream-mode values

# Install everything the tests need (LangGraph for conformance, Graphviz), run them all,
# spread over worker processes (measured: the conformance tests spend about 85% of their time
# asleep, so 8 workers on 2 cores took 18 min where 4 took 25; the
# typing tests share one worker, so mypy runs once; slow tests start first: tests/conftest.py).
TEST_WORKERS ?= 8
test: setup-test
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=30

# Regenerate the golden files under tests/golden/ from specs/.
golden: setup
	$(BIN)/python scripts/regen_golden.py

bench: setup-test
	$(BIN)/python bench/run.py

lint:
	$(BIN)/ruff check flowc tests bench
	$(BIN)/ruff format --check flowc

typecheck:
	$(BIN)/mypy
