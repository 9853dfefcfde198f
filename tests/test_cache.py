"""The build cache, the worker processes and the incremental writes never change the output.

Every build here is compared byte for byte with a cold build (one process,
no cache) of the same sources.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Site, cold_build, copy_site, examples
from generator import fastpaths
from generator.build import listing
from generator.build.compiled import IN_PROCESS
from generator.build.folders import folders_of, spare_path
from generator.build.lastswap import LastSwap
from generator.build.pipeline import Builder, Options
from generator.build.sealed import FOLDER
from generator.errors import BuildError
from generator.render.environment import THEME
from generator.resolve import markup

STORY = "content/border-rush"


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def cold(site: Site, name: str) -> dict[str, bytes]:
    """The reference: one process, no cache, a fresh output folder (made once for the same sources)."""
    return cold_build(site.root, site.root.parent / name, tree)


def run(site: Site, **options):
    """One run of the command: a new Builder, which knows only what the cache on disk holds."""
    return Builder(Options(site=site.root, out=site.out, **options)).build()


def differing(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The output names whose bytes a build changed or added."""
    return sorted(name for name, data in after.items() if before.get(name) != data)


def edit(site: Site, rel: str, old: str, new: str) -> None:
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("which", ["site", "example"])
def test_cold_parallel_and_cached_builds_are_byte_identical(which, request):
    site = request.getfixturevalue(which)
    reference = cold(site, "reference")
    parallel = site.root.parent / "parallel"
    assert threading.active_count() == 1  # else the build would not fork workers
    Builder(Options(site=site.root, out=parallel, workers=2, cache=False)).build()
    assert tree(parallel) == reference

    first = run(site)
    assert first.rendered == first.explainers > 0
    again = run(site)  # a new run: everything from the cache, nothing written
    assert again.rendered == 0 and again.changed == []
    assert tree(site.out) == reference


def test_workers_that_hand_their_free_heap_back_after_every_job_build_the_same_bytes(site, monkeypatch):
    from generator.build import parallel

    reference = cold(site, "reference")
    monkeypatch.setattr(parallel, "RELEASE_EVERY", 1)  # forked workers take the module as it is now
    out = site.root.parent / "released"
    Builder(Options(site=site.root, out=out, workers=2, cache=False)).build()
    assert tree(out) == reference


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_the_heap_release_returns_freed_buffers_to_the_system():
    """Freed buffers of a few hundred kilobytes stay in glibc's heap (held in place by smaller blocks
    between them) until the release hands them back: resident memory falls by about their size."""
    script = (
        "import sys\nsys.path.insert(0, sys.argv[1])\nfrom generator.build.tuning import heap_release\n"
        "def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
        "first = bytearray(400_000)\ndel first\n"  # freed: glibc now keeps blocks of this size in its heap
        "big, small = [], []\n"
        "for _ in range(100):\n    big.append(bytearray(400_000))\n    small.append(bytearray(2000))\n"
        "del big\nbefore = rss()\nheap_release()()\nprint(before - rss())")
    done = subprocess.run([sys.executable, "-c", script, str(Path(__file__).resolve().parents[1])],
                          capture_output=True, text=True, check=True)
    assert int(done.stdout) > 30_000_000, done.stdout  # of the 40 MB freed


def test_a_rebuild_makes_its_explainers_with_what_the_last_build_left_out_of_the_collectors_sight(site, monkeypatch):
    """The preview keeps a large site's records between builds: a collection of them while one explainer
    is made would scan all of them. They are frozen (gc.freeze) while the build runs, and only then."""
    import gc

    from generator.build.explainer import Maker

    builder = Builder(Options(site=site.root, out=site.out, in_place=True))
    builder.build()
    frozen_while_made = []
    make = Maker.make

    def watched(self, job, links=()):
        frozen_while_made.append(gc.get_freeze_count())
        return make(self, job, links)

    monkeypatch.setattr(Maker, "make", watched)
    edit(site, f"{STORY}/timeline.yaml", "title: A month of departures", "title: A month of exits")
    assert builder.build({str(site.root / STORY / "timeline.yaml")}).rendered == 1
    assert frozen_while_made and all(count > 0 for count in frozen_while_made)
    assert gc.get_freeze_count() == 0


def test_a_run_reads_its_cache_without_reserving_memory_for_the_largest_entry_allowed(site):
    # Each entry is read with room for its own bytes: room for the largest allowed (a gigabyte)
    # is reserved at once, and refused where the system does not overcommit memory.
    import tracemalloc

    assert site.build() == 0
    tracemalloc.start()
    try:
        Builder(Options(site=site.root, out=site.out, workers=1)).build()  # a new run: what it knows, from the cache
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20


def test_diff_reads_a_page_without_reserving_memory_for_the_largest_page_allowed(tmp_path):
    import tracemalloc

    from generator.authoring.diff import PAGE_LIMIT, _read_regular

    page = tmp_path / "index.html"
    page.write_bytes(b"<p>page</p>" * 1000)
    tracemalloc.start()
    try:
        assert _read_regular(page) == page.read_bytes()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PAGE_LIMIT // 8


