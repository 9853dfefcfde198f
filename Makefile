# Two entry points for a fresh machine; each does its own set-up first.
#   make site   installs the generator and builds the example site into build/
#   make test   installs everything the tests need and runs the whole suite

PYTHON ?= python3
PIP = $(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore

.PHONY: site test setup setup-test serve

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

test: setup-test
	$(PYTHON) -m pytest -q
