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

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

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
