# The two commands: `make run` (the whole desk on SQLite) and `make test` (the suite on SQLite
# and PostgreSQL). Both install what they need into .venv first.

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
WEB_PORT ?= 5000
ADMIN_PORT ?= 5001
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app web_app
STAMP := $(VENV)/.installed
PG_VERSION = $(shell ls /etc/postgresql 2>/dev/null | head -n 1)

export HOST WEB_PORT ADMIN_PORT

.PHONY: run test install postgres migrate seed clean browser translations n8n-install n8n-test

install: $(STAMP)
	$(BIN)/pybabel -q compile -d translations
	@# Train the NLU now (cached under automation/nlu/.cache), not on a shopper's first message.
	$(BIN)/python -m automation.nlu.build

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) demo seed --if-empty

run: seed
	@echo ""
	@echo "  Shop (shoppers):  http://$(HOST):$(WEB_PORT)/"
	@echo "  Admin (staff):    http://$(HOST):$(ADMIN_PORT)/"
	@echo ""
	@$(FLASK) desk summary --logins
	@echo ""
	@echo "  Ctrl-C stops everything."
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --no-prefix -f Procfile 2>&1 || true

# PostgreSQL must be up for the suite: start Debian's cluster when it is not running.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  test -n "$(PG_VERSION)" && pg_ctlcluster --skip-systemctl-redirect $(PG_VERSION) main start \
	  && sleep 2; } || true

# Two pytest workers: on two cores the suite takes about 5 minutes instead of 8 (each worker
# has its own databases; tests that wait on sockets and timers overlap).
test: install postgres browser
	$(BIN)/python -m pytest -n 2

# n8n (the newest that runs on Node 20), installed from npm into a cache outside the
# repository; xlsx is overridden because the version n8n pins is no longer on the registry.
N8N_VERSION := 2.8.4
N8N_CACHE ?= $(HOME)/.cache/desk-n8n
N8N := $(N8N_CACHE)/node_modules/.bin/n8n

n8n-install:
	@if [ "$$(node -p "require('$(N8N_CACHE)/node_modules/n8n/package.json').version" 2>/dev/null)" != "$(N8N_VERSION)" ]; then \
	  mkdir -p $(N8N_CACHE) && cd $(N8N_CACHE) && \
	  printf '{"name": "desk-n8n", "private": true, "dependencies": {"n8n": "$(N8N_VERSION)"}, "overrides": {"xlsx": "0.18.5"}}\n' > package.json && \
	  echo "Installing n8n $(N8N_VERSION) into $(N8N_CACHE) (about 5 minutes, 2.3 GB)…" && \
	  npm install --no-audit --no-fund --loglevel=error; \
	fi

# The five workflows in a real n8n, and one event through it end to end (README: n8n).
n8n-test: install n8n-install
	$(BIN)/python -m tests.n8n.n8n_check --n8n $(N8N)

# The browser tests drive Debian's Chromium (never a browser downloaded by Playwright).
browser:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# After changing interface strings: refresh the template and the fr/pt catalogs, then translate.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k NP_:1,2 --no-location \
	  --sort-output --project "support desk" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations \
	  --no-fuzzy-matching --width 100

clean:
	rm -rf $(VENV) .pytest_cache
