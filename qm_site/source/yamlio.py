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

from ..errors import Problem, QmError
from ..i18n import N_

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

    class _Loader(_Parser, Resolver12):
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


def _check_merged(item, path: str, lines: list[str]) -> None:
    """A list item written over several lines with a `- ` inside: an item indented unlike its siblings was merged into it."""
    if not isinstance(item, yaml.ScalarNode) or item.style or item.start_mark.line == item.end_mark.line:
        return
    for number in range(item.start_mark.line + 1, min(item.end_mark.line + 1, len(lines))):
        m = re.match(r"^(\s*)- ", lines[number])
        if m:
            raise QmError.at(path, number + 1, len(m.group(1)) + 1,
                             N_("this list item is indented unlike the items above, so it was merged into `%(item)s`",
                                item=item.value),
                             N_("start every item of one list with `- ` at the same indentation"))


def _check_continued(node, indent: int, path: str, lines: list[str]) -> None:
    """A quoted, plain or [flow] value going on over lines must indent each of them past `indent` (its key's or `-`'s column).

    PyYAML accepts a continuation line in the key's own column; YAML 1.2, and the `yaml` package the web editor
    reads files with, do not: Decap then shows an empty form, and saving it would wipe the file. So check refuses
    what the editor could not read, where the line was written.
    """
    flow = node.flow_style if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) else node.style != "|" and node.style != ">"
    if not flow or node.start_mark.line == node.end_mark.line:
        return
    for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines))):
        text = lines[number]
        if text.strip() and len(text) - len(text.lstrip(" ")) <= indent:
            raise QmError.at(path, number + 1, 1,
                             N_("this line goes on with the value begun on line %(line)s but is not indented past its "
                                "start, so the web editor cannot read the file", line=node.start_mark.line + 1),
                             N_("indent this line by %(spaces)s or more spaces, or write the whole value on one line",
                                spaces=indent + 1))


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


def _convert(node, path: str, depth: int = 0, budget: _Budget | None = None, lines: list[str] | None = None) -> Node:
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
                raise QmError.at(path, kline, kcol, N_("a key must be plain text, not a list or mapping"),
                                 N_("write keys like `title:`"))
            key = knode.value
            if key == "<<" and knode.tag.endswith("merge") or key in out:
                what = (N_("merge keys (<<) are not supported") if key == "<<" and key not in out
                        else N_("the key `%(key)s` appears twice in this mapping", key=key))
                raise QmError.at(path, kline, kcol, what, N_("keep one and delete the other"))
            if node.flow_style is False:  # in a [flow] or {flow} collection the collection's own lines were checked
                _check_continued(vnode, knode.start_mark.column, path, lines or [])
            out[key] = _convert(vnode, path, depth + 1, budget, lines)
            keys[key] = (kline, kcol)
        return Node(out, path, line, col, "mapping", keys=keys)
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_merged(item, path, lines or [])
            if node.flow_style is False:
                _check_continued(item, node.start_mark.column, path, lines or [])
        return Node([_convert(n, path, depth + 1, budget, lines) for n in node.value], path, line, col, "sequence")
    tag = node.tag
    if tag not in _SCALARS:
        raise QmError.at(path, line, col, N_("unsupported YAML tag `%(tag)s`", tag=tag),
                         N_("remove the `!tag` in front of the value"))
    name, conv = _SCALARS[tag]
    try:
        value = conv(node.value)
    except ValueError:
        raise QmError.at(path, line, col, N_("`%(value)s` is not a valid %(type)s", value=node.value, type=name),
                         N_("quote the value to keep it as text")) from None
    return Node(value, path, line, col, "scalar", text=node.value, tag=name)


def load(text: str, path: str = "<string>") -> Node | None:
    """Parse one YAML document from text; None for an empty document. Raises QmError.

    Slips typed with a Chinese keyboard or a word processor are found first, on the line where they were
    made; the parser's own messages are then explained in our words (the original stays in Problem.detail).
    """
    slips = typing_slips(text, path)
    if slips:
        raise QmError(slips)
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise QmError(explain(exc, text, path)) from None
    except yaml.YAMLError as exc:
        raise QmError(Problem(path, 1, 1, N_("the file has characters YAML does not allow"),
                              N_("check the file is UTF-8 text without control characters"), detail=str(exc))) from None
    except RecursionError:
        raise QmError.at(path, 1, 1, N_("the YAML is nested too deeply"),
                         N_("campaign files are at most a few levels deep")) from None
    if root is None:
        return None
    return _convert(root, path, lines=text.splitlines())


