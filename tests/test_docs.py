"""The generated documentation matches what the generator does today."""

from __future__ import annotations

import importlib.util

from conftest import REPO


def test_error_catalogue_is_current():
    spec = importlib.util.spec_from_file_location("make_errors", REPO / "docs" / "make_errors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (REPO / "docs" / "errors.md").read_text(encoding="utf-8") == module.render(), \
        "docs/errors.md is out of date: run python3 docs/make_errors.py"
