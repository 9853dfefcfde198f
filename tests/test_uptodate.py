"""A run of `build` with nothing to do ends from the last build's stamp (generator/build/uptodate.py):
what it is made from is looked at, the output is not, and any change at all means a real build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from generator import identity
from generator.build import pipeline, uptodate
from generator.build.folders import MARKER
from generator.build.pipeline import Builder, Options
from generator.build.sealed import FOLDER, seal


@pytest.fixture
def stamped(site, monkeypatch, capsys):
    """The fixture site built once by the command, its stamp kept: the inputs' times count as settled
    at once (SLACK 0), where a real run wants them a few seconds old."""
    monkeypatch.setattr(uptodate, "SLACK", 0)
    first = run(site, capsys, monkeypatch)
    assert first.built and first.code == 0
    return first


class Run:
    def __init__(self, code: int, out: str, err: str, built: bool):
        self.code, self.out, self.err, self.built = code, out, err, built


def run(site, capsys, monkeypatch, *args: str) -> Run:
    """The command run in this process; `built`: whether it went as far as building."""
    calls = []
    real = Builder.build

    def build(self, changed=None):
        calls.append(self)
        return real(self, changed)

    monkeypatch.setattr(pipeline.Builder, "build", build)
    capsys.readouterr()
    code = site.build(*args)
    out, err = capsys.readouterr()
    monkeypatch.setattr(pipeline.Builder, "build", real)
    return Run(code, out, err, bool(calls))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_run_with_nothing_changed_ends_from_the_stamp_and_says_what_the_build_said(site, stamped, capsys,
                                                                                       monkeypatch):
    before = tree(site.out)
    again = run(site, capsys, monkeypatch)
    assert again.code == 0 and not again.built
    assert again.err == stamped.err and "warning: the quote" in again.err  # the same warnings, in the same order
    assert again.out.startswith("built 2 explainer(s), 151 files, into ") and "(nothing had changed)" in again.out
    assert tree(site.out) == before
    assert not run(site, capsys, monkeypatch, "--quiet").out  # --quiet: only the problems


CHANGES = {
    "a file added to an explainer": lambda site: site.write("content/border-rush/notes.txt", "notes\n"),
    "an explainer removed": lambda site: shutil.rmtree(site.root / "content" / "no-notes"),
    "site.yaml edited": lambda site: site.write("site.yaml", (site.root / "site.yaml").read_text() + "# edit\n"),
    "a site template added": lambda site: site.write("templates/explainer.html", (
        identity.default_theme() / "explainer.html").read_text(encoding="utf-8") + "<!-- site's own -->\n"),
    "the output removed": lambda site: shutil.rmtree(site.out),
    "a file added at the output's top": lambda site: site.write("build/stray.txt", "stray\n"),
    "a file removed from an explainer's output folder": lambda site: (site.out / "border-rush" / "card.png").unlink(),
    "an explainer's output folder made private": lambda site: (site.out / "border-rush").chmod(0o700),
}


def in_place(path: Path, old: str, new: str) -> None:
    """Edits a file in place (the same inode), its size and modification time put back: only its
    change time, which no one can set, tells."""
    st = path.stat()
    data = path.read_bytes()
    with open(path, "r+b") as f:
        f.write(data.replace(old.encode(), new.encode(), 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    now = path.stat()
    assert (now.st_ino, now.st_size, now.st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns) and data != path.read_bytes()


def pycache_asset(site) -> None:
    """A site's own folder named __pycache__ (as the generator's bytecode is) is the site's: looked at."""
    in_place(site.root / "content" / "border-rush" / "__pycache__" / "pic.svg", "#567", "#a00")


CHANGES["an article edited in place, its size and time kept"] = lambda site: in_place(
    site.root / "content" / "border-rush" / "article.md", "a", "e")