def test_cached_rebuilds_match_a_cold_build_after_each_kind_of_change(site):
    run(site)
    before = tree(site.out)
    edit(site, f"{STORY}/timeline.yaml", "title: A month of departures", "title: A month of exits")
    result = run(site)
    assert result.rendered == 1 and result.changed == differing(before, tree(site.out))
    assert "border-rush/index.html" in result.changed and "no-notes/index.html" not in result.changed
    assert tree(site.out) == cold(site, "after-timeline")

    edit(site, f"{STORY}/article.md", "title:", "title: New")
    result = run(site)
    assert result.rendered == 1 and "index.html" in result.changed and "feed.xml" in result.changed
    assert tree(site.out) == cold(site, "after-title")

    theme = (Path(__file__).resolve().parent.parent / "templates" / "explainer.html").read_text(encoding="utf-8")
    site.write("templates/explainer.html", theme + "<!-- changed -->\n")
    result = run(site, workers=2)
    assert result.rendered == result.explainers
    assert tree(site.out) == cold(site, "after-template")

    shutil.rmtree(site.root / "content" / "no-notes")
    run(site)
    assert not (site.out / "no-notes").exists()
    assert tree(site.out) == cold(site, "after-removal")


def test_only_changed_files_are_written(site):
    run(site)
    contents = tree(site.out)
    before = {name: os.stat(site.out / name) for name in contents}
    edit(site, f"{STORY}/quotes.yaml", "Arrivals doubled in a week.", "Arrivals tripled overnight.")
    result = run(site)
    assert "border-rush/index.html" in result.changed and "no-notes/index.html" not in result.changed
    assert result.changed == differing(contents, tree(site.out))
    for name, st_before in before.items():
        if not (site.out / name).exists():  # named for its content: the card's share and embed pages, search texts
            assert "/q/" in name or "/embed/" in name or name.startswith("search/text/"), name
            continue
        st_now = os.stat(site.out / name)
        same = (st_now.st_ino, st_now.st_mtime_ns) == (st_before.st_ino, st_before.st_mtime_ns)
        assert same == (name not in result.changed), name


def test_damaged_cache_files_are_made_anew(site):
    run(site)
    cache = site.root / FOLDER
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert len(files) >= 4  # the records, the summaries, the source digests, the write manifest
    for n, path in enumerate(files):
        if path.suffix == ".cache":  # a compiled template: cut short inside its checksum, or after it
            path.write_bytes(path.read_bytes()[:[12, 20, 200][n % 3]])
        else:
            path.write_bytes([b"", b"not a pickle", b"\x80\x05N."][n % 3])
    IN_PROCESS.clear()  # as a new process: the compiled templates are read from the files
    result = run(site)
    assert result.rendered == result.explainers
    assert tree(site.out) == cold(site, "reference")
    assert run(site).rendered == 0  # and the cache works again


def test_stale_cache_is_not_trusted(site):
    run(site)
    snapshot = site.root.parent / "snapshot"
    shutil.copytree(site.root / FOLDER, snapshot)
    edit(site, f"{STORY}/countries.yaml", "A *neighbour*.", "A *close* neighbour.")
    run(site)
    shutil.rmtree(site.root / FOLDER)
    shutil.copytree(snapshot, site.root / FOLDER)  # the cache from before the edit
    run(site)
    assert tree(site.out) == cold(site, "reference")


def test_the_cache_of_models_with_other_fields_is_never_read_and_is_removed(site, monkeypatch):
    from generator.build import cache

    monkeypatch.setattr(cache, "SHAPE", "0" * 16)  # as a generator whose models had other fields kept it
    run(site)
    old = [p.name for p in (site.root / FOLDER).iterdir()]
    assert len(old) == 1 and old[0].startswith("0" * 16 + "-")
    monkeypatch.undo()
    result = run(site)
    assert result.rendered == result.explainers > 0  # none of its records read
    assert [p.name for p in (site.root / FOLDER).iterdir()] == [f"{cache.SHAPE}-{old[0][17:]}"]
    assert run(site).rendered == 0
    assert tree(site.out) == cold(site, "reference")


def test_the_cache_shape_follows_every_field_of_the_pickled_classes():
    from dataclasses import make_dataclass

    from generator.build.cache import ALLOWED, SHAPE, shape

    def entry(*fields):
        return make_dataclass("Entry", fields)

    base = shape([entry(("slug", str), ("digest", str))])
    assert shape([entry(("slug", str), ("digest", str))]) == base
    assert shape([entry(("slug", str), ("digest", str), ("links", tuple))]) != base  # a field added
    assert shape([entry(("slug", str), ("hash", str))]) != base  # renamed
    assert shape([entry(("slug", str), ("digest", bytes))]) != base  # of another type
    assert SHAPE == shape(ALLOWED.values())
    assert {"Record", "Explainer", "Country", "Fact", "Quote"} <= {cls.__name__ for cls in ALLOWED.values()}


