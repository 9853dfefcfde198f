"""Output files and folders get the modes the user's umask gives, as any web server needs.

Every way a file reaches the output is covered: a new folder swapped in, the spare
reused with hard links, a one-file change, the link mode of file systems that can't
exchange folders, and the preview, which updates its folder file by file.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SITES, copy_example, copy_site
from generator.build import folders, swap
from generator.build.pipeline import Options, build
from generator.preview.rebuilder import preview_builder

UMASKS = [0o022, 0o002]


def modes(out: Path) -> dict[str, int]:
    """The permission bits of the output folder and everything below it, links followed at the top only."""
    top = out.resolve()
    found = {".": stat.S_IMODE(top.stat().st_mode)}
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            path = Path(folder, name)
            st = path.lstat()
            assert not stat.S_ISLNK(st.st_mode), f"a link in the output: {path}"
            found[path.relative_to(top).as_posix() + ("/" if name in dirs else "")] = stat.S_IMODE(st.st_mode)
    return found


def assert_modes(out: Path, umask: int) -> int:
    """Every folder 0777 and every file 0666 less the umask; returns how many were checked."""
    found = modes(out)
    wrong = {name: oct(mode) for name, mode in found.items()
             if mode != (0o777 if name == "." or name.endswith("/") else 0o666) & ~umask}
    assert not wrong, f"under umask {umask:03o}, modes other than the umask's: {wrong}"
    return len(found)


def built_with_umask(site: Path, out: Path, umask: int) -> None:
    """The real command in a child process that starts with `umask`."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "--out", str(out)],
                         capture_output=True, text=True, env=env, timeout=300, preexec_fn=lambda: os.umask(umask),
                         check=False)
    assert run.returncode == 0, run.stderr


def edit_article(root: Path) -> None:
    article = min((root / "content").glob("*/article.md"))  # published in both fixture sites
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")


