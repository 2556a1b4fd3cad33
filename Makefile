# Everyday entry points. Everything runs inside ./.venv so a fresh machine
# needs only Python 3.11+ (with venv/ensurepip) and make.
#
#   make run        start the dashboard (http://localhost:8501)
#   make test       lint, then run the whole test suite (unit + browser tests)
#   make lint       check style with ruff (ruff check, ruff format --check)
#   make format     rewrite the code in ruff's format and apply safe fixes
#   make bench      run the benchmarks (python -m bench)
#   make loadtest   8 browser sessions with 1M-customer files on one server (~5-10 min; not part of make test)
#   make messages   extract the texts to translate and update segmentation/i18n/locale/*/messages.po
#   make clean      remove caches and generated output (keeps .venv)
#   make distclean  clean, and also remove .venv

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Stamp files live inside .venv, so deleting .venv also forgets what was
# installed; pip only re-runs when a requirements file is newer than its stamp.
RUNTIME_STAMP := $(VENV)/.requirements.stamp
DEV_STAMP     := $(VENV)/.requirements-dev.stamp
SPARK_STAMP   := $(VENV)/.requirements-spark.stamp

.DEFAULT_GOAL := help
.PHONY: help run test lint format bench loadtest messages clean distclean

help:
	@sed -n 's/^#   //p' $(MAKEFILE_LIST)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "error: $(PYTHON) must be Python 3.11 or newer (try: make PYTHON=python3.12 ...)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	@touch $@

# The dev set includes the runtime set, so it refreshes both stamps.
$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	@touch $(RUNTIME_STAMP) $@

# Optional Spark support (pyspark); the test suite runs its Spark tests with it.
$(SPARK_STAMP): requirements.txt requirements-spark.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt -r requirements-spark.txt
	@touch $@

# STREAMLIT_ARGS passes extra options, e.g. make run STREAMLIT_ARGS="--server.port 8600"
run: $(RUNTIME_STAMP)
	$(BIN)/streamlit run app.py $(STREAMLIT_ARGS)

# PYTEST_ARGS passes extra options, e.g. make test PYTEST_ARGS="-m 'not e2e'"
test: lint $(SPARK_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(RUNTIME_STAMP)
	$(BIN)/python -m bench

# Needs Playwright (dev requirements) and Debian's /usr/bin/chromium.
loadtest: $(DEV_STAMP)
	$(BIN)/python -m bench.loadtest

messages: $(RUNTIME_STAMP)
	$(BIN)/python -m segmentation.i18n.extract

clean:
	rm -rf .pytest_cache .hypothesis tests/e2e/screenshots bench/out .coverage
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
