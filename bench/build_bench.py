#!/usr/bin/env python3
"""Benchmark of `python -m generator build` at newsroom scale, beside other generators; not a test.

On a generated corpus (bench/corpus.py: explainers like the example, with
timeline entries with and without anchors, fact boxes, and quote cards in the
usual mix of verbatim, trimmed and re-punctuated quotes, some with a
`source`) of N = 100, 1,000 and 5,000 explainers, with the site.yaml the
generator ships (share pages and the search index on):

* cold build: no output, no cache (`.cache/` of the site set aside first);
  the headline figure, in the default configuration;
* the same cold build with share pages off, and with share pages and search
  off, labelled as such: the first gives the cold build without the share
  pages, and the difference in CPU time, divided by the share images the
  default build wrote, what each image costs at most;
* no-op rebuild: the same command again with nothing changed;
* one annotation file changed (a timeline entry's title), rebuilt and written;
* one template changed (the site overrides explainer.html; a comment is added);
* the no-op and the annotation change also inside one running process, one
  Builder kept between builds and told which file changed, as `serve` keeps
  it: with the preview's options, and writing every published file in place
  (the search index included);
* a corpus whose quote cards are all trimmed or re-punctuated against one
  whose cards are all verbatim, cold;
* the quote check of one 5,000-word explainer with 6 trimmed quotes, in
  process, per quote;
* with --scale N, one cold build of N explainers, default configuration, one
  run: its time per explainer against the largest size measured in full;

each the median and min–max of several runs, with the CPU time and the peak
memory (the resident memory of the process and all its descendants, the
its workers included, sampled from /proc every 10 ms, and never
less than the largest single process's own peak that wait4 reports). Beside
it the same articles as plain Markdown pages, without the annotations, built
cold by Hugo, Eleventy, Pelican and MkDocs with minimal themes
(bench/peers.py), installed with pinned versions into `.cache/bench/`.

    python bench/build_bench.py            # full run; updates docs/benchmarks.md and its chart
    python bench/build_bench.py --quick    # N = 100 and 1,000, 3 runs; prints, leaves the docs alone
    python bench/build_bench.py --sizes 1000 --runs 7 --no-peers --no-docs --json out.json
    python bench/build_bench.py --sizes 1000 --runs 3 --scale 5000

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

from corpus import QUOTES, SHIPPED_SITE_YAML, make_explainer, make_site, plain_articles, site_yaml
from machine import machine
from peers import Env, clean_env, make_peers

CACHE = REPO / ".cache" / "bench"
TRASH = CACHE / "trash"  # outputs set aside between runs, deleted when the benchmark ends
DOCS = REPO / "docs" / "benchmarks.md"
CHART = REPO / "docs" / "benchmarks-build.png"
BUILD_START = "<!-- build-bench:start -->"
BUILD_END = "<!-- build-bench:end -->"
OURS = "explainer generator"
TOOLS = [OURS, "Hugo", "Eleventy", "Pelican", "MkDocs"]
CONFIGS = {  # the cold builds of each size: the default first, then with features switched off
    "cold": "default configuration (share pages and search on)",
    "cold-share-off": "share pages off (search on)",
    "cold-off": "share pages and search off",
}
SCENARIOS = {
    "noop": "no-op rebuild, the command run again",
    "annotation": "one annotation file changed, the command run again",
    "template": "one template changed, the command run again",
    "live-noop": "no-op, in the running preview",
    "live-annotation": "one annotation file changed, in the running preview (search included)",
    "live-published-annotation": "one annotation file changed, in one running process writing every published "
                                 "file (share pages and the site's annotations.json too)",
}
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".webp")
# The targets, 2 cores, medians (docs/benchmarks.md says where each comes from).
PELICAN_SHARE = 0.7  # the cold build but the share images: at most this share of Pelican's time
IMAGE_CPU_S = 0.004  # CPU time per share image
NOOP_HUGO = 0.5  # no-op rebuild, the command: at most this share of Hugo's full build
ANNOTATION_HUGO = 0.6  # one annotation file changed, the command: likewise
LIVE_S = 0.030  # one annotation file changed inside the preview, search included
LINEAR = 1.10  # per-explainer cold time at N = 5,000 against N = 1,000
QUOTES_APART = 1.10  # cold build with every quote trimmed against every quote verbatim
FORMS = ("verbatim", "trimmed")  # the quote forms compared
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


def measure(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, float, float]:
    """Runs a command; returns (seconds, peak MB, CPU seconds, of which system). Fails loudly when the command fails.

    The CPU time is what wait4 reports: the command's and that of every descendant it
    waited for (its workers), in user and system mode; the system part is the kernel's
    work for it, mostly making files and folders.
    """
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
    return seconds, max(peak[0], usage.ru_maxrss * 1024) / 2**20, usage.ru_utime + usage.ru_stime, usage.ru_stime


def repeat(runs: int, cmd: list[str], prepare=None, env=None, cwd=None, warm: bool = True) -> dict:
    """One untimed warm-up run, then `runs` timed ones, each after `prepare(k)`."""
    times, peaks, cpus, kernel = [], [], [], []
    for k in range(runs + warm):
        if prepare:
            prepare(k)
        seconds, peak, cpu, system = measure(cmd, env, cwd)
        if k >= warm:
            times.append(seconds)
            peaks.append(peak)
            cpus.append(cpu)
            kernel.append(system)
    return summary(times, peaks, cpus, kernel)


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


def set_aside_outputs(site: Path) -> None:
    """What a build of `site` left (its output, the spare beside it, its cache): the next build is cold."""
    set_aside(site.parent / "out")
    set_aside(site.parent / ".out.spare")  # the build before, kept for the next one to make its output in
    set_aside(site / ".cache")


def summary(times: list[float], peaks: list[float] | None = None, cpus: list[float] | None = None,
            kernel: list[float] | None = None) -> dict:
    result = {"runs": len(times), "median": statistics.median(times), "min": min(times), "max": max(times)}
    if peaks:
        result["peak_mb"] = statistics.median(peaks)
    if cpus:
        result["cpu"] = statistics.median(cpus)
    if kernel:
        result["system"] = statistics.median(kernel)
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


def bench_cold(site: Path, runs: int, warm: bool = True) -> dict:
    """The cold build, and the share images in its output (files only share pages bring are told
    apart by bench_sizes, which has the output of the same corpus with share pages off)."""
    result = repeat(runs, ours_command(site), lambda _k: set_aside_outputs(site), ours_env(), warm=warm)
    found = list((site.parent / "out").rglob("*"))
    result["inodes"] = len(found)
    result["images"] = sorted(p.relative_to(site.parent / "out").as_posix() for p in found
                              if p.suffix.lower() in IMAGE_TYPES)
    return result


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
    `serve` keeps it: the preview's own Builder (generator/preview/rebuilder.py: drafts, the
    search index, no share pages or site-wide annotations.json), then all the published files
    written in place."""
    import resource

    from generator.build.pipeline import Builder, Options
    from generator.preview.rebuilder import preview_builder

    timeline = site / "content" / "explainer-00000" / "timeline.yaml"
    original = timeline.read_text(encoding="utf-8")
    results = {}
    setups = {
        "live": lambda: preview_builder(site, site.parent / "preview"),
        "live-published": lambda: Builder(Options(site=site, out=out, in_place=True, save=False)),
    }
    for name, make in setups.items():
        builder = make()
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

