"""What a build prints: progress on a terminal once it runs for a second; else only the summary and problems.

The builds run as the real command in a child process, under a pseudo-terminal
(pty) or with pipes. Each explainer is made a little slower in the child (a pause
in Maker.make, which forked workers inherit), so that the build runs past the
second after which progress is shown, whatever the machine.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

from conftest import REPO, SITES, copy_site

EXPLAINERS = 24
PROBLEM = re.compile(r"^\S+?(:\d+:\d+)?: (error|warning): .+$")
SUMMARY = re.compile(r"^built \d+ explainer\(s\), \d+ files, into .+ in [\d.]+ s$")
# Run in the child: each explainer takes a moment more; then the command; then whether tqdm was loaded.
CHILD = """
import sys, time
from generator.build import explainer as making
make = making.Maker.make
making.Maker.make = lambda self, *args, **kwargs: (time.sleep({pause}), make(self, *args, **kwargs))[1]
from generator.cli.main import main
status = main(sys.argv[1:])
print("tqdm loaded" if "tqdm" in sys.modules else "tqdm not loaded", file=sys.stderr)
sys.exit(status)
"""


@pytest.fixture
def big(tmp_path):
    site = copy_site(SITES / "valid", tmp_path / "site")
    for i in range(EXPLAINERS):
        site.write(f"content/story-{i:02}/article.md",
                   f"---\ntitle: Story number {i}\ndate: 2023-01-{i % 28 + 1:02}\n---\nThe text of story {i}.\n")
    return site


def command(site, *args: str, pause: float = 0.1) -> list[str]:
    return [sys.executable, "-c", CHILD.format(pause=pause), "build", "--site", str(site.root), *args]


def env() -> dict:
    return dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                COLUMNS="160", TERM="xterm")


def terminal() -> tuple[int, int]:
    """A pseudo-terminal's two ends, 40 lines of 160 columns as a terminal window has (a new one has none)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    return master, slave


def on_terminal(argv: list[str], timeout: float = 240) -> tuple[int, str]:
    """Runs argv with a pseudo-terminal as its standard output and error; its status and all it wrote."""
    master, slave = terminal()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env(), close_fds=True)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if child.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    status = child.wait(timeout=30)
    return status, b"".join(chunks).decode("utf-8", "replace")


def test_a_build_on_a_terminal_shows_its_progress(big):
    status, shown = on_terminal(command(big))
    assert status == 0, shown
    progress = re.findall(r"(\d+)/(\d+) explainers made, (\d+) files written \[[^\]]* left\]", shown)
    assert progress, f"no progress shown:\n{shown}"
    folders = len(list((big.root / "content").iterdir()))  # every explainer is made: the first build
    assert {total for _, total, _ in progress} == {str(folders)}
    assert any(0 < int(made) for made, _, _ in progress) and any(int(files) > 0 for _, _, files in progress)
    lines = [line.strip() for line in re.split(r"[\r\n]+", shown) if line.strip()]
    assert any(SUMMARY.match(line) for line in lines), shown
    assert "tqdm loaded" in shown


def test_without_a_terminal_only_the_summary_and_the_problems(big):
    run = subprocess.run(command(big), capture_output=True, text=True, env=env(), timeout=240, check=False)
    assert run.returncode == 0, run.stderr
    assert [bool(SUMMARY.match(line)) for line in run.stdout.splitlines()] == [True], run.stdout
    err = run.stderr.splitlines()
    assert err[-1] == "tqdm not loaded"  # progress is never imported on the way of such a build
    problems = err[:-1]
    assert problems and all(PROBLEM.match(line) for line in problems), run.stderr


def test_quiet_prints_only_the_problems_even_on_a_terminal(big):
    status, shown = on_terminal(command(big, "--quiet"))
    assert status == 0, shown
    lines = [line.strip() for line in shown.splitlines() if line.strip()]
    assert lines[-1] == "tqdm not loaded"
    assert lines[:-1] and all(PROBLEM.match(line) for line in lines[:-1]), shown
    assert "explainers made" not in shown


def test_serve_shows_the_first_builds_progress(big):
    """The preview's first build goes through the same progress; the server then starts as usual."""
    argv = [sys.executable, "-c", CHILD.format(pause=0.1), "serve", "--site", str(big.root), "--port", "0"]
    master, slave = terminal()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env(), close_fds=True)
    os.close(slave)
    shown, deadline = "", time.monotonic() + 240
    try:
        while "serving the preview at" not in shown and time.monotonic() < deadline and child.poll() is None:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    shown += os.read(master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
    finally:
        child.terminate()
        child.wait(timeout=30)
        os.close(master)
    assert "serving the preview at" in shown, shown
    assert re.search(r"\d+/\d+ explainers made", shown), shown
    assert (big.root / ".preview" / "story-00" / "index.html").is_file()
