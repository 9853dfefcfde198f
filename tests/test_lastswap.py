"""A published build makes its new output from the spare by the names the last swap's record
says differ (generator/build/lastswap.py), looking at no other file; whatever the record can't
vouch for means a build that looks at everything. Either way the output equals a fresh build."""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from conftest import cold_build
from generator.build import lastswap, listing, stage, writing
from generator.build.folders import spare_path
from generator.build.pipeline import Builder, Options
from generator.build.sealed import FOLDER
from generator.errors import BuildError

STORY = "content/border-rush"


def shape(folder: Path) -> dict[str, tuple[str, int, bytes | None]]:
    """Every name under `folder` with its kind, mode and bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        kind = "link" if path.is_symlink() else "folder" if path.is_dir() else "file"
        found[path.relative_to(folder).as_posix()] = (kind, stat.S_IMODE(st.st_mode),
                                                      path.read_bytes() if kind == "file" else None)
    found["."] = ("folder", stat.S_IMODE(folder.stat().st_mode), None)
    return found


def fresh(site) -> dict:
    return cold_build(site.root, Path(tempfile.mkdtemp(dir=site.root.parent)) / "build", shape)


class Watched:
    """Builds of the site through one API call each, telling whether each was vouched for (made
    from the spare by the record's names) and how many folders it listed."""

    def __init__(self, site, monkeypatch):
        self.site = site
        self.listed: list[str] = []
        self.vouched: list[bool] = []
        real_scan, real_take = listing._scan, lastswap.LastSwap.take

        def scan(path, follow):
            self.listed.append(path)
            return real_scan(path, follow)

        def take(record, taken):
            names = real_take(record, taken)
            self.vouched.append(names is not None)
            return names

        monkeypatch.setattr(listing, "_scan", scan)
        monkeypatch.setattr(lastswap.LastSwap, "take", take)

    def build(self, **options) -> bool:
        """Builds; whether the build was made from the record alone (vouched for, nothing listed)."""
        self.listed.clear()
        self.vouched.clear()
        Builder(Options(site=self.site.root, out=self.site.out, **options)).build()
        return self.vouched == [True] and not self.listed


@pytest.fixture
def watched(site, monkeypatch) -> Watched:
    """The site built three times: the last build's spare was vouched for, so the next is made from the record."""
    builds = Watched(site, monkeypatch)
    for title in ("first", "second", "third"):
        retitle(site, title)
        builds.build()
    return builds


def retitle(site, title: str) -> None:
    path = site.root / STORY / "timeline.yaml"
    path.write_text(re.sub(r"title: A month of .*", f"title: A month of {title}", path.read_text(encoding="utf-8")),
                    encoding="utf-8")


def edit(site, rel: str, old: str, new: str) -> None:
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_chain_of_edits_is_built_from_the_record_alone_and_each_output_equals_a_fresh_build(site, watched):
    timeline = (site.root / STORY / "timeline.yaml").read_text(encoding="utf-8")
    steps = [
        lambda: retitle(site, "fourth"),
        # An entry gone: its embed and share folders go with it.
        lambda: edit(site, f"{STORY}/timeline.yaml", "- date: \"2022\"\n  title: The year of the war\n", ""),
        lambda: (site.root / STORY / "timeline.yaml").write_text(timeline, encoding="utf-8"),  # and back
        lambda: site.write("content/new-one/article.md", "---\ntitle: A new one\ndate: 2023-01-02\n---\nIts text.\n"),
        lambda: shutil.rmtree(site.root / "content" / "no-notes"),  # an explainer gone, and its folder
        lambda: None,  # nothing changed
        lambda: edit(site, "site.yaml", "title:", "title: Renamed,"),
    ]
    for number, step in enumerate(steps):
        step()
        assert watched.build(), f"step {number} was not built from the record"
        assert shape(site.out) == fresh(site), f"after step {number}"


def test_a_file_the_record_vouches_for_missing_from_the_output_is_put_back(site, watched, monkeypatch):
    # Every name the record holds is linked from the output; one removed by hand there makes
    # the build start again, looking at everything, rather than fail.
    started = []
    real = stage.Stage.fill_names

    def fill_names(self, files, digests, before, names):
        started.append(sorted(names))
        linked = sorted(n for n in names if n in files and before.get(n) == digests[n] and files[n] is None)
        if len(started) == 1:
            assert linked, "no file to link from the output"
            os.unlink(site.out / linked[0])
        return real(self, files, digests, before, names)

    monkeypatch.setattr(stage.Stage, "fill_names", fill_names)
    retitle(site, "fourth")
    Builder(Options(site=site.root, out=site.out)).build()
    assert started, "the build was not made from the record"
    assert shape(site.out) == fresh(site)


@pytest.mark.parametrize("change", ["chmod a folder at the output's top", "a file added at the top",
                                    "a top file edited", "chmod a folder at the spare's top",
                                    "a file added to the spare's top", "the spare removed",
                                    "the record of another output"])
def test_whatever_the_record_cant_vouch_for_means_a_build_that_looks_at_everything(site, watched, change):
    # (The output and the spare themselves are given their mode back as any build starts: swap.tidy.)
    out, spare = site.out, spare_path(site.out)
    if change == "chmod a folder at the output's top":
        os.chmod(out / "no-notes", 0o700)
    elif change == "a file added at the top":
        (out / "stray.html").write_text("stray", encoding="utf-8")
    elif change == "a top file edited":
        with open(out / "index.html", "a", encoding="utf-8") as f:
            f.write("<!-- edited -->")
    elif change == "chmod a folder at the spare's top":
        os.chmod(spare / "no-notes", 0o700)
    elif change == "a file added to the spare's top":
        (spare / "stray.html").write_text("stray", encoding="utf-8")
    elif change == "the spare removed":
        shutil.rmtree(spare)
    else:  # sealed for another output folder of the same site, which holds the same files
        (record,) = (site.root / FOLDER).rglob("lastswap-*")
        other = site.root.parent / "other"
        for title in ("third", "third again"):
            retitle(site, title)
            Builder(Options(site=site.root, out=other)).build()
        retitle(site, "third")
        Builder(Options(site=site.root, out=other)).build()
        (theirs,) = set((site.root / FOLDER).rglob("lastswap-*")) - {record}
        shutil.copy(theirs, record)
    retitle(site, "fourth")
    assert not watched.build()
    assert shape(out) == fresh(site)
    for title in ("fifth", "sixth"):  # the next builds make the record whole again
        retitle(site, title)
        vouched = watched.build()
        assert shape(out) == fresh(site)
    assert vouched


def test_a_deep_hand_edit_is_put_right_by_verify_and_the_build_after_it_looks_at_everything(site, watched):
    page = site.out / "no-notes" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- by hand -->", encoding="utf-8")
    retitle(site, "fourth")
    assert watched.build()  # deeper than the top: taken as the last build left it
    assert page.read_text(encoding="utf-8").endswith("<!-- by hand -->")
    assert not watched.build(verify=True)
    assert shape(site.out) == fresh(site)
    retitle(site, "fifth")
    assert not watched.build()  # its spare is the output the hand edit was in
    retitle(site, "sixth")
    assert watched.build()
    assert shape(site.out) == fresh(site)


def test_a_failed_build_leaves_no_record_and_the_next_one_looks_at_everything(site, watched):
    retitle(site, "fourth")
    edit(site, f"{STORY}/timeline.yaml", "- date: \"2022\"", "- date: \"not a date\"")
    with pytest.raises(BuildError):
        watched.build()
    assert not list((site.root / FOLDER).rglob("lastswap-*"))
    edit(site, f"{STORY}/timeline.yaml", "- date: \"not a date\"", "- date: \"2022\"")
    assert not watched.build()
    assert shape(site.out) == fresh(site)


def test_a_build_killed_while_it_made_the_output_from_the_record_is_followed_by_a_whole_one(site, watched,
                                                                                          monkeypatch):
    real = stage.Stage.fill_names

    def killed(self, files, digests, before, names):
        real(self, files, digests, before, set(sorted(names)[: len(names) // 2]))  # half done, then killed
        raise KeyboardInterrupt

    monkeypatch.setattr(stage.Stage, "fill_names", killed)
    retitle(site, "fourth")
    with pytest.raises(KeyboardInterrupt):
        Builder(Options(site=site.root, out=site.out)).build()
    monkeypatch.setattr(stage.Stage, "fill_names", real)
    assert not watched.build()
    assert shape(site.out) == fresh(site)


@pytest.mark.parametrize("where", ["build", ".build.spare"])
def test_a_top_file_edited_in_place_keeping_its_size_and_time_is_put_right_by_the_next_build(site, watched,
                                                                                             monkeypatch, where):
    # Every file's time safely older than the manifest (else each is read, for its time can't tell).
    monkeypatch.setattr(writing, "SLACK", 0)
    retitle(site, "fourth")
    watched.build()
    target = site.root / where / "robots.txt"  # the spare's file is the output's own (a hard link)
    st = target.stat()
    data = target.read_bytes()
    target.write_bytes(b"X" + data[1:])
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (site.out / "robots.txt").read_bytes() != data
    watched.build()
    assert shape(site.out) == fresh(site)
