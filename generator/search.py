"""Site search: a static Pagefind index of the explainer and country pages.

The index is made by the `pagefind` binary that ships in the `pagefind_bin`
wheel, after every page is rendered: the pages are put in a scratch folder,
indexed there, and the bundle joins the build's files under `pagefind/`, so
it is written and swapped in together with the pages. The reader's browser
loads it only when the reader opens search (static/search.js); without
JavaScript there is no search box at all.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

INDEXED = re.compile(r"(?:[^/]+|countries/[^/]+)/index\.html\Z")  # explainers and country pages
EXCLUDE = ".toc, .backlinks, .event-meta, .share, .hub-link, .translations, .vh"
ENTRY = "pagefind-entry.json"  # what the search script reads first: the languages and their indexes
UNUSED = ("pagefind-component-ui", "pagefind-modular-ui", "pagefind-highlight")  # bundles our UI does not load


def executable() -> Path | None:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        found = shutil.which("pagefind")
        return Path(found) if found else None
    return Path(get_executable())


def search_files(files: dict[str, bytes | Path]) -> dict[str, bytes]:
    """Output name -> bytes of the search bundle; raises RuntimeError when Pagefind fails."""
    binary = executable()
    if binary is None:
        raise RuntimeError("the pagefind binary is not installed (pip install 'pagefind[bin]')")
    pages = {name: content for name, content in files.items() if INDEXED.match(name) and isinstance(content, bytes)}
    if not pages:
        return {}  # nothing published yet (drafts only): nothing to search
    with tempfile.TemporaryDirectory(prefix="explainer-search-") as scratch:
        site, bundle = Path(scratch) / "site", Path(scratch) / "pagefind"
        for name, content in pages.items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_bytes(content)
        command = [str(binary), "--site", str(site), "--output-path", str(bundle), "--root-selector", "main",
                   "--exclude-selectors", EXCLUDE, "--keep-index-url", "--silent"]
        run = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if run.returncode != 0:
            raise RuntimeError(f"pagefind failed: {(run.stderr or run.stdout).strip()[:500]}")
        return {f"pagefind/{path.relative_to(bundle).as_posix()}": _steady(path.name, path.read_bytes())
                for path in sorted(bundle.rglob("*")) if path.is_file() and not path.name.startswith(UNUSED)}


def _steady(name: str, data: bytes) -> bytes:
    """The file as the same pages always make it.

    Pagefind lists the languages in its entry file in the order of a Rust hash
    map, which changes from run to run: a multilingual site's index would differ
    between two builds of the same pages. They are put in the order of their
    names (the search script looks a language up by name, and ranks the others
    by page count, which a fixed order makes the same on every build too).
    """
    if name != ENTRY:
        return data
    entry = json.loads(data)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
