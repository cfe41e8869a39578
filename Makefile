# `make run` and `make test` do all set-up on a fresh machine: each creates .venv if
# needed and installs what it needs (re-installing when the requirements change).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
N ?= 2

.PHONY: run dev cluster test lint format bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# No --server.address: Streamlit then listens on every address, so phones on the same
# Wi-Fi can join a class (README: "Running a class from a laptop").
run: $(VENV)/.runtime
	$(BIN)/streamlit run app.py --server.port $(PORT)

dev: $(VENV)/.runtime  # for editing the app: watches the source and reruns on save
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.fileWatcherType auto --server.runOnSave true

# A lecture hall on this machine: N replicas of the page behind the system's nginx,
# sharing the system's redis-server, all on 127.0.0.1 (deploy/cluster.py; README).
cluster: $(VENV)/.runtime
	$(BIN)/python deploy/cluster.py --replicas $(N) --port $(PORT)

# Two workers, one test file each at a time (a file's served app and Chromium are its
# own): the browser and server tests mostly wait on pages and timers, so two overlap
# well even on two cores. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2

test: $(VENV)/.dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev
	$(BIN)/python bench/bench_core.py
	$(BIN)/python bench/bench_app.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/load.py --class --sketch --backends sqlite

fuzz: $(VENV)/.dev  # the long hostile-URL, typed-input and class-poll runs (10,000 cases each)
	RELULAB_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest tests/test_fuzz_urls.py tests/test_fuzz_typed.py -q
	RELULAB_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest tests/test_classroom.py -q -k fuzz

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis screenshots
