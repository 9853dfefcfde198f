"""Writes docs/errors.md from the broken fixture sites in tests/sites_invalid/.

Each case is built for real, so the catalogue shows the messages exactly as
the generator prints them today. Run: python3 docs/make_errors.py
"""

from __future__ import annotations

import contextlib
import io
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.cli.main import main  # noqa: E402

INVALID = REPO / "tests" / "sites_invalid"
VALID = REPO / "tests" / "sites" / "valid"
OUT = REPO / "docs" / "errors.md"

INTRO = """# Error messages

Every problem in a site's files is printed as `path:line:col: error: message`
(or `warning:`), with the path relative to the site folder, and every problem
of a run is printed at once. A run with errors exits with status 1 and leaves
the previous output exactly as it was. Warnings are printed but the build
succeeds, unless `--strict` is given. An error of the system (a folder that
is not writable, a full disk) is printed as `path: error: message` with what
to do, for instance
`build: error: permission denied: the output folder is read-only; give this user access to it (chmod, chown), or use another folder`.

This catalogue is generated from the broken example sites in
`tests/sites_invalid/` by `docs/make_errors.py`; the test suite checks it is
current. Each entry shows the file as written and what the build prints;
entries from the other commands (`check`, `import`, `new`, `diff`) show the
command line too. `check` prints the build's problems and its own editorial
warnings (dates, figures, stale facts), which fail it only with `--strict`.
"""


NOT_SITE_FILES = ("expected.txt", "args.txt")


def case_command(case: Path) -> list[str] | None:
    """The command line of a case with args.txt; `{site}` stands for the site folder."""
    path = case / "args.txt"
    return shlex.split(path.read_text(encoding="utf-8").splitlines()[0]) if path.is_file() else None


def shown_command(command: list[str]) -> str:
    """The command as an author in the site folder types it."""
    words = []
    for arg in command:
        if arg == "{site}" and words[-1:] == ["--site"]:
            words.pop()  # the site folder is where the author runs the command
        else:
            words.append(arg.replace("{site}/", ""))
    return "python -m generator " + " ".join(words)


@dataclass
class Outcome:
    """What a case's command did, run in the folder `temp`: its site was temp/site."""
    temp: Path
    status: int
    stderr: str

    @property
    def site(self) -> Path:
        return self.temp / "site"


def run_case(case: Path, temp: Path) -> Outcome:
    """Runs a case in the empty folder `temp`: the valid site with the case's files on top, then its
    command, or a build of it into its own build/ folder (with --strict for a strict- case)."""
    site = temp / "site"
    shutil.copytree(VALID, site)
    shutil.copytree(case, site, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*NOT_SITE_FILES))
    err = io.StringIO()
    command = case_command(case)
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        strict = ["--strict"] if case.name.startswith("strict-") else []
        if command is None:
            status = main(["build", "--site", str(site), "--out", str(site / "build"), *strict])
        else:
            status = main([arg.replace("{site}", str(site)) for arg in command])
    return Outcome(temp, status, err.getvalue())


def run_in_temp(case: Path) -> Outcome:
    with tempfile.TemporaryDirectory() as temp:
        return run_case(case, Path(temp))


def case_output(case: Path, outcome: Outcome) -> tuple[str, list[tuple[str, str]]]:
    """What the catalogue shows of a case: what its command printed, and the case's files."""
    files = []
    for path in sorted(p for p in case.rglob("*") if p.is_file() and p.name not in NOT_SITE_FILES):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1") + "\n(saved as Latin-1, not UTF-8)"
        files.append((path.relative_to(case).as_posix(), text))
    # The fixtures publish under "/": the warning about it belongs to no case in particular.
    lines = [line for line in outcome.stderr.splitlines()
             if not line.startswith("build failed") and "not the site's public address" not in line]
    return "\n".join(lines).replace(str(outcome.site) + "/", "").replace(str(outcome.temp), "…"), files


def render(run: Callable[[Path], Outcome] = run_in_temp) -> str:
    """The catalogue; `run` runs a case (the tests pass theirs, which runs each case once for both)."""
    parts = [INTRO]
    for case in sorted(p for p in INVALID.iterdir() if p.is_dir()):
        output, files = case_output(case, run(case))
        title = case.name.removeprefix("strict-").replace("-", " ").capitalize()
        kind = " (a warning; an error with --strict)" if case.name.startswith("strict-") else ""
        parts.append(f"## {title}{kind}\n")
        for name, text in files:
            fence = ("yaml" if name.endswith(".yaml") else "text" if name.endswith(".txt") else "po" if name.endswith(".po")
                     else "markdown")
            parts.append(f"`{name}`:\n\n```{fence}\n{text.rstrip() or '(empty file)'}\n```\n")
        command = case_command(case)
        if command is not None:
            parts.append(f"`{shown_command(command)}` prints:\n\n```\n{output}\n```\n")
        else:
            parts.append(f"prints:\n\n```\n{output}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")
