"""Each folder under sites_invalid/ breaks the valid fixture site in one way.

The folder holds only the files it replaces and `expected.txt`: the message
lines (or their beginnings) the build must print. The build must fail with
exit status 1, print each expected line, and write nothing. Cases named
`strict-*` hold warnings, which fail the build only with --strict.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import INVALID, SITES, copy_site

CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_is_reported(case, tmp_path, capsys):
    site = copy_site(SITES / "valid", tmp_path / "site")
    shutil.copytree(INVALID / case, site.root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    if case.startswith("strict-"):
        assert site.build() == 0
        capsys.readouterr()
        shutil.rmtree(site.out)
    assert site.build(*(["--strict"] if case.startswith("strict-") else [])) == 1
    stderr = capsys.readouterr().err
    lines = stderr.splitlines()
    for expected in (INVALID / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert any(line.startswith(expected) for line in lines), f"missing {expected!r} in:\n{stderr}"
    assert not site.out.exists()
