# Thin entry points: each target makes sure .venv exists, then hands over to tasks.py (invoke).
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
INVOKE := $(VENV)/bin/invoke
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install serve build publish rollback test bench clean

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/python -m pip install -q --disable-pip-version-check uv==0.13.9; }
	$(UV) sync --locked --quiet --compile-bytecode
	@touch $@

install: $(VENV)/.installed

serve: install
	$(INVOKE) serve --port $(PORT)

build: install
	$(INVOKE) build

publish: install
	$(INVOKE) publish $(if $(DRY_RUN),--dry-run) $(if $(FORCE),--force)

rollback: install
	$(INVOKE) rollback

test: install
	$(INVOKE) test

bench: install
	$(INVOKE) bench $(if $(SIZES),--sizes $(SIZES))

clean:
	rm -rf output .cache .pytest_cache .ruff_cache benchmarks/work
