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

import posixpath
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
    """What outputs made last time, by name and key (the dev server keeps one), and values made on the way there.

    It also holds the site's files as the last `execute` left them (`files`), changed in place by the next one,
    and the earlier bytes of every path an execute changed since `take_changes` was last asked.
    """

    def __init__(self) -> None:
        self._outputs: dict[str, tuple[Hashable, Made]] = {}
        self._values: dict[tuple, dict[tuple, object]] = {}  # by campaign version: (id, digest)
        self._latest: dict[Hashable, tuple[object, object]] = {}
        self._fragments: dict[Hashable, object] = {}
        self.files = output.Files()
        self._before: dict[str, bytes | None] = {}

    def made(self, o: Output) -> Made | None:
        """The files `o` made last time, if its key is the same."""
        hit = self._outputs.get(o.name)
        return hit[1] if hit is not None and o.key is not None and hit[0] == o.key else None

    def value(self, key: tuple, make: Callable[[], object]):
        """An intermediate value (a campaign's view, its page list) by a key (kind, campaign id, its digest, ...)."""
        found = self._values.get(key[1:3])
        if found is None:
            found = self._values[key[1:3]] = {}
        value = found.get(key, found)  # `found` itself: no value yet (None may be one)
        if value is found:
            value = found[key] = make()
        return value

    def latest(self, name: Hashable, inputs: object, make: Callable[[], object]):
        """A site-wide value made from `inputs` (compared with ==, not hashed), kept once: made again when they differ."""
        hit = self._latest.get(name)
        if hit is None or hit[0] != inputs:
            hit = self._latest[name] = (inputs, make())
        return hit[1]

    def fragment(self, key: Hashable, make: Callable[[], object]):
        """A piece of a page (one slogan of the library) by a key that covers all it shows."""
        if key not in self._fragments:
            self._fragments[key] = make()
        return self._fragments[key]

    def keep_versions(self, current: set[tuple[str, str]]) -> None:
        """Forget the values of campaign versions (id, digest) not in `current` (edited or removed since)."""
        for version in [v for v in self._values if v not in current]:
            del self._values[version]

    def replace(self, made: dict[str, tuple[Output, Made]], names: set[str]) -> None:
        """Put what outputs made again into `files`, dropping what they and outputs no longer produced made before.

        Nothing changes when a new file would take a path another output keeps (a QmError says which).
        """
        stale = [n for n in self._outputs if n in made or n not in names]
        freed = {posixpath.normpath(p) for n in stale for p in self._outputs[n][1]}
        before = self.files.swap(freed, [(path, data, o.origin) for o, files in made.values() for path, data in files.items()])
        for path, data in before.items():
            self._before.setdefault(path, data)
        for n in stale:
            del self._outputs[n]
        for name, (o, files) in made.items():
            self._outputs[name] = (o.key, files)

    def take_changes(self) -> tuple[dict[str, bytes], set[str]]:
        """Files written or changed, and paths removed, by the executes since the last call."""
        written = {p: self.files[p] for p, old in self._before.items() if p in self.files and self.files[p] != old}
        removed = {p for p, old in self._before.items() if old is not None and p not in self.files}
        self._before = {}
        return written, removed

    def clear(self) -> None:
        """Forget everything: templates, assets or site.yaml changed, which every output depends on."""
        self._outputs.clear()
        self._values.clear()
        self._latest.clear()
        self._fragments.clear()
        self.files = output.Files()  # a new one: whoever holds the old one keeps the site as it was
        self._before = {}


def execute(outputs: Iterable[Output], workers: int = 1, sink: Path | None = None, mtime: int | None = None,
            memo: Memo | None = None) -> output.Files:
    """Make every output: grouped ones in forked workers when there are many, the rest here meanwhile.

    With `sink` (a staging folder) grouped outputs are written there by whoever makes them and only claimed in
    the returned Files, so a large site is never held in memory at once. Problems of all groups are raised together.
    With a `memo` (the dev server's) everything is made here, only outputs whose key changed, and the result is
    the memo's own `files`, updated in place.
    """
    if memo is not None:
        return _execute_again(list(outputs), memo)
    outputs = list(outputs)
    files = output.Files()
    groups: dict[str, list[Output]] = {}
    for o in outputs:
        if o.group:
            groups.setdefault(o.group, []).append(o)

    def shared() -> None:
        make_here([o for o in outputs if not o.group], files)

    def made(ids: Sequence[str]) -> list:
        return [make_group(groups[g], sink, mtime) for g in ids]

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
    return files


def make_here(outputs: Iterable[Output], files: output.Files) -> None:
    """Make `outputs` in this process, adding their files to `files`."""
    for o in outputs:
        for path, data in o.make().items():
            files.add(path, data, o.origin)


def _execute_again(outputs: list[Output], memo: Memo) -> output.Files:
    """execute with a memo: outputs whose key is unchanged are neither made nor looked at again, their files stay."""
    made: dict[str, tuple[Output, Made]] = {}
    problems, names = [], set()
    for o in outputs:
        if o.name in names:  # its files would replace the other's in the memo: refused, as Files refuses a path twice
            raise output.clash(o.name, o.origin)
        names.add(o.name)
        if memo.made(o) is None:
            try:
                made[o.name] = (o, o.make())
            except QmError as exc:
                problems.extend(exc.problems)
    if problems:
        raise QmError(problems)
    memo.replace(made, names)
    return memo.files


def make_group(group: list[Output], sink: Path | None, mtime: int | None) -> list | tuple:
    """A group's files as (path, bytes, origin), written to the sink if any; or a tuple of the problems that stopped it."""
    try:
        items = [(path, data, o.origin) for o in group for path, data in o.make().items()]
    except QmError as exc:
        return tuple(exc.problems)
    if sink is not None:
        output.write_tree({path: data for path, data, _ in items}, sink, mtime)
        return [(path, b"", origin) for path, _, origin in items]
    return items
