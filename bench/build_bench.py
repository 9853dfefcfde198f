#!/usr/bin/env python3
"""Benchmark of `python -m generator build` at newsroom scale, beside other generators; not a test.

On a generated corpus (bench/corpus.py: explainers like the example, with
timeline, fact boxes and quote cards) of N = 100, 1,000 and 5,000 explainers:

* cold build: no output, no cache (`.cache/` of the site deleted first);
* no-op rebuild: the same command again with nothing changed;
* one annotation file changed (a timeline entry's title), rebuilt and written;
* one template changed (the site overrides explainer.html; a comment is added);
* the no-op and the annotation change also inside one running process, one
  Builder kept between builds and told which file changed, as `serve` keeps
  it: with the preview's options, and writing every published file in place;

each the median and min–max of several runs, with peak memory (the resident
memory of the process and its workers together, sampled from /proc every
10 ms). Beside it the same articles as plain Markdown pages, without the
annotations, built cold by Hugo, Eleventy, Pelican and MkDocs with minimal
themes (bench/peers.py), installed with pinned versions into `.cache/bench/`.

    python bench/build_bench.py            # full run (~30 min); updates docs/benchmarks.md and its chart
    python bench/build_bench.py --quick    # N = 100 and 1,000, 3 runs; prints, leaves the docs alone
    python bench/build_bench.py --sizes 1000 --runs 7 --no-peers --no-docs --json out.json

The results replace what is between BUILD_START and BUILD_END in
docs/benchmarks.md, so the other sections stay as they are.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import make_site, plain_articles  # noqa: E402
from machine import machine  # noqa: E402
from peers import Env, clean_env, make_peers  # noqa: E402

CACHE = REPO / ".cache" / "bench"
TRASH = CACHE / "trash"  # outputs set aside between runs, deleted when the benchmark ends
DOCS = REPO / "docs" / "benchmarks.md"
CHART = REPO / "docs" / "benchmarks-build.png"
BUILD_START = "<!-- build-bench:start -->"
BUILD_END = "<!-- build-bench:end -->"
OURS = "explainer generator"
TOOLS = [OURS, "Hugo", "Eleventy", "Pelican", "MkDocs"]
SCENARIOS = {
    "noop": "no-op rebuild, the command run again",
    "annotation": "one annotation file changed, the command run again",
    "template": "one template changed, the command run again",
    "live-noop": "no-op, in the running preview",
    "live-annotation": "one annotation file changed, in the running preview",
    "live-published-annotation": "one annotation file changed, in one running process writing every published file",
}
TARGETS = {  # (scenario, N): seconds; peak memory in MB at N = 1,000
    ("cold", 1000): 3.0, ("cold", 5000): 15.0, ("noop", 1000): 0.3, ("annotation", 1000): 0.1,
}
PEAK_TARGET_MB = 300
PAGE = os.sysconf("SC_PAGE_SIZE")


# --------------------------------------------------------------------------
# Measuring one command
# --------------------------------------------------------------------------

def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """Runs a command; returns (seconds, peak MB). Fails loudly when the command fails."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        peak, stop = [0], threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], tree_rss(proc.pid))
                stop.wait(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        sampler.join()
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.read().decode(errors='replace')[-3000:]}")
    # ru_maxrss (KB) is the largest single process; the samples add up the workers.
    return seconds, max(peak[0], usage.ru_maxrss * 1024) / 2**20


def repeat(runs: int, cmd: list[str], prepare=None, env=None, cwd=None, warm: bool = True) -> dict:
    """One untimed warm-up run, then `runs` timed ones, each after `prepare(k)`."""
    times, peaks = [], []
    for k in range(runs + warm):
        if prepare:
            prepare(k)
        seconds, peak = measure(cmd, env, cwd)
        if k >= warm:
            times.append(seconds)
            peaks.append(peak)
    return summary(times, peaks)


def set_aside(path: Path) -> None:
    """Moves an output or cache folder out of the way, to be deleted when the benchmark ends.

    Deleting thousands of files makes ext4 slow to create new ones for minutes
    afterwards (it skips recently freed inodes): a build run right after
    `rm -rf` of the last output measures that, not the generator. A rename
    leaves the file system as a build on a fresh checkout finds it.
    """
    if path.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(Path(tempfile.mkdtemp(dir=TRASH)) / path.name)