def corpus(n: int, quotes: str = "mixed") -> Path:
    """The corpus of N explainers, with a copy for each configuration with features off; made
    again only when bench/corpus.py or the site.yaml the generator ships changed."""
    base = CACHE / "sites" / (f"n{n}" if quotes == "mixed" else f"n{n}-{quotes}")
    stamp = hashlib.sha256((HERE / "corpus.py").read_bytes() + SHIPPED_SITE_YAML.read_bytes()).hexdigest()
    if (base / "stamp").is_file() and (base / "stamp").read_text() == stamp:
        return base
    shutil.rmtree(base, ignore_errors=True)
    print(f"making a corpus of {n} explainers ({quotes} quotes) …", flush=True)
    site = make_site(base / "cold" / "site", n, quotes=quotes)
    if quotes == "mixed":
        for config, off in (("cold-share-off", {"share_pages": False}),
                            ("cold-off", {"share_pages": False, "search": False})):
            shutil.copytree(site / "content", base / config / "site" / "content")
            (base / config / "site" / "site.yaml").write_text(site_yaml(**off), encoding="utf-8")
    (base / "stamp").write_text(stamp)
    return base


def bench_sizes(env: Env | None, sizes: list[int], runs: int, scale: int | None = None) -> tuple[dict, dict, dict | None]:
    """Every cold build first (those of the quote forms too), then the rebuilds: a rebuild
    replaces (and deletes) the last output, and what is deleted slows the next cold build's
    file creation (see set_aside)."""
    results: dict = {str(n): {} for n in sizes}
    for n in sizes:
        base = corpus(n)
        ours = results[str(n)][OURS] = {}
        for config, label in CONFIGS.items():
            print(f"N = {n}: {OURS}, cold, {label} …", flush=True)
            ours[config] = bench_cold(base / config / "site", runs)
        drawn = set(ours["cold"].pop("images")) - set(ours["cold-share-off"].pop("images"))
        ours["cold-off"].pop("images")
        ours["share-images"] = len(drawn)
        if env is None:
            continue
        for peer in make_peers(env, plain_articles(base / "cold" / "site"), base / "peers"):
            print(f"N = {n}: {peer.name} …", flush=True)

            def clean(_k: int, peer=peer) -> None:
                set_aside(peer.out)
                set_aside(peer.folder / "resources")  # Hugo's own cache

            results[str(n)][peer.name] = {"cold": repeat(runs, peer.command, clean, clean_env(), peer.folder)}
    forms = bench_quote_forms(min(1000, max(sizes)), runs)
    large = bench_scale(scale) if scale and scale not in sizes else None
    for n in sizes:
        print(f"N = {n}: {OURS}, rebuilds …", flush=True)
        results[str(n)][OURS].update(bench_rebuilds(CACHE / "sites" / f"n{n}" / "cold" / "site", runs))
    return results, forms, large


