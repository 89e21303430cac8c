# One entry point for a fresh machine: `make run` sets up .venv and extracts the seeds,
# `make test` sets up the same .venv and runs lint, type checks and the test suite.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test install lint check eval bench-smoke schema

$(BIN)/kzaz: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/kzaz

run: install
	$(BIN)/kzaz extract seeds/

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy --strict src/ bench/

# A change in any extracted figure of the seeds fails here; `kzaz check ... --update`
# rewrites the baseline once a change is meant.
check: install
	$(BIN)/kzaz check seeds/ --baseline tests/baseline/seeds.json

# Rewrite the schema snapshots of tests/schema/ after a meant change to records.py
# (tests/test_schema.py compares `kzaz schema --for NAME` with them byte for byte).
schema: install
	for name in report fact entities timeline; do \
		$(BIN)/kzaz schema --for $$name > tests/schema/$$name.json || exit 1; \
	done

# Scores on the annotated dev set; the threshold sits just under today's full micro F1
# (1.0), so one more false positive or miss (0.988) fails here.
eval: install
	$(BIN)/kzaz eval tests/devset/gold.jsonl tests/devset/articles/ --min-f1 0.99 --format json > /dev/null

# The benchmark on 50 generated documents, only to prove it runs (no timing is checked);
# its results stay in .bench/ (ignored by git), nothing is left in a temporary directory.
# `python bench/run.py` (1,000 documents, 5 rounds, a 50 MB file) gives the README figures.
bench-smoke: install
	mkdir -p .bench
	$(BIN)/python bench/run.py --docs 50 --repeats 1 --big-mb 0.5 --out .bench/results.md > /dev/null

test: lint check eval
	$(BIN)/python -m pytest
	$(MAKE) bench-smoke