def summary(times: list[float], peaks: list[float] | None = None) -> dict:
    result = {"runs": len(times), "median": statistics.median(times), "min": min(times), "max": max(times)}
    if peaks:
        result["peak_mb"] = statistics.median(peaks)
    return result


# --------------------------------------------------------------------------
# The explainer generator's scenarios
# --------------------------------------------------------------------------

def ours_env() -> dict:
    env = clean_env()
    env["PYTHONPATH"] = str(REPO)
    return env


def ours_command(site: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--site", str(site), "--out", str(site.parent / "out")]


def bench_cold(site: Path, runs: int) -> dict:
    def cold(_k: int) -> None:
        set_aside(site.parent / "out")
        set_aside(site.parent / ".out.spare")  # the build before, kept for the next one to make its output in
        set_aside(site / ".cache")

    return repeat(runs, ours_command(site), cold, ours_env())


def bench_rebuilds(site: Path, runs: int) -> dict:
    """The rebuilds, after a cold build: nothing changed, an annotation, a template, in one process."""
    out = site.parent / "out"
    cmd = ours_command(site)
    env = ours_env()
    timeline = site / "content" / "explainer-00000" / "timeline.yaml"
    override = site / "templates" / "explainer.html"
    original = timeline.read_text(encoding="utf-8")
    theme = (REPO / "templates" / "explainer.html").read_text(encoding="utf-8")

    def annotate(k: int) -> None:
        timeline.write_text(original.replace('title: "', f'title: "Edit {k} ', 1), encoding="utf-8")

    def template(k: int) -> None:
        override.parent.mkdir(exist_ok=True)
        override.write_text(theme + f"<!-- edit {k} -->\n", encoding="utf-8")

    results = {"noop": repeat(runs, cmd, None, env)}
    results["annotation"] = repeat(runs, cmd, annotate, env)
    live = json.loads(subprocess.run([sys.executable, str(Path(__file__)), "--live", str(site), str(out), str(runs)],
                                     env=env, check=True, capture_output=True, text=True).stdout)
    results.update(live)
    results["template"] = repeat(runs, cmd, template, env)
    shutil.rmtree(override.parent)
    timeline.write_text(original, encoding="utf-8")
    return results


def live(site: Path, out: Path, runs: int) -> None:
    """In one running process, one Builder kept between builds and told what changed, as
    `serve` keeps it: the preview's own options, then all the published files written in place."""
    import resource

    from generator.build import Builder, Options

    timeline = site / "content" / "explainer-00000" / "timeline.yaml"
    original = timeline.read_text(encoding="utf-8")
    results = {}
    setups = {
        "live": Options(site=site, out=site.parent / "preview", drafts=True, hashed_assets=False, extras=False,
                        in_place=True, save=False),
        "live-published": Options(site=site, out=out, in_place=True, save=False),
    }
    for name, options in setups.items():
        builder = Builder(options)
        builder.build()
        noop, edit = [], []
        for k in range(runs + 1):
            started = time.perf_counter()
            builder.build()  # told nothing: looks at every folder
            noop.append(time.perf_counter() - started)
            timeline.write_text(original.replace('title: "', f'title: "Live {k} ', 1), encoding="utf-8")
            started = time.perf_counter()
            result = builder.build({str(timeline)})
            edit.append(time.perf_counter() - started)
            assert result.rendered == 1 and "explainer-00000/index.html" in result.changed, result
        timeline.write_text(original, encoding="utf-8")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if name == "live":
            results["live-noop"] = summary(noop[1:], [peak])
        results[f"{name}-annotation"] = summary(edit[1:], [peak])
    set_aside(site.parent / "preview")
    print(json.dumps(results))


# --------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------

def corpus(n: int) -> Path:
    """The corpus of N explainers, made again only when bench/corpus.py changed."""
    base = CACHE / "sites" / f"n{n}"
    stamp = hashlib.sha256((HERE / "corpus.py").read_bytes()).hexdigest()
    if (base / "stamp").is_file() and (base / "stamp").read_text() == stamp:
        return base
    shutil.rmtree(base, ignore_errors=True)
    print(f"making a corpus of {n} explainers …", flush=True)
    make_site(base / "ours" / "site", n)
    (base / "stamp").write_text(stamp)
    return base


def bench_sizes(env: Env | None, sizes: list[int], runs: int) -> dict:
    """Every cold build first, then the rebuilds: a rebuild replaces (and deletes) the last
    output, and what is deleted slows the next cold build's file creation (see set_aside)."""
    results: dict = {str(n): {} for n in sizes}
    for n in sizes:
        base = corpus(n)
        print(f"N = {n}: {OURS}, cold …", flush=True)
        results[str(n)][OURS] = {"cold": bench_cold(base / "ours" / "site", runs)}
        if env is None:
            continue
        for peer in make_peers(env, plain_articles(base / "ours" / "site"), base / "peers"):
            print(f"N = {n}: {peer.name} …", flush=True)

            def clean(_k: int, peer=peer) -> None:
                set_aside(peer.out)
                set_aside(peer.folder / "resources")  # Hugo's own cache

            results[str(n)][peer.name] = {"cold": repeat(runs, peer.command, clean, clean_env(), peer.folder)}
    for n in sizes:
        print(f"N = {n}: {OURS}, rebuilds …", flush=True)
        results[str(n)][OURS].update(bench_rebuilds(CACHE / "sites" / f"n{n}" / "ours" / "site", runs))
    return results


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def cell(r: dict | None, unit: str = "s") -> str:
    if not r:
        return "—"
    if unit == "ms":
        return f"{r['median'] * 1000:.0f} ({r['min'] * 1000:.0f}–{r['max'] * 1000:.0f}) ms"
    return f"{r['median']:.2f} ({r['min']:.2f}–{r['max']:.2f}) s"


def verdicts(results: dict) -> list[str]:
    out = []
    for (scenario, n), limit in TARGETS.items():
        r = results.get(str(n), {}).get(OURS, {}).get(scenario)
        if r is None:
            continue
        label = "cold build" if scenario == "cold" else SCENARIOS[scenario]
        met = r["median"] <= limit
        shown = f"{r['median']:.2f} s" if limit >= 1 else f"{r['median'] * 1000:.0f} ms"
        out.append(f"- {label}, N = {n:,}: ≤ {limit:g} s — {'met' if met else '**not met**'} ({shown})")
    for key in ("live-annotation", "live-published-annotation"):
        live = results.get("1000", {}).get(OURS, {}).get(key)
        if live:
            met = live["median"] <= TARGETS[("annotation", 1000)]
            out.append(f"- {SCENARIOS[key]}, N = 1,000: ≤ 0.1 s — "
                       f"{'met' if met else '**not met**'} ({live['median'] * 1000:.0f} ms)")
    hugo = results.get("1000", {}).get("Hugo", {}).get("cold")
    for key in ("annotation", "live-annotation", "live-published-annotation"):
        rebuild = results.get("1000", {}).get(OURS, {}).get(key)
        if hugo and rebuild:
            met = rebuild["median"] < hugo["median"]
            out.append(f"- {SCENARIOS[key]}, N = 1,000: faster than Hugo's full build ({hugo['median']:.2f} s) — "
                       f"{'met' if met else '**not met**'} ({rebuild['median'] * 1000:.0f} ms)")
    cold = results.get("1000", {}).get(OURS, {}).get("cold")
    if cold:
        met = cold["peak_mb"] <= PEAK_TARGET_MB
        out.append(f"- peak memory, cold build, N = 1,000: ≤ {PEAK_TARGET_MB} MB — "
                   f"{'met' if met else '**not met**'} ({cold['peak_mb']:.0f} MB)")
        peers = [t for t in ("Pelican", "MkDocs") if t in results["1000"]]
        if peers:
            slower = all(results["1000"][t]["cold"]["median"] > cold["median"] for t in peers)
            out.append(f"- cold build at N = 1,000 faster than {' and '.join(peers)}: {'met' if slower else '**not met**'}")
    return out


def markdown(results: dict, runs: int, versions: dict, loads: tuple[str, str]) -> str:
    sizes = list(results)
    head = "| | " + " | ".join(f"N = {int(n):,}" for n in sizes) + " |"
    rule = "|---|" + "---|" * len(sizes)
    tools = [t for t in TOOLS if any(t in results[n] for n in sizes)]
    names = {t: (f"{t} {versions[t]}" if t in versions else f"**{t}** (with annotations)") for t in tools}
    cold = [f"| {names[t]} | " + " | ".join(cell(results[n].get(t, {}).get("cold")) for n in sizes) + " |"
            for t in tools]
    peak = [f"| {names[t]} | " + " | ".join(
        f"{results[n][t]['cold']['peak_mb']:.0f}" if t in results[n] else "—" for n in sizes) + " |" for t in tools]
    again = [f"| {label} | " + " | ".join(cell(results[n][OURS].get(key), "ms") for n in sizes) + " |"
             for key, label in SCENARIOS.items()]
    return "\n".join([
        BUILD_START,
        f"Measured {time.strftime('%Y-%m-%d')} by `python bench/build_bench.py` on {machine()}; "
        f"load average {loads[0]} at the start, {loads[1]} at the end (other work on the machine shows up "
        f"in every figure). Each figure: median (min–max) of {runs} runs after one untimed run.",
        "",
        "![Cold build time by number of pages, and rebuild times](benchmarks-build.png)",
        "",
        "**Cold build** (no output, no cache), wall-clock time:",
        "",
        head, rule, *cold,
        "",
        "**Peak memory** of the cold build, MB (resident, the process and its workers together; median):",
        "",
        head, rule, *peak,
        "",
        f"**Rebuilds** of the {OURS} (the command run again, or one Builder kept by the preview):",
        "",
        head, rule, *again,
        "",
        "The others build the same articles as plain Markdown pages with a minimal theme and no annotations "
        "(MkDocs with one page in its navigation, so each page does not list every other one); "
        "a floor for comparison, not a tuned contest.",
        "",
        "Targets (2 cores, medians):",
        "",
        *verdicts(results),
        BUILD_END,
    ])


def update_docs(section: str, path: Path = DOCS) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BUILD_START in text and BUILD_END in text:
        before, rest = text.split(BUILD_START, 1)
        text = before + section + rest.split(BUILD_END, 1)[1]
    else:
        intro = ("How long `python -m generator build` takes on a newsroom's archive, cold and again, beside "
                 "Hugo, Eleventy, Pelican and MkDocs building the same articles. Measured by "
                 "[`bench/build_bench.py`](../bench/README.md) on a generated corpus (`bench/corpus.py`): "
                 "explainers like the example, each ≈1,500 words in ≈35 paragraphs with 10 timeline "
                 "entries, 4 fact boxes and 6 quote cards.")
        text = text.rstrip("\n") + "\n\n## Build\n\n" + intro + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def chart(env: Env, results: dict, path: Path = CHART) -> None:
    """Draws the chart with the benchmark environment's matplotlib."""
    subprocess.run([str(env.python), str(HERE / "chart.py"), str(path)], input=json.dumps(results),
                   text=True, check=True, env=clean_env())


# --------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 100 and 1,000, 3 runs, docs left alone")
    parser.add_argument("--sizes", help="comma-separated numbers of explainers (default 100,1000,5000)")
    parser.add_argument("--runs", type=int, help="timed runs per figure (default 5)")
    parser.add_argument("--no-peers", action="store_true", help="measure the explainer generator only")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--live", nargs=3, help=argparse.SUPPRESS)  # the in-process measurement's child
    args = parser.parse_args()
    if args.live:
        live(Path(args.live[0]), Path(args.live[1]), int(args.live[2]))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [100, 1000] if args.quick else [100, 1000, 5000]
    runs = args.runs or (3 if args.quick else 5)
    env = Env(CACHE)
    env.ensure()
    loads = [load()]
    try:
        results = bench_sizes(None if args.no_peers else env, sizes, runs)
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)
    loads.append(load())
    section = markdown(results, runs, env.versions(), tuple(loads))
    print(section)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if not (args.quick or args.no_docs):
        chart(env, results)
        update_docs(section)
        print(f"updated {DOCS.relative_to(REPO)} and {CHART.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
