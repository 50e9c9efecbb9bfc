"""Forked rendering and loading give exactly what one process gives."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest

from qm_site.parallel import fork_map
from qm_site.site import builder, graph
from qm_site.source import content

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402


def _square_slice(items):
    return [i * i for i in items]


def test_fork_map_keeps_item_order():
    items = list(range(11))
    assert fork_map(_square_slice, items, 2, minimum=1) == [i * i for i in items]
    assert fork_map(_square_slice, items, 1, minimum=1) == [i * i for i in items]


def _pid_slice(items):
    return [os.getpid() for _ in items]


@pytest.mark.parametrize("workers", [1, 2])
def test_fork_map_runs_meanwhile_in_this_process_once(workers):
    ran = []
    out = fork_map(_pid_slice, list(range(4)), workers, minimum=1, meanwhile=lambda: ran.append(os.getpid()))
    assert ran == [os.getpid()]
    assert (os.getpid() in out) == (workers == 1)


def test_batch_gc_restores_the_collector_thresholds():
    before = gc.get_threshold()
    with builder.batch_gc():
        assert gc.get_threshold()[0] > before[0]
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), builder.batch_gc():
        raise RuntimeError("a failed build")
    assert gc.get_threshold() == before


def test_two_workers_build_the_same_bytes_as_one(tmp_path):
    folder = synth.generate(graph.PARALLEL_MIN_GROUPS + 2, tmp_path / "content")
    loaded = content.load(folder)
    assert content.load(folder, workers=2) == loaded
    one, n_one = builder.render_site(loaded, workers=1)
    two, n_two = builder.render_site(loaded, workers=2)
    assert n_one == n_two and one == two


def test_two_workers_load_many_campaigns_like_one(tmp_path, monkeypatch):
    monkeypatch.setattr(content, "PARALLEL_MIN_CAMPAIGNS", 4)  # so a small folder takes the forked path
    folder = synth.generate(9, tmp_path / "content")
    one = content.load(folder)
    two = content.load(folder, workers=2)
    assert two == one and two.warnings == one.warnings


def test_fork_map_runs_slices_in_other_processes():
    """The suite really forks here (no server or browser thread is left running when it reaches this module)."""
    pids = fork_map(lambda items: [os.getpid() for _ in items], list(range(4)), workers=2, minimum=1)
    assert os.getpid() not in pids and len(set(pids)) == 2