def test_lost_summaries_are_made_again_when_site_wide_pages_need_them(site):
    run(site)
    (next((site.root / FOLDER).glob("*/summaries.pickle"))).write_bytes(b"not a pickle")
    edit(site, f"{STORY}/article.md", "title: ", "title: Now ")  # the index and feed show titles
    result = run(site)
    assert result.rendered == 1
    assert tree(site.out) == cold(site, "reference")


def preview(site: Site) -> Builder:
    """A Builder kept between builds, as the preview keeps it."""
    builder = Builder(Options(site=site.root, out=site.out, in_place=True, save=False))
    builder.build()
    return builder


def test_a_build_told_what_changed_looks_only_there(site):
    builder = preview(site)
    edit(site, f"{STORY}/timeline.yaml", "title: ", "title: Edited ")
    result = builder.build({str(site.root / STORY / "timeline.yaml")})
    assert result.rendered == 1 and "border-rush/index.html" in result.changed
    assert tree(site.out) == cold(site, "after-edit")
    # A change it is not told about, in another explainer, waits for a build that looks everywhere.
    edit(site, "content/no-notes/article.md", "title: ", "title: Unseen ")
    assert builder.build({str(site.root / STORY / "quotes.yaml")}).rendered == 0
    assert builder.build().rendered == 1
    assert tree(site.out) == cold(site, "after-second-edit")


def test_told_edits_one_after_another_keep_the_output_as_a_cold_build_makes_it(site):
    """Each build told what changed starts from the files of the one before: a page edited, a slug
    changed (its files move), an explainer made a draft and back, a file of it gone and back."""
    builder = preview(site)
    told = lambda rel: builder.build({str(site.root / rel)})
    edit(site, f"{STORY}/quotes.yaml", "text: ", "text: Now ")
    told(f"{STORY}/quotes.yaml")
    assert tree(site.out) == cold(site, "step-1")
    edit(site, "content/no-notes/article.md", "title: ", "slug: renamed\ntitle: ")
    told("content/no-notes/article.md")
    assert not (site.out / "no-notes").exists() and tree(site.out) == cold(site, "step-2")
    edit(site, "content/no-notes/article.md", "title: ", "draft: true\ntitle: ")
    told("content/no-notes/article.md")
    assert not (site.out / "renamed").exists() and tree(site.out) == cold(site, "step-3")
    edit(site, "content/no-notes/article.md", "draft: true\n", "")
    told("content/no-notes/article.md")
    assert tree(site.out) == cold(site, "step-4")
    photo = site.root / STORY / "photo.svg"
    kept = photo.read_bytes()
    before = tree(site.out)
    photo.unlink()
    with pytest.raises(BuildError):  # the article shows it: an error, and the output stays
        told(f"{STORY}/photo.svg")
    assert tree(site.out) == before
    photo.write_bytes(kept.replace(b"<svg", b"<svg data-edited=\"1\"", 1))
    told(f"{STORY}/photo.svg")
    assert tree(site.out)["border-rush/photo.svg"] == photo.read_bytes()
    assert tree(site.out) == cold(site, "step-5")


def test_a_change_named_through_a_link_to_the_site_is_still_looked_at_alone(site, tmp_path):
    """The watcher, or a caller, may name the changed file through a link to the site folder."""
    builder = preview(site)
    link = tmp_path / "linked-site"
    link.symlink_to(site.root)
    edit(site, f"{STORY}/timeline.yaml", "title: ", "title: Edited ")
    edit(site, "content/no-notes/article.md", "title: ", "title: Unseen ")  # not told: left for later
    result = builder.build({str(link / STORY / "timeline.yaml")})
    assert result.rendered == 1 and builder.remade == {site.root.resolve() / STORY}
    assert builder.build().rendered == 1  # looking everywhere finds the other
    assert tree(site.out) == cold(site, "after-linked-edit")


@pytest.mark.parametrize("where", ["templates/explainer.html", "content/new-one/article.md", "site.yaml"])
def test_a_change_outside_known_explainers_means_looking_everywhere(site, where):
    builder = preview(site)
    edit(site, "content/no-notes/article.md", "title: ", "title: Unseen ")  # not told: found all the same
    if where.startswith("templates"):
        site.write(where, (Path(__file__).parent.parent / "templates" / "explainer.html").read_text() + "<!-- x -->\n")
    elif where.startswith("content"):
        site.write(where, "---\ntitle: A new one\ndate: 2022-10-01\n---\nText.\n")
    else:
        edit(site, where, "title: ", "title: Renamed ")
    result = builder.build({str(site.root / where)})
    assert result.rendered >= 2
    assert tree(site.out) == cold(site, "reference")


def test_the_kept_builder_saves_the_cache_only_when_asked(site):
    builder = preview(site)
    assert not (site.root / FOLDER).exists()
    builder.save()
    assert run(site).rendered == 0  # a new run finds everything in the cache