def bench_scale(n: int) -> dict:
    """One cold build of N explainers in the default configuration, with no untimed run before it:
    what a cold build costs per explainer on a large archive, against the sizes measured in full."""
    print(f"N = {n}: {OURS}, cold, {CONFIGS['cold']}, once …", flush=True)
    result = bench_cold(corpus(n) / "cold" / "site", 1, warm=False)
    result.pop("images")
    result["n"] = n
    return result


def bench_quote_forms(n: int, runs: int) -> dict:
    """Cold builds of a corpus whose cards are all verbatim and of one whose cards are all
    trimmed or re-punctuated: the same articles, the default configuration.

    The two take turns (verbatim then trimmed, then trimmed then verbatim, and so on), one
    untimed pair first: this machine's speed drifts over minutes (the file system's state
    after each build, other tenants), and all of one corpus before all of the other measured
    that drift as the cost of the quote forms.
    """
    sites = {quotes: corpus(n, quotes) / "cold" / "site" for quotes in FORMS}
    print(f"N = {n}: {OURS}, cold, every quote verbatim and every quote trimmed, in turn …", flush=True)
    measured: dict[str, list[tuple[float, float, float, float]]] = {quotes: [] for quotes in FORMS}
    for k in range(runs + 1):
        for quotes in (FORMS if k % 2 == 0 else FORMS[::-1]):
            set_aside_outputs(sites[quotes])
            taken = measure(ours_command(sites[quotes]), ours_env())
            if k > 0:
                measured[quotes].append(taken)
    found: dict = {"n": n}
    for quotes, taken in measured.items():
        seconds, peaks, cpus, kernel = (list(column) for column in zip(*taken))
        found[quotes] = summary(seconds, peaks, cpus, kernel)
    return found


