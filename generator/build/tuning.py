"""How the build tunes the process it runs in: Python's cycle collector and the C heap, all in one place.

A build makes a great many short-lived objects and almost no reference
cycles, holds what it made until it ends, and forks workers that share this
process's memory. The collector's defaults suit none of that: it would scan
the same long-lived objects again and again, and in a forked worker every
scan writes to (and so copies) pages shared with the parent. Everything here
is the public gc module and the C library's malloc_trim, and none of it
changes what the build writes.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Callable, Iterator

RELEASE_EVERY = 8  # jobs of a pool worker between two returns of its free heap to the system


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


def heap_release() -> Callable[[], None]:
    """A function that hands the C heap's free pages back to the system (glibc's malloc_trim).

    A worker draws images: Pillow's picture and row buffers, each a few hundred kilobytes,
    freed at once. glibc keeps such freed memory in its heap rather than returning it, so a
    worker's resident memory grows with every image it ever drew; trimmed now and then, it
    stays near what its current job needs. Elsewhere than glibc this does nothing.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    return lambda: trim(0) and None
