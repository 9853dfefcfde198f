"""Worker processes: explainers made side by side, and site-wide groups in forks.

A cold build of a newsroom's archive is mostly making explainers, one at a
time and each on its own, so it is spread over worker processes. Results
come back in folder order, so the output does not depend on the workers.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from generator.errors import Problem

from .explainer import Maker
from .records import WorkerResult
from .tuning import RELEASE_EVERY, frozen, heap_release, in_one_job_fork, in_pool_worker

PARALLEL_FROM = 24  # fewer explainers than this are made in this process: starting workers costs more
PER_WORKER = 8  # explainers a worker takes at a time


Job = tuple[Path, str | None]  # an explainer folder and its fingerprint, if known yet
Made = tuple[WorkerResult | None, list[Problem]]
Run = Callable[[Maker, Job], Made]


def make_all(maker: Maker, jobs: list[Job], workers: int | None, run: Run | None = None,
             each: Callable[[Made], None] | None = None) -> list[Made]:
    """Makes every job with `run` (Maker.make unless given), in worker processes when there are enough.

    `run` runs in the process that makes the job: a worker writes the page
    itself and sends back only its record, which costs far less than sending
    the page to be written here. `each` is told of every job made, in this
    process, as its result comes back (the build's progress).
    """
    run = run or _make_only
    count = _worker_count(len(jobs), workers)
    # Workers are forked: they share the loaded modules and compiled templates
    # at no cost. Forking is unsafe once other threads run (the preview's
    # server), and starting fresh interpreters would run the caller's main
    # module again, so then this process makes everything itself.
    if count <= 1 or not can_fork():
        return [_told(each, run(maker, job)) for job in jobs]
    with frozen():
        with interrupts_blocked():
            pool = multiprocessing.get_context("fork").Pool(count, initializer=_start, initargs=(maker, run))
        with pool:
            return [_told(each, _raise(sent)) for sent in pool.imap(_make, jobs, chunksize=PER_WORKER)]


def _told(each: Callable[[Made], None] | None, made: Made) -> Made:
    if each is not None:
        each(made)
    return made


def can_fork() -> bool:
    """Whether worker processes may be forked: never once other threads run."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def in_forks(run: Callable, items: list, processes: int) -> list:
    """`run(item)` for each item, in forked processes that share this one's memory; results in order.

    Each item in a process of its own, at most `processes` at a time: what one made (a site-wide
    group's files) is freed as it ends, not carried while the process makes the next. Every
    process is forked by this thread while no other runs (a pool forks its later workers from a
    thread of its own, and a child forked beside other threads may inherit their locks held).
    """
    context = multiprocessing.get_context("fork")
    _FORKED["run"] = run
    sent: list[tuple[bool, object]] = [(True, RuntimeError("not run"))] * len(items)
    todo = list(enumerate(items))
    running: dict[Connection, tuple[int, BaseProcess]] = {}
    try:
        while todo or running:
            while todo and len(running) < processes:
                i, item = todo.pop(0)
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_run_forked, args=(item, send), daemon=True)
                with interrupts_blocked():
                    process.start()
                send.close()
                running[receive] = (i, process)
            ready = wait(list(running))
            for receive in [c for c in running if c in ready]:
                i, done = running.pop(receive)
                sent[i] = _received(receive, done)
    finally:
        for _, left in running.values():  # interrupted: the others are not waited for
            left.kill()
            left.join()
        _FORKED.clear()
    return [_raise(one) for one in sent]


_FORKED: dict[str, Callable] = {}  # what in_forks runs: set before forking, so children have it


def _run_forked(item, send: Connection) -> None:
    leave_interrupts_to_parent()
    in_one_job_fork()
    die_with_parent()
    with send:
        send.send(_sent(_FORKED["run"], item))


def _received(receive: Connection, process: BaseProcess) -> tuple[bool, object]:
    """What a forked process sent, once it has ended."""
    with receive:
        try:
            found = receive.recv()
        except EOFError:  # it died before sending: killed, or its result could not be pickled
            found = None
    process.join()
    if found is None:
        return True, RuntimeError(f"a forked process ended without its result (exit code {process.exitcode})")
    return found


def _sent(run: Callable, *args) -> tuple[bool, object]:
    """What a worker sends back: (False, result), or (True, the exception it raised).

    Even KeyboardInterrupt is sent: a worker that dies of it would leave
    the pool waiting for its result for ever.
    """
    try:
        return False, run(*args)
    except BaseException as exc:  # noqa: BLE001  # re-raised in the parent by _raise
        return True, exc


def _raise(sent: tuple[bool, object]):
    raised, value = sent
    if raised and isinstance(value, BaseException):
        raise value
    return value


def _make_only(maker: Maker, job: Job) -> Made:
    folder, fingerprint = job
    return maker.make((folder, fingerprint or ""))  # without a fingerprint, never taken for the same later


def _worker_count(jobs: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, min(workers, jobs))
    if jobs < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, jobs // PER_WORKER))


PR_SET_PDEATHSIG = 1  # prctl(2)


def die_with_parent() -> None:
    """Ends this worker quietly when the build that forked it is killed (kill -9): left
    running, it would only fail to send its result back and print a traceback about it."""
    forked_by = multiprocessing.parent_process()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: such a worker ends with its next job
        return
    if forked_by is not None and os.getppid() != forked_by.pid:  # killed before the call above
        os._exit(1)


@contextlib.contextmanager
def interrupts_blocked() -> Iterator[None]:
    """Holds Ctrl-C back while processes are forked, and delivers it here once they are: each
    starts with it blocked until it ignores it (leave_interrupts_to_parent), so a Ctrl-C in
    between reaches neither Python's handler there nor its half-set-up process."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def leave_interrupts_to_parent() -> None:
    """Ignores Ctrl-C in a forked process. A terminal sends it to the whole process group: the
    build that forked this process stops and ends it (a pool's workers, by their pool; a one-job
    fork, as its parent dies), while this process, left to Python's default, would print a
    traceback of wherever the interrupt found it, waiting for its next job say."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@dataclass
class Worker:
    """What a worker process of the pool holds: set up once by the pool's initializer."""

    maker: Maker
    run: Run
    release: Callable[[], None]
    jobs: int = 0


_WORKER: dict[str, Worker] = {}


def _start(maker: Maker, run: Run) -> None:
    leave_interrupts_to_parent()
    die_with_parent()
    _WORKER["worker"] = Worker(maker, run, heap_release())
    in_pool_worker()


def _make(job: Job) -> tuple[bool, object]:
    worker = _WORKER["worker"]
    sent = _sent(worker.run, worker.maker, job)
    worker.jobs += 1
    if worker.jobs % RELEASE_EVERY == 0:
        worker.release()
    return sent