def test_output_changed_by_hand_is_written_again(site):
    run(site)
    page = site.out / "border-rush" / "index.html"
    page.write_text("edited by hand")
    (site.out / "index.html").unlink()
    result = run(site)
    assert result.rendered == 1  # the page is not in the cache: it is made again
    assert tree(site.out) == cold(site, "reference")


def age_folders(*tops: Path) -> None:
    """Sets every folder's time an hour back, as if built long ago: only then does a build trust
    its last listing of a folder (listing.SLACK), rather than list it again."""
    past = time.time() - 3600
    for top in tops:
        for folder in [top, *(p for p in top.rglob("*") if p.is_dir() and not p.is_symlink())]:
            os.utime(folder, (past, past))


def scans(monkeypatch) -> list[str]:
    """The folders builds list from now on (the rest they take from their last listing)."""
    listed: list[str] = []
    real = listing._scan

    def counted(path, follow):
        listed.append(path)
        return real(path, follow)

    monkeypatch.setattr(listing, "_scan", counted)
    return listed


def test_folders_unchanged_since_they_were_listed_are_not_listed_again(site, monkeypatch):
    # Every folder here is seconds old: without this, all would be listed again (SLACK, tested below).
    monkeypatch.setattr(listing, "SLACK", 0)
    # The listings of builds no record of the last swap vouches for: else they list nothing (test_lastswap.py).
    monkeypatch.setattr(LastSwap, "take", lambda self, taken: self.forget())
    run(site)
    changed = []
    for _ in range(2):  # builds made in the output before last (the spare), each listing it first
        edit(site, f"{STORY}/timeline.yaml", "title:", "title: Edited")
        changed.append(run(site).changed)
        edit(site, f"{STORY}/timeline.yaml", "title: Edited", "title:")
        changed.append(run(site).changed)
    before = changed[-2]  # by the build that last wrote in the spare
    run(site)  # lists again the output folders the last build wrote in
    listed = scans(monkeypatch)
    assert run(site).changed == []
    assert set(listed) <= {str(site.out)}  # only the top, which is listed again each time (one folder)
    edit(site, f"{STORY}/timeline.yaml", "title:", "title: Edited")
    result = run(site)
    # Listed again: only the folders of the explainer made again (its files are put in the Stage
    # as it is made), and those where this build or the last one wrote or removed a file.
    written = folders_of([*before, *result.changed, *(name for name in tree(site.out) if name.startswith("border-rush/"))])
    tops = (str(site.out), str(spare_path(site.out)))
    names = [path.removeprefix(next(top for top in tops if path.startswith(top))).lstrip("/") for path in listed]
    assert names and set(names) <= written
    assert len(names) < len(folders_of(tree(site.out)))
    assert tree(site.out) == cold(site, "reference")


