# Two entry points for a fresh machine; each does its own set-up first.
#   make site   installs the generator and builds the example site into build/
#   make test   installs everything the tests need, runs the whole suite, then the linter and the type checker
#   make lint   installs the test extra (ruff, mypy, type stubs) and runs the linter and the type checker
#   make messages  extracts the theme's strings into templates/locales/ (docs/translations.md)

PYTHON ?= python3
PIP = $(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore

.PHONY: site test lint check-code setup setup-test serve messages

# pyproject.toml gives version ranges; constraints.txt pins the versions tested.
setup:
	$(PIP) -c constraints.txt -e .

setup-test:
	$(PIP) -c constraints.txt -e '.[test]'
	sh tests/tools/install.sh

site: setup
	$(PYTHON) -m generator build

serve: setup
	$(PYTHON) -m generator serve

# The suite, then the linter and the type checker: CI runs this.
test: setup-test
	$(PYTHON) -m pytest -q
	$(MAKE) --no-print-directory check-code

# Settings in pyproject.toml ([tool.ruff], [tool.mypy]).
lint:
	$(PIP) -c constraints.txt -e '.[test]'
	$(MAKE) --no-print-directory check-code

check-code:
	$(PYTHON) -m ruff check generator tests bench
	$(PYTHON) -m mypy generator

PYBABEL = $(PYTHON) -m babel.messages.frontend
messages:
	$(PYBABEL) extract -F babel.cfg -o templates/locales/messages.pot --add-location=file --sort-output \
		-c Translators: --project=explainer-generator .
	$(PYBABEL) update -i templates/locales/messages.pot -d templates/locales --ignore-obsolete
