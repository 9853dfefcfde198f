"""How the build tunes the process it runs in: Python's cycle collector, all in one place.

A build makes a great many short-lived objects and almost no reference
cycles, holds what it made until it ends, and forks workers that share this
process's memory. The collector's defaults suit none of that: it would scan
the same long-lived objects again and again, and in a forked worker every
scan writes to (and so copies) pages shared with the parent. Everything here
is the public gc module, and none of it changes what the build writes.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


def freeze() -> None:
    """Moves every object alive now out of the collector's sight, until unfreeze().

    Before forking workers: collections in the workers then never touch
    (and so copy) the memory they share with this process. Late in a build:
    what the build holds lives until it ends, and is not scanned again and
    again while the site-wide files are made.
    """
    gc.freeze()


def unfreeze() -> None:
    """Puts what freeze() set aside back in the collector's sight."""
    gc.unfreeze()


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """freeze() for the length of the block."""
    freeze()
    try:
        yield
    finally:
        unfreeze()


def in_pool_worker() -> None:
    """A worker of the build's pool: its garbage is mostly short-lived and free of cycles, so
    collecting less often saves time, and its memory is returned whole when it ends."""
    gc.set_threshold(20_000, 20, 1000)


def in_one_job_fork() -> None:
    """A process forked for one short job, which then ends and returns its memory whole: the
    collector would only spend time (half of unpickling the summaries) finding no cycles."""
    gc.disable()