def test_a_folder_changed_within_the_slack_of_its_listing_is_listed_again(tmp_path):
    """A change in the same clock tick as the listing leaves the folder's time as it was."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.html").write_text("1")
    first = listing.list_tree(str(tmp_path))
    st = os.stat(tmp_path / "a")
    (tmp_path / "a" / "two.html").write_text("2")
    os.utime(tmp_path / "a", ns=(st.st_atime_ns, st.st_mtime_ns))  # as if in the same tick
    assert set(listing.list_tree(str(tmp_path), first).files()) == {"a/one.html", "a/two.html"}
    # Long after the listing, an unchanged time means an unchanged folder (README: a hand edit
    # that puts back a folder's time is not seen).
    old = listing.Listing(first.taken + 2 * listing.SLACK, first.folders)
    assert set(listing.list_tree(str(tmp_path), old).files()) == {"a/one.html"}


def test_a_folder_of_the_spare_replaced_by_a_link_is_not_followed_even_with_its_parents_time_put_back(
        site, monkeypatch, tmp_path):
    monkeypatch.setattr(listing, "SLACK", 0)
    run(site)
    for _ in range(2):  # the spare listed as complete, and trusted
        edit(site, f"{STORY}/timeline.yaml", "title:", "title: Edited")
        run(site)
        edit(site, f"{STORY}/timeline.yaml", "title: Edited", "title:")
        run(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("not the build's")
    # A folder only the site-wide files are written in, as the build ends: the folder above
    # it holds only folders, so its time changes with nothing the build does.
    folder = spare_path(site.out) / "search" / "text"
    parent = os.stat(folder.parent)
    shutil.rmtree(folder)
    folder.symlink_to(elsewhere, target_is_directory=True)
    os.utime(folder.parent, ns=(parent.st_atime_ns, parent.st_mtime_ns))  # as if nothing changed there
    edit(site, f"{STORY}/timeline.yaml", "title:", "title: Edited")
    run(site)
    assert (elsewhere / "precious.txt").read_text() == "not the build's"
    assert tree(site.out) == cold(site, "reference")


@pytest.mark.parametrize("where", ["output", "spare"])
@pytest.mark.parametrize("change", ["add", "remove", "folder", "link"])
def test_a_name_changed_by_hand_in_a_folder_listed_before_is_seen(site, change, where):
    """In the output, a build that changes nothing must see it; in the spare, the next build made there."""
    run(site)
    edit(site, f"{STORY}/timeline.yaml", "title:", "title: Edited")
    run(site)
    age_folders(site.out, spare_path(site.out))
    if where == "spare":  # the output, listed now, is the spare after this build
        edit(site, f"{STORY}/timeline.yaml", "title: Edited", "title:")
    run(site)  # the output listed with its times as they are now, and trusted for the next build
    folder = (site.out if where == "output" else spare_path(site.out)) / "border-rush"
    page = folder / "index.html"
    if change == "add":
        (folder / "extra.html").write_text("put there by hand")
    elif change == "remove":
        page.unlink()
    elif change == "folder":
        page.unlink()
        page.mkdir()
    else:
        page.unlink()
        page.symlink_to(folder / "lead.svg")
    if where == "spare":
        edit(site, f"{STORY}/timeline.yaml", "title:", "title: Edited")
    run(site)
    assert tree(site.out) == cold(site, "reference")
    assert run(site).changed == []  # and nothing is left for a build after it
    assert tree(site.out) == cold(site, "reference2")


def test_an_empty_folder_or_a_file_mode_changed_by_hand_is_made_right_by_a_build_that_changes_nothing(site):
    run(site)
    reference = site.root.parent / "reference"
    Builder(Options(site=site.root, out=reference, workers=1, cache=False)).build()
    (site.out / "emptydir").mkdir()
    (site.out / "border-rush" / "emptydir").mkdir()
    page = site.out / "border-rush" / "index.html"
    page.chmod(0o600)
    run(site)
    assert not (site.out / "emptydir").exists() and not (site.out / "border-rush" / "emptydir").exists()
    assert page.stat().st_mode & 0o777 == (reference / "border-rush" / "index.html").stat().st_mode & 0o777
    assert tree(site.out) == tree(reference)


def test_cache_off_leaves_no_cache_folder(site):
    run(site, cache=False)
    assert not (site.root / ".cache").exists()


PIECES = st.sampled_from(list("ab *_`[]()<>&\\!^#:|-\n\t1.") + [
    "  \n", "<b>", "&amp;", "[x](http://e.org)", "![i](a.png)", "<http://a.b>", "`c`", "[^1]", "\n[^1]: note\n",
    "*[HTML]: Hyper\n", "HTML", "\n\n", "{: .c}", "<div>\n", "</div>\n", "~~~\n", "```\n", "    code\n", "> q\n",
    "Term\n: def\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", '<div markdown="1">\n', "<a@b.c>", "**", "__", "é", "“q”"])


def blocks(text: str) -> list[tuple]:
    return [(b.tag, b.id, str(b.inner), b.text, b.attrs)
            for b in markup.render_blocks(markup.new_markdown(), text, lambda root: None, sanitize=False)]


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_leaving_out_inline_patterns_that_cannot_match_changes_nothing(text):
    pruned = blocks(text)
    saved = dict(fastpaths.TRIGGERS)
    fastpaths.TRIGGERS.clear()  # every pattern runs
    try:
        assert blocks(text) == pruned
    finally:
        fastpaths.TRIGGERS.update(saved)


@settings(max_examples=examples(400), deadline=None)
@given(st.text(alphabet="aZé9 ,.;:!?'\"’‘“”()%/–—-*_<&", min_size=1, max_size=30))
def test_plain_snippets_skip_markdown_with_the_same_result(text):
    md = markup.new_markdown()
    md.reset()
    full = markup.clean_snippet(md.convert(text))
    assert str(markup.render_snippet(md, text)) == full


def test_file_digests_are_read_again_when_a_file_changes(tmp_path, monkeypatch):
    from generator.build import fingerprint
    from generator.build.fingerprint import FileDigests

    path = tmp_path / "a.txt"
    path.write_text("one")
    files = FileDigests()
    first = files.digest(str(path))
    path.write_text("two")  # same size, maybe the same clock tick: a fresh file is never trusted
    assert files.digest(str(path)) != first and not files.known
    now = time.time_ns()
    monkeypatch.setattr(fingerprint.time, "time_ns", lambda: now + 10 * FileDigests.SETTLED_NS)  # seconds later
    second = files.digest(str(path))
    assert str(path) in files.known  # settled: known by its stat from now on
    st = path.stat()
    path.write_text("six")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # its size and time put back: its change time tells
    assert path.stat().st_mtime_ns == st.st_mtime_ns and path.stat().st_size == st.st_size
    assert files.digest(str(path)) != second


def test_files_read_by_workers_are_known_to_the_next_run(site, monkeypatch):
    from generator.build.fingerprint import FileDigests

    sources = [p for p in (site.root / "content").rglob("*") if p.is_file()]
    monkeypatch.setattr(FileDigests, "SETTLED_NS", -10**12)  # settled at once: their digests may be kept
    assert threading.active_count() == 1  # else the build would not fork workers
    run(site, workers=2)
    known = Builder(Options(site=site.root, out=site.out)).cache.file_digests()
    assert {str(p) for p in sources} <= set(known)


def test_site_wide_files_made_in_forked_processes_are_the_same(site, monkeypatch):
    import generator.build.sitewide

    reference = cold(site, "reference")
    monkeypatch.setattr(generator.build.sitewide, "FORK_GROUPS_FROM", 1)  # as on a large site
    assert threading.active_count() == 1  # else nothing is forked
    run(site)
    assert tree(site.out) == reference
    site.write("templates/country-hub.html", "{% extends 'base.html' %}{% block content %}{{ missing }}{% endblock %}")
    from generator.errors import BuildError

    with pytest.raises(BuildError) as failed:
        run(site)
    assert any(p.path == "templates/country-hub.html" for p in failed.value.problems)
    assert tree(site.out) == reference  # the failed build left the output as it was


def test_each_job_given_to_forked_processes_runs_in_a_process_of_its_own():
    # What one site-wide group made is freed as its process ends, not carried into the next group.
    from generator.build.parallel import can_fork, in_forks

    assert can_fork()
    pids = in_forks(lambda i: (i, os.getpid()), [0, 1, 2, 3], 2)
    assert [i for i, _ in pids] == [0, 1, 2, 3]
    assert len({pid for _, pid in pids}) == 4 and os.getpid() not in {pid for _, pid in pids}
    assert threading.active_count() == 1  # no thread of its own left behind, so later forks stay safe


def test_what_goes_wrong_in_a_forked_process_is_raised_here():
    from generator.build.parallel import in_forks

    with pytest.raises(ZeroDivisionError):
        in_forks(lambda i: 1 // i, [1, 0, 2], 2)
    with pytest.raises(RuntimeError, match="exit code 3"):
        in_forks(lambda i: os._exit(3) if i else i, [0, 1], 2)


def test_a_page_put_again_in_a_new_output_never_touches_the_live_one(tmp_path):
    from generator.build.stage import Stage

    out = tmp_path / "build"
    (out / "a").mkdir(parents=True)
    (out / "a" / "index.html").write_bytes(b"live")
    stage = Stage(out)
    stage.put({"a/index.html": b"live"}, {"a/index.html": "d1"}, {"a/index.html": "d1"})  # linked: the same bytes
    stage.put({"a/index.html": b"new"}, {"a/index.html": "d2"}, {"a/index.html": "d1"})  # made again, other links
    assert (out / "a" / "index.html").read_bytes() == b"live"
    assert (stage.folder / "a" / "index.html").read_bytes() == b"new"
    stage.discard()


def test_every_change_swaps_in_a_whole_folder_with_unchanged_files_linked(site):
    for n in range(40):  # a site where one explainer is a small part of the output
        shutil.copytree(site.root / "content" / "no-notes", site.root / "content" / f"more-{n:02}")
    run(site)
    folder = os.stat(site.out).st_ino
    kept = os.stat(site.out / "no-notes" / "index.html")
    edit(site, f"{STORY}/timeline.yaml", "title: A month of departures", "title: A month of exits")
    result = run(site)
    assert 0 < len(result.changed) <= result.files * 0.1
    assert os.stat(site.out).st_ino != folder  # a new folder, exchanged whole for the old one
    now = os.stat(site.out / "no-notes" / "index.html")
    assert (now.st_ino, now.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)  # linked, not written again
    assert tree(site.out) == cold(site, "after-timeline")
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".build")) == [".build.spare"]

    shutil.rmtree(site.root / "content" / "no-notes")  # a removal
    run(site)
    assert not (site.out / "no-notes").exists()
    assert tree(site.out) == cold(site, "after-removal")

    theme = (Path(__file__).resolve().parent.parent / "templates" / "base.html").read_text(encoding="utf-8")
    site.write("templates/base.html", theme + "<!-- every page -->\n")
    result = run(site)
    assert len(result.changed) > result.files * 0.1
    assert tree(site.out) == cold(site, "after-template")
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".build")) == [".build.spare"]


def test_signals_are_held_until_the_renames_are_done():
    import signal

    from generator.build.swap import held_signals

    # Ctrl-C as a terminal run has it: in the whole suite an earlier test leaves SIGINT otherwise.
    outside = signal.signal(signal.SIGINT, signal.default_int_handler)
    done = []
    try:
        with pytest.raises(KeyboardInterrupt), held_signals():
            signal.raise_signal(signal.SIGINT)
            done.append("renamed")  # Ctrl-C waited for this
        assert done == ["renamed"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, outside)


def test_a_new_run_reuses_compiled_templates_and_map_drawings(site, monkeypatch):
    from generator.features.maps import locator

    first = Builder(Options(site=site.root, out=site.out))
    first.build()
    compiled = list((site.root / FOLDER).glob("*/templates-*/*.cache"))
    assert len(compiled) >= 5  # the page, its partials, the index, the country page ...
    assert first.renderer[1].maps.drawn  # the example has fact boxes with maps

    edit(site, f"{STORY}/countries.yaml", "A *neighbour*.", "A *close* neighbour.")
    read = []
    real = locator.load_world
    monkeypatch.setattr(locator, "load_world", lambda path: read.append(path) or real(path))
    second = Builder(Options(site=site.root, out=site.out))
    second.build()
    assert read == []  # the world map was never read: every drawing came from the cache
    assert second.renderer[1].maps.drawn == first.renderer[1].maps.drawn
    assert tree(site.out) == cold(site, "reference")


def test_templates_compiled_for_one_site_serve_the_next_in_the_same_process(site, tmp_path, monkeypatch):
    """The preview makes its Renderer again when a template changes, and tests build many sites:
    the theme is compiled once per process, each site's cache still gets its files, and a
    template edited since is compiled again."""
    from jinja2 import Environment

    run(site)
    compiled = []
    real = Environment.compile
    monkeypatch.setattr(Environment, "compile", lambda self, source, name=None, filename=None, *a, **k:
                        compiled.append(name) or real(self, source, name, filename, *a, **k))
    other = copy_site(site.root, tmp_path / "other")
    shutil.rmtree(other.root / FOLDER)
    run(other)
    assert compiled == []  # another site: the theme's templates were compiled already
    assert len(list((other.root / FOLDER).glob("*/templates-*/*.cache"))) >= 5  # and its cache has them
    other.write("templates/quote.html", (THEME / "quote.html").read_text(encoding="utf-8") + "<!-- edited -->\n")
    run(other)
    assert compiled == ["quote.html"]
    assert "<!-- edited -->" in (other.out / "border-rush" / "index.html").read_text(encoding="utf-8")


def test_another_version_of_a_library_makes_every_page_and_template_anew(site, monkeypatch):
    from generator import identity
    from generator.build import fingerprint

    run(site)
    [compiled] = (site.root / FOLDER).glob("*/templates-*")
    installed = identity.installed(identity.LIBRARIES)
    assert "jinja2 " in installed and "markdown " in installed and " -" not in installed
    monkeypatch.setattr(identity, "installed", lambda names: installed.replace("jinja2 ", "jinja2 upgraded "))
    fingerprint.code.cache_clear()
    try:
        result = run(site)
    finally:
        monkeypatch.undo()
        fingerprint.code.cache_clear()
    assert result.rendered == result.explainers
    [now] = (site.root / FOLDER).glob("*/templates-*")  # the other version's templates are gone
    assert now != compiled and len(list(now.glob("*.cache"))) >= 5
    assert tree(site.out) == cold(site, "reference")


def forget_code(*modules) -> None:
    """Clears what a process keeps of the generator's inputs, so the next build looks at them again."""
    from generator.build import fingerprint
    from generator.features import share
    from generator.features.images import fonts

    fingerprint.code.cache_clear()
    fonts.font_path.cache_clear()
    for cached in (share.font, share.image_bytes, share._identity):
        cached.cache_clear()