CHANGES["an asset in a folder named __pycache__ edited in place"] = pycache_asset
CHANGES["a file at the output's top edited in place"] = lambda site: in_place(site.out / "index.html", "<html", "<HTML")


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_the_site_or_the_output_s_top_means_a_real_build(site, monkeypatch, capsys, tmp_path, change):
    if "__pycache__" in change:
        (site.root / "content" / "border-rush" / "__pycache__").mkdir()
        shutil.copy(site.root / "content" / "border-rush" / "photo.svg",
                    site.root / "content" / "border-rush" / "__pycache__" / "pic.svg")
    monkeypatch.setattr(uptodate, "SLACK", 0)
    assert run(site, capsys, monkeypatch).built and not run(site, capsys, monkeypatch).built
    CHANGES[change](site)
    again = run(site, capsys, monkeypatch)
    assert again.code == 0 and again.built and "(nothing had changed)" not in again.out
    # What a build of the site as it is now makes, from nothing: no cache, a new folder.
    Builder(Options(site=site.root, out=tmp_path / "fresh", cache=False)).build()
    assert tree(site.out) == tree(tmp_path / "fresh")
    assert not run(site, capsys, monkeypatch).built  # and then the stamp of that build


def test_an_output_without_the_marker_is_looked_at_and_refused(site, stamped, capsys, monkeypatch):
    (site.out / MARKER).unlink()
    again = run(site, capsys, monkeypatch)
    assert again.built and again.code == 1 and "was not changed" in again.err


@pytest.mark.parametrize("options", [["--strict"], ["--base-url", "https://news.example.org/desk/"]])
def test_other_options_mean_a_real_build(site, stamped, capsys, monkeypatch, options):
    again = run(site, capsys, monkeypatch, *options)
    assert again.built


@pytest.mark.parametrize("what", ["version", "installed"])
def test_another_generator_or_library_version_means_a_real_build(site, stamped, capsys, monkeypatch, what):
    real = getattr(identity, what)
    monkeypatch.setattr(identity, what, lambda *args: f"{real(*args)} upgraded")
    assert run(site, capsys, monkeypatch).built


def test_an_output_file_changed_by_hand_is_trusted_until_verify_looks_at_every_file(site, stamped, capsys,
                                                                                      monkeypatch):
    before = tree(site.out)
    # Deeper than the top, in place with its size and time kept (no build sees that by the file's
    # time), and a file removed from a folder below an explainer's.
    in_place(site.out / "border-rush" / "index.html", "<html", "<HTML")
    (site.out / "countries" / "kg" / "map.svg").unlink()
    assert not run(site, capsys, monkeypatch).built  # the output is trusted as the last build left it
    checked = run(site, capsys, monkeypatch, "--verify")  # reads every file
    assert checked.built and checked.code == 0 and tree(site.out) == before


def test_a_site_changed_within_seconds_of_the_build_keeps_no_stamp(site, monkeypatch, capsys):
    """With the real SLACK: the fixture was copied just now, so its times can't yet tell a second edit."""
    assert run(site, capsys, monkeypatch).built
    assert not list((site.root / FOLDER).glob("uptodate-*"))
    assert run(site, capsys, monkeypatch).built


def test_a_failed_build_removes_the_stamp(site, stamped, capsys, monkeypatch):
    quotes = site.root / "content" / "border-rush" / "quotes.yaml"
    good = quotes.read_bytes()
    quotes.write_text("- [unclosed\n", encoding="utf-8")
    assert run(site, capsys, monkeypatch).code == 1
    assert not list((site.root / FOLDER).glob("uptodate-*"))
    quotes.write_bytes(good)
    assert run(site, capsys, monkeypatch).built


def test_a_build_through_the_api_into_the_same_output_removes_the_stamp(site, stamped, capsys, monkeypatch):
    [stamp] = (site.root / FOLDER).glob("uptodate-*")
    Builder(Options(site=site.root, out=site.out, in_place=True)).build()
    assert not stamp.exists()
    assert run(site, capsys, monkeypatch).built


@pytest.mark.parametrize("forgery", ["unsealed", "another key", "another output's"])
def test_a_stamp_not_sealed_for_this_output_is_ignored(site, stamped, capsys, monkeypatch, forgery, tmp_path):
    [stamp] = (site.root / FOLDER).glob("uptodate-*")
    if forgery == "another output's":  # a good stamp, of a build into another folder, copied over this one's
        other = tmp_path / "other"
        monkeypatch.setattr(site, "out", other)
        site.build()
        [theirs] = set((site.root / FOLDER).glob("uptodate-*")) - {stamp}
        monkeypatch.setattr(site, "out", site.root / "build")
        shutil.copy(theirs, stamp)
    else:
        data = stamp.read_bytes()[len(seal(b"k" * 32, "", b"")):]  # the stamp's own bytes, without the seal
        stamp.write_bytes(data if forgery == "unsealed" else seal(b"another key" * 4, stamp.name, data))
    assert run(site, capsys, monkeypatch).built


