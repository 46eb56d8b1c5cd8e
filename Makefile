# Everything a new machine needs starts here. Python 3.11+ is the only requirement.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=true
# The demo organisation's logo on its public pages.
DEMO_ENV := ORGANISATION_LOGO=img/demo-logo.svg

.PHONY: run port-free test install lint format messages css bench load worker beat clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# make run HOST=0.0.0.0 PORT=8080 lets a phone on the same network in (debug only).
HOST ?= 127.0.0.1
PORT ?= 8000
SERVE := $(PYTHON) immersion/devserver.py

# The port is checked first, so a busy one stops the run before anything is set up.
run: port-free $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(DEMO_ENV) ALLOWED_HOSTS="$$($(SERVE) hosts $(HOST))" $(BIN)/python manage.py runserver $(HOST):$(PORT)

port-free:
	@$(SERVE) check $(HOST) $(PORT)

# The suite runs in two parts: first the tests that start no shared service process,
# spread over the cores by pytest-xdist (each of its workers has a test database of its
# own); then the services and browser tests one at a time, since they share Redis, Celery
# workers and Chromium. Either part failing fails `make test`; the second runs even when
# the first failed, unless it was interrupted or could not start.
# `--dist load` hands each worker its tests in the suite's order, which pytest-django puts
# the transactional tests last in: a test that flushes the tables (and the role groups a
# migration made) then never runs before one that expects them.
#   TEST_WORKERS=0  runs the first part in one process too (default: one worker per core)
#   JUNIT=path      writes one JUnit report covering both parts
#   PYTEST_ARGS     go to both parts; a selection that leaves one part empty is fine
TEST_WORKERS ?= auto
SERIAL_TESTS := services or browser
JUNIT ?=
test: $(STAMP)
	@case " $(PYTEST_ARGS) " in *" --junitxml"*|*" --junit-xml"*) \
		echo "make test: give the report as JUNIT=path, not in PYTEST_ARGS" >&2; exit 4;; esac; \
	echo "== tests that use no shared service, $(TEST_WORKERS) workers"; \
	$(BIN)/pytest -m "not ($(SERIAL_TESTS))" -n $(TEST_WORKERS) --dist load \
		$(if $(JUNIT),--junitxml="$(JUNIT).parallel") $(PYTEST_ARGS); parallel=$$?; \
	case $$parallel in \
	0|1|5) echo "== services and browser tests, one at a time"; \
		$(BIN)/pytest -m "$(SERIAL_TESTS)" \
			$(if $(JUNIT),--junitxml="$(JUNIT).serial") $(PYTEST_ARGS); serial=$$?;; \
	*) serial="not run";; esac; \
	$(if $(JUNIT),$(BIN)/python -c "$$MERGE_JUNIT" "$(JUNIT)" "$(JUNIT).parallel" "$(JUNIT).serial";) \
	echo "== make test: the first part exited $$parallel, the second $$serial"; \
	for part in $$parallel "$$serial"; do case $$part in 0|5|"not run") ;; *) exit $$part;; esac; done; \
	[ "$$parallel$$serial" != 55 ] || exit 5

# The two parts' JUnit reports as one (one test suite, its counts added up), and its total.
define MERGE_JUNIT
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

target, *parts = sys.argv[1:]
merged = None
for part in map(Path, parts):
    if not part.exists():
        print(f"make test: {part} was not written", file=sys.stderr)
        continue
    tree = ET.parse(part)
    suite = tree.getroot().find("testsuite")
    if merged is None:
        merged, first = tree, suite
    else:
        for name in ("errors", "failures", "skipped", "tests"):
            first.set(name, str(int(first.get(name)) + int(suite.get(name))))
        first.set("time", f"{float(first.get('time')) + float(suite.get('time')):.3f}")
        first.extend(suite)
    part.unlink()
if merged is not None:
    merged.write(target, encoding="utf-8", xml_declaration=True)
    counts = {name: int(first.get(name)) for name in ("errors", "failures", "skipped", "tests")}
    failed = counts["failures"] + counts["errors"]
    passed = counts["tests"] - failed - counts["skipped"]
    print(f"total: {passed} passed, {failed} failed, {counts['skipped']} skipped")
endef
export MERGE_JUNIT

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The French translation files from the strings marked in the code (needs GNU gettext),
# then compiled; both are committed, so running the site needs no gettext.
MESSAGE_IGNORES = --ignore='.venv/*' --ignore='tests/*' --ignore='staticfiles/*' \
	--ignore='node_modules/*' --ignore='artifacts/*'
messages: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py makemessages --locale=fr --no-obsolete --add-location=file $(MESSAGE_IGNORES)
	$(DEV_ENV) $(BIN)/python manage.py makemessages --domain=djangojs --locale=fr --no-obsolete \
		--add-location=file $(MESSAGE_IGNORES)
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --locale=fr $(MESSAGE_IGNORES)

# The site's Bootstrap, static/css/bootstrap-site.min.css: compiled from Bootstrap's SCSS
# (static/scss/bootstrap-site.scss), then stripped of every rule that no template, script
# or form template uses (static/scss/purge.json). Needs node and npm; the output is
# committed, so running the site needs neither. The same sources give the same bytes.
CSS_BUILD := build/css
css: $(STAMP) node_modules/.package-lock.json
	mkdir -p $(CSS_BUILD)
	node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
		--quiet-deps --silence-deprecation=import \
		static/scss/bootstrap-site.scss $(CSS_BUILD)/bootstrap-site.min.css
	VENV_PYTHON=$(BIN)/python node_modules/.bin/purgecss --config static/scss/purgecss.config.cjs \
		--css $(CSS_BUILD)/bootstrap-site.min.css --output static/css/

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# libvips (pyvips-binary wheels) is only for comparison: without it the bench says so.
bench: $(STAMP)
	-$(BIN)/pip install --quiet -e ".[bench]"
	$(DEV_ENV) $(BIN)/python -m tests.bench $(BENCH_ARGS)

# A bounded load test on this machine's loopback (README, "Load test"); needs DATABASE_URL
# to name PostgreSQL. Override the size with LOAD_USERS and LOAD_SECONDS.
LOAD_USERS ?= 200
LOAD_SECONDS ?= 120
load: $(STAMP)
	$(BIN)/pip install --quiet -e ".[load]"
	$(BIN)/python -m tests.load --users $(LOAD_USERS) --seconds $(LOAD_SECONDS)

# make worker QUEUES=photos runs a worker for one queue; by default it takes them all.
QUEUES ?= photos,notices,scheduled
worker: $(STAMP)
	$(BIN)/celery -A immersion worker --queues=$(QUEUES) --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A immersion beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3* media staticfiles .pytest_cache .ruff_cache node_modules build
