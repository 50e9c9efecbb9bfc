"""YAML 1.2 (core schema) loading that keeps file, line and column for every node.

PyYAML resolves YAML 1.1, where `no` is False and `9:30` is 570; campaign files are
full of such values (and Decap CMS writes YAML 1.2 without quotes), so we compose
nodes with our own resolver and keep each scalar's source text. The schema decides
the final type: a field that wants text gets the text exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.resolver import BaseResolver

from .errors import QmError
from .i18n import N_

try:  # libyaml's parser is ~10x faster; the pure-Python one behaves the same.
    from yaml.cyaml import CParser as _Parser

    _C = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _C = False


class Resolver12(BaseResolver):
    """Implicit tags of the YAML 1.2 core schema: no yes/no booleans, no sexagesimals, no dates."""


Resolver12.yaml_implicit_resolvers = {}
for _tag, _regex, _first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]:
    Resolver12.add_implicit_resolver(_tag, re.compile(_regex), _first)


if _C:

    class _Loader(_Parser, Resolver12):  # type: ignore[misc, valid-type]
        """libyaml parser and composer with the YAML 1.2 resolver."""

        def __init__(self, stream):
            _Parser.__init__(self, stream)
            Resolver12.__init__(self)

else:  # pragma: no cover

    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, Composer, Resolver12):  # type: ignore[no-redef]
        """Pure-Python parser and composer with the YAML 1.2 resolver."""

        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            Resolver12.__init__(self)


@dataclass
class Node:
    """A loaded YAML value with its location. `value` is dict[str, Node], list[Node] or a scalar."""

    value: Any
    path: str
    line: int
    column: int
    kind: str  # "mapping", "sequence" or "scalar"
    text: str = ""  # a scalar's source text, as written
    tag: str = ""  # a scalar's resolved tag suffix: str, int, float, bool, null
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)  # mapping key -> (line, col)

    @property
    def loc(self) -> tuple[str, int, int]:
        """Where this value starts."""
        return (self.path, self.line, self.column)

    def plain(self) -> Any:
        """Convert to plain Python data (for JSON output and tests)."""
        if self.kind == "mapping":
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == "sequence":
            return [v.plain() for v in self.value]
        return self.value


_SCALARS = {
    "tag:yaml.org,2002:null": ("null", lambda s: None),
    "tag:yaml.org,2002:bool": ("bool", lambda s: s.lower() == "true"),
    "tag:yaml.org,2002:int": ("int", lambda s: int(s, 0) if s[:2] in ("0o", "0x") else int(s)),
    "tag:yaml.org,2002:float": ("float", lambda s: float(s.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf"))),
    "tag:yaml.org,2002:str": ("str", lambda s: s),
}


def _where(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


MAX_NODES = 100_000  # the 2022 national campaign has ~1,000; aliases could make billions out of a few bytes


class _Budget:
    """Counts converted nodes, so that nested aliases ("billion laughs") stop at once with an error, not MemoryError."""

    def __init__(self) -> None:
        self.left = MAX_NODES

    def spend(self, path: str, line: int, col: int) -> None:
        """Take one node from the budget; raise at the node that exhausts it."""
        self.left -= 1
        if self.left < 0:
            raise QmError.at(path, line, col, N_("the YAML expands to more than %(max)s values (through aliases like *name)",
                                                 max=MAX_NODES),
                             N_("write the values out instead of repeating them with & and * aliases"))


def _convert(node, path: str, depth: int = 0, budget: _Budget | None = None) -> Node:
    """Turn a PyYAML node into our Node, checking keys, tags and size."""
    budget = budget or _Budget()
    line, col = _where(node.start_mark)
    budget.spend(path, line, col)
    if depth > 60:
        raise QmError.at(path, line, col, N_("the YAML is nested too deeply"), N_("campaign files are at most a few levels deep"))
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        keys: dict[str, tuple[int, int]] = {}
        for knode, vnode in node.value:
            kline, kcol = _where(knode.start_mark)
            if not isinstance(knode, yaml.ScalarNode):
                raise QmError.at(path, kline, kcol, N_("a key must be plain text, not a list or mapping"), N_("write keys like `title:`"))
            key = knode.value
            if key == "<<" and knode.tag.endswith("merge") or key in out:
                what = (N_("merge keys (<<) are not supported") if key == "<<" and key not in out
                        else N_("the key `%(key)s` appears twice in this mapping", key=key))
                raise QmError.at(path, kline, kcol, what, N_("keep one and delete the other"))
            out[key] = _convert(vnode, path, depth + 1, budget)
            keys[key] = (kline, kcol)
        return Node(out, path, line, col, "mapping", keys=keys)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(n, path, depth + 1, budget) for n in node.value], path, line, col, "sequence")
    tag = node.tag
    if tag not in _SCALARS:
        raise QmError.at(path, line, col, N_("unsupported YAML tag `%(tag)s`", tag=tag), N_("remove the `!tag` in front of the value"))
    name, conv = _SCALARS[tag]
    try:
        value = conv(node.value)
    except ValueError:
        raise QmError.at(path, line, col, N_("`%(value)s` is not a valid %(type)s", value=node.value, type=name),
                         N_("quote the value to keep it as text")) from None
    return Node(value, path, line, col, "scalar", text=node.value, tag=name)


def load(text: str, path: str = "<string>") -> Node | None:
    """Parse one YAML document from text; None for an empty document. Raises QmError."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _where(mark) if mark else (1, 1)
        msg = " ".join(x for x in (exc.context, exc.problem) if x)
        what = N_("YAML syntax error: %(detail)s", detail=msg) if msg else N_("YAML syntax error")
        raise QmError.at(path, line, col, what, _syntax_hint(msg)) from None
    except yaml.YAMLError as exc:
        raise QmError.at(path, 1, 1, N_("YAML error: %(detail)s", detail=str(exc)),
                         N_("check the file is UTF-8 text without control characters")) from None
    except RecursionError:
        raise QmError.at(path, 1, 1, N_("the YAML is nested too deeply"), N_("campaign files are at most a few levels deep")) from None
    if root is None:
        return None
    return _convert(root, path)


def _syntax_hint(msg: str) -> str:
    """Suggest a fix for common YAML slips."""
    if "tab" in msg:
        return N_("indent with spaces, not tabs")
    if "mapping values are not allowed" in msg:
        return N_("a value containing `: ` must be quoted, e.g. title: \"时间: 9月\"")
    if "expected a single document" in msg:
        return N_("a campaign file holds one document; remove the extra `---`")
    if "found character" in msg and "cannot start any token" in msg:
        return N_("quote values that start with `@`, `` ` `` or `%`")
    return N_("check indentation (two spaces per level) and quoting near this line")
