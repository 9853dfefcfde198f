"""Draws the build benchmark's chart from its JSON results on standard input.

Runs in the benchmark's own environment (`.cache/bench/venv`), which has
matplotlib; the generator itself does not depend on it.

    python chart.py OUT.png < results.json
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

OURS = "explainer generator"
TOOLS = [OURS, "Hugo", "Eleventy", "Pelican", "MkDocs"]
AGAIN = {"noop": "no-op", "annotation": "annotation\nchanged", "template": "template\nchanged",
         "live-annotation": "annotation\nchanged, in\nthe preview"}


def main() -> int:
    results = json.load(sys.stdin)
    sizes = sorted(results, key=int)
    fig, (cold, again) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    for tool in TOOLS:
        points = [(int(n), results[n][tool]["cold"]["median"]) for n in sizes if tool in results[n]]
        if points:
            xs, ys = zip(*points)
            cold.plot(xs, ys, marker="o", linewidth=2.5 if tool == OURS else 1.2, label=tool)
    cold.set(xscale="log", yscale="log", xlabel="pages (explainers)", ylabel="seconds (median)",
             title="Cold build")
    cold.grid(True, which="both", alpha=0.3)
    cold.legend(fontsize=8)
    width = 0.8 / len(sizes)
    keys = [k for k in AGAIN if any(k in results[n][OURS] for n in sizes)]
    for i, n in enumerate(sizes):
        values = [results[n][OURS].get(k, {}).get("median", 0) * 1000 for k in keys]
        again.bar([j + i * width for j in range(len(keys))], values, width, label=f"N = {int(n):,}")
    again.set_xticks([j + width * (len(sizes) - 1) / 2 for j in range(len(keys))], [AGAIN[k] for k in keys],
                     fontsize=8)
    again.set(yscale="log", ylabel="milliseconds (median)", title=f"Rebuilds ({OURS})")
    again.grid(True, axis="y", which="both", alpha=0.3)
    again.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