def test_the_libraries_that_render_include_pillow_and_the_image_encoder(site):
    from generator import identity

    installed = identity.installed(identity.LIBRARIES)
    for name in ("PIL", "zlib_ng", "jinja2", "markdown"):
        assert f"\n{name} /" in f"\n{installed}", installed


def test_another_generator_version_makes_every_page_anew(site, monkeypatch):
    from generator import identity

    run(site)
    assert run(site).rendered == 0
    monkeypatch.setattr(identity, "version", lambda: "99.0.0")
    forget_code()
    try:
        result = run(site)
    finally:
        monkeypatch.undo()
        forget_code()
    assert result.rendered == result.explainers > 0


def test_another_font_draws_the_share_images_again(site, monkeypatch, tmp_path):
    """The share images are drawn with the system's fonts: when they change, a rebuild draws them
    again rather than keeping the pages and images made with the old ones."""
    from generator.features.images import fonts

    sans = fonts.font_path("sans")
    if sans is None:
        pytest.skip("the DejaVu fonts are not installed (fonts-dejavu-core)")
    run(site)
    before = tree(site.out)
    other = tmp_path / "fonts"
    other.mkdir()
    for name in fonts.FONTS.values():  # every face drawn with DejaVu Sans: the serif quotation mark changes
        shutil.copy(sans, other / name)
    monkeypatch.setattr(fonts, "FONT_DIRS", (other,))
    forget_code()
    try:
        result = run(site)
        after = tree(site.out)
        reference = cold(site, "reference")
    finally:
        monkeypatch.undo()
        forget_code()
    assert result.rendered == result.explainers > 0
    redrawn = [name for name in after if name.endswith("share.png") and after[name] != before.get(name)]
    assert redrawn, "no share image was drawn again with the other font"
    assert after == reference


