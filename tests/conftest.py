"""Shared helpers: copy a fixture site into a temp folder, build it, parse pages."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

from generator.cli.main import main
from groups import GROUPS, groups_of

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SITES = HERE / "sites"
INVALID = HERE / "sites_invalid"

# Hypothesis profiles. With none named, Hypothesis's own choice stands (its "ci" profile when CI is
# set, else "default") and every property test runs all its examples: `make test` and CI do so.
# HYPOTHESIS_PROFILE=quick (or --hypothesis-profile=quick; `make quick`) runs each with at most
# QUICK_EXAMPLES, a smoke test of every property while you work.
QUICK_EXAMPLES = 10
settings.register_profile("quick", max_examples=QUICK_EXAMPLES, deadline=None)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


def quick() -> bool:
    """Whether this is a quick run (`make quick`): a test that repeats a check many times does fewer."""
    return settings.get_current_profile_name() == "quick"


def examples(count: int) -> int:
    """A property test's number of examples: `count`, or at most QUICK_EXAMPLES under the quick profile.
    A test's own max_examples overrides any profile's, so each test asks here for its count."""
    return min(count, QUICK_EXAMPLES) if quick() else count


class Site:
    """A throwaway copy of a fixture site that tests may edit and build."""

    def __init__(self, root: Path):
        self.root = root
        self.out = root / "build"

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, *args: str) -> int:
        return main(["build", "--site", str(self.root), "--out", str(self.out), *args])

    def page(self, rel: str) -> BeautifulSoup:
        return BeautifulSoup((self.out / rel).read_text(encoding="utf-8"), "html.parser")

    def run_cli(self, *args: str) -> subprocess.CompletedProcess:
        """Runs the real command in a child process, as an author would."""
        return subprocess.run([sys.executable, "-m", "generator", *args], cwd=self.root, capture_output=True,
                              text=True, env=_env(), timeout=120, check=False)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def copy_site(source: Path, dest: Path) -> Site:
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("build", ".preview"))
    return Site(dest)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return copy_site(SITES / "valid", tmp_path / "site")


def copy_example(dest: Path) -> Site:
    """The repository's own example site (site.yaml, content/, templates/)."""
    dest.mkdir(parents=True)
    shutil.copy(REPO / "site.yaml", dest / "site.yaml")
    shutil.copytree(REPO / "content", dest / "content")
    return Site(dest)


@pytest.fixture
def example(tmp_path: Path) -> Site:
    return copy_example(tmp_path / "example")


@pytest.fixture(scope="session")
def shared_build(tmp_path_factory: pytest.TempPathFactory):
    """`shared_build(name, *options)`: the fixture site `name` ("valid", or "example" for the repository's
    own) built with `options`, once per session, for the tests that only read its output. A test that
    edits the site or the output, or reads what the build printed, takes `site` or `example` instead;
    at the end of the session every shared folder must still hold what its build left."""
    builds: dict[tuple[str, ...], Site] = {}
    made: dict[tuple[str, ...], dict[str, bytes]] = {}

    def build(name: str = "valid", *options: str) -> Site:
        key = (name, *options)
        if key not in builds:
            dest = tmp_path_factory.mktemp("shared") / name
            built = copy_example(dest) if name == "example" else copy_site(SITES / name, dest)
            assert built.build(*options) == 0
            builds[key], made[key] = built, _files(built.root)
        return builds[key]

    yield build
    for key, built in builds.items():
        assert _files(built.root) == made[key], f"a test changed the shared build {key}"


_COLD: dict[tuple, dict] = {}  # (read, the sources' digest, the generator's code, the umask) -> what read found
# In a site folder: the output and the cache, and the names beside them builds make (.build.spare, .preview ...).
OWN_NAMES, OWN_PREFIXES = {"build", ".cache"}, (".build.", ".preview")


def cold_build(root: Path, out: Path, read: Callable[[Path], dict]) -> dict:
    """What `read(out)` finds after a cold build of the site at `root` into the new folder `out`: one
    process, one worker, no cache; the reference the cache and output tests compare builds with.
    Such a build depends on nothing but the site's sources, the generator's code and the umask, so
    for sources this process has built cold before, what `read` found then is given again, unbuilt.
    A site holding a link or a pipe is built every time: what a link leads to may have changed."""
    from generator.build import fingerprint
    from generator.build.pipeline import Builder, Options

    sources = _sources(root)
    key = (read, sources, fingerprint.code(), _umask())
    if sources is None or key not in _COLD:
        Builder(Options(site=root, out=out, workers=1, cache=False)).build()
        found = read(out)
        if sources is None:
            return found
        _COLD[key] = found
    return dict(_COLD[key])


def _sources(root: Path) -> str | None:
    """A digest of every name, mode and byte under `root` but the build's own; None when a link or
    a file that is not a regular one is among them."""
    digest = hashlib.sha256()
    for folder, subfolders, names in os.walk(root):
        if folder == str(root):
            subfolders[:] = [name for name in subfolders if not _own(name)]
            names = [name for name in names if not _own(name)]
        subfolders.sort()
        for name in sorted([*subfolders, *names]):
            path = os.path.join(folder, name)
            st = os.lstat(path)
            if not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
                return None
            digest.update(os.fsencode(os.path.relpath(path, root)) + f"\0{st.st_mode}\0".encode())
            if stat.S_ISREG(st.st_mode):
                digest.update(Path(path).read_bytes() + b"\0")
    return digest.hexdigest()


def _own(name: str) -> bool:
    return name in OWN_NAMES or name.startswith(OWN_PREFIXES)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks each test unit, site or e2e (tests/groups.py), unless it carries one of these itself:
    `pytest -m "not e2e"` leaves out browsers, validators, servers and subprocesses."""
    for item in items:
        if any(item.get_closest_marker(group) for group in GROUPS) or not isinstance(item, pytest.Function):
            continue
        group = groups_of(Path(item.path)).get(item.originalname, "unit")
        item.add_marker(getattr(pytest.mark, group))
