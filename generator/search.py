"""Site search: static Pagefind indexes of the explainer and country pages.

The index is made by the `pagefind` binary that ships in the `pagefind_bin`
wheel, after every page is rendered, and joins the build's files under
`pagefind/`, so it is written and swapped in together with the pages.

It is made in shards: each page belongs to one by a hash of its output name,
and each shard is a Pagefind bundle of its own in `pagefind/<shard>/`, made
by its own Pagefind run and kept while its pages' bytes stay the same. A
changed page costs one shard's run, not the whole site's, and no run holds
more than a shard's pages in memory. The reader's browser merges the shards
with Pagefind's `mergeIndex` (static/search.js): `pagefind/shards.json`
names the shards that hold each language's pages, and the first of them is
the primary, so each shard carries Pagefind's worker and WebAssembly too.
The script and UI shared by all shards are in `pagefind/` itself.

The reader's browser loads all this only when the reader opens search;
without JavaScript there is no search box at all.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

INDEXED = re.compile(r"(?:[^/]+|countries/[^/]+)/index\.html\Z")  # explainers and country pages
EXCLUDE = ".toc, .backlinks, .event-meta, .share, .hub-link, .translations, .vh"
OPTIONS = ("--root-selector", "main", "--exclude-selectors", EXCLUDE, "--keep-index-url", "--silent")
UI = ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css")  # shared by every shard: in pagefind/
SHARD_FILES = re.compile(r"pagefind-entry\.json|pagefind-worker\.js|[^/]+\.pf_meta|(?:fragment|index|filter)/[^/]+")
MANIFEST = "pagefind/shards.json"
ENTRY = re.compile(r"pagefind/(\d+)/pagefind-entry\.json")
# Pages per shard, on average at most. A shard's Pagefind run takes time and memory in
# proportion to its pages; but the reader's browser fetches three small files per shard
# for a search, and each shard ranks its pages by its own word statistics, which agree
# the better the larger the shards.
SHARD_PAGES = 128
# Scratch page for the run that yields the shared files; any page that has words would do.
UI_PAGE = b'<!doctype html>\n<html lang="en"><body><main><p>search</p></main></body></html>'


@dataclass
class Shard:
    folder: str  # its bundle is pagefind/<folder>/
    names: list[str]  # output names of its pages, sorted
    key: str  # its pages' names and bytes, and the Pagefind that indexes them


def executable() -> Path | None:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        found = shutil.which("pagefind")
        return Path(found) if found else None
    return Path(get_executable())


def identity() -> str:
    """Which Pagefind, run how: an upgrade makes every shard again."""
    binary = executable()
    st = binary.stat() if binary else None
    return f"{binary} {st.st_size if st else 0} {st.st_mtime_ns if st else 0} {' '.join(OPTIONS)}"


def indexed(name: str) -> bool:
    return bool(INDEXED.match(name))


def shards(pages: dict[str, str]) -> list[Shard]:
    """The shards of the pages (output name -> digest of its bytes), none empty.

    Their number is the smallest power of two that keeps them within SHARD_PAGES
    on average, so a page stays in its shard until the site doubles or halves.
    """
    count = 1
    while len(pages) > count * SHARD_PAGES:
        count *= 2
    names: list[list[str]] = [[] for _ in range(count)]
    for name in sorted(pages):
        names[int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % count].append(name)
    tool = identity()
    return [Shard(str(i), group, _digest("\n".join([tool, str(i), *(f"{n} {pages[n]}" for n in group)])))
            for i, group in enumerate(names) if group]


def shard_files(folder: str, pages: dict[str, bytes]) -> dict[str, bytes]:
    """Output name -> bytes of one shard's bundle; raises RuntimeError when Pagefind fails."""
    made = _run({name: _main_part(content) for name, content in pages.items()})
    entry = json.loads(made["pagefind-entry.json"])
    wasm = {f"wasm.{language['wasm'] or 'unknown'}.pagefind" for language in entry["languages"].values()}
    return {f"pagefind/{folder}/{name}": content for name, content in made.items()
            if SHARD_FILES.fullmatch(name) or name in wasm}


def ui_files() -> dict[str, bytes]:
    """Pagefind's script and search UI, the same for every shard; raises RuntimeError when Pagefind fails."""
    made = _run({"search/index.html": UI_PAGE})
    return {f"pagefind/{name}": made[name] for name in UI}


def entries(names) -> dict[str, str]:
    """Shard folder -> the output name of its pagefind-entry.json, of the output names given."""
    found = (ENTRY.fullmatch(name) for name in names)
    return {match[1]: match[0] for match in sorted(filter(None, found), key=lambda m: int(m[1]))}


def manifest(entries: dict[str, bytes]) -> bytes:
    """pagefind/shards.json from each shard's pagefind-entry.json (shard folder -> bytes):
    every shard, and the shards that hold each language's pages."""
    languages: dict[str, list[str]] = {}
    for folder in sorted(entries, key=int):
        for language in json.loads(entries[folder])["languages"]:
            languages.setdefault(language.lower(), []).append(folder)
    data = {"shards": sorted(entries, key=int), "languages": dict(sorted(languages.items()))}
    return json.dumps(data, separators=(",", ":")).encode()


def _main_part(page: bytes) -> bytes:
    """What Pagefind reads of a page: its <html> tag (the language) and its <main>.
    The rest would be parsed only to be skipped (--root-selector main), and leaving it
    out keeps the scratch files small."""
    html, start, end = page.find(b"<html"), page.find(b"<main"), page.rfind(b"</main>")
    if html < 0 or start < 0 or end < start:
        return page
    tag = page[html:page.index(b">", html) + 1]
    return b"<!doctype html>\n" + tag + b"<body>" + page[start:end + len(b"</main>")] + b"</body></html>"


def _run(pages: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind over the pages (output name -> bytes) in a scratch folder: its bundle, name -> bytes."""
    binary = executable()
    if binary is None:
        raise RuntimeError("the pagefind binary is not installed (pip install 'pagefind[bin]')")
    with tempfile.TemporaryDirectory(prefix="explainer-search-") as scratch:
        site, bundle = Path(scratch) / "site", Path(scratch) / "pagefind"
        for name, content in pages.items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_bytes(content)
        command = [str(binary), "--site", str(site), "--output-path", str(bundle), *OPTIONS]
        run = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if run.returncode != 0:
            said = (run.stderr or run.stdout).strip().splitlines() or [f"exit status {run.returncode}"]
            raise RuntimeError(f"pagefind failed: {said[0][:300]}")  # its first line: no Rust backtrace
        return {path.relative_to(bundle).as_posix(): _steady(path.name, path.read_bytes())
                for path in sorted(bundle.rglob("*")) if path.is_file()}


def _steady(name: str, data: bytes) -> bytes:
    """The file as the same pages always make it.

    Pagefind lists the languages in its entry file in the order of a Rust hash
    map, which changes from run to run: a multilingual site's index would differ
    between two builds of the same pages. They are put in the order of their
    names (the search script looks a language up by name, and ranks the others
    by page count, which a fixed order makes the same on every build too).
    """
    if name != "pagefind-entry.json":
        return data
    entry = json.loads(data)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
