"""Each folder under sites_invalid/ breaks the valid fixture site in one way.

The folder holds only the files it replaces and `expected.txt`: the message
lines (or their beginnings) the command must print, with `{site}` standing
for the site folder. The command is `build`, and it must fail with exit
status 1, print each expected line, and write nothing. Cases named
`strict-*` hold warnings, which fail the build only with --strict. A case
with `args.txt` runs that command line instead (`{site}` again for the
site folder); a second line `status N` gives the exit status it expects.
"""

from __future__ import annotations

import shlex
import shutil

import pytest

from conftest import INVALID, SITES, copy_site
from generator.cli.main import main

CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())
NOT_SITE_FILES = ("expected.txt", "args.txt")


def case_command(case: str) -> tuple[list[str] | None, int]:
    """The command line of a case with args.txt, and the exit status it expects."""
    path = INVALID / case / "args.txt"
    if not path.is_file():
        return None, 1
    lines = path.read_text(encoding="utf-8").splitlines()
    status = int(lines[1].split()[1]) if len(lines) > 1 else 1
    return shlex.split(lines[0]), status


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_is_reported(case, tmp_path, capsys):
    site = copy_site(SITES / "valid", tmp_path / "site")
    shutil.copytree(INVALID / case, site.root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*NOT_SITE_FILES))
    command, status = case_command(case)
    if command is not None:
        assert main([arg.replace("{site}", str(site.root)) for arg in command]) == status
    else:
        if case.startswith("strict-"):
            assert site.build() == 0
            capsys.readouterr()
            shutil.rmtree(site.out)
        assert site.build(*(["--strict"] if case.startswith("strict-") else [])) == 1
    stderr = capsys.readouterr().err
    lines = [line.replace(str(site.root), "{site}") for line in stderr.splitlines()]
    for expected in (INVALID / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert any(line.startswith(expected) for line in lines), f"missing {expected!r} in:\n{stderr}"
    assert not site.out.exists()
