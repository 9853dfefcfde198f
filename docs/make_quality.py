"""Writes docs/quality.md: the Lighthouse scores of the example explainer.

Builds the example site (site.yaml and content/ of the repository) into a
temporary folder, serves it on 127.0.0.1 and runs Lighthouse from
tests/tools/node_modules in Debian's Chromium, as a phone (Lighthouse's
default emulation) and as a desktop. The base URL of the build is the local
server's address, as a published site's base_url is its own address, so the
canonical link and the sitemap in robots.txt are absolute, as they would be.

Run: python3 docs/make_quality.py [--runs N]   (median of N runs per form factor)
Needs: sh tests/tools/install.sh (Chromium, Node, the npm tools).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.cli.main import main as generator_main  # noqa: E402

OUT = REPO / "docs" / "quality.md"
LIGHTHOUSE = REPO / "tests" / "tools" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGE = "central-asia-recruits/"
TARGET = 95


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def served_example():
    """Builds the example under its served address; yields the explainer's URL."""
    with tempfile.TemporaryDirectory() as temp:
        site, out = Path(temp) / "site", Path(temp) / "out"
        site.mkdir()
        shutil.copy(REPO / "site.yaml", site / "site.yaml")
        shutil.copytree(REPO / "content", site / "content")
        out.mkdir()
        handler = functools.partial(_Quiet, directory=str(out))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            base = f"http://127.0.0.1:{server.server_address[1]}/"
            with contextlib.redirect_stdout(io.StringIO()):
                status = generator_main(["build", "--site", str(site), "--out", str(out), "--base-url", base])
            if status != 0:
                raise RuntimeError("the example site does not build")
            yield base + PAGE
        finally:
            server.shutdown()
            server.server_close()


def lighthouse(url: str, desktop: bool = False) -> dict:
    """One Lighthouse run: scores 0-100 by category, and the audits that did not pass."""
    with tempfile.TemporaryDirectory() as temp:
        report = Path(temp) / "report.json"
        command = [str(LIGHTHOUSE), url, f"--chrome-flags={CHROME_FLAGS}", "--output=json",
                   f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}", "--quiet"]
        if desktop:
            command.append("--preset=desktop")
        env = dict(os.environ, CHROME_PATH=CHROMIUM)
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=170)
        if not report.is_file():
            raise RuntimeError(f"lighthouse failed ({run.returncode}): {run.stderr[-2000:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {data['runtimeError']}")
    return {
        "scores": {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES},
        "failed": sorted((a["id"], a["title"], a.get("displayValue", "")) for a in data["audits"].values()
                         if a.get("score") is not None and a["score"] < 1
                         and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")),
        "version": data["lighthouseVersion"],
    }


def measure(runs: int = 1) -> dict:
    """Median scores per form factor over `runs` runs."""
    results = {}
    with served_example() as url:
        for name, desktop in (("phone", False), ("desktop", True)):
            found = [lighthouse(url, desktop) for _ in range(runs)]
            results[name] = {
                "scores": {c: round(statistics.median(f["scores"][c] for f in found)) for c in CATEGORIES},
                "all": [f["scores"] for f in found],
                "failed": found[-1]["failed"],
            }
            results["version"] = found[-1]["version"]
    results["chrome"] = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return results


def render(results: dict, runs: int, date: str) -> str:
    lines = [
        "# Quality",
        "",
        "Lighthouse scores of the example explainer (`content/central-asia-recruits/`),",
        f"target ≥ {TARGET} in each category. Written by `python3 docs/make_quality.py`;",
        "do not edit by hand. The test suite asserts the same targets on every run",
        "(`tests/test_lighthouse.py`), and checks every page with the Nu Html Checker",
        "(`tests/test_validators.py`) and axe-core (`tests/test_accessibility.py`).",
        "",
        "| form factor | performance | accessibility | best practices | SEO |",
        "|---|---|---|---|---|",
    ]
    for name in ("phone", "desktop"):
        s = results[name]["scores"]
        lines.append(f"| {name} | " + " | ".join(str(s[c]) for c in CATEGORIES) + " |")
    lines += [
        "",
        f"Run date: {date}. Lighthouse {results['version']}, {results['chrome']} (headless), "
        f"{'median of ' + str(runs) + ' runs' if runs > 1 else 'one run'} per form factor, "
        f"on {platform.machine()} with {os.cpu_count()} CPU cores. The phone run uses Lighthouse's "
        "simulated throttling (a slow 4G connection, a 4× slower CPU), the desktop run its desktop preset. "
        "The site is served on 127.0.0.1 by Python's `http.server`, which sends neither compression nor "
        "cache headers, so the audits about those describe that server rather than the pages: "
        "[publishing.md](publishing.md) gives the headers to set on a real host.",
        "",
        "Audits that did not score full marks (informative ones included):",
        "",
    ]
    for name in ("phone", "desktop"):
        failed = results[name]["failed"]
        items = "; ".join(f"{title}" + (f" ({value})" if value else "") for _, title, value in failed) or "none"
        lines.append(f"- {name}: {items}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="Writes docs/quality.md from Lighthouse runs on the example.")
    parser.add_argument("--runs", type=int, default=1, help="runs per form factor; the median is written")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    if not LIGHTHOUSE.exists() or not Path(CHROMIUM).exists():
        print("Lighthouse or Chromium is missing: run sh tests/tools/install.sh", file=sys.stderr)
        return 2
    started = time.monotonic()
    results = measure(args.runs)
    OUT.write_text(render(results, args.runs, time.strftime("%Y-%m-%d", time.gmtime())), encoding="utf-8")
    for name in ("phone", "desktop"):
        print(name, results[name]["all"])
    print(f"wrote {OUT.relative_to(REPO)} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