# -- the large mappings (records, write manifest, search index): whole, then the changes since --

def test_a_rebuild_saves_the_changes_to_the_records_and_the_manifest_and_a_new_process_reads_them_whole(site):
    from generator.build.cache import Cache

    run(site)
    builder = Builder(Options(site=site.root, out=site.out))
    for title in ("Edited", "Edited again"):
        edit(site, f"{STORY}/timeline.yaml", "title:", f"title: {title}")
        builder.build()
    folder = builder.cache.folder
    changes = sorted(p.name for p in folder.glob("*-changes.pickle"))
    assert changes == ["index-changes.pickle", "search-changes.pickle",
                       f"{builder.cache._manifest(site.out).stem}-changes.pickle"]
    reader = Cache(site.root, "")  # another process's, reading the builder's folder
    reader.folder = folder
    for name, whole in (("index", 3), (builder.cache._manifest(site.out).stem, 100)):
        _, _, changed, removed = reader._load(folder / f"{name}-changes.pickle")
        assert 0 < len(changed) + len(removed) < whole  # of the explainer edited, and its site-wide files
    assert reader.manifest(site.out) == (builder.writer.taken, builder.writer.written)
    records, sitewide = reader.records()
    assert records == {f: e.kept() for f, e in builder.explainers.done.items()} and sitewide == builder.sitewide
    _, _, changed, _ = reader._load(folder / "search-changes.pickle")
    assert changed.keys() == {f"{Path(STORY).name}/index.html"}  # the edited page's record alone
    assert reader.search_index() == builder.search.state()
    assert tree(site.out) == cold(site, "reference")