def bench_quote_check(words: int = 5000, repeats: int = 30) -> dict:
    """The quote check of one explainer of `words` words whose 6 cards are all trimmed or
    re-punctuated (each reported with the closest passage), in this process, per quote; and the
    same explainer with its cards verbatim."""
    sys.path.insert(0, str(REPO))
    from generator.config import load_site
    from generator.errors import Report
    from generator.load.annotations import load_annotations
    from generator.load.content import load_article
    from generator.render.locales import locale_for
    from generator.resolve.links import resolve
    from generator.resolve.markup import LazyMarkdown
    from generator.validate.editorial import check_quotes
    from generator.validate.passages import forget_hints

    found = {"words": words, "quotes": QUOTES}
    with tempfile.TemporaryDirectory() as tmp:
        for quotes in ("trimmed", "verbatim"):
            site = Path(tmp) / quotes
            site.mkdir()
            (site / "site.yaml").write_text(site_yaml(), encoding="utf-8")
            make_explainer(site / "content" / "long", 0, quotes=quotes, words_in_all=words)
            report = Report()
            loaded = load_site(site, report)
            folder = site / "content" / "long"
            explainer = resolve(loaded, load_article(folder, site, report), load_annotations(folder, site, report),
                                locale_for(loaded.language), LazyMarkdown(), report)
            times = []
            for _ in range(repeats + 1):
                checked = Report()
                forget_hints()  # each check as a cold build makes it: it never checks one article twice
                started = time.perf_counter()
                check_quotes(explainer, checked)
                times.append(time.perf_counter() - started)
            assert len(checked.warnings) == (QUOTES if quotes == "trimmed" else 0), checked.problems
            found[quotes] = summary([t / QUOTES for t in times[1:]])
    return found


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


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def split(sizes: dict, n: str) -> dict | None:
    """The cold build told apart: without the share pages, and the CPU time per share image."""
    ours = sizes[n].get(OURS, {})
    default, without = ours.get("cold"), ours.get("cold-share-off")
    if not (default and without):
        return None
    images = ours.get("share-images", 0)
    per_image = (default["cpu"] - without["cpu"]) / images if images else None
    pelican = sizes[n].get("Pelican", {}).get("cold")
    bound = PELICAN_SHARE * pelican["median"] + images * IMAGE_CPU_S / (os.cpu_count() or 1) if pelican else None
    return {"images": images, "without": without, "per_image": per_image, "pelican": pelican, "bound": bound}


