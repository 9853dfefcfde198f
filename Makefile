# Entry points for a fresh machine; each does its own set-up first.
#   make site   installs the generator and builds the example site into build/
#   make test   installs everything the tests need, runs the whole suite, then the linter and the type checker
#   make quick  the quick run while you work: the tests but the e2e ones (browsers, validators, servers,
#               subprocesses), in a worker per core, each Hypothesis property with a few examples
#               (HYPOTHESIS_PROFILE=quick, tests/conftest.py; without it every property runs in full),
#               its temporary folders in memory where there is room (below)
#   make lint   installs the test extra (ruff, mypy, type stubs) and runs the linter and the type checker
#   make messages  extracts the theme's strings into templates/locales/ (docs/translations.md)

PYTHON ?= python3
PIP = $(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore

.PHONY: site test quick lint check-code setup setup-test serve messages

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

# The suite, then the linter and the type checker: CI runs this. In one process, every property
# test in full: its browsers, servers and builds in subprocesses already keep a second core busy,
# so workers shorten it little. It passes in workers too: pytest -n auto --dist loadfile.
test: setup-test
	$(PYTHON) -m pytest -q
	$(MAKE) --no-print-directory check-code

# The quick run installs the test extra only when pytest-xdist is missing, so it starts at once.
# Its tests write and remove some 80,000 small files: it keeps its temporary folders in memory
# (TMPDIR=/dev/shm) where the system has one with a gigabyte free, as on a slow or busy disk writing
# and removing them can take as long as the tests; QUICK_TMPDIR= make quick keeps them on disk. Each
# passing test's folder is removed as the test ends (tmp_path_retention_policy=failed): else pytest
# keeps the last three runs' folders, and a run's last seconds go to removing an older one's.
QUICK_TMPDIR ?= $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && df -Pk /dev/shm | awk 'NR == 2 && $$4 > 1048576 {print "/dev/shm"}')

quick:
	@$(PYTHON) -c "import xdist" 2>/dev/null || $(PIP) -c constraints.txt -e '.[test]'
	$(if $(QUICK_TMPDIR),TMPDIR=$(QUICK_TMPDIR) )HYPOTHESIS_PROFILE=quick $(PYTHON) -m pytest -q -m "not e2e" -n auto --dist loadfile \
		-o tmp_path_retention_policy=failed

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
