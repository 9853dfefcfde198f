"""Nothing in a site's files can reach outside the site or into the reader's browser.

Each test plants one hostile input in a copy of the valid fixture site and
checks what the build does with it: a `path:line:col` error, or output that
carries no active markup. None may write outside the output folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import generator.build

from conftest import REPO, SITES, copy_site


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def errors(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the site that no build may read or copy."""
    path = tmp_path / "secret.md"
    path.write_text("---\ntitle: Stolen\ndate: 2022-01-01\n---\nTOP SECRET\n- [1, 2]\n", encoding="utf-8")
    return path


def test_symlinked_article_outside_the_site_is_refused(site, secret, capsys):
    target = site.root / "content/no-notes/article.md"
    target.unlink()
    target.symlink_to(secret)
    assert site.build() == 1
    assert any(line.startswith("content/no-notes/article.md:1:1: error:") and "outside the site" in line
               for line in errors(capsys))
    assert not site.out.exists()


def test_symlinked_annotation_file_outside_the_site_is_refused(site, secret, capsys):
    target = site.root / "content/border-rush/quotes.yaml"
    target.unlink()
    target.symlink_to(secret)
    assert site.build() == 1
    assert any(line.startswith("content/border-rush/quotes.yaml:1:1: error:") for line in errors(capsys))


def test_symlinked_explainer_folder_outside_the_site_is_refused(site, secret, capsys):
    outside = secret.parent / "elsewhere"
    outside.mkdir()
    (outside / "article.md").write_text(secret.read_text(encoding="utf-8"), encoding="utf-8")
    (site.root / "content/stolen").symlink_to(outside, target_is_directory=True)
    assert site.build() == 1
    assert any(line.startswith("content/stolen") and "outside the site" in line for line in errors(capsys))
    assert not site.out.exists()


@pytest.mark.parametrize("src", ["../../secret.md", "/etc/passwd", "../no-notes/article.md"])
def test_image_paths_cannot_climb_out_of_their_explainer(site, src, capsys):
    article = site.root / "content/border-rush/article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("src: photo.svg", f"src: {src}"), encoding="utf-8")
    assert site.build() == 1
    found = errors(capsys)
    assert any(line.startswith("content/border-rush/article.md:") and "image.src" in line for line in found), found


@pytest.mark.parametrize("slug", ["../escape", "a/b", "..", "UPPER"])
def test_slug_override_cannot_name_a_path(site, slug, capsys):
    article = site.root / "content/no-notes/article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("---\nJust", f"slug: \"{slug}\"\n---\nJust"),
                       encoding="utf-8")
    assert site.build() == 1
    assert any(line.startswith("content/no-notes/article.md:") and "slug" in line for line in errors(capsys))
    assert not (site.root / "escape").exists()


def test_template_names_cannot_climb_out_of_templates(site, secret, capsys):
    site.write("templates/explainer.html", '{% include "../../secret.md" %}')
    assert site.build() == 1
    found = errors(capsys)
    assert any(line.startswith("templates/explainer.html:1:") for line in found), found
    assert not site.out.exists()


def test_raw_html_in_annotation_markdown_is_sanitized(site):
    site.write("content/border-rush/countries.yaml",
               "- code: KZ\n  name: Kazakhstan\n"
               "  summary: 'Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))'\n")
    assert site.build() == 0
    box = site.page("border-rush/index.html").select_one("#country-kz")
    assert box is not None
    assert not box.select("script")
    assert all(not attr.startswith("on") for tag in box.find_all(True) for attr in tag.attrs)
    assert all(not a.get("href", "").lower().startswith("javascript") for a in box.select("a"))


def test_article_raw_html_is_kept_by_default_and_sanitized_with_unsafe_html_false(site):
    article = site.root / "content/no-notes/article.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + '\n<div class="embed"><iframe src="https://example.org/v"></iframe></div>\n\n'
                       + '<script>alert(1)</script>\n\n<p onclick="alert(2)">Click</p>\n', encoding="utf-8")
    assert site.build() == 0
    page = site.page("no-notes/index.html")
    assert page.select_one(".prose iframe") is not None  # authors may embed media by default

    site_yaml = site.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "unsafe_html: false\n", encoding="utf-8")
    assert site.build() == 0
    prose = site.page("no-notes/index.html").select_one(".prose")
    assert not prose.select("script, iframe")
    assert all(not attr.startswith("on") for tag in prose.find_all(True) for attr in tag.attrs)
    assert "Click" in prose.get_text()


