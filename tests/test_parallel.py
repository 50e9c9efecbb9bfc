"""Forked rendering and loading give exactly what one process gives."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from pathlib import Path

import pytest

from qm_site import heap
from qm_site.errors import QmError
from qm_site.parallel import Crew, fork_map
from qm_site.site import builder, graph
from qm_site.source import content
from sitecheck import CONTENT

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
    with heap.batch_gc():
        assert gc.get_threshold()[0] > before[0]
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), heap.batch_gc():
        raise RuntimeError("a failed build")
    assert gc.get_threshold() == before


@pytest.mark.slow
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


def _turns(items):
    """Two turns: each item's square, then each item times what the parent sent."""
    told = yield [i * i for i in items]
    yield [(i * told, os.getpid()) for i in items]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_crew_answers_in_item_order_turn_after_turn(workers):
    items = list(range(9))
    ran = []
    with Crew(_turns, items, workers, minimum=1) as crew:
        assert crew.ask() == [i * i for i in items]
        second = crew.ask(10, meanwhile=lambda: ran.append(os.getpid()))
    assert [n for n, _ in second] == [i * 10 for i in items]
    assert ran == [os.getpid()]
    assert (os.getpid() in {pid for _, pid in second}) == (workers == 1)


def _broken_turns(items):
    yield list(items)
    raise ValueError("a bug in a worker")


def test_a_crew_raises_what_went_wrong_in_a_worker():
    with Crew(_broken_turns, list(range(4)), 2, minimum=1) as crew:
        assert crew.ask() == [0, 1, 2, 3]
        with pytest.raises(RuntimeError, match="a bug in a worker"):
            crew.ask("go on")


@pytest.mark.slow
def test_a_build_whose_workers_load_and_render_is_byte_identical(tmp_path):
    """build's crew (two workers, and one in this process) writes exactly what publish writes from loaded content."""
    folder = synth.generate(graph.PARALLEL_MIN_GROUPS + 2, tmp_path / "content")
    (folder / "c00003" / "campaign.yaml").write_text(
        (folder / "c00003" / "campaign.yaml").read_text(encoding="utf-8") + "draft: true\n", encoding="utf-8")
    two = builder.build(folder, tmp_path / "two", workers=2, search=False)
    one = builder.build(folder, tmp_path / "one", workers=1, search=False)
    builder.publish(content.load(folder), tmp_path / "loaded", frozenset(), workers=1, search=False)
    trees = [_tree(tmp_path / name) for name in ("two", "one", "loaded")]
    assert trees[0] == trees[1] == trees[2]
    assert (two.pages, two.files) == (one.pages, one.files)
    assert not any("c00003" in path for path in trees[0]) and any("c00004" in path for path in trees[0])


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_a_build_with_workers_reports_every_campaigns_problem_and_writes_nothing(tmp_path):
    """Problems found in different workers (a bad value; an id another worker's campaign has) are said together."""
    folder = synth.generate(graph.PARALLEL_MIN_GROUPS + 2, tmp_path / "content")
    bad = folder / "c00005" / "campaign.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("year: 2005", "year: twenty"), encoding="utf-8")
    twin = folder / "c00008" / "campaign.yaml"  # c00007 is loaded by the other worker
    twin.write_text(twin.read_text(encoding="utf-8").replace("slug: c00008", "slug: c00007").replace("year: 2008", "year: 2007"),
                    encoding="utf-8")
    with pytest.raises(QmError) as caught:
        builder.build(folder, tmp_path / "out", workers=2, search=False)
    said = {(Path(p.path).parent.name, p.line, "already used" in str(p.message)) for p in caught.value.problems}
    assert said == {("c00005", 1, False), ("c00008", 1, True)}
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("workers", [1, 2])
def test_build_checks_the_workers_summaries_as_load_checks_whole_campaigns(tmp_path, monkeypatch, workers):
    """A copy that repeats its source's attachment texts under new titles is caught from the summaries' text digests."""
    monkeypatch.setattr(graph, "PARALLEL_MIN_GROUPS", 2)  # so the seed site's six campaigns are loaded by forked workers
    folder = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    copy = Path(shutil.copytree(folder / "2022-national", folder / "2023-national"))
    yaml = copy / "campaign.yaml"
    text = yaml.read_text(encoding="utf-8").replace("year: 2022\n", "year: 2023\ncopied_from: 2022-national\n")
    yaml.write_text(text.replace("    title: 2022年全国", "    title: 2023年全国"), encoding="utf-8")
    with pytest.raises(QmError) as loaded:
        content.load(folder)
    with pytest.raises(QmError) as built:
        builder.build(folder, tmp_path / "out", workers=workers, search=False)
    assert built.value.problems == loaded.value.problems
    assert any("the attachments (titles or texts) are the same as in 2022-national" in str(p.message) for p in built.value.problems)
    assert not (tmp_path / "out").exists()
