# Flightpath: `make run` serves the demo site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The address in every e-mail's links and in the demo's Wagtail Site: where `make run` serves.
SITE_ORIGIN = http://$(HOST):$(PORT)
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto

.PHONY: install messages compilemessages run test check-sources audit-quizzes lint format bench bench-scale demo chromium clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	$(PIP) install --quiet --no-deps pyIATI==0.4.1
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# The translations (locale/<lang>/LC_MESSAGES/*.po) compiled to the .mo files Django reads;
# the .mo files are not kept in git, so `make run` and `make test` build them.
compilemessages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# For maintainers: every string marked for translation extracted again into the catalogues,
# for the translators to fill in; strings no longer used are dropped.
MESSAGE_LANGUAGES := fr es ar ru
MESSAGE_IGNORE := --ignore=.venv --ignore=node_modules --ignore=tests --ignore=static/vendor --ignore=var
messages: install
	$(PY) manage.py makemessages $(addprefix --locale=,$(MESSAGE_LANGUAGES)) $(MESSAGE_IGNORE) --no-obsolete
	$(PY) manage.py makemessages --domain=djangojs $(addprefix --locale=,$(MESSAGE_LANGUAGES)) $(MESSAGE_IGNORE) --no-obsolete

demo: install compilemessages
	$(PY) manage.py migrate --noinput
	FLIGHTPATH_SITE_ORIGIN=$(SITE_ORIGIN) $(PY) manage.py load_demo

run: demo
	@echo ""
	@echo "Flightpath is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Demo accounts, password 'flightpath': admin@, coordinator@, programme@, master@, trainer@, officer@, newcomer@example.org"
	@echo ""
	@# A worker sends e-mail and runs background work while the site is served, and stops with it.
	FLIGHTPATH_SITE_ORIGIN=$(SITE_ORIGIN) H5P_CONTENT_ORIGIN=http://localhost:$(PORT) \
	  $(PY) manage.py db_worker --backend queue & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  FLIGHTPATH_SITE_ORIGIN=$(SITE_ORIGIN) H5P_CONTENT_ORIGIN=http://localhost:$(PORT) \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it when missing and we may.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: install Debian's chromium package to run the browser tests."; fi; }

# Each worker copies a test database migrated once per set of migrations (tests/database.py).
test: install chromium compilemessages
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

# The curriculum against the source documents it quotes, which live outside the repository:
# FLIGHTPATH_SOURCES=path/to/sources make check-sources
check-sources: install
	@test -n "$(FLIGHTPATH_SOURCES)" || { echo "check-sources: set FLIGHTPATH_SOURCES to the folder of source documents, e.g. FLIGHTPATH_SOURCES=path/to/sources make check-sources" >&2; exit 2; }
	@test -d "$(FLIGHTPATH_SOURCES)" || { echo "check-sources: FLIGHTPATH_SOURCES=$(FLIGHTPATH_SOURCES) is not a folder" >&2; exit 2; }
	FLIGHTPATH_SOURCES="$(FLIGHTPATH_SOURCES)" $(VENV)/bin/pytest tests/source_checks

# The shipped quizzes as a learner meets them (quiz_audit), on a demo database of their own:
# fails when a passing path takes a critical choice or a naive learner passes more than 10%.
# The English quizzes and their translations are audited side by side, each on a copy.
AUDIT_DB := $(CURDIR)/var/audit.sqlite3
audit-quizzes: install
	mkdir -p var && rm -f var/audit.sqlite3* var/audit-translations.sqlite3*
	DATABASE_URL=sqlite:///$(AUDIT_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(AUDIT_DB) $(PY) manage.py load_demo >/dev/null
	cp $(AUDIT_DB) var/audit-translations.sqlite3
	DATABASE_URL=sqlite:///$(AUDIT_DB) $(PY) manage.py quiz_audit --language en > var/audit-en.txt 2>&1 & en=$$!; \
	DATABASE_URL=sqlite:///$(CURDIR)/var/audit-translations.sqlite3 $(PY) manage.py quiz_audit \
	  $(foreach code,fr es ar ru,--language $(code)) > var/audit-translations.txt 2>&1; translations=$$?; \
	wait $$en; english=$$?; cat var/audit-en.txt var/audit-translations.txt; \
	test $$english -eq 0 -a $$translations -eq 0

# Throughput against baselines in the same run (gunicorn, wrk), on SQLite and, where they
# answer, on PostgreSQL with Redis; not part of `make test`.
bench: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) tests/benchmarks/run.py

# The coordinators' dashboards at 10,000 then 100,000 generated learners (tests/benchmarks/
# scale.py): generation under ten minutes, each page's p95 within 5x B1's and its queries the
# same at both sizes, a CSV export of 100,000 rows within 12x the time of 10,000 and 50 MB more
# memory; on SQLite and, where they answer, PostgreSQL with Redis. About 15 minutes each.
bench-scale: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) tests/benchmarks/scale.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $$(git ls-files '*.html')

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml $$(git ls-files '*.html')

clean:
	rm -rf $(VENV) node_modules var db.sqlite3*