def test_an_interrupted_build_leaves_the_previous_output_and_no_temp_folders(site, monkeypatch):
    assert site.build() == 0
    before = snapshot(site.out)
    calls = {"n": 0}
    real = Path.write_bytes

    def interrupted(self, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # Ctrl-C halfway through writing
        return real(self, data)

    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    monkeypatch.setattr(Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        generator.build.build(generator.build.Options(site=site.root, out=site.out))
    monkeypatch.undo()
    assert calls["n"] >= 3
    assert snapshot(site.out) == before
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".build")) == []


def test_nothing_is_written_outside_the_output_folder_but_the_cache(site, tmp_path):
    """The build cache in the site's .cache/ and the previous build kept beside the output
    (both git-ignored) are the other places a build writes."""
    cache, spare = site.root / ".cache", site.root / ".build.spare"

    def outside() -> set[Path]:
        return {p for p in tmp_path.rglob("*")
                if not {site.out, cache, spare} & {p, *p.parents}}

    outside_before = outside()
    assert site.build() == 0
    assert site.build() == 0  # a rebuild (cache, hard links, swap) too
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    outside_before = outside()
    assert site.build() == 0
    assert outside() == outside_before
    assert cache.is_dir() and spare.is_dir()


def test_the_example_site_has_no_links_outside_itself():
    """The shipped example must itself obey the rules it enforces."""
    for path in (REPO / "content").rglob("*"):
        assert not path.is_symlink(), path
    assert os.path.realpath(REPO / "content") == str((REPO / "content").resolve())


# Losing or mixing output (the swap, stale stages, names the build makes, errors of the system)

import contextlib  # noqa: E402
import errno  # noqa: E402
import io  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import generator.output as output  # noqa: E402
from generator.build import Builder, Options  # noqa: E402
from generator.cli import main  # noqa: E402


def out_tree(out: Path) -> dict[str, tuple[bytes, int]] | None:
    """What a reader of the output sees: every folder and file, with bytes and modes; None if there is no output."""
    if not out.exists():
        return None
    found = {}
    for folder, dirs, names in os.walk(out):
        rel = os.path.relpath(folder, out)
        prefix = "" if rel == "." else rel + "/"
        for name in dirs:
            found[prefix + name + "/"] = (b"", os.stat(os.path.join(folder, name)).st_mode)
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                found[prefix + name] = (f.read(), os.stat(path).st_mode)
    return found


def beside(out: Path) -> set[str]:
    """What builds left beside the output: names starting with `.build.`."""
    return {p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")}


def quiet_build(root: Path, out: Path | None = None):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return Builder(Options(site=root, out=out or root / "build")).build()


# What changes files or folders: a process killed "at step N" dies just before its Nth such call.
CHANGES = [(os, "rename"), (os, "replace"), (os, "link"), (os, "unlink"), (os, "mkdir"), (os, "rmdir"),
           (os, "symlink"), (os, "chmod"), (Path, "write_bytes"), (shutil, "copyfile"), (output, "_exchange")]


def killed_at(step: int, under: Path, run, exchange: bool = True) -> int | None:
    """Runs `run()` in a forked process that kills itself with SIGKILL just before its
    `step`-th change under `under` (0: never); the number of changes it made if it was not killed."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read)
            count = [0]

            def counted(real):
                def change(*args, **kwargs):
                    if "dir_fd" in kwargs or any(str(a).startswith(str(under)) for a in args[:2]):
                        count[0] += 1
                        if count[0] == step:
                            os.kill(os.getpid(), signal.SIGKILL)
                    return real(*args, **kwargs)
                return change

            for owner, name in CHANGES:
                setattr(owner, name, counted(getattr(owner, name)))
            if not exchange:
                output._renameat2 = lambda: None
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                run()
            os.write(write, str(count[0]).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read, "rb") as f:
        sent = f.read()
    return int(sent) if sent else None


def restore(template: Path, work: Path) -> None:
    """The work folder as the template holds it; `cp -a` keeps the output's hard links to the spare."""
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(["cp", "-a", str(template), str(work)], check=True)


def change_title(root: Path) -> None:
    path = root / "content" / "no-notes" / "article.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: Changed,", 1), encoding="utf-8")


