"""Lighthouse on the example explainer: at least 95 in every category.

The run is the one docs/make_quality.py makes for docs/quality.md (phone
emulation, Lighthouse's default and the harder case), built under its served
address so the canonical link and robots.txt are absolute as on a real host.
One run takes about 12 s here.
"""

from __future__ import annotations

import importlib.util
import re
import shutil

from browser import require, require_chromium, require_tool
from conftest import REPO

TARGET = 95
# Performance is scored with Lighthouse's simulated throttling, which models
# the page's network and CPU work rather than timing this machine: with both
# cores of a 2-core machine kept busy it still scored 100 (three runs), so it
# is held to the same target as the other categories.


def quality_script():
    spec = importlib.util.spec_from_file_location("make_quality", REPO / "docs" / "make_quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lighthouse_scores_of_the_example_explainer():
    require_chromium()
    require_tool(".bin/lighthouse")
    require(shutil.which("node") is not None, "node is not installed")
    quality = quality_script()
    with quality.served_example() as url:
        result = quality.lighthouse(url)
    scores = result["scores"]
    failed = "\n".join(f"  {audit}: {title} {value}" for audit, title, value in result["failed"])
    low = {category: score for category, score in scores.items() if score < TARGET}
    assert not low, f"below {TARGET}: {low}; all scores {scores}; audits not passed:\n{failed}"
    assert set(scores) == {"performance", "accessibility", "best-practices", "seo"}


def test_quality_page_records_scores_at_the_target():
    """docs/quality.md is the script's output, and what it records meets the target."""
    text = (REPO / "docs" / "quality.md").read_text(encoding="utf-8")
    rows = {m[0]: [int(n) for n in m[1:]] for m in
            re.findall(r"^\| (phone|desktop) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", text, re.MULTILINE)}
    assert set(rows) == {"phone", "desktop"}, text
    assert all(score >= TARGET for scores in rows.values() for score in scores), rows
    assert "Written by `python3 docs/make_quality.py`" in text and "Run date: " in text
