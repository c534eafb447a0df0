# The README's two commands: `make demo` and `make test`. Everything runs from .venv,
# built with the machine's python3 from the pinned requirements.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# The browser tests run on PostgreSQL unless DATABASE_URL names another database.
E2E_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/reports_e2e
# The benchmarks (bench/run_all.py) too; they create and drop test_reports_bench on it.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/reports_bench

.PHONY: install demo test lint typecheck format e2e bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# The demo runs as users see the system (DEBUG off: the Chinese 403/404/500 pages, no
# tracebacks), over plain http on this machine; --insecure serves the static files.
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --login demo --address $(HOST):$(PORT)
	@echo "在浏览器打开 http://$(HOST):$(PORT)/admin/ ，用上面打印的账号登录。按 Ctrl+C 停止。"
	DEBUG=0 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS="$(HOST),127.0.0.1,localhost" SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 \
	  SECURE_HSTS_SECONDS=0 $(PY) manage.py runserver --insecure $(HOST):$(PORT)

# One process per core (pytest-xdist, -n auto): about three minutes on a two-core machine.
# TEST_WORKERS=0 runs in one process; a subset is quicker still:
# .venv/bin/python -m pytest tests/reports/test_demo.py (see the README).
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS)

# Browser tests (tests/e2e): Playwright drives /usr/bin/chromium against the live server.
# Screenshots of every step: var/e2e-artifacts/<test name>/NN-step.png.
e2e: install
	DATABASE_URL="$${DATABASE_URL:-$(E2E_DATABASE_URL)}" $(PY) -m pytest -m e2e tests/e2e; \
	status=$$?; echo "截图（screenshots）：var/e2e-artifacts/<测试名>/"; exit $$status

# All benchmarks at the agreed sizes (an hour or more); rewrites the figures in
# docs/benchmarks.md. BENCH_ARGS passes options, e.g. BENCH_ARGS="--only audit" or "--small".
bench: install
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" $(PY) bench/run_all.py $(BENCH_ARGS)

lint: install typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy with django-stubs over agencies, config and reports (pyproject.toml [tool.mypy]):
# strict on schema, core, importing and audit. About 20 s from cold, a few seconds after.
typecheck: install
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
