"""Nothing in a site's files can reach outside the site or into the reader's browser.

Each test plants one hostile input in a copy of the valid fixture site and
checks what the build does with it: a `path:line:col` error, or output that
carries no active markup. None may write outside the output folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
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
    """The build cache in the site's .cache/ (git-ignored) is the one other place a build writes."""
    cache = site.root / ".cache"

    def outside() -> set[Path]:
        return {p for p in tmp_path.rglob("*")
                if not {site.out, cache} & {p, *p.parents}}

    outside_before = outside()
    assert site.build() == 0
    assert site.build() == 0  # a rebuild (cache, hard links, swap) too
    assert outside() == outside_before
    assert cache.is_dir()


def test_the_example_site_has_no_links_outside_itself():
    """The shipped example must itself obey the rules it enforces."""
    for path in (REPO / "content").rglob("*"):
        assert not path.is_symlink(), path
    assert os.path.realpath(REPO / "content") == str((REPO / "content").resolve())


# Containment of every file read, the preview's addresses and start, the sealed build cache (cases 5, 6, 7, 21)

def outside_errors(capsys, shown: str) -> list[str]:
    return [line for line in errors(capsys) if line.startswith(f"{shown}:1:1: error:") and "outside the site" in line]


@pytest.mark.parametrize("target", ["/etc/passwd", "secret"])
def test_a_static_file_linked_outside_the_site_is_refused(site, secret, target, capsys):
    assert site.build() == 0
    before = snapshot(site.out)
    (site.root / "templates/static").mkdir(parents=True)
    (site.root / "templates/static/passwd.txt").symlink_to(secret if target == "secret" else target)
    assert site.build() == 1
    assert outside_errors(capsys, "templates/static/passwd.txt")
    assert snapshot(site.out) == before
    assert site.run_cli("check").returncode == 1  # check reads the same way


def test_a_template_linked_outside_the_site_is_refused_where_it_is_included(site, tmp_path, capsys):
    (tmp_path / "stolen.html").write_text("<p>STOLEN</p>", encoding="utf-8")
    theme = REPO / "templates"
    page = (theme / "explainer.html").read_text(encoding="utf-8")
    site.write("templates/explainer.html", page.replace('{% include "blocks.html" %}',
                                                        '{% include "blocks.html" %}{% include "extra.html" %}', 1))
    (site.root / "templates/extra.html").symlink_to(tmp_path / "stolen.html")
    assert site.build() == 1
    assert outside_errors(capsys, "templates/extra.html")
    assert not site.out.exists()


def test_a_templates_folder_linked_outside_the_site_is_refused(site, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "static").mkdir(parents=True)
    (elsewhere / "index.html").write_text("STOLEN", encoding="utf-8")
    (elsewhere / "static/style.css").write_text("body{}", encoding="utf-8")
    (site.root / "templates").symlink_to(elsewhere, target_is_directory=True)
    assert site.build() == 1
    assert outside_errors(capsys, "templates/static")
    shutil.rmtree(elsewhere / "static")
    assert site.build() == 1
    assert outside_errors(capsys, "templates/index.html")
    assert not site.out.exists()


