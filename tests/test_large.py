"""Large input builds without error, and its memory is reported.

A 5 MB article and a 10,000-entry timeline are far beyond any real
explainer; the point is that size alone never breaks a build. The build runs
in a child process so its peak memory (max RSS) can be read and printed.
"""

from __future__ import annotations

import resource
import subprocess
import sys

from bs4 import BeautifulSoup

from conftest import _env

PARAGRAPH = ("Migrants from Kyrgyzstan, Tajikistan and Uzbekistan queued at the Sakharovo center on day {n}, "
             "where officials in Moscow said the recruitment drive had processed {n} applications; "
             "relatives at home worried about the partial mobilization and the jail terms announced. ")


def write_large_site(root) -> int:
    content = root / "content" / "big"
    content.mkdir(parents=True)
    (root / "site.yaml").write_text("title: Large\n", encoding="utf-8")
    paragraphs, size, n = [], 0, 0
    while size < 5 * 1024 * 1024:
        text = (PARAGRAPH.format(n=n) * 3).strip()
        paragraphs.append(text if n % 40 else f"## Part {n // 40}\n\n{text}")
        size += len(text.encode()) + 2
        n += 1
    article = "---\ntitle: A very long explainer\ndate: 2022-09-22\n---\n" + "\n\n".join(paragraphs) + "\n"
    (content / "article.md").write_text(article, encoding="utf-8")
    entries = []
    for i in range(10_000):
        date = f"{2000 + i % 23}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        anchor = f"\n  anchor: \"processed {i} applications\"" if i < n and i % 10 == 0 else ""
        entries.append(f"- date: {date}\n  title: \"Entry {i} & more\"\n  body: \"Day *{i}*.\"{anchor}")
    (content / "timeline.yaml").write_text("\n".join(entries) + "\n", encoding="utf-8")
    (content / "countries.yaml").write_text("- code: KG\n  name: Kyrgyzstan\n", encoding="utf-8")
    return len(article.encode())


def test_five_megabyte_article_and_ten_thousand_entry_timeline(tmp_path, capsys):
    article_bytes = write_large_site(tmp_path)
    assert article_bytes >= 5 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=tmp_path, env=_env(),
                          capture_output=True, text=True, timeout=600, check=False)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    page = BeautifulSoup((tmp_path / "build/big/index.html").read_text(encoding="utf-8"), "html.parser")
    entries = page.select("ol.timeline > li")
    assert len(entries) == 10_000
    assert len(page.select(".prose p")) > 5_000
    assert page.select_one('a[href="#country-kg"]') is not None
    with capsys.disabled():
        shown = f"{peak_kib / 1024:.0f} MB" if peak_kib > before else "not measurable (an earlier child used more)"
        print(f"\n[large input] {article_bytes / 1e6:.1f} MB article, 10,000 timeline entries: "
              f"built; peak memory of the build process {shown}")
    assert peak_kib < 2 * 1024 * 1024, "a 5 MB article should not need 2 GB"
