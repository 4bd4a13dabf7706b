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

.PHONY: run test install postgres migrate seed clean browser translations

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

test: install postgres browser
	$(BIN)/python -m pytest

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