def change_template(root: Path) -> None:
    theme = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "base.html").write_text(theme + "<!-- every page -->\n", encoding="utf-8")


SCENARIOS = {  # name: (builds before the change, the change, folders can be exchanged, steps tried or all)
    "one title edited": (2, change_title, True, None),
    "every page changed": (2, change_template, True, 8),
    "cold build": (0, lambda root: None, True, 8),
    "one title edited, no exchange": (2, change_title, False, 8),
    "cold build, no exchange": (0, lambda root: None, False, 8),
}


def some_steps(steps: int, sample: int | None) -> list[int]:
    """Every step, or `sample` of them spread evenly, with the last three (the swap and after) always."""
    if sample is None:
        return list(range(1, steps + 1))
    return sorted({*(1 + i * steps // sample for i in range(sample)), *range(max(1, steps - 2), steps + 1)})


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_build_killed_at_any_step_leaves_the_old_output_or_the_new(tmp_path, scenario, monkeypatch):
    """Cases 8 and 9: SIGKILL before each file operation of a build in turn."""
    builds, change, exchange, sample = SCENARIOS[scenario]
    work, template = tmp_path / "work", tmp_path / "template"
    copy_site(SITES / "valid", work)
    root, out = work, work / "build"
    (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8") + "search: false\n",
                                    encoding="utf-8")
    if not exchange:
        monkeypatch.setattr(output, "_renameat2", lambda: None)
    for _ in range(builds):
        change_title(root)
        quiet_build(root)
    old = out_tree(out)
    change(root)
    subprocess.run(["cp", "-a", str(work), str(template)], check=True)
    quiet_build(root)
    new = out_tree(out)
    assert new != old
    restore(template, work)
    steps = killed_at(0, work, lambda: quiet_build(root), exchange)
    assert steps and steps > 3
    seen = set()
    for n, step in enumerate(some_steps(steps, sample)):
        restore(template, work)
        assert killed_at(step, work, lambda: quiet_build(root), exchange) is None
        found = out_tree(out)
        assert found in (old, new), f"a mix after a kill at step {step} of {steps}"
        seen.add("old" if found == old else "new")
        if n % 3 == 0 or step == steps:
            quiet_build(root)  # the next build completes the work and cleans up
            assert out_tree(out) == new
            assert beside(out) <= {".build.spare"} | ({os.readlink(out)} if out.is_symlink() else set())
    assert seen == {"old", "new"}  # kills came both before and after the swap
    assert out.is_symlink() != exchange  # link mode only where folders can't be exchanged


def write_stories(root: Path, count: int, edited: int | None = None) -> None:
    """A site of `count` small explainers, some with a fact box (country pages) or a file in a
    subfolder; explainer `edited` has another title."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("title: Stories\nshare_pages: false\nsearch: false\n", encoding="utf-8")
    for i in range(count):
        folder = root / "content" / f"story-{i:03}"
        write_story(root, i, i == edited)
        if i % 10 == 0:
            (folder / "countries.yaml").write_text(
                "- code: KZ\n  name: Kazakhstan\n  facts:\n    - label: Story\n      value: \"%d\"\n" % i,
                encoding="utf-8")
        if i % 7 == 0:
            (folder / "files").mkdir(exist_ok=True)
            (folder / "files" / "chart.svg").write_text(f"<svg xmlns='http://www.w3.org/2000/svg'>{i}</svg>",
                                                        encoding="utf-8")


def write_story(root: Path, i: int, edited: bool) -> None:
    folder = root / "content" / f"story-{i:03}"
    folder.mkdir(parents=True, exist_ok=True)
    title = f"Story {i}" + (", edited" if edited else "")
    country = "Officials in Kazakhstan said so." if i % 10 == 0 else "Officials said so."
    (folder / "article.md").write_text(
        f"---\ntitle: \"{title}\"\ndate: 2022-01-{1 + i % 28:02}\n---\nParagraph one of story {i}.\n\n"
        f"{country}\n\nA last paragraph.\n", encoding="utf-8")


def build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--site", str(root)]


def timed_build(root: Path) -> float:
    started = time.monotonic()
    subprocess.run(build_command(root), env=cli_env(), check=True, capture_output=True, timeout=600)
    return time.monotonic() - started


def cli_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.slow
def test_random_sigkills_leave_the_old_output_or_the_new_byte_for_byte(tmp_path):
    """SIGKILL at random moments of cold builds and one-title rebuilds of a few hundred
    explainers, as many trials as fit in a minute; the process alone or with its workers."""
    import random

    count, edited = 300, 137
    root, out = tmp_path / "site", tmp_path / "site" / "build"
    write_stories(root, count)
    times = {"cold": timed_build(root)}
    versions = {None: out_tree(out)}
    write_stories(root, count, edited)
    times["rebuild"] = timed_build(root)
    versions[edited] = out_tree(out)
    assert versions[None] != versions[edited] and len(versions[None]) > 2 * count
    chance = random.Random()
    seed = chance.randrange(10**6)
    chance.seed(seed)
    trials, kills, landed = 0, 0, {"old": 0, "new": 0}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline or trials < 8:
        cold = chance.random() < 0.25
        if cold:
            for name in ("build", ".cache", ".build.spare"):
                shutil.rmtree(root / name, ignore_errors=True)
        old = out_tree(out)
        now = next((v for v, tree in versions.items() if tree == old), "none")
        target = edited if now is None else None  # the other version (any, if there is no output)
        write_story(root, edited, target == edited)
        process = subprocess.Popen(build_command(root), env=cli_env(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(chance.uniform(0.1, 1.3) * times["cold" if old is None else "rebuild"])
        whole_group = chance.random() < 0.5
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL) if whole_group else process.kill()
        finished = process.wait() == 0
        kills += not finished
        found = out_tree(out)
        context = f"trial {trials} (seed {seed}, {'rebuild' if old else 'cold'}, killed: {not finished})"
        assert found in (old, versions[target]), f"neither the old output nor the new after {context}"
        landed["old" if found == old else "new"] += 1
        trials += 1
        if trials % 5 == 0 or time.monotonic() >= deadline:  # the next build, not killed, completes the work
            timed_build(root)
            assert out_tree(out) == versions[target], context
            assert beside(out) <= {".build.spare"}, context
    print(f"{trials} trials, {kills} killed, output then old/new: {landed}")
    assert kills >= trials // 3 and landed["old"], (trials, kills, landed)  # most were killed, some midway


def test_what_killed_builds_left_beside_the_output_is_removed_by_the_next(site):
    """Case 10: only folders with the marker (or empty ones) of the tool's names; a foreign one stays."""
    assert site.build() == 0
    left = site.root
    for name in (".build.stage-1a2b", ".build.stage-3c4d", ".build.new-legacy"):
        (left / name / "no-notes").mkdir(parents=True)
        (left / name / output.MARKER).write_bytes(output.MARKER_TEXT)
        (left / name / "no-notes" / "index.html").write_text("half", encoding="utf-8")
    (left / ".build.old-legacy" / "previous").mkdir(parents=True)
    (left / ".build.old-legacy" / "previous" / output.MARKER).write_bytes(output.MARKER_TEXT)
    (left / ".build.stage-empty").mkdir()
    (left / ".build.stage-link").symlink_to(".build.stage-1a2b")
    (left / ".build.lock").write_text("", encoding="utf-8")
    (left / ".build.stage-foreign").mkdir()
    (left / ".build.stage-foreign" / "notes.txt").write_text("mine", encoding="utf-8")
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    assert site.build() == 0
    assert beside(site.out) == {".build.spare", ".build.stage-foreign"}  # one kept to make the next output in
    assert (left / ".build.stage-foreign" / "notes.txt").read_text(encoding="utf-8") == "mine"
    fresh = site.root.parent / "fresh"
    quiet_build(site.root, fresh)
    assert out_tree(site.out) == out_tree(fresh)


@pytest.mark.parametrize("aside", [".build.old-1a2b", ".build.old-1a2b/previous"])
def test_an_output_a_killed_swap_left_aside_is_put_back(site, aside):
    """Case 8 where folders can't be exchanged: the output is set aside for a moment, once, while it
    becomes a link (as the previous version of this tool did on every build); the next build puts it back."""
    assert site.build() == 0
    before = out_tree(site.out)
    (site.root / aside).parent.mkdir(exist_ok=True)
    site.out.rename(site.root / aside)
    assert quiet_build(site.root).changed == []  # put back whole, as written: nothing to write again
    assert out_tree(site.out) == before
    assert beside(site.out) == set()


def test_links_planted_in_or_as_the_spare_never_lead_a_build_out_of_it(site, tmp_path):
    """The spare is kept between builds: a link put there is replaced, never written through."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert site.build() == 0
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    assert site.build() == 0
    spare = site.root / ".build.spare"
    shutil.rmtree(spare / "no-notes")
    (spare / "no-notes").symlink_to(elsewhere)
    site.write("content/no-notes/article.md", "---\ntitle: Again\ndate: 2021-01-05\n---\nNew text.\n")
    assert site.build() == 0
    shutil.rmtree(spare)
    spare.symlink_to(elsewhere)
    site.write("content/no-notes/article.md", "---\ntitle: Once more\ndate: 2021-01-05\n---\nNew text.\n")
    assert site.build() == 0
    assert list(elsewhere.iterdir()) == [] and spare.is_symlink()
    fresh = tmp_path / "fresh"
    quiet_build(site.root, fresh)
    assert out_tree(site.out) == out_tree(fresh)


def test_a_build_waits_while_another_builds_the_same_output(site):
    """Case 10: two builds of one output take turns; a Stage in use is not removed meanwhile."""
    assert site.build() == 0
    live = site.root / ".build.stage-inuse"
    with output.locked(site.out):
        live.mkdir()
        (live / output.MARKER).write_bytes(output.MARKER_TEXT)
        waiting = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site", str(site.root)],
                                   env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        import select
        assert select.select([waiting.stderr], [], [], 120)[0], "the build said nothing"
        assert waiting.stderr.readline() == f"{site.out}: waiting for another build into this folder to end\n"
        time.sleep(1)
        assert waiting.poll() is None  # still waiting
        assert live.is_dir()  # the other build's Stage is left alone
    _, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert beside(site.out) <= {".build.spare"}


def test_an_output_is_known_by_its_marker_whatever_its_explainers_are_called(site):
    """Case 11: a content/ folder in a build of ours (as a slug `content` made once) is no site source."""
    assert site.build() == 0
    (site.out / "content").mkdir()
    (site.out / "content" / "index.html").write_text("<p>an old explainer</p>", encoding="utf-8")
    assert site.build() == 0
    assert not (site.out / "content").exists()
    (site.out / output.MARKER).unlink()
    (site.out / "content").mkdir()  # without the marker, a folder with content/ may be a site
    assert site.build() == 1


def test_assets_may_not_take_the_names_the_build_writes(site, capsys):
    """Case 12, beyond the fixture: a folder named like a generated file, and any case of the name."""
    site.write("content/no-notes/annotations.json/data.csv", "a,b\n")
    site.write("content/no-notes/Index.HTML", "<p>mine</p>")
    assert site.build() == 1
    assert errors(capsys) == [
        "content/no-notes/Index.HTML:1:1: error: the explainer's page is written as index.html: rename this file",
        "content/no-notes/annotations.json/data.csv:1:1: error: the explainer's annotations are written as "
        "annotations.json: rename this file"]
    assert not site.out.exists()


# Errors of the system: real ones, as a user who is not root meets them (root may write anywhere).

NOBODY = 65534


def as_user(run) -> tuple[int, str]:
    """Runs `run()` (returning an exit status) in a forked process; as root, under the user
    nobody. Returns the status and what it printed to stderr."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                try:
                    if os.geteuid() == 0:
                        os.setgid(NOBODY)
                        os.setuid(NOBODY)
                    code = run()
                except BaseException:  # a traceback is what these tests must not see
                    import traceback
                    traceback.print_exc(file=err)
                    code = 99
            os.write(write, f"{code}\n{err.getvalue()}".encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        sent = f.read().decode()
    os.waitpid(pid, 0)
    code, _, err = sent.partition("\n")
    return int(code), err


@pytest.fixture
def shared():
    """A folder the user nobody can reach (the pytest temp folder is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="explainer-shared-"))
    os.chmod(folder, 0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:  # what a test made read-only
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o755)
    shutil.rmtree(folder)


def owned(path: Path, writable: bool = True) -> None:
    """Gives `path` and all below it to the user the build runs as, writable or not."""
    for p in [path, *path.rglob("*")]:
        if os.geteuid() == 0:
            os.chown(p, NOBODY if writable else 0, NOBODY if writable else 0, follow_symlinks=False)
        if not p.is_symlink():
            os.chmod(p, (0o755 if p.is_dir() else 0o644) if writable else (0o555 if p.is_dir() else 0o444))


def os_site(shared: Path):
    """The valid site in the shared folder, built once here (which also loads what a build reads
    from the installed libraries, out of the other user's reach)."""
    site = copy_site(SITES / "valid", shared / "site")
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "search: false\n")
    quiet_build(site.root)
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    return site


def located(err: str) -> list[str]:
    assert "Traceback" not in err, err
    return [line for line in err.splitlines() if ": error: " in line]


def test_a_read_only_output_folder_is_a_located_error_and_stays_as_it_was(shared):
    """Case 16 (and 10: nothing is left beside it)."""
    site = os_site(shared)
    owned(site.root)
    owned(site.out, writable=False)
    before = out_tree(site.out)
    code, err = as_user(site.build)
    assert code == 1
    assert located(err) == ["build: error: permission denied: the output folder is read-only; "
                            "give this user access to it (chmod, chown), or use another folder"]
    assert f"{site.out} was not changed" in err
    assert out_tree(site.out) == before
    assert beside(site.out) == set()


def test_a_read_only_site_folder_still_builds_elsewhere_without_its_cache(shared):
    """Case 16: the cache can't be written; the build goes on."""
    site = os_site(shared)
    owned(site.root, writable=False)
    (shared / "public").mkdir()
    owned(shared / "public")
    code, err = as_user(lambda: main(["build", "--site", str(site.root), "--out", str(shared / "public" / "out")]))
    assert code == 0, err
    assert (shared / "public" / "out" / "no-notes" / "index.html").is_file()
    code, err = as_user(lambda: main(["build", "--site", str(site.root)]))  # into the read-only site: refused
    assert code == 1
    assert located(err) == ["build: error: permission denied: the output folder is read-only; "
                            "give this user access to it (chmod, chown), or use another folder"]


def test_a_read_only_folder_holding_the_output_is_a_located_error(shared):
    """Case 16: the new output is made beside the old one, so that folder must be writable."""
    site = os_site(shared)
    out = shared / "public" / "build"
    site.write("content/no-notes/article.md", (SITES / "valid/content/no-notes/article.md").read_text())
    quiet_build(site.root, out)
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    owned(shared / "public", writable=False)
    owned(site.root)
    owned(out)  # writable by the user: only the folder holding it is read-only
    build = ["build", "--site", str(site.root), "--out", str(out)]
    before = out_tree(out)
    code, err = as_user(lambda: main(build))
    assert code == 1
    assert located(err) == [f"{shared}/public: error: permission denied (the new output is made beside build/, "
                            "then swapped in); give this user access to it (chmod, chown), or use another folder"]
    assert out_tree(out) == before
    site.write("content/no-notes/article.md", (SITES / "valid/content/no-notes/article.md").read_text())
    assert as_user(lambda: main(build))[0] == 0  # nothing to change: nothing to write


def test_the_other_commands_say_which_file_the_system_refused(shared):
    """Case 16: new, import, check and diff, each with a file it can't read or write."""
    site = os_site(shared)
    owned(site.root, writable=False)
    code, err = as_user(lambda: main(["new", "fresh", "--site", str(site.root)]))
    assert (code, located(err)) == (1, ["content/fresh: error: permission denied; give this user access to it "
                                        "(chmod, chown), or use another folder"])
    wire = shared / "wire.txt"
    wire.write_text("Headline\n\nA paragraph.\n", encoding="utf-8")
    os.chmod(wire, 0o000)
    code, err = as_user(lambda: main(["import", str(wire), "--slug", "wired", "--site", str(site.root)]))
    assert code == 1 and any(line.startswith(f"{wire}: error: permission denied") for line in located(err)), err
    os.chmod(site.root / "content" / "no-notes" / "article.md", 0o000)
    code, err = as_user(lambda: main(["check", "--site", str(site.root)]))
    assert code == 1 and any(line.startswith("content/no-notes/article.md:") for line in located(err)), err
    os.chmod(site.out / "no-notes" / "index.html", 0o000)
    code, err = as_user(lambda: main(["diff", str(site.out), str(site.out)]))
    assert code == 1 and any(line.startswith(f"{site.out}/no-notes/index.html: error: permission denied")
                             for line in located(err)), err


def test_a_full_disk_is_a_located_error_and_leaves_the_output_as_it_was(site, monkeypatch, capsys):
    """Case 16: a write of the new output fails with ENOSPC (as a file object's write does: no file name)."""
    assert site.build() == 0
    before = out_tree(site.out)
    real = Path.write_bytes

    def full(self, data):
        if ".build." in str(self) and self.name == "index.html":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    monkeypatch.setattr(Path, "write_bytes", full)
    assert site.build() == 1
    err = capsys.readouterr().err
    assert located(err) == ["build/no-notes/index.html: error: no space left on device; "
                            "the disk is full: free some space and run again"]
    assert out_tree(site.out) == before
    assert beside(site.out) == set()


@pytest.fixture
def small_disk(tmp_path):
    """A file system of its own, for a disk that fills up: a small tmpfs (root only)."""
    mount = tmp_path / "disk"
    mount.mkdir()

    def mounted(size: str) -> Path:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                              capture_output=True)
        if done.returncode != 0:
            pytest.skip("mounting a tmpfs is not permitted here")
        return mount

    yield mounted
    subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_really_full_disk_is_a_located_error_and_leaves_the_output_as_it_was(site, small_disk, capsys):
    """Case 16: an output on a small tmpfs, filled up after a first build."""
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "search: false\n")
    disk = small_disk("4m")
    out = disk / "build"
    assert main(["build", "--site", str(site.root), "--out", str(out)]) == 0
    before = out_tree(out)
    free = os.statvfs(disk)
    with open(disk / "filler", "wb") as f:  # all but 16 KB
        f.truncate(free.f_bavail * free.f_frsize - 16 * 1024)
        f.seek(0)
        f.write(b"\0" * (free.f_bavail * free.f_frsize - 16 * 1024))
    change_template(site.root)  # every page again: no room for them
    assert main(["build", "--site", str(site.root), "--out", str(out)]) == 1
    lines = located(capsys.readouterr().err)
    assert len(lines) == 1 and lines[0].startswith(f"{out}") and lines[0].endswith(
        ": error: no space left on device; the disk is full: free some space and run again"), lines
    assert out_tree(out) == before
    assert sorted(os.listdir(disk)) == ["build", "filler"]


def test_an_output_on_a_read_only_file_system_is_a_located_error(site, small_disk, capsys):
    """Case 16: EROFS, from a tmpfs mounted read-only after a first build."""
    disk = small_disk("4m")
    out = disk / "build"
    assert main(["build", "--site", str(site.root), "--out", str(out)]) == 0
    before = out_tree(out)
    assert subprocess.run(["mount", "-o", "remount,ro", str(disk)]).returncode == 0
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    assert main(["build", "--site", str(site.root), "--out", str(out)]) == 1
    assert located(capsys.readouterr().err) == [
        f"{out}: error: read-only file system: the output folder is read-only; "
        "the file system is mounted read-only: use a folder on a writable one"]
    assert out_tree(out) == before


def test_the_previews_build_reports_a_system_error_as_a_located_problem(site, monkeypatch):
    """Case 16 for `serve`: its builds raise BuildError, which it shows, rather than a traceback."""
    preview = site.root / ".preview"
    Builder(Options(site=site.root, out=preview, drafts=True, in_place=True)).build()
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")

    def full(target, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output, "_put", full)
    builder = Builder(Options(site=site.root, out=preview, drafts=True, in_place=True))
    with pytest.raises(generator.build.BuildError) as failed:
        builder.build()
    assert [str(p) for p in failed.value.problems] == [
        ".preview/annotations.json: error: no space left on device; the disk is full: free some space and run again"]
