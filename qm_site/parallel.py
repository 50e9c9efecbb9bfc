"""One way to spread work over cores: forked processes over interleaved slices of a list."""

from __future__ import annotations

import gc
import os
import signal
import threading
import traceback
from collections.abc import Callable, Generator, Sequence
from functools import partial
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def fork_map(fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int, minimum: int,
             meanwhile: Callable[[], None] | None = None) -> list[R]:
    """fn(slice) -> one result per item, in item order; forked workers when there are at least `minimum` items.

    Each worker is a forked copy of this process, so `fn` may be a closure over anything set up before the
    call (nothing is pickled but the results, which go back through a pipe); slices are interleaved
    (items[k::workers]) so uneven items share out evenly. `meanwhile` runs in this process while the workers
    run (before fn, without workers), so serial work does not leave a core idle. A Crew of one turn.
    """
    with Crew(partial(_one_turn, fn), items, workers, minimum) as crew:
        return crew.ask(meanwhile=meanwhile)


def _one_turn(fn, part):
    """fork_map's workers: fn's results, in one turn."""
    yield fn(part)


def _result(process, receive):
    """A worker's results; its failure raised here (the pipe is read before joining, so large results cannot block)."""
    try:
        status, value = receive.recv()
    except EOFError:
        raise RuntimeError(f"a worker process ended without a result (exit code {process.exitcode})") from None
    if status != "ok":
        raise RuntimeError("a worker process failed:\n" + value)
    return value


class Crew:
    """Forked workers that each run a generator over their slice of a list, talking with this process in turns.

    `fn(slice)` yields one list per turn (a result per item of the slice, in order) and receives what `ask`
    sends; a worker keeps what it made in one turn for the next, so a large build can load its campaigns in
    the workers and render them there, and send this process only what the site-wide pages need. Few items,
    one worker or no fork: the generator runs here over all the items, with the same turns.
    """

    def __init__(self, fn: Callable[[Sequence[T]], Generator[list, object, None]], items: Sequence[T], workers: int,
                 minimum: int) -> None:
        self.count, self.workers = len(items), workers
        self.local: Generator[list, object, None] | None = None
        self.jobs: list = []
        self.frozen = False
        # Forking a process that runs other threads (a server, a thread pool) can deadlock the children: then here.
        if workers <= 1 or len(items) < minimum or not hasattr(os, "fork") or threading.active_count() > 1:
            self.workers, self.local = 1, fn(items)
            return
        import multiprocessing  # ~5 ms: only work large enough to fork pays for it

        ctx = multiprocessing.get_context("fork")
        # The workers share this process's heap until they write to it: frozen, the collector in a worker leaves the
        # parent's objects alone instead of touching (and so copying) every page of them (see gc.freeze's documentation).
        gc.freeze()
        self.frozen = True
        parent = os.getpid()
        for k in range(workers):
            here, there = ctx.Pipe()
            # The worker closes this process's ends (its own pipe's and the earlier workers'): holding them, it
            # would never see end-of-file when this process dies, and wait for a message forever.
            ours = [here, *(conn for _, conn in self.jobs)]
            process = ctx.Process(target=_converse, args=(fn, items[k::workers], there, ours, parent), daemon=True)
            process.start()
            there.close()
            self.jobs.append((process, here))

    def ask(self, message: object = None, meanwhile: Callable[[], None] | None = None) -> list:
        """The workers' next results, one per item in item order; `message` goes to them first (not on the first turn).

        `meanwhile` runs here while they work (before the turn, without workers).
        """
        if self.local is not None:
            if meanwhile:
                meanwhile()
            return next(self.local) if message is None else self.local.send(message)
        if message is not None:
            for _, conn in self.jobs:
                conn.send(message)
        if meanwhile:
            meanwhile()
        parts = [_result(process, conn) for process, conn in self.jobs]
        out: list = [None] * self.count
        for k, part in enumerate(parts):
            out[k::self.workers] = part
        return out

    def close(self) -> None:
        """End the workers (whatever turn they are at)."""
        if self.local is not None:
            self.local.close()
        for process, conn in self.jobs:
            conn.close()
            if process.is_alive():
                process.kill()
            process.join()
        self.jobs = []
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _converse(fn, part, conn, ours, parent: int) -> None:
    """In a worker: send each turn's results (or the traceback of a bug) and wait for the next message."""
    # Killed with the parent even in the middle of a turn (a worker left running would write into a staging
    # folder nobody swaps in, and hold its memory); SIGKILL, as a worker has nothing to clean up.
    from .lifeline import die_with_parent  # ctypes, ~2 ms: imported where forks happen, in the worker

    die_with_parent(signal.SIGKILL, parent)
    for end in ours:
        end.close()
    try:
        turns = fn(part)
        reply = next(turns)
        while True:
            conn.send(("ok", reply))
            reply = turns.send(conn.recv())
    except (StopIteration, EOFError):  # done, or the parent closed the pipe
        pass
    except BaseException:  # reported in the parent, which raises it
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()