def test_site_yaml_linked_outside_the_site_is_refused(site, tmp_path, capsys):
    real = tmp_path / "site.yaml"
    real.write_text((site.root / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (site.root / "site.yaml").unlink()
    (site.root / "site.yaml").symlink_to(real)
    assert site.build() == 1
    assert outside_errors(capsys, "site.yaml")


def test_links_that_stay_inside_the_site_are_followed_for_templates_and_content_alike(site):
    photo = site.root / "content/border-rush/photo.svg"
    (site.root / "templates/static").mkdir(parents=True)
    (site.root / "templates/static/logo.svg").symlink_to("../../content/border-rush/photo.svg")
    (site.root / "content/no-notes/picture.svg").symlink_to("../border-rush/photo.svg")
    site.write("templates/robots.txt", "{% include 'robots-extra.txt' %}")
    (site.root / "templates/robots-extra.txt").symlink_to("../content/no-notes/article.md")
    assert site.build() == 0
    assert (site.out / "static/logo.svg").read_bytes() == photo.read_bytes()
    assert (site.out / "no-notes/picture.svg").read_bytes() == photo.read_bytes()
    assert "Just" in (site.out / "robots.txt").read_text(encoding="utf-8")


def test_the_default_theme_reads_only_inside_its_own_folder(site, tmp_path):
    from generator.content import load_site
    from generator.errors import Report
    from generator.render import LinkOutside, Renderer

    theme = tmp_path / "theme"
    shutil.copytree(REPO / "templates", theme)
    outside = tmp_path / "outside.txt"
    outside.write_text("STOLEN", encoding="utf-8")
    (theme / "static/folder").symlink_to(tmp_path, target_is_directory=True)  # folders: never followed
    (theme / "static/passwd.txt").symlink_to("/etc/passwd")
    (theme / "robots.txt").unlink()
    (theme / "robots.txt").symlink_to(outside)
    renderer = Renderer(load_site(site.root, Report()), theme=theme)
    assert [p.path for p in renderer.problems] == ["(default theme)/static/passwd.txt"]
    assert "passwd.txt" not in renderer.static
    with pytest.raises(LinkOutside) as raised:
        renderer.page("robots.txt", "", sitemap="x")
    assert raised.value.shown == "(default theme)/robots.txt" and "default theme folder" in str(raised.value)


# -- the preview's Host and Origin checks, on every address (case 6) --

def handshake(port: int, path: str, host: str, origin: str | None) -> bytes:
    """The first line of the answer to a WebSocket handshake sent as given."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        return s.makefile("rb").readline()


@pytest.fixture(scope="module")
def everywhere(tmp_path_factory):
    """A preview listening on all interfaces, asked only over loopback."""
    from test_serve import Served

    site = copy_site(SITES / "valid", tmp_path_factory.mktemp("everywhere") / "site")
    server = Served(site.root, None, "--host", "0.0.0.0", "--allow-host", "preview.lan").ready()
    yield server
    assert server.stop() == 0
    assert "Traceback" not in server.text(), server.text()


def test_listening_everywhere_still_refuses_other_host_names(everywhere):
    from test_serve import get

    port = everywhere.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"preview.lan:{port}",
                 f"PREVIEW.LAN:{port}", f"{socket.gethostname()}:{port}"):
        assert get(port, "/", {"Host": host})[0] == 200, host
    for host in ("evil.com", f"evil.com:{port}", f"evil.com:{port + 1}", "127.0.0.1", f"127.0.0.1:{port + 1}",
                 f"127.0.0.1:{port}.evil.com", f"preview.lan.evil.com:{port}", f"user@127.0.0.1:{port}",
                 f"127.0.0.1:{port}/x", f"[::1:{port}", "127.0.0.1:99999", f"127.0.0.1:{port}:{port}", ":", ""):
        status, body, _ = get(port, "/", {"Host": host})
        assert status in (400, 403), host
        assert b"Desk" not in body


@pytest.mark.parametrize("path", ["/livereload", "/__preview__/ws"])
def test_listening_everywhere_still_refuses_websockets_from_other_origins(everywhere, path):
    port = everywhere.port
    local = f"127.0.0.1:{port}"
    for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}", f"http://[::1]:{port}",
                   f"http://preview.lan:{port}", None):
        assert handshake(port, path, local, origin).split()[1] == b"101", origin
    for origin in ("http://evil.com:8766", f"http://evil.com:{port}", f"http://127.0.0.1:{port}.evil.com",
                   f"http://127.0.0.1:{port}@evil.com", f"http://evil.com@127.0.0.1:{port}",
                   f"https://127.0.0.1:{port}", f"ws://127.0.0.1:{port}", f"http://127.0.0.1:{port}/x",
                   f"http://127.0.0.1:{port + 1}", "http://127.0.0.1", "http://[::1", "http://127.0.0.1:99999",
                   "http://127.0.0.1:-1", "http://", "null", "", "127.0.0.1", f"http://127.0.0.1:{port}?",
                   f"http://127.0.0.1:{port}#", f"http://127.0.0.1:{port}\\", "http://\u00e9vil.com"):
        assert handshake(port, path, local, origin).split()[1] == b"403", origin
    # A page of another site whose name points at this machine: its own name as Host.
    assert handshake(port, path, f"evil.com:{port}", f"http://evil.com:{port}").split()[1] == b"403"


def test_allow_host_takes_names_only(site):
    result = site.run_cli("serve", "--site", str(site.root), "--port", "0", "--allow-host", "evil.com:80")
    assert result.returncode == 2 and "invalid host name" in result.stderr
    assert "Traceback" not in result.stderr


# -- the sealed build cache (case 7) --

@pytest.fixture
def cache_key(monkeypatch):
    """Sets the cache key of the builds in this process; None to take it from XDG_CACHE_HOME."""
    from generator import cache

    def use(key: str | None) -> None:
        if key is None:
            monkeypatch.delenv(cache.KEY_VARIABLE, raising=False)
        else:
            monkeypatch.setenv(cache.KEY_VARIABLE, key)
        cache.cache_key.cache_clear()

    yield use
    monkeypatch.undo()
    cache.cache_key.cache_clear()


def with_translation(site) -> None:
    """A translation: its explainer is kept whole in the cache (explainers/*.pickle).

    Search is off: the languages' order in Pagefind's index is not reproducible yet (case 20).
    """
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "search: false\n")
    site.write("content/border-rush-ru/article.md",
               "---\ntitle: Наплыв\ndate: 2022-09-25\nlanguage: ru\ntranslation_of: border-rush\n---\n"
               "Перевод статьи.\n")


def built(site, **options):
    return generator.build.Builder(generator.build.Options(site=site.root, out=site.out, **options)).build()


def cold(site, name: str = "cold") -> dict[str, bytes]:
    out = site.root.parent / name
    generator.build.Builder(generator.build.Options(site=site.root, out=out, cache=False, workers=1)).build()
    return snapshot(out)


def entries(site) -> dict[str, list[Path]]:
    from generator.cache import FOLDER

    found: dict[str, list[Path]] = {}
    for path in sorted((site.root / FOLDER).rglob("*")):
        if path.is_file():
            kind = "compiled template" if path.suffix == ".cache" else path.parent.name if \
                path.parent.name == "explainers" else path.stem.split("-")[0]
            found.setdefault(kind, []).append(path)
    return found


def test_a_flipped_byte_anywhere_in_a_cache_entry_is_found(site, cache_key):
    from generator.cache import Cache, FOLDER, unseal

    cache_key("k" * 64)
    with_translation(site)
    built(site)
    found = entries(site)
    assert set(found) == {"index", "summaries", "files", "maps", "written", "explainers", "compiled template"}
    reader = Cache(site.root, "")
    assert reader.top == site.root / FOLDER
    for paths in found.values():
        for path in paths:
            sealed, name = path.read_bytes(), reader.entry_name(path)
            assert reader.read(path) is not None and unseal(reader.secret, name, sealed) is not None
            # Every byte of the header, the seal and the start, then every few: what Cache.read does
            positions = [*range(min(len(sealed), 160)), *range(160, len(sealed), max(1, len(sealed) // 200))]
            for at in positions:
                for flip in (0x01, 0x80):
                    flipped = sealed[:at] + bytes([sealed[at] ^ flip]) + sealed[at + 1:]
                    assert unseal(reader.secret, name, flipped) is None
            assert unseal(reader.secret, name, sealed[:-1]) is None
            path.write_bytes(sealed[:-1])
            assert reader.read(path) is None


def test_builds_after_a_flipped_cache_byte_equal_a_cold_build(site, cache_key):
    import random

    cache_key("k" * 64)
    with_translation(site)
    built(site)
    reference = snapshot(site.out)
    assert reference == cold(site)
    pristine = {path: path.read_bytes() for paths in entries(site).values() for path in paths}
    chances = random.Random(18)
    trials = [(kind, paths[n % len(paths)]) for kind, paths in entries(site).items()
              for n in range(10 if kind == "compiled template" else 4)]
    assert len(trials) >= 30
    for n, (kind, path) in enumerate(trials):
        for other, data in pristine.items():
            other.write_bytes(data)
        data = pristine[path]
        at = chances.randrange(len(data))
        path.write_bytes(data[:at] + bytes([data[at] ^ chances.randrange(1, 256)]) + data[at + 1:])
        if n % 2:  # every page made again: the compiled templates and summaries are needed
            shutil.rmtree(site.out)
        built(site)
        assert snapshot(site.out) == reference, (kind, path.name, at)


def test_a_cache_sealed_with_another_key_is_not_used(site, cache_key):
    cache_key("a" * 64)
    built(site)
    assert built(site).rendered == 0  # the cache works under its own key
    shutil.rmtree(site.out)
    cache_key("b" * 64)  # another user's key, or a cache folder copied from elsewhere
    result = built(site)
    assert result.rendered == result.explainers
    assert snapshot(site.out) == cold(site)


class Payload:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_a_pickle_that_would_run_code_is_never_unpickled(site, cache_key, tmp_path):
    import pickle

    from generator.cache import Cache, seal

    cache_key("k" * 64)
    with_translation(site)
    built(site)
    marker = tmp_path / "ran"
    evil = pickle.dumps(Payload(marker))
    reader = Cache(site.root, "")
    for sealed in (False, True):  # as written by anyone; as if the key itself had leaked
        for paths in entries(site).values():
            for path in paths:
                path.write_bytes(seal(reader.secret, reader.entry_name(path), evil) if sealed else evil)
        shutil.rmtree(site.out)
        built(site)
        assert not marker.exists()
    assert snapshot(site.out) == cold(site)


def test_without_a_key_the_cache_is_off_and_the_build_says_nothing_of_it(site, cache_key, monkeypatch, capsys):
    cache_key(None)
    blocked = site.root.parent / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked / "cache"))  # no key can be made there
    assert site.build() == 0
    quiet = capsys.readouterr().err
    assert not (site.root / ".cache").exists()
    assert snapshot(site.out) == cold(site)
    cache_key("k" * 64)
    assert site.build() == 0
    assert capsys.readouterr().err == quiet  # the same warnings, and nothing about the cache


def test_the_key_file_is_made_private_and_a_shared_one_is_not_used(site, cache_key, monkeypatch):
    import stat

    cache_key(None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(site.root.parent / "home-cache"))
    built(site)
    key = site.root.parent / "home-cache/explainer-generator/cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert (site.root / ".cache").is_dir() and built(site).rendered == 0
    shutil.rmtree(site.root / ".cache")
    key.chmod(0o644)  # others could read it, and forge entries
    from generator import cache
    cache.cache_key.cache_clear()
    assert built(site).explainers and not (site.root / ".cache").exists()


# -- the preview catches up on what is saved while it starts (case 21) --

PAUSE_AFTER_FIRST_BUILD = """
import pathlib, sys, time
import generator.build as build

real, first = build.Builder.build, []

def build_then_wait(self, changed=None):
    result = real(self, changed)
    if not first:  # the first build has read every file: hold it until the test has saved one
        first.append(1)
        print("first build made", flush=True)
        release, deadline = pathlib.Path(sys.argv[1]), time.monotonic() + 30
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    return result

build.Builder.build = build_then_wait
from generator.cli import main
sys.exit(main(sys.argv[2:]))
"""
QUOTE_FILE = "content/border-rush/quotes.yaml"


def save_new_quote(site) -> None:
    path = site.root / QUOTE_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("Arrivals doubled", "Arrivals tripled"), encoding="utf-8")


def shows_new_quote(port: int) -> bool:
    from test_serve import get

    status, body, _ = get(port, "/border-rush/")
    return status == 200 and b"Arrivals tripled in a week." in body


def test_an_edit_saved_during_the_first_build_is_previewed(site, tmp_path):
    from test_serve import Served, wait_until

    release = tmp_path / "release"
    server = Served(site.root, None, command=[sys.executable, "-c", PAUSE_AFTER_FIRST_BUILD, str(release)])
    try:
        server.wait_line(server.out, lambda line: line == "first build made", timeout=60)
        save_new_quote(site)
        release.touch()
        server.ready()
        assert not (site.root / ".preview/border-rush/index.html").read_text(encoding="utf-8").count("tripled")
        wait_until(lambda: shows_new_quote(server.port), timeout=10, step=0.1)
    finally:
        assert server.stop() == 0
    assert "Traceback" not in server.text()


def test_an_edit_saved_as_the_first_page_is_served_is_previewed(site):
    from test_serve import Served, get, wait_until

    server = Served(site.root).ready()
    try:
        assert get(server.port, "/border-rush/")[0] == 200
        save_new_quote(site)
        wait_until(lambda: shows_new_quote(server.port), timeout=10, step=0.1)
    finally:
        assert server.stop() == 0


def test_the_watcher_notifies_what_changed_before_it_watched(site):
    import threading

    from generator.serve import Watcher

    told: list[set[str]] = []
    seen = threading.Event()
    watcher = Watcher(site.root.resolve(), lambda paths: (told.append(paths), seen.set()))
    since = watcher.snapshot()
    save_new_quote(site)
    (site.root / "content/no-notes/article.md").unlink()
    watcher.start(since)
    try:
        assert seen.wait(10)
    finally:
        watcher.stop()
    root = site.root.resolve()
    assert told[0] == {str(root / QUOTE_FILE), str(root / "content/no-notes/article.md")}


@pytest.mark.parametrize("where", ["content/border-rush/mem.bin", "templates/mem.html"])
def test_a_link_to_outside_is_not_read_even_to_fingerprint_it(site, where, capsys):
    # Reading /proc/self/mem fails at once (and /proc/kcore would never end): not read, only refused.
    (site.root / where).parent.mkdir(parents=True, exist_ok=True)
    (site.root / where).symlink_to("/proc/self/mem")
    code = site.build()
    if where.startswith("templates/"):  # a template no page includes: never read at all
        assert code == 0
    else:
        assert code == 1 and outside_errors(capsys, where)


def test_a_cache_folder_linked_outside_the_site_is_not_used(site, tmp_path, cache_key):
    cache_key("k" * 64)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site.root / ".cache").symlink_to(elsewhere, target_is_directory=True)
    assert site.build() == 0
    assert list(elsewhere.iterdir()) == []


def test_cache_entries_that_are_links_are_not_read_and_linked_folders_not_written(site, tmp_path, cache_key):
    from generator.cache import Cache

    cache_key("k" * 64)
    built(site)
    reader = Cache(site.root, "")
    index = next(reader.top.glob("*/index.pickle"))
    sealed = index.read_bytes()
    (tmp_path / "index.pickle").write_bytes(sealed)
    index.unlink()
    index.symlink_to("/proc/self/mem")  # reading it fails at once; /proc/kcore would never end
    assert reader.read(index) is None
    index.unlink()
    index.symlink_to(tmp_path / "index.pickle")  # even to a sealed entry: a link is not an entry
    assert reader.read(index) is None
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    explainers = index.parent / "explainers"
    shutil.rmtree(explainers, ignore_errors=True)
    explainers.symlink_to(elsewhere, target_is_directory=True)
    with_translation(site)  # its explainer would be written into explainers/
    shutil.rmtree(site.out)
    built(site)
    assert list(elsewhere.iterdir()) == []
    assert snapshot(site.out) == cold(site)
