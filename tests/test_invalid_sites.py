"""Each folder under sites_invalid/ breaks the valid fixture site in one way.

The folder holds only the files it replaces and `expected.txt`: the message
lines (or their beginnings) the command must print, with `{site}` standing
for the site folder. The command is `build`, and it must fail with exit
status 1, print each expected line, and write nothing. Cases named
`strict-*` hold warnings, which fail the build only with --strict. A case
with `args.txt` runs that command line instead (`{site}` again for the
site folder); a second line `status N` gives the exit status it expects.

docs/errors.md shows every case as docs/make_errors.py runs it; the run of
each case here is the one the catalogue is checked against.
"""

from __future__ import annotations

import importlib.util
import shlex
import shutil
import sys

import pytest

from conftest import INVALID, REPO, SITES, copy_site

CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())
NOT_SITE_FILES = ("expected.txt", "args.txt")

_spec = importlib.util.spec_from_file_location("make_errors", REPO / "docs" / "make_errors.py")
make_errors = sys.modules["make_errors"] = importlib.util.module_from_spec(_spec)  # its dataclass looks itself up
_spec.loader.exec_module(make_errors)


def case_command(case: str) -> tuple[list[str] | None, int]:
    """The command line of a case with args.txt, and the exit status it expects."""
    path = INVALID / case / "args.txt"
    if not path.is_file():
        return None, 1
    lines = path.read_text(encoding="utf-8").splitlines()
    status = int(lines[1].split()[1]) if len(lines) > 1 else 1
    return shlex.split(lines[0]), status


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    """`outcome(path of a case)`: what its command did (docs/make_errors.py's run_case), run once in
    a folder of its own for the case's test and the catalogue's."""
    made = {}

    def run(case):
        if case.name not in made:
            made[case.name] = make_errors.run_case(case, tmp_path_factory.mktemp(case.name))
        return made[case.name]

    return run


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_is_reported(case, tmp_path, capsys, outcome):
    if case.startswith("strict-"):  # a build that passes; then with --strict, from what it kept in the cache
        site = copy_site(SITES / "valid", tmp_path / "site")
        shutil.copytree(INVALID / case, site.root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*NOT_SITE_FILES))
        assert site.build() == 0
        capsys.readouterr()
        shutil.rmtree(site.out)
        assert site.build("--strict") == 1
        root, stderr = site.root, capsys.readouterr().err
    else:
        ran = outcome(INVALID / case)
        assert ran.status == case_command(case)[1]
        root, stderr = ran.site, ran.stderr
    lines = [line.replace(str(root), "{site}") for line in stderr.splitlines()]
    for expected in (INVALID / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert any(line.startswith(expected) for line in lines), f"missing {expected!r} in:\n{stderr}"
    assert not (root / "build").exists()


def test_error_catalogue_is_current(outcome):
    assert (REPO / "docs" / "errors.md").read_text(encoding="utf-8") == make_errors.render(outcome), \
        "docs/errors.md is out of date: run python3 docs/make_errors.py"