def verdicts(results: dict) -> list[str]:
    sizes = results["sizes"]
    out = []
    for n in sizes:
        parts = split(sizes, n)
        if parts and parts["pelican"]:
            limit = PELICAN_SHARE * parts["pelican"]["median"]
            out.append(f"- N = {int(n):,}: the cold build without the share pages ≤ {PELICAN_SHARE:g} × Pelican "
                       f"({limit:.2f} s) — {met(parts['without']['median'] <= limit)} "
                       f"({parts['without']['median']:.2f} s)")
        if parts and parts["per_image"] is not None:
            out.append(f"- N = {int(n):,}: CPU time per share image ≤ {IMAGE_CPU_S * 1000:g} ms — "
                       f"{met(parts['per_image'] <= IMAGE_CPU_S)} ({parts['per_image'] * 1000:.1f} ms)")
        if parts and parts["bound"] is not None:
            cold = sizes[n][OURS]["cold"]["median"]
            out.append(f"- N = {int(n):,}: the whole cold build ≤ {PELICAN_SHARE:g} × Pelican + images × "
                       f"{IMAGE_CPU_S * 1000:g} ms ÷ {os.cpu_count()} cores ({parts['bound']:.2f} s) — "
                       f"{met(cold <= parts['bound'])} ({cold:.2f} s)")
    out += linear(results)
    for n in sizes:
        cold = sizes[n].get(OURS, {}).get("cold")
        if cold and int(n) >= 1000:
            out.append(f"- peak memory, cold build, N = {int(n):,}: ≤ {PEAK_TARGET_MB} MB — "
                       f"{met(cold['peak_mb'] <= PEAK_TARGET_MB)} ({cold['peak_mb']:.0f} MB)")
    ours = sizes.get("1000", {}).get(OURS, {})
    hugo = sizes.get("1000", {}).get("Hugo", {}).get("cold")
    for key, share in (("noop", NOOP_HUGO), ("annotation", ANNOTATION_HUGO)):
        if hugo and ours.get(key):
            limit = share * hugo["median"]
            out.append(f"- {SCENARIOS[key]}, N = 1,000: ≤ {share:g} × Hugo's full build ({limit * 1000:.0f} ms) — "
                       f"{met(ours[key]['median'] <= limit)} ({ours[key]['median'] * 1000:.0f} ms)")
    live = ours.get("live-annotation")
    if live:
        out.append(f"- {SCENARIOS['live-annotation']}, N = 1,000: ≤ {LIVE_S * 1000:.0f} ms — "
                   f"{met(live['median'] <= LIVE_S)} ({live['median'] * 1000:.0f} ms)")
    forms = results.get("quotes")
    if forms:
        ratio = forms["trimmed"]["median"] / forms["verbatim"]["median"]
        out.append(f"- every quote trimmed against every quote verbatim, cold, N = {forms['n']:,}: ≤ "
                   f"{(QUOTES_APART - 1) * 100:.0f} % more — {met(ratio <= QUOTES_APART)} ({(ratio - 1) * 100:+.1f} %)")
    return out


def scaled(results: dict) -> tuple[str, dict, str, dict] | None:
    """The cold build measured at the largest N and the one at the largest N below it (measured in full)."""
    sizes = results["sizes"]
    colds = {n: sizes[n][OURS]["cold"] for n in sizes if sizes[n].get(OURS, {}).get("cold")}
    if "scale" in results:
        colds[str(results["scale"]["n"])] = results["scale"]
    ns = sorted(colds, key=int)
    if len(ns) < 2 or int(ns[-2]) < 1000:
        return None
    return ns[-2], colds[ns[-2]], ns[-1], colds[ns[-1]]


def linear(results: dict) -> list[str]:
    found = scaled(results)
    if found is None:
        return []
    small, at_small, large, at_large = found
    ratios = {key: (at_large[key] / int(large)) / (at_small[key] / int(small)) for key in ("median", "cpu", "system")}
    return [(f"- cold build time per explainer at N = {int(large):,} ≤ {LINEAR:g} × that at N = {int(small):,} "
            f"(linear) — {met(ratios['median'] <= LINEAR)} ({ratios['median']:.2f} × the wall-clock time; "
            f"{ratios['cpu']:.2f} × the CPU time, {ratios['system']:.2f} × the system time)")]


def scale_text(results: dict) -> list[str]:
    """The paragraph on the one cold build at a large N, when the benchmark made one."""
    scale = results.get("scale")
    if not scale:
        return []
    return ["", (f"**Scale**: one cold build of N = {scale['n']:,} in the default configuration (one run, no "
                 f"untimed run before it): {scale['median']:.1f} s, {scale['cpu']:.1f} s of CPU time "
                 f"({scale['system']:.1f} s system), peak memory {scale['peak_mb']:.0f} MB, "
                 f"{scale['inodes']:,} files and folders in its output; the targets below compare its time per "
                 "explainer with the cold build measured in full.")]