# --- slips, found on the line where they were typed ---------------------------------------------

_KEY_FULLWIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*(：)")
_KEY_NO_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*):(?=[^\s/])")
_INDENT = re.compile(r"^[ \t\u3000]*(?:-[ \t\u3000]+)*")


# Quick looks for anything a line-by-line look could report: most files have no slip, and the line-by-line look
# cost as much as a third of parsing them (0.65 ms for 160 lines; these 0.14 ms). Each finds more than the slips
# (a tab anywhere after the indentation, a key-like word in a comment...); then the lines are looked at one by one.
# A line break other than \n sends the text that way too, as lines are what str.splitlines() sees.
_BREAKS = re.compile("[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_INDENT_SLIP = re.compile("(?m)^[ \\-]*[\t\u3000]")
_KEY_SLIP = re.compile(r"(?m)^[^\S\n]*(?:-[^\S\n]+)?[A-Za-z_][A-Za-z0-9_]*(?:[^\S\n]*：|:[^\s/])")


def typing_slips(text: str, path: str) -> list[Problem]:
    """Tabs or full-width spaces in indentation, and keys followed by a full-width colon or by no space."""
    if _BREAKS.search(text) or _INDENT_SLIP.search(text) or _KEY_SLIP.search(text):
        return line_slips(text, path)
    return []


def line_slips(text: str, path: str) -> list[Problem]:
    """typing_slips, line by line."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        indent = _INDENT.match(line)  # it matches every line, if only with the empty string
        lead = indent.group(0) if indent else ""
        for col, ch in enumerate(lead, 1):
            if ch == "\t":
                problems.append(Problem(path, number, col, N_("a tab character in the indentation"),
                                        N_("indent with spaces only (two per level); set your editor to insert spaces for Tab")))
                break
            if ch == "\u3000":
                problems.append(Problem(path, number, col, N_("a full-width space (　) in the indentation"),
                                        N_("indent with ordinary spaces typed with the English keyboard (two per level)")))
                break
        m = _KEY_FULLWIDTH_COLON.match(line)
        if m:
            problems.append(Problem(path, number, m.start(3) + 1,
                                    N_("the key `%(key)s` is followed by a full-width colon `：`", key=m.group(2)),
                                    N_("type the colon with the English keyboard, followed by a space: `%(key)s: …`",
                                       key=m.group(2))))
            continue
        m = _KEY_NO_SPACE.match(line)
        if m:
            problems.append(Problem(path, number, m.end() + 1, N_("no space after the colon of `%(key)s`", key=m.group(2)),
                                    N_("put a space after the colon: `%(key)s: …`", key=m.group(2))))
    return problems


# --- the parser's messages, in our words ---------------------------------------------------------

def explain(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    """The parser's error as one Problem at the place the mistake was made, with a hint (the original kept as detail)."""
    context, problem = exc.context or "", exc.problem or ""
    at = exc.problem_mark or exc.context_mark
    line, col = _where(at) if at else (1, 1)
    opened = _where(exc.context_mark) if exc.context_mark else (line, col)
    where, message, hint = (_left_open(context, problem, text, line, opened)
                            or _at_the_problem(context, problem, text, (line, col), opened))
    return Problem(path, where[0], where[1], message, hint, detail=" ".join(x for x in (context, problem) if x))


_UNCLOSED_QUOTE = (N_("the quotation mark opened here is never closed"),
                   N_("end the text with the same mark on this line (\" or '); Chinese quotes “” need no YAML quotes"))


def _left_open(context: str, problem: str, text: str, line: int, opened: tuple[int, int]):
    """A quote or bracket left open, reported where it was opened: (where, message, hint), or None."""
    if "quoted scalar" in context and "escape" not in problem:
        return (opened, *_UNCLOSED_QUOTE)
    unclosed = _unclosed_quote(text, line)
    if unclosed:  # a quote left open swallowed the lines after it, until another quote closed it
        return (unclosed, *_UNCLOSED_QUOTE)
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[" if "sequence" in context else "{"
        return (opened, N_("the `%(bracket)s` opened here is never closed", bracket=bracket),
                N_("close it on the same line and separate the items with an English comma and a space: [a, b]"))
    return None


def _at_the_problem(context: str, problem: str, text: str, here: tuple[int, int], opened: tuple[int, int]):
    """Every other parser error, in our words, where the parser stopped (a key: where it began): (where, message, hint)."""
    line = here[0]
    if "tab" in problem or ("cannot start any token" in problem and "\t" in _line(text, line)):
        return here, N_("a tab character where YAML needs spaces"), N_("indent with spaces only (two per level)")
    if "cannot start any token" in problem:
        return here, N_("a value cannot start with this character"), N_("put the value in quotes, e.g. note: \"@all\"")
    if "mapping values are not allowed" in problem:
        shifted = _indented_under_value(text, line)
        if shifted:
            return (shifted, N_("this line is indented further than the key above it, so it was read as part of that value"),
                    N_("start this key in the same column as the key on the line above"))
        return (here, N_("a second `: ` on this line"),
                N_("a value containing `: ` must be quoted, e.g. title: \"时间: 9月\""))
    if "could not find expected ':'" in problem:
        return (opened, N_("this line is neither `key: value` nor a list item `- …`"),
                N_("write the key, an English colon and a space, then the value: `theme: …`"))
    return _at_the_problem_rest(context, problem, here)


def _at_the_problem_rest(context: str, problem: str, here: tuple[int, int]):
    """The rarer parser errors: escapes, documents, aliases, list and mapping indentation, anything else."""
    if "escape" in problem:
        return (here, N_("a backslash in double quotes starts an escape sequence"),
                N_("use single quotes around text with backslashes, or write \\\\ for one backslash"))
    if "expected a single document" in context + problem:
        return here, N_("a second document starts here"), N_("a campaign file holds one document; remove the extra `---`")
    if "undefined alias" in problem:
        return (here, N_("the alias `*` refers to an anchor `&` that is not defined above"),
                N_("define `&name` before using `*name`, or write the value out"))
    if "'-' indicator" in problem or "block collection" in context or "block sequence" in context:
        return (here, N_("this list item does not line up with the items above it"),
                N_("start every item of one list with `- ` at the same indentation"))
    if "block mapping" in context or "expected key" in problem or "block end" in problem:
        return (here, N_("this line is not indented like the lines of its group"),
                N_("keys of one group start in the same column (two spaces per level); check this line and the one above"))
    return here, N_("the YAML syntax is broken here"), N_("check indentation (two spaces per level) and quoting near this line")


def _indented_under_value(text: str, number: int) -> tuple[int, int] | None:
    """(line, column) of a `key:` on line `number` indented deeper than a `key: value` line just above it."""
    lines = text.splitlines()
    if not 1 < number <= len(lines):
        return None
    here = re.match(r"^(\s*)[A-Za-z_][A-Za-z0-9_]*:(\s|$)", lines[number - 1])
    above = next((s for s in reversed(lines[: number - 1]) if s.strip() and not s.lstrip().startswith("#")), "")
    prev = re.match(r"^(\s*(?:-\s+)?)[A-Za-z_][A-Za-z0-9_]*:\s+\S", above)
    if here and prev and len(here.group(1)) > len(prev.group(1)):
        return number, len(here.group(1)) + 1
    return None


def _line(text: str, number: int) -> str:
    """Line `number` (1-based) of text, or ''."""
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


_QUOTED_VALUE = re.compile(r"^\s*(?:-\s+)?(?:[^\s:#'\"][^:#]*:\s+)?(?:\[\s*)?(['\"])")  # a value, or a flow list's first item


def _unclosed_quote(text: str, upto: int) -> tuple[int, int] | None:
    """(line, column) of the first value before line `upto` that opens a quote and does not close it on its line."""
    for number, line in enumerate(text.splitlines()[: max(upto - 1, 0)], 1):
        m = _QUOTED_VALUE.match(line)
        if not m:
            continue
        mark, rest = m.group(1), line[m.end():]
        closed = re.search(r'(?<!\\)"' if mark == '"' else r"'(?!')", rest.replace("''", ""))
        if not closed:
            return number, m.start(1) + 1
    return None
