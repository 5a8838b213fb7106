# Thin entry points: each target makes sure .venv exists, then hands over to tasks.py (invoke).
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
INVOKE := $(VENV)/bin/invoke
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install serve build publish rollback forget test bench fonts clean comments

# `make forget PATH=2021/03/retracted/` names the file to take down: make then gives that value
# to the recipes as PATH, so they get the usual system one back.
ifeq ($(origin PATH),command line)
FORGET := $(PATH)
override PATH := $(abspath $(VENV))/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
endif

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/python -m pip install -q --disable-pip-version-check uv==0.13.9; }
	$(UV) sync --locked --quiet --compile-bytecode
	@touch $@

# The Python packages, then the system step: the Debian packages the tests drive for real
# (Chromium, Java, rsync, sshd), installed with apt-get only when one is missing. Tests never
# install anything.
install: $(VENV)/.installed
	@$(INVOKE) system-deps

serve: $(VENV)/.installed
	$(INVOKE) serve --port $(PORT)

build: $(VENV)/.installed
	$(INVOKE) build

publish: $(VENV)/.installed
	$(INVOKE) publish $(if $(DRY_RUN),--dry-run) $(if $(FORCE),--force) $(if $(BREAK_LOCK),--break-lock)

rollback: $(VENV)/.installed
	$(INVOKE) rollback $(if $(BREAK_LOCK),--break-lock)

forget: $(VENV)/.installed
	@test -n "$(FORGET)" || { echo "usage: make forget PATH=2021/03/retracted/" >&2; exit 2; }
	$(INVOKE) forget --path '$(FORGET)' $(if $(BREAK_LOCK),--break-lock)

# Reader comments: list pending ones, `make comments APPROVE=3,4 DELETE=5`, then pull approved
# ones into content/comments/ (from the local server of `make serve`, or the public one with
# COMMENTS_TOKEN set).
comments: $(VENV)/.installed
	$(INVOKE) comments $(if $(APPROVE),--approve $(APPROVE)) $(if $(DELETE),--delete $(DELETE))

test: install
	$(INVOKE) test

bench: $(VENV)/.installed
	$(INVOKE) bench $(if $(SIZES),--sizes $(SIZES))

# The theme's web fonts, cut from the font packages make install brings (committed: builds
# do not need this).
fonts: install
	$(INVOKE) fonts

clean:
	rm -rf output .cache .pytest_cache .ruff_cache benchmarks/work

.PHONY: import
# make import FROM=export.txt [CONTENT=content] [ASSETS=miroir/] [OLD_BASE=https://…] [FORCE=1]
import: $(VENV)/.installed
	@test -n "$(FROM)" || { echo "usage: make import FROM=<export> [CONTENT=content] [ASSETS=<miroir>] [OLD_BASE=<url>]" >&2; exit 2; }
	$(INVOKE) import --source '$(FROM)' $(if $(CONTENT),--content '$(CONTENT)') $(if $(ASSETS),--assets '$(ASSETS)') $(if $(OLD_BASE),--old-base '$(OLD_BASE)') $(if $(FORCE),--force)