def markdown(results: dict, runs: int, versions: dict, loads: tuple[str, str]) -> str:
    sizes = results["sizes"]
    ns = list(sizes)
    head = "| | " + " | ".join(f"N = {int(n):,}" for n in ns) + " |"
    rule = "|---|" + "---|" * len(ns)
    tools = [t for t in TOOLS if any(t in sizes[n] for n in ns)]
    names = {t: (f"{t} {versions[t]}" if t in versions else f"**{t}**, {CONFIGS['cold']}") for t in tools}
    cold = [f"| {names[t]} | " + " | ".join(cell(sizes[n].get(t, {}).get("cold")) for n in ns) + " |" for t in tools]
    cold[1:1] = [f"| {OURS}, {label} | " + " | ".join(cell(sizes[n].get(OURS, {}).get(key)) for n in ns) + " |"
                 for key, label in CONFIGS.items() if key != "cold"]
    parts = {n: split(sizes, n) for n in ns}
    images = [
        "| share images the default build wrote | " + " | ".join(
            f"{parts[n]['images']:,}" if parts[n] else "—" for n in ns) + " |",
        "| CPU time per share image | " + " | ".join(
            f"{parts[n]['per_image'] * 1000:.1f} ms" if parts[n] and parts[n]["per_image"] is not None else "—"
            for n in ns) + " |",
        "| CPU time of the default cold build | " + " | ".join(
            f"{sizes[n][OURS]['cold']['cpu']:.2f} s" if OURS in sizes[n] else "—" for n in ns) + " |",
        "| of which system time (the kernel making files and folders, mostly) | " + " | ".join(
            f"{sizes[n][OURS]['cold']['system']:.2f} s" if "system" in sizes[n].get(OURS, {}).get("cold", {}) else "—"
            for n in ns) + " |",
        "| files and folders in its output | " + " | ".join(
            f"{sizes[n][OURS]['cold']['inodes']:,}" if "inodes" in sizes[n].get(OURS, {}).get("cold", {}) else "—"
            for n in ns) + " |",
    ]
    peak = [f"| {names[t]} | " + " | ".join(
        f"{sizes[n][t]['cold']['peak_mb']:.0f}" if t in sizes[n] else "—" for n in ns) + " |" for t in tools]
    again = [f"| {label} | " + " | ".join(cell(sizes[n][OURS].get(key), "ms") for n in ns) + " |"
             for key, label in SCENARIOS.items()]
    extra = []
    forms = results.get("quotes")
    if forms:
        extra += ["", (f"**Quote forms**, cold build of N = {forms['n']:,} in the default configuration, the same "
                   "articles with different quote cards, the two corpora built in turn:"), "",
                  "| every quote card | cold build | peak memory |", "|---|---|---|",
                  *(f"| {label} | {cell(forms[key])} | {forms[key]['peak_mb']:.0f} MB |"
                    for key, label in (("verbatim", "verbatim"), ("trimmed", "trimmed or re-punctuated")))]
    extra += scale_text(results)
    check = results.get("quote_check")
    if check:
        extra += ["", (f"**The quote check**, per quote card, of one explainer of {check['words']:,} words with "
                   f"{check['quotes']} cards, in one process (median of {check['trimmed']['runs']} checks): "
                   f"{check['trimmed']['median'] * 1000:.2f} ms when every card is trimmed or re-punctuated (each "
                   f"reported with the closest passage), {check['verbatim']['median'] * 1000:.3f} ms when every "
                   "card is verbatim.")]
    return "\n".join([
        BUILD_START,
        (f"Measured {time.strftime('%Y-%m-%d')} by `python bench/build_bench.py` on {machine()}; "
         f"load average {loads[0]} at the start, {loads[1]} at the end (other work on the machine shows up "
         f"in every figure). Each figure: median (min–max) of {runs} runs after one untimed run."),
        "",
        ("Configuration: the site.yaml the generator ships (share pages and the search index on) unless a row "
         "says a feature is off; the corpus of `bench/corpus.py`, each explainer ≈1,500 words with 10 timeline "
         "entries (7 anchored, 3 without an anchor), 4 fact boxes and 6 quote cards: 3 verbatim (one with a "
         "`source`), 2 trimmed and 1 re-punctuated, so every explainer reports 3 quotes with the closest "
         "passage."),
        "",
        "![Cold build time by number of pages, and rebuild times](benchmarks-build.png)",
        "",
        "**Cold build** (no output, no cache), wall-clock time:",
        "",
        head, rule, *cold,
        "",
        ("- **explainer generator, default configuration**: the headline; everything a site gets as shipped, "
         "share pages and their images and the search index included."),
        ("- *share pages off (search on)*: the same build without the share pages (their HTML and images): "
         "the cold build but the share pages' images. Each explainer's own card (`card.png`, its page's "
         "og:image) is still drawn, so this figure holds one image per explainer."),
        "- *share pages and search off*: without the share pages and without the search index.",
        ("- Hugo, Eleventy, Pelican, MkDocs: the same articles as plain Markdown pages with a minimal theme and no "
         "annotations (MkDocs with one page in its navigation, so each page does not list every other one); a "
         "floor for comparison, not a tuned contest."),
        "",
        ("**Share images**: the cost of each is measured from outside, as the difference in CPU time (the "
         "build's process and every process it waited for: its workers) between the default cold build "
         "and the one with share pages off, divided by the images the default build wrote (image files that "
         "only the default build's output holds). It includes rendering and writing each image's share page, "
         "so it is an upper bound on drawing one."),
        "",
        head, rule, *images,
        "",
        ("**Peak memory** of the cold build, MB (resident, the process and all its descendants together — "
         "its workers included — sampled every 10 ms, and never less than the largest single "
         "process's own peak; median):"),
        "",
        head, rule, *peak,
        "",
        (f"**Rebuilds** of the {OURS}, default configuration (the command run again, or one Builder kept by the "
         "preview):"),
        "",
        head, rule, *again,
        "",
        ("- no-op: nothing changed: the command looks at every file the build reads (by size, times and inode), "
         "finds them and the output folder's top as the last build's stamp says, and ends without loading the "
         "generator or looking inside the output (`build --verify` would look at every output file); one annotation "
         "file changed: a timeline entry's title in one explainer, so its page, share pages and the site-wide files "
         "that show it are made again; one template changed: a comment added to a site override of "
         "`explainer.html`, so every page is rendered again."),
        ("- *in the running preview*: the Builder `serve` keeps (`preview_builder`), told which file changed: "
         "drafts, the search index updated, no share pages or site-wide annotations.json; *in one running process "
         "writing every published file*: the same with the published build's options, the share pages and the "
         "site's annotations.json included."),
        *extra,
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
                 "[`bench/build_bench.py`](../bench/README.md) on a generated corpus (`bench/corpus.py`) with "
                 "the site.yaml the generator ships.")
        text = text.rstrip("\n") + "\n\n## Build\n\n" + intro + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def chart(env: Env, results: dict, path: Path = CHART) -> None:
    """Draws the chart with the benchmark environment's matplotlib."""
    subprocess.run([str(env.python), str(HERE / "chart.py"), str(path)], input=json.dumps(results["sizes"]),
                   text=True, check=True, env=clean_env())


# --------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 100 and 1,000, 3 runs, docs left alone")
    parser.add_argument("--sizes", help="comma-separated numbers of explainers (default 100,1000,5000)")
    parser.add_argument("--runs", type=int, help="timed runs per figure (default 5)")
    parser.add_argument("--no-peers", action="store_true", help="measure the explainer generator only")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--scale", type=int, help="also one cold build of the default configuration at this N "
                        "(e.g. 5000 beside --sizes 1000): whether the cold build grows linearly")
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
        by_size, forms, large = bench_sizes(None if args.no_peers else env, sizes, runs, args.scale)
        results = {"sizes": by_size, "quotes": forms}
        if large:
            results["scale"] = large
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)
    results["quote_check"] = bench_quote_check()
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
