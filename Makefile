# The one entry point. `make run` starts the platform locally; `make test` runs every test.
# Needs only Python 3.11, Node 20 and apt on the machine; everything else is installed here.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAGE ?=
PYTEST_ARGS ?=
# apt-get needs root; use sudo when we are not root and sudo exists.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo)

.PHONY: fonts run test reset package lint bench lock install system-deps frontend frontend-test api-types clean help

help:
	@echo "make run      start the local stack (http://127.0.0.1:$${PORT:-8000}/)"
	@echo "make test     install what the tests need and run the whole suite"
	@echo "make package  build deployable packages into dist/<stage>/ (STAGE=laoshan for one)"
	@echo "make bench    measure and write BENCHMARKS.md"
	@echo "make reset    wipe the local stack's data"
	@echo "make api-types  copy the API's OpenAPI document to the front end and regenerate its types"

# The virtualenv, rebuilt when the lock file changes. Chalice pins pip<26.3.
$(VENV)/.installed: requirements-dev.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check "pip>=23,<26.3"
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

# Debian's Chromium and a CJK font for the browser tests (never a downloaded browser).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; then \
	  echo "installing chromium and fonts-wqy-microhei with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei fontconfig >/dev/null; \
	fi

# The single-page app (frontend/README.md). Its packages come from package-lock.json with `npm ci`,
# again only when the lock changes; it is rebuilt only when a source changed since the last build.
FRONTEND_MODULES := frontend/node_modules/.installed
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/package.json frontend/vite.config.ts frontend/tsconfig*.json frontend/env.d.ts)

$(FRONTEND_MODULES): frontend/package-lock.json frontend/package.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: $(FRONTEND_MODULES) $(FRONTEND_SOURCES)
	cd frontend && npm run build
	touch $@

frontend: $(if $(wildcard frontend/package.json),frontend/dist/index.html)

# The front end's unit tests (vitest, in jsdom; a few seconds).
frontend-test: $(if $(wildcard frontend/package.json),$(FRONTEND_MODULES))
	@if [ -f frontend/package.json ]; then cd frontend && npm test; fi

# After an API change: the front end's copy of /api/openapi.json, and the types generated from it.
api-types: install $(FRONTEND_MODULES)
	UPDATE_API_SNAPSHOT=1 $(PY) -m pytest -q -p no:cacheprovider tests/unit/test_frontend_api_snapshot.py
	cd frontend && npm run api:types

run: install frontend
	$(PY) -m infra.local.stack

test: install system-deps frontend frontend-test
	$(PY) -m pytest $(PYTEST_ARGS)

reset:
	rm -rf .local-data

# The credit report's PDF font, which the dependency layer ships (infra/layer.py LAYER_FILES); not in git.
fonts:
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || { \
	  echo "installing fonts-wqy-microhei with apt-get"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-wqy-microhei >/dev/null; }

package: install fonts
	$(PY) -m infra.build package $(if $(STAGE),--stage $(STAGE))

lint: install
	$(PY) -m infra.build package --lint

bench: install frontend
	$(PY) -m tests.bench.run

# Regenerate the lock files from pyproject.toml (needs the package registry).
lock: install
	$(VENV)/bin/pip-compile --quiet --strip-extras --extra dev -o requirements-dev.lock pyproject.toml
	$(PY) -m infra.build lock

clean:
	rm -rf vendor dist build .pytest_cache