def test_changes_saved_on_another_whole_entry_are_not_read(tmp_path):
    from generator.build.cache import Cache

    root = tmp_path / "site"
    root.mkdir()
    cache = Cache(root, "k")
    out = tmp_path / "out"
    first = {f"page-{n}.html": (f"{n:064x}", n, n) for n in range(200)}
    cache.save_manifest(out, 1, first)
    cache.save_manifest(out, 2, {**first, "page-0.html": ("0" * 64, 9, 9)})  # a change: saved as such
    path = cache._manifest(out)
    stale = path.with_name(f"{path.stem}-changes{path.suffix}")
    kept = stale.read_bytes()
    cache.save_manifest(out, 3, {f"other-{n}.html": ("1" * 64, n, n) for n in range(200)})  # saved whole again
    assert not stale.exists()
    stale.write_bytes(kept)  # the changes to the entry before, put back
    assert Cache(root, "k").manifest(out) == (3, {f"other-{n}.html": ("1" * 64, n, n) for n in range(200)})


# -- links to folders: what they lead to counts --

def test_a_change_behind_a_link_to_a_folder_makes_the_pages_again(site):
    """A template included from a folder that templates/ links to, and the lead image measured
    through a link (in the explainer's folder) to a folder elsewhere in the site: a change where
    they lead makes the pages again, as a build from scratch would."""
    root = site.root
    (root / "parts").mkdir()
    (root / "parts" / "foot.html").write_text("<!-- FOOT ONE -->", encoding="utf-8")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "partials").symlink_to("../parts")
    theme = (THEME / "explainer.html").read_text(encoding="utf-8")
    (root / "templates" / "explainer.html").write_text(
        theme.replace("</article>", '{% include "partials/foot.html" %}</article>', 1), encoding="utf-8")
    (root / "shared").mkdir()
    photo = (root / STORY / "photo.svg").read_text(encoding="utf-8")
    (root / "shared" / "p.svg").write_text(photo, encoding="utf-8")
    (root / STORY / "sh").symlink_to("../../shared")
    edit(site, f"{STORY}/article.md", "src: photo.svg", "src: sh/p.svg")
    run(site)
    page = site.out / Path(STORY).name / "index.html"
    assert "FOOT ONE" in page.read_text(encoding="utf-8")
    (root / "parts" / "foot.html").write_text("<!-- FOOT TWO -->", encoding="utf-8")
    (root / "shared" / "p.svg").write_text(photo.replace('viewBox="0 0 16 9"', 'viewBox="0 0 32 9"'), encoding="utf-8")
    run(site)
    text = page.read_text(encoding="utf-8")
    assert "FOOT TWO" in text and 'src="sh/p.svg"' in text and 'width="32"' in text
    assert (page.parent / "sh" / "p.svg").read_bytes() == (root / "shared" / "p.svg").read_bytes()  # the image too
    assert tree(site.out) == cold(site, "reference")


def test_a_link_to_a_folder_outside_the_site_is_refused_and_not_looked_into(site, monkeypatch):
    """It could lead to the root of the disk: the build stops on it, as on a file linked to outside,
    without listing what is there."""
    from generator.build import fingerprint

    (site.root / STORY / "everything").symlink_to("/")
    looked = []
    real = fingerprint.files_under
    monkeypatch.setattr(fingerprint, "files_under", lambda top, *a, **k: looked.append(top) or real(top, *a, **k))
    with pytest.raises(BuildError) as failed:
        run(site)
    assert [str(p) for p in failed.value.problems if p.severity == "error"] == [
        (f"{STORY}/everything:1:1: error: this folder is a link to outside the site folder, which a build never "
         "reads; copy it into the site instead")]
    assert str(site.root / STORY) in looked and str(site.root / STORY / "everything") not in looked
