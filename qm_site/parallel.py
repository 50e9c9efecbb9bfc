"""One way to spread work over cores: forked processes over interleaved slices of a list."""

from __future__ import annotations

import multiprocessing as mp
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def fork_map(fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int, minimum: int,
             meanwhile: Callable[[], None] | None = None) -> list[R]:
    """fn(slice) -> one result per item, in item order; forked workers when there are at least `minimum` items.

    Forked workers inherit the parent's memory, so fn may read state set up before the call; slices are
    interleaved (items[k::workers]) so uneven items share out evenly. `meanwhile` runs in this process
    while the workers run (before fn, without workers), so serial work does not leave a core idle.
    """
    if workers <= 1 or len(items) < minimum or "fork" not in mp.get_all_start_methods():
        if meanwhile:
            meanwhile()
        return fn(items)
    with mp.get_context("fork").Pool(workers) as pool:
        pending = pool.map_async(fn, [items[k::workers] for k in range(workers)])
        if meanwhile:
            meanwhile()
        parts = pending.get()
    out: list = [None] * len(items)
    for k, part in enumerate(parts):
        out[k::workers] = part
    return out