@pytest.fixture
def umask():
    """Restores the test process's umask, whatever a test sets."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


@pytest.mark.parametrize("mask", UMASKS, ids=lambda m: f"umask{m:03o}")
def test_a_build_and_its_rebuilds_have_the_umasks_modes(tmp_path, mask):
    site = copy_example(tmp_path / "site")
    out = tmp_path / "public" / "build"
    built_with_umask(site.root, out, mask)
    count = assert_modes(out, mask)
    assert count > 50 and {"index.html", "feed.xml", "static/"} <= set(modes(out))
    assert stat.S_IMODE(out.parent.stat().st_mode) == 0o777 & ~mask  # made by the build too
    assert any(p.suffix == ".png" for p in out.rglob("*")), "no share image to check"
    built_with_umask(site.root, out, mask)  # nothing changed: nothing written
    assert_modes(out, mask)
    edit_article(site.root)
    built_with_umask(site.root, out, mask)  # a new folder; the last output kept as the spare
    assert_modes(out, mask)
    assert_modes(folders.spare_path(out), mask)
    before = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    edit_article(site.root)
    built_with_umask(site.root, out, mask)  # the spare made into the new output: hard links, one explainer written
    assert_modes(out, mask)
    kept = [p for p in out.rglob("*") if p.is_file() and before.get(p) == p.stat().st_ino]
    assert kept, "the rebuild linked no file from the previous output"


@pytest.mark.parametrize("mask", UMASKS, ids=lambda m: f"umask{m:03o}")
def test_where_folders_cant_be_exchanged_the_linked_folders_have_the_umasks_modes(tmp_path, monkeypatch, umask, mask):
    monkeypatch.setattr(swap, "renameat2", lambda: None)
    os.umask(mask)
    site = copy_site(SITES / "valid", tmp_path / "site")
    for change in (None, None, edit_article):
        if change:
            change(site.root)
        build(Options(site=site.root, out=site.out))
        assert site.out.is_symlink()
        assert_modes(site.out, mask)


@pytest.mark.parametrize("mask", UMASKS, ids=lambda m: f"umask{m:03o}")
def test_the_preview_folder_has_the_umasks_modes(tmp_path, umask, mask):
    os.umask(mask)
    site = copy_site(SITES / "valid", tmp_path / "site")
    out = site.root / ".preview"
    builder = preview_builder(site.root, out)
    builder.build()
    assert_modes(out, mask)
    edit_article(site.root)
    site.write("content/a-new-one/article.md", "---\ntitle: A new one\ndate: 2024-01-02\n---\n\nText.\n")
    result = builder.build()
    assert any(name.startswith("a-new-one/") for name in result.changed)
    assert_modes(out, mask)


def test_an_output_and_spare_made_0700_by_an_earlier_version_are_opened_to_readers(tmp_path, umask):
    os.umask(0o022)
    site = copy_site(SITES / "valid", tmp_path / "site")
    build(Options(site=site.root, out=site.out))
    edit_article(site.root)
    build(Options(site=site.root, out=site.out))
    spare = folders.spare_path(site.out)
    for folder in (site.out, spare):
        folder.chmod(0o700)  # as mkdtemp made them
    build(Options(site=site.root, out=site.out))  # nothing changed: the output stays
    assert_modes(site.out, 0o022)
    assert_modes(spare, 0o022)
    spare.chmod(0o700)
    edit_article(site.root)
    build(Options(site=site.root, out=site.out))  # the spare swapped in
    assert_modes(site.out, 0o022)


@pytest.mark.parametrize("first, then", [(0o077, 0o022), (0o022, 0o027)], ids=["077-then-022", "022-then-027"])
def test_a_build_under_another_umask_gives_every_file_the_new_modes(tmp_path, first, then):
    # Files kept or linked from the earlier output would keep the earlier umask's modes.
    site = copy_example(tmp_path / "site")
    out = tmp_path / "build"
    built_with_umask(site.root, out, first)
    assert_modes(out, first)
    built_with_umask(site.root, out, then)  # nothing else changed
    assert_modes(out, then)
    edit_article(site.root)
    built_with_umask(site.root, out, then)  # from the spare, made under the first umask
    assert_modes(out, then)


def test_the_preview_under_another_umask_gives_every_file_the_new_modes(tmp_path, umask):
    os.umask(0o077)
    site = copy_site(SITES / "valid", tmp_path / "site")
    out = site.root / ".preview"
    preview_builder(site.root, out).build()
    assert_modes(out, 0o077)
    os.umask(0o022)
    preview_builder(site.root, out).build()  # a new preview run, its folder already there
    assert_modes(out, 0o022)


def test_no_build_goes_over_the_output_for_modes_and_the_live_one_keeps_its_own(tmp_path, monkeypatch, umask):
    """Every file of a new output is linked from an output (or kept from a spare) made under the
    same umask, or written anew: no walk over the tree to set modes. Under another umask nothing
    is linked, for a link is the live output's own file: until the swap, the live output keeps
    its modes, even when the build stops just before it."""
    from generator.build import output
    from generator.errors import BuildError

    os.umask(0o022)
    site = copy_site(SITES / "valid", tmp_path / "site")
    walked = []
    monkeypatch.setattr(output, "settle_modes", lambda top: walked.append(top) or folders.settle_modes(top))
    for _ in range(3):  # a cold build, a new spare linked from it, the spare made the output
        build(Options(site=site.root, out=site.out))
        edit_article(site.root)
    assert_modes(site.out, 0o022)
    live = {p: p.stat().st_ino for p in site.out.rglob("*") if p.is_file()}
    os.umask(0o077)

    def stopped(stage, out):
        raise OSError(errno.EIO, "stopped before the swap", str(out))

    with monkeypatch.context() as m:
        m.setattr(output, "swap", stopped)
        with pytest.raises(BuildError):
            build(Options(site=site.root, out=site.out))
    assert_modes(site.out, 0o022)
    build(Options(site=site.root, out=site.out))
    assert_modes(site.out, 0o077)
    assert not any(live.get(p) == p.stat().st_ino for p in site.out.rglob("*") if p.is_file())
    assert walked == []
