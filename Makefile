# Two commands: `make report` (set up, then run the monthly suite on the bundled real data)
# and `make test`. Everything else is a step they use, or optional (`make lab`).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: setup report test test-fast benchmark lab clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

# `make report` runs the bundled parameters; `make report PARAMS=parameters/x.yaml OUT=dir` another run.
report: setup
	$(PY) -m analysis report $(if $(PARAMS),--params $(PARAMS)) $(if $(OUT),--out $(OUT))

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow and not browser"

benchmark: setup
	$(PY) benchmarks/records_to_facts.py
	$(PY) benchmarks/suite.py
	$(PY) benchmarks/explore_latency.py

# Optional: JupyterLab on notebooks/ with the project's environment (open explore.ipynb, Run All).
# Jupyter refuses to run as root unless told: a root shell (containers) gets --allow-root.
lab: setup
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf reports/ .pytest_cache
