"""The output graph: every file of the site comes from an Output record, and one executor makes them.

A producer (assets, pages, feeds, campaign data, the poster font: see builder.site_outputs) says what it
will write as `Output(name, key, make)`: `make()` returns the files ({path: bytes}; usually one), and `key`
covers exactly the inputs those bytes depend on. `execute` makes them serially, in forked workers (one
campaign's outputs stay together in one worker, so what they share is computed once there), and, with a
`Memo` kept between runs (the dev server's, which renders in one process), makes again only the outputs
whose key changed.
Adding a kind of output means adding a producer; nothing here changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import QmError
from ..parallel import fork_map
from . import output

Made = dict[str, bytes]
PARALLEL_MIN_GROUPS = 40  # below this many campaigns, starting processes costs more than it saves


@dataclass(frozen=True)
class Output:
    """One output of the site: a name (its first file's path), the key of its inputs, and how to make its files."""

    name: str
    key: Hashable | None  # None: made on every run (cheap, or depends on everything)
    make: Callable[[], Made]
    group: str = ""  # a campaign id: a group's outputs are made together in one worker; "": in this process
    origin: str = ""  # shown with a problem in its path (a page URL)


def single(path: str, key: Hashable | None, make: Callable[[], bytes | str], group: str = "", origin: str = "") -> Output:
    """An Output of one file."""
    return Output(path, key, lambda: {path: _bytes(make())}, group, origin or path)


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


class Memo:
    """What outputs made last time, by name and key (the dev server keeps one), and values made on the way there."""

    def __init__(self) -> None:
        self._outputs: dict[str, tuple[Hashable, Made]] = {}
        self._values: dict[Hashable, object] = {}

    def made(self, o: Output) -> Made | None:
        """The files `o` made last time, if its key is the same."""
        hit = self._outputs.get(o.name)
        return hit[1] if hit is not None and o.key is not None and hit[0] == o.key else None

    def keep(self, o: Output, files: Made) -> None:
        """Remember what `o` made."""
        if o.key is not None:
            self._outputs[o.name] = (o.key, files)

    def value(self, key: Hashable, make: Callable[[], object]):
        """An intermediate value (a campaign's view, its page list) by a key that holds its sources' digest."""
        if key not in self._values:
            self._values[key] = make()
        return self._values[key]

    def keep_outputs(self, names: set[str]) -> None:
        """Forget outputs no longer produced."""
        self._outputs = {n: v for n, v in self._outputs.items() if n in names}

    def keep_values(self, wanted: Callable[[Hashable], bool]) -> None:
        """Forget values `wanted` rejects (of campaign versions that no longer exist)."""
        self._values = {k: v for k, v in self._values.items() if wanted(k)}

    def clear(self) -> None:
        """Forget everything: templates, assets or site.yaml changed, which every output depends on."""
        self._outputs.clear()
        self._values.clear()


def execute(outputs: Iterable[Output], workers: int = 1, sink: Path | None = None, mtime: int | None = None,
            memo: Memo | None = None) -> output.Files:
    """Make every output: grouped ones in forked workers when there are many, the rest here meanwhile.

    With `sink` (a staging folder) grouped outputs are written there by whoever makes them and only claimed in
    the returned Files, so a large site is never held in memory at once. Problems of all groups are raised together.
    """
    outputs = list(outputs)
    files = output.Files()
    groups: dict[str, list[Output]] = {}
    for o in outputs:
        if o.group:
            groups.setdefault(o.group, []).append(o)

    def shared() -> None:
        for o in outputs:
            if not o.group:
                for path, data in _make(o, memo).items():
                    files.add(path, data, o.origin)

    def made(ids: Sequence[str]) -> list:
        return [_make_group(groups[g], memo, sink, mtime) for g in ids]

    results = fork_map(made, list(groups), workers, PARALLEL_MIN_GROUPS, shared)
    problems = [p for r in results if isinstance(r, tuple) for p in r]
    if problems:
        raise QmError(problems)
    for r in results:
        for path, data, origin in r:
            if sink is None:
                files.add(path, data, origin)
            else:
                files.claim(path, origin)
    if memo is not None:
        memo.keep_outputs({o.name for o in outputs})
    return files


def _make(o: Output, memo: Memo | None) -> Made:
    """The files of one output, from the memo when its key is unchanged."""
    found = memo.made(o) if memo is not None else None
    if found is None:
        found = o.make()
        if memo is not None:
            memo.keep(o, found)
    return found


def _make_group(group: list[Output], memo: Memo | None, sink: Path | None, mtime: int | None) -> list | tuple:
    """A group's files as (path, bytes, origin), written to the sink if any; or a tuple of the problems that stopped it."""
    try:
        items = [(path, data, o.origin) for o in group for path, data in _make(o, memo).items()]
    except QmError as exc:
        return tuple(exc.problems)
    if sink is not None:
        output.write_tree({path: data for path, data, _ in items}, sink, mtime)
        return [(path, b"", origin) for path, _, origin in items]
    return items