def test_a_link_to_a_folder_among_the_inputs_keeps_no_stamp(site, monkeypatch, capsys):
    monkeypatch.setattr(uptodate, "SLACK", 0)
    (site.root / "shared").mkdir()
    (site.root / "content" / "border-rush" / "shared").symlink_to(site.root / "shared")
    run(site, capsys, monkeypatch)
    assert run(site, capsys, monkeypatch).built


@pytest.mark.e2e
def test_the_command_with_nothing_to_do_loads_none_of_the_libraries_that_render(site, monkeypatch):
    """In a new process, as users run it: the run that finds nothing changed imports no Jinja, Markdown,
    YAML or Pillow, nor the generator's pipeline."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    script = ("import sys; from generator.cli.main import main; code = main(sys.argv[1:]); "
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markdown', 'yaml', 'PIL') "
              "or m == 'generator.build.pipeline')); sys.exit(code)")
    command = [sys.executable, "-c", script, "build", "--site", str(site.root)]
    # The fixture's files were copied just now: a stamp is kept only once they are SLACK old.
    time.sleep(max(0.0, uptodate.SLACK / 1e9 + 0.2 - (time.time() - newest(site.root))))
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert "generator.build.pipeline" in first.stdout
    again = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert again.stdout.splitlines()[-1] == "[]", again.stdout
    assert "(nothing had changed)" in again.stdout


def newest(root: Path) -> float:
    """The newest modification or change time of the files and folders under `root`, in seconds."""
    return max(max(st.st_mtime, st.st_ctime) for st in (p.lstat() for p in [root, *root.rglob("*")]))


def test_a_library_s_code_patched_in_place_changes_what_the_generator_depends_on(tmp_path, monkeypatch):
    """Not only its main file: any of its code files, by size, times and inode (its data files are left out)."""
    package = tmp_path / "lib" / "fakelib"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from .utils import join\n", encoding="utf-8")
    (package / "utils.py").write_text("def join(parts):\n    return ' '.join(parts)\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    before = identity.installed(("fakelib",))
    assert identity.installed(("fakelib",)) == before
    in_place(package / "utils.py", "' '", "'-'")
    assert identity.installed(("fakelib",)) != before
    assert "fakelib -" not in before and identity.installed(("nosuchlib",)) == "nosuchlib -"


def test_an_edit_made_just_after_the_swap_keeps_no_stamp(site, monkeypatch, capsys):
    """The stamp says what the build put in place, as it put it there: an edit between the swap
    and the stamp's save is not taken for the build's own output."""
    from generator.build import output

    monkeypatch.setattr(uptodate, "SLACK", 0)
    real = output.swap

    def swap_then_edit(new, out):
        previous = real(new, out)
        with open(out / "index.html", "ab") as f:
            f.write(b"<!-- edited -->")
        return previous

    monkeypatch.setattr(output, "swap", swap_then_edit)
    assert run(site, capsys, monkeypatch).built
    monkeypatch.setattr(output, "swap", real)
    assert run(site, capsys, monkeypatch).built  # no stamp was kept: a real build, which puts it right
    assert b"<!-- edited -->" not in (site.out / "index.html").read_bytes()
    assert not run(site, capsys, monkeypatch).built


def test_a_package_put_where_python_imports_from_changes_what_the_generator_depends_on(tmp_path, monkeypatch):
    """A module named as one of Python's own, or a plug-in of Python-Markdown found by its entry point."""
    folder = tmp_path / "path"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    before = identity.described()
    (folder / "plugin-1.0.dist-info").mkdir()
    assert identity.described() != before


def test_a_run_from_the_site_folder_ends_from_the_stamp_yet_sees_a_module_put_there(site, monkeypatch, capsys):
    """`python -m` imports from the folder it runs in: the site's, whose time each build changes (its
    output is there), so only what Python could import from it counts."""
    monkeypatch.setattr(uptodate, "SLACK", 0)
    monkeypatch.chdir(site.root)
    monkeypatch.setattr(sys, "path", ["", *sys.path])
    assert run(site, capsys, monkeypatch).built and not run(site, capsys, monkeypatch).built
    (site.root / "json.py").write_text("raise ImportError\n", encoding="utf-8")
    described = identity.described()
    (site.root / "json.py").unlink()
    assert described != identity.described()
