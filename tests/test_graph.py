"""The output graph: records in, files out, the same bytes serially, forked or through the memo."""

from __future__ import annotations

import pytest

from qm_site.errors import QmError
from qm_site.site import graph, output

GROUPS = graph.PARALLEL_MIN_GROUPS + 3  # enough groups for the executor to fork


def outputs(calls: list | None = None, version: int = 1) -> list[graph.Output]:
    """A small site: one site-wide file, a two-file output, and a page per group; `calls` records what was made."""
    def made(name: str, data: str):
        def make() -> str:
            if calls is not None:
                calls.append(name)
            return data
        return make

    out = [graph.single("index.html", ("home", version), made("index.html", f"home v{version}")),
           graph.Output("feed.xml", None, lambda: {"feed.xml": b"feed", "en/feed.xml": b"en feed"})]
    for g in range(GROUPS):
        out.append(graph.single(f"c{g}/index.html", ("c", g), made(f"c{g}", f"campaign {g}"), group=f"c{g}"))
    return out


def test_serial_and_forked_make_the_same_files():
    one, two = graph.execute(outputs(), workers=1), graph.execute(outputs(), workers=2)
    assert one == two and one["en/feed.xml"] == b"en feed" and len(one) == GROUPS + 3


def test_forked_groups_write_into_the_sink_and_are_only_claimed(tmp_path):
    files = graph.execute(outputs(), workers=2, sink=tmp_path)
    assert (tmp_path / "c3" / "index.html").read_bytes() == b"campaign 3"
    assert "c3/index.html" in files.claimed and "c3/index.html" not in files and files["index.html"] == b"home v1"


def test_the_memo_makes_again_only_what_changed():
    memo, calls = graph.Memo(), []
    first = graph.execute(outputs(calls), memo=memo)
    assert len(calls) == GROUPS + 1
    calls.clear()
    again = graph.execute(outputs(calls, version=2), memo=memo)
    assert calls == ["index.html"] and again["index.html"] == b"home v2"  # the key changed; the groups' did not
    assert {p: b for p, b in again.items() if p != "index.html"} == {p: b for p, b in first.items() if p != "index.html"}


def test_the_memo_forgets_outputs_that_are_gone():
    memo, calls = graph.Memo(), []
    graph.execute(outputs(), memo=memo)
    graph.execute(outputs()[:2], memo=memo)  # the campaigns were removed
    graph.execute(outputs(calls), memo=memo)
    assert len(calls) == GROUPS  # made again, not taken from a memo that should have let them go


def test_the_memo_keeps_the_files_and_says_what_changed():
    memo = graph.Memo()
    graph.execute(outputs(), memo=memo)
    memo.take_changes()
    again = graph.execute([o for o in outputs(version=2) if o.name != "c3/index.html"], memo=memo)
    assert again is memo.files and again == {p: b for p, b in graph.execute(outputs(version=2)).items() if p != "c3/index.html"}
    written, removed = memo.take_changes()
    assert set(written) == {"index.html"} and removed == {"c3/index.html"}
    assert memo.take_changes() == ({}, set())


def test_a_path_another_output_keeps_is_refused_and_nothing_changes():
    memo = graph.Memo()
    graph.execute(outputs(), memo=memo)
    kept = dict(memo.files)
    clash = graph.single("c1/index.html", ("new",), lambda: "again", group="x")
    with pytest.raises(QmError, match="two pages would be written"):
        graph.execute([*outputs(), clash], memo=memo)
    assert memo.files == kept
    graph.execute(outputs(), memo=memo)
    assert memo.files == kept


def test_memo_latest_values_are_made_again_when_their_inputs_differ():
    memo, made = graph.Memo(), []
    for inputs in ((1, 2), (1, 2), (1, 3)):
        memo.latest("sum", inputs, lambda inputs=inputs: made.append(inputs) or sum(inputs))
    assert made == [(1, 2), (1, 3)]


def test_memo_values_are_made_once_per_key_and_pruned():
    memo, made = graph.Memo(), []
    for _ in range(2):
        assert memo.value(("view", "a", "d1", "zh_CN"), lambda: made.append(1) or "view") == "view"
    memo.keep_versions({("a", "d2")})
    memo.value(("view", "a", "d1", "zh_CN"), lambda: made.append(1) or "view")
    assert len(made) == 2


@pytest.mark.parametrize("workers", [1, 2])
def test_problems_of_every_group_are_raised_together(workers):
    def broken(g: int):
        def make() -> bytes:
            raise QmError.at(f"c{g}/campaign.yaml", 1, 1, "broken")
        return make

    bad = [graph.single(f"c{g}/index.html", None, broken(g), group=f"c{g}") for g in (1, 5)]
    with pytest.raises(QmError) as caught:
        graph.execute(outputs()[:2] + bad + outputs()[2:], workers=workers)
    assert sorted(p.path for p in caught.value.problems) == ["c1/campaign.yaml", "c5/campaign.yaml"]


def test_two_outputs_writing_one_path_are_refused():
    clash = graph.single("index.html", None, lambda: "again")
    with pytest.raises(QmError, match="two pages would be written"):
        graph.execute([*outputs(), clash])


def test_a_new_kind_of_output_is_one_producer(tmp_path):
    """What the issues on search, CMS and print add: a producer of records, nothing else changes."""
    def search_index(pages: list[str]) -> list[graph.Output]:
        return [graph.single("search/index.json", ("search", tuple(pages)), lambda: f'{{"pages": {len(pages)}}}')]

    files = graph.execute([*outputs(), *search_index(["a", "b"])], sink=tmp_path)
    output.write_tree(files, tmp_path)
    assert (tmp_path / "search" / "index.json").read_text() == '{"pages": 2}'
