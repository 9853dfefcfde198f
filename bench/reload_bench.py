#!/usr/bin/env python3
"""Benchmark of the live preview (`python -m generator serve`); not a test.

Measures, in Debian's Chromium driven by Playwright:

* save -> reloaded page: the time from the end of a file write (after fsync)
  to the `load` event of the reloaded page in an open tab, for a one-file
  change to one explainer's article.md (median, min and max of N edits);
* save -> restyled page: the same for a CSS change, which livereload swaps
  without a reload (until the new style is computed);
* idle CPU: the preview process's CPU time over ~10 s with nothing changing
  and one tab open, as % of one core (from /proc/<pid>/stat);

on two sites: the repository's example site (or tests/sites/valid while the
example is not there), and a generated site holding its explainer copied 200
times under different slugs. Targets: median <= 300 ms for a one-file change,
<= 1 % idle CPU.

    python bench/reload_bench.py                 # both sites, 20 edits each; updates docs/benchmarks.md
    python bench/reload_bench.py --edits 40 --no-docs --json out.json

The results replace what is between the markers PREVIEW_START and
PREVIEW_END in docs/benchmarks.md, so other sections of the file stay.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from machine import machine  # bench/machine.py, beside this script

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "sites" / "valid"
DOCS = REPO / "docs" / "benchmarks.md"
PREVIEW_START = "<!-- preview-bench:start -->"
PREVIEW_END = "<!-- preview-bench:end -->"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
TARGET_MS = 300
TARGET_CPU = 1.0
EDIT_MARK = "Preview benchmark edit"
PHASES = ("seen", "quiet", "build", "handover", "navigation", "load")  # consecutive parts of one reload


# --------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------

def example_source() -> tuple[Path, str]:
    """The example site if it is there, else the small test fixture."""
    content = REPO / "content"
    if (REPO / "site.yaml").is_file() and content.is_dir() and any(
            (d / "article.md").is_file() for d in content.iterdir()):
        return REPO, "example site (content/ of the repository)"
    return FIXTURE, "tests/sites/valid (the example site was not there)"


def example_explainer(root: Path) -> Path:
    folders = sorted(d for d in (root / "content").iterdir() if (d / "article.md").is_file())
    preferred = [d for d in folders if d.name == "central-asia-recruits"]
    with_notes = [d for d in folders if (d / "quotes.yaml").exists() or (d / "timeline.yaml").exists()]
    published = [d for d in folders if not re.search(r"^draft:\s*true", (d / "article.md").read_text(), re.MULTILINE)]
    return (preferred or with_notes or published or folders)[0]


def copy_site(source: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copy(source / "site.yaml", dest / "site.yaml")
    shutil.copytree(source / "content", dest / "content")
    if source != REPO and (source / "templates").is_dir():  # the repository's templates/ is the theme itself
        shutil.copytree(source / "templates", dest / "templates")
    return dest


def generated_site(source: Path, dest: Path, count: int) -> Path:
    """site.yaml and the example explainer, copied `count` times with different slugs."""
    dest.mkdir(parents=True)
    shutil.copy(source / "site.yaml", dest / "site.yaml")
    if source != REPO and (source / "templates").is_dir():
        shutil.copytree(source / "templates", dest / "templates")
    explainer = example_explainer(source)
    for i in range(1, count + 1):
        slug = f"{explainer.name}-{i:03d}"
        folder = dest / "content" / slug
        shutil.copytree(explainer, folder)
        article = folder / "article.md"
        text = article.read_text(encoding="utf-8")
        text = re.sub(r"^slug:.*$", f"slug: {slug}", text, count=1, flags=re.MULTILINE)
        text = re.sub(r"^draft:.*$", "draft: false", text, count=1, flags=re.MULTILINE)
        article.write_text(text, encoding="utf-8")
    return dest


def ensure_assets(site: Path) -> None:
    """An empty file for any asset the theme names but does not ship yet (theme work in progress)."""
    theme = REPO / "templates"
    for template in theme.glob("*.html"):
        for name in re.findall(r"asset\('([^']+)'\)", template.read_text(encoding="utf-8")):
            if not (theme / "static" / name).exists() and not (site / "templates/static" / name).exists():
                (site / "templates/static").mkdir(parents=True, exist_ok=True)
                (site / "templates/static" / name).write_text("", encoding="utf-8")


def stylesheet(site: Path) -> Path:
    """The stylesheet to edit: the site's own override, made from the theme's if there is none."""
    own = site / "templates/static/style.css"
    if not own.exists():
        own.parent.mkdir(parents=True, exist_ok=True)
        theme = REPO / "templates/static/style.css"
        own.write_text(theme.read_text(encoding="utf-8") if theme.exists() else "body { margin: 0; }\n",
                       encoding="utf-8")
    return own


# --------------------------------------------------------------------------
# The preview process
# --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Preview:
    def __init__(self, site: Path):
        self.port = free_port()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(self.port)],
            cwd=site, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        self.lines: list[str] = []
        threading.Thread(target=lambda: [self.lines.append(line.rstrip()) for line in self.proc.stdout],
                         daemon=True).start()
        deadline = time.monotonic() + 300
        while not any("serving the preview at" in line for line in self.lines):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the preview did not start:\n" + "\n".join(self.lines))
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}/"

    def status(self) -> dict:
        with urllib.request.urlopen(self.url + "__preview__/status", timeout=10) as response:
            return json.load(response)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------

def write(path: Path, text: str) -> float:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    return time.time()


def settle(preview: Preview, quiet: float = 0.6) -> None:
    """Waits until no build has run for `quiet` seconds (e.g. after restoring a file)."""
    builds, since = preview.status()["builds"], time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.05)
        now = preview.status()["builds"]
        if now != builds:
            builds, since = now, time.monotonic()


def connect(page, preview: Preview, url: str) -> None:
    settle(preview)
    page.goto(url)
    page.wait_for_function("() => window.__preview && window.__preview.livereload && window.__preview.socket",
                           timeout=30_000)


def html_edits(page, preview: Preview, url: str, article: Path, edits: int, gap: float) -> dict:
    """Appends a numbered paragraph to article.md; waits for the reloaded page to show it."""
    original = article.read_text(encoding="utf-8")
    connect(page, preview, url)
    latencies, builds, phases = [], [], {k: [] for k in PHASES}
    try:
        for n in range(1, edits + 1):
            page.evaluate("() => { window.__bench = 1; }")
            text = f"{EDIT_MARK} {n}."
            written = write(article, original.rstrip("\n") + f"\n\n{text}\n")
            page.wait_for_function(
                """(text) => !window.__bench && document.readyState === 'complete'
                    && document.body.innerText.includes(text)
                    && performance.getEntriesByType('navigation')[0].loadEventEnd > 0""",
                arg=text, timeout=30_000, polling=10)
            navigated, loaded = page.evaluate("""() => [performance.timeOrigin, performance.timeOrigin
                                        + performance.getEntriesByType('navigation')[0].loadEventEnd]""")
            latencies.append(loaded - written * 1000)
            status = preview.status()
            builds.append(status["seconds"] * 1000)
            t = status["timing"]
            moments = [written * 1000, t["noticed"] * 1000, t["started"] * 1000, t["finished"] * 1000,
                       t["handled"] * 1000, navigated, loaded]
            for key, start, end in zip(PHASES, moments, moments[1:]):
                phases[key].append(end - start)
            page.wait_for_function("() => window.__preview && window.__preview.livereload", timeout=30_000)
            time.sleep(gap + random.uniform(0, gap))
    finally:
        write(article, original)
    return summary(latencies) | {"build_median_ms": round(statistics.median(builds)),
                                 "phases_median_ms": {k: round(statistics.median(v)) for k, v in phases.items()}}


def css_edits(page, preview: Preview, url: str, css: Path, edits: int, gap: float) -> dict:
    """Changes a CSS custom rule; waits for the computed style, checking that no reload happened."""
    original = css.read_text(encoding="utf-8")
    connect(page, preview, url)
    origin = page.evaluate("() => performance.timeOrigin")
    latencies, builds = [], []
    try:
        for n in range(1, edits + 1):
            color = f"rgb({n}, {2 * n % 256}, {3 * n % 256})"
            written = write(css, original + f"\nhtml {{ outline-color: {color}; }}\n")
            page.wait_for_function("(c) => getComputedStyle(document.documentElement).outlineColor === c",
                                   arg=color, timeout=30_000, polling=10)
            seen = time.time()
            latencies.append((seen - written) * 1000)
            builds.append(preview.status()["seconds"] * 1000)
            time.sleep(gap + random.uniform(0, gap))
        reloaded = page.evaluate("() => performance.timeOrigin") != origin
    finally:
        write(css, original)
    return summary(latencies) | {"build_median_ms": round(statistics.median(builds)), "page_reloaded": reloaded}


def idle_cpu(preview: Preview, seconds: float) -> float:
    time.sleep(2)  # let the last rebuild settle
    cpu, wall = preview.cpu_seconds(), time.monotonic()
    time.sleep(seconds)
    return 100 * (preview.cpu_seconds() - cpu) / (time.monotonic() - wall)


def summary(values: list[float]) -> dict:
    return {"n": len(values), "median_ms": round(statistics.median(values)),
            "min_ms": round(min(values)), "max_ms": round(max(values))}


def bench_site(browser, name: str, site: Path, args) -> dict:
    ensure_assets(site)
    css = stylesheet(site)
    explainer = example_explainer(site)
    started = time.perf_counter()
    preview = Preview(site)
    first_build = time.perf_counter() - started
    try:
        context = browser.new_context()
        page = context.new_page()
        slug = re.search(r"^slug:\s*(\S+)", (explainer / "article.md").read_text(encoding="utf-8"), re.MULTILINE)
        url = preview.url + (slug.group(1) if slug else explainer.name) + "/"
        print(f"[{name}] {explainer.relative_to(site)} at {url}", flush=True)
        result = {"site": name, "explainers": sum(1 for _ in (site / "content").iterdir()),
                  "start_s": round(first_build, 2)}
        result["html"] = html_edits(page, preview, url, explainer / "article.md", args.edits, args.gap)
        print(f"[{name}] one-file change: {result['html']}", flush=True)
        result["css"] = css_edits(page, preview, url, css, max(10, args.edits // 2), args.gap)
        print(f"[{name}] CSS change: {result['css']}", flush=True)
        result["idle_cpu_percent"] = round(idle_cpu(preview, args.idle), 2)
        print(f"[{name}] idle CPU: {result['idle_cpu_percent']} % of one core", flush=True)
        context.close()
    finally:
        preview.stop()
    return result


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def machine_and_browser() -> str:
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30,
                                  check=False).stdout.strip()
    except OSError:
        chromium = "Chromium"
    return f"{machine()}; {chromium}"


def markdown(results: list[dict], edits: int, idle: float, source: str) -> str:
    from generator.preview import rebuilder, watcher

    rows = []
    for r in results:
        h, c = r["html"], r["css"]
        rows.append(f"| {r['site']} ({r['explainers']} explainers) | {h['median_ms']} ({h['min_ms']}–{h['max_ms']}) "
                    f"| {h['build_median_ms']} | {c['median_ms']} ({c['min_ms']}–{c['max_ms']})"
                    f"{'' if not c['page_reloaded'] else ' (reloaded!)'} | {c['build_median_ms']} "
                    f"| {r['idle_cpu_percent']:.2f} % | {r['start_s']} s |")
    phase_rows = [f"| {r['site']} | " + " | ".join(str(r["html"]["phases_median_ms"][k]) for k in PHASES) + " |"
                  for r in results]
    worst = max(r["html"]["median_ms"] for r in results)
    cpu = max(r["idle_cpu_percent"] for r in results)
    verdict = (f"Targets: median ≤ {TARGET_MS} ms for a one-file change — "
               f"{'met' if worst <= TARGET_MS else f'**not met** (worst median {worst} ms)'}; "
               f"idle CPU ≤ {TARGET_CPU:g} % — {'met' if cpu <= TARGET_CPU else f'**not met** ({cpu:.2f} %)'}.")
    return "\n".join([
        PREVIEW_START,
        (f"Measured {time.strftime('%Y-%m-%d')} by `python bench/reload_bench.py` on {machine_and_browser()}. "
         f"Example explainer from: {source}."),
        "",
        ("| site | save → reloaded page, ms: median (min–max) | build, ms (median) "
         "| save → restyled page (CSS, no reload), ms: median (min–max) | build, ms (median) | idle CPU (one core) "
         "| start (first build) |"),
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        (f"One-file change: {edits} edits appending a paragraph to one explainer's `article.md`; latency is from "
         "the end of the write (after fsync) to the reloaded page's `load` event, in the browser's clock. "
         f"CSS: {max(10, edits // 2)} edits to the stylesheet, until the new style is computed, with no page reload. "
         f"Idle: one tab open, nothing changing, {idle:g} s. The preview waits for changes to stop for about "
         f"{round(watcher.WATCH_STEP_MS + rebuilder.QUIET * 1000)} ms before it builds; the rest is the build "
         "(column \"build\") and the browser reloading the page."),
        "",
        ("Where the time of a one-file change goes (medians, ms): *seen* = write → the watcher hands the change "
         "to the build thread; *quiet* = waiting for more changes; *build*; *handover* = build thread → event "
         "loop → reload message; *navigation* = message → the new page's navigation start; *load* = navigation "
         "start → `load` event."),
        "",
        "| site | " + " | ".join(PHASES) + " |",
        "|---|" + "---|" * len(PHASES),
        *phase_rows,
        "",
        verdict,
        PREVIEW_END,
    ])


def update_docs(section: str, path: Path = DOCS) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if PREVIEW_START in text and PREVIEW_END in text:
        before, rest = text.split(PREVIEW_START, 1)
        after = rest.split(PREVIEW_END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n## Preview\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=20, help="one-file edits per site (default 20)")
    parser.add_argument("--count", type=int, default=200, help="explainers in the generated site (default 200)")
    parser.add_argument("--idle", type=float, default=10, help="seconds of idle CPU measurement (default 10)")
    parser.add_argument("--gap", type=float, default=0.3, help="pause between edits, s (plus up to as much at random)")
    parser.add_argument("--only", choices=["example", "generated"], help="measure one site only")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    from playwright.sync_api import sync_playwright

    source, label = example_source()
    results = []
    with tempfile.TemporaryDirectory(prefix="reload-bench-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            if args.only in (None, "example"):
                site = copy_site(source, Path(tmp) / "example")
                results.append(bench_site(browser, "example", site, args))
            if args.only in (None, "generated"):
                site = generated_site(source, Path(tmp) / "generated", args.count)
                results.append(bench_site(browser, "generated", site, args))
        finally:
            browser.close()
    section = markdown(results, args.edits, args.idle, label)
    print(section)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if not args.no_docs:
        update_docs(section)
        print(f"updated {DOCS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
