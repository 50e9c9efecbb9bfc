"""Typed validation of YAML nodes against the model dataclasses, and their JSON Schema.

One walk over the node tree builds the frozen model and collects every problem
(unknown keys with a "did you mean", missing fields, wrong types, impossible dates),
so staff see all their mistakes from a single `check`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import types
import typing
from functools import cache
from typing import Any, Literal

from . import model
from .errors import Collector
from .model import Loc
from .yamlio import Node

MISSING = object()
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_INT = re.compile(r"^[-+]?[0-9]+$")

_KIND_NAMES = {"mapping": "a mapping (key: value lines)", "sequence": "a list", "scalar": "a single value"}


@cache
def hints(cls) -> dict[str, Any]:
    """Resolved type hints of a model dataclass."""
    return typing.get_type_hints(cls, vars(model))


def fields(cls) -> list[dataclasses.Field]:
    """The user-facing fields of a model dataclass (without `loc`)."""
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def _args(tp) -> tuple:
    return typing.get_args(tp)


def _is_union(tp) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def describe(tp) -> str:
    """A human name for a type, used in messages."""
    if _is_union(tp):
        return " or ".join(describe(a) for a in _args(tp) if a is not type(None))
    origin = typing.get_origin(tp)
    if origin is list:
        return f"a list of {describe(_args(tp)[0]).removeprefix('a ').removeprefix('an ')}s"
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in _args(tp))
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false", dt.date: "a date (YYYY-MM-DD)"}.get(
        tp, f"a {tp.__name__} mapping" if dataclasses.is_dataclass(tp) else str(tp)
    )


def _found(node: Node) -> str:
    if node.kind == "scalar":
        return "nothing" if node.tag == "null" else f"`{node.text}`"
    return _KIND_NAMES[node.kind]


class Validator:
    """Converts a Node tree into model objects, recording problems in a Collector."""

    def __init__(self, errors: Collector):
        self.errors = errors

    def err(self, node_or_loc, message: str, hint: str = "") -> None:
        """Record a problem at a node or (path, line, col)."""
        path, line, col = node_or_loc.loc if isinstance(node_or_loc, Node) else node_or_loc
        self.errors.add(path, line, col, message, hint)

    def build(self, cls, node: Node, what: str):
        """Build a `cls` instance from a mapping node; returns MISSING on failure."""
        if node.kind != "mapping":
            self.err(node, f"{what} must be {_KIND_NAMES['mapping']}, found {_found(node)}", "write it as `key: value` lines, indented under its parent")
            return MISSING
        known = {f.name: f for f in fields(cls)}
        ok = True
        for key in node.value:
            if key not in known:
                ok = False
                close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                hint = f"did you mean `{close[0]}`?" if close else "allowed keys: " + ", ".join(known)
                self.err((node.path, *node.keys[key]), f"unknown key `{key}` in {what}", hint)
        values: dict[str, Any] = {}
        for name, f in known.items():
            sub = node.value.get(name)
            if sub is None or (sub.kind == "scalar" and sub.tag == "null" and not _allows_none(hints(cls)[name])):
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    at = (node.path, *node.keys[name]) if sub is not None else node
                    self.err(at, f"{what} needs `{name}` ({f.metadata.get('doc', '')})" if sub is None else f"`{name}` is empty", f"add a line `{name}: …`" if sub is None else f"write a value after `{name}:`")
                    ok = False
                continue
            value = self.value(hints(cls)[name], sub, f"`{name}`", f.metadata)
            if value is MISSING:
                ok = False
            else:
                values[name] = value
        if not ok:
            return MISSING
        return cls(**values, loc=Loc(*node.loc))

    def value(self, tp, node: Node, what: str, meta: Any = None):
        """Convert one node to type `tp`, applying field metadata checks."""
        meta = meta or {}
        if _is_union(tp):
            options = [a for a in _args(tp) if a is not type(None)]
            if node.kind == "scalar" and node.tag == "null":
                return None
            if len(options) > 1:  # shorthand unions: text or mapping, text or list
                by_kind = {"scalar": [o for o in options if not dataclasses.is_dataclass(o) and typing.get_origin(o) is not list],
                           "mapping": [o for o in options if dataclasses.is_dataclass(o)],
                           "sequence": [o for o in options if typing.get_origin(o) is list]}[node.kind]
                if not by_kind:
                    self.err(node, f"{what} must be {describe(tp)}, found {_found(node)}")
                    return MISSING
                options = by_kind
            return self.value(options[0], node, what, meta)
        origin = typing.get_origin(tp)
        if origin is list:
            if node.kind != "sequence":
                self.err(node, f"{what} must be a list, found {_found(node)}", "start each item on its own line with `- `")
                return MISSING
            if len(node.value) < meta.get("min_items", 0):
                self.err(node, f"{what} is an empty list", "add at least one item, or remove the key")
                return MISSING
            item_meta = {"pattern": meta["item_pattern"]} if "item_pattern" in meta else {}
            items = [self.value(_args(tp)[0], n, f"item {i + 1} of {what}", item_meta) for i, n in enumerate(node.value)]
            return MISSING if any(i is MISSING for i in items) else items
        if dataclasses.is_dataclass(tp):
            return self.build(tp, node, what)
        if node.kind != "scalar":
            self.err(node, f"{what} must be {describe(tp)}, found {_found(node)}", "write a single value on the same line as the key")
            return MISSING
        return self.scalar(tp, node, what, meta)

    def scalar(self, tp, node: Node, what: str, meta: dict):
        """Convert a scalar node to str, int, float, bool, date or a Literal choice."""
        text = node.text.strip()
        if node.tag == "null":
            self.err(node, f"{what} is empty", "write a value, or remove the line")
            return MISSING
        if typing.get_origin(tp) is Literal:
            if text in _args(tp):
                return text
            close = difflib.get_close_matches(text, [str(a) for a in _args(tp)], n=1)
            self.err(node, f"{what} must be {describe(tp)}, found `{text}`", f"did you mean `{close[0]}`?" if close else "")
            return MISSING
        if tp is str:
            if not text:
                self.err(node, f"{what} is empty", "write some text, or remove the line")
                return MISSING
            if "pattern" in meta and not re.search(meta["pattern"], text):
                self.err(node, f"{what} `{text}` is not in the expected form", _pattern_hint(meta["pattern"]))
                return MISSING
            return text
        if tp is bool:
            if node.tag == "bool":
                return node.value
            self.err(node, f"{what} must be true or false, found `{text}`", "write `true` or `false` (YAML 1.2: yes/no are text)")
            return MISSING
        if tp in (int, float):
            ok = node.tag == "int" or (tp is float and node.tag == "float") or bool(_INT.match(text))
            if not ok:
                self.err(node, f"{what} must be {describe(tp)}, found `{text}`", "write digits only, without quotes or units")
                return MISSING
            number = tp(node.value) if node.tag in ("int", "float") else tp(text)
            lo, hi = meta.get("minimum"), meta.get("maximum")
            if (lo is not None and number < lo) or (hi is not None and number > hi):
                self.err(node, f"{what} must be between {lo} and {hi}, found {text}", "")
                return MISSING
            return number
        if tp is dt.date:
            m = _DATE.match(text)
            if not m:
                self.err(node, f"{what} must be a date written YYYY-MM-DD, found `{text}`", "for example 2022-09-01")
                return MISSING
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError as exc:
                self.err(node, f"{what} `{text}` is an impossible date ({exc})", "check the month (1-12) and the day of that month")
                return MISSING
        raise TypeError(f"unsupported schema type {tp!r}")  # a bug in model.py, not bad input


def _allows_none(tp) -> bool:
    return _is_union(tp) and type(None) in _args(tp)


def _pattern_hint(pattern: str) -> str:
    return {
        model.SLUG: "use lowercase letters, digits and hyphens, e.g. national-2022",
        r"^[0-9]{6}$": "a postcode has six digits, e.g. 519000",
        r"^#[0-9a-fA-F]{6}$": "write a colour as #rrggbb, e.g. \"#b71c1c\" (with quotes)",
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "an e-mail address looks like name@example.com",
    }.get(pattern, f"it must match {pattern}")


# --- JSON Schema ------------------------------------------------------------------------


def json_schema(cls=model.Campaign) -> dict:
    """A JSON Schema (draft-07) of a model dataclass, for editors via yaml-language-server."""
    defs: dict[str, dict] = {}
    root = _schema_of(cls, {}, defs)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://qm-site.invalid/schema/{cls.__name__.lower()}.json",
        "title": f"qm-site {cls.__name__.lower()} file",
        **defs.pop(cls.__name__),
        "definitions": dict(sorted(defs.items())),
    } if root else {}


def _schema_of(tp, meta: dict, defs: dict) -> dict:
    if _is_union(tp):
        opts = [a for a in _args(tp) if a is not type(None)]
        if len(opts) == 1:
            return _schema_of(opts[0], meta, defs)
        return {"anyOf": [_schema_of(o, meta, defs) for o in opts]}
    origin = typing.get_origin(tp)
    if origin is list:
        item_meta = {"pattern": meta["item_pattern"]} if "item_pattern" in meta else {}
        out = {"type": "array", "items": _schema_of(_args(tp)[0], item_meta, defs)}
        if meta.get("min_items"):
            out["minItems"] = meta["min_items"]
        return out
    if origin is Literal:
        return {"enum": list(_args(tp))}
    if dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}
            props, required = {}, []
            for f in fields(tp):
                prop = _schema_of(hints(tp)[f.name], dict(f.metadata), defs)
                prop = {"description": f.metadata.get("doc", ""), **prop}
                if f.default is not dataclasses.MISSING and f.default is not None and not dataclasses.is_dataclass(f.default):
                    prop["default"] = f.default.isoformat() if isinstance(f.default, dt.date) else f.default
                props[f.name] = prop
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    required.append(f.name)
            defs[name] = {"type": "object", "description": (tp.__doc__ or "").strip(), "properties": props,
                          "required": required, "additionalProperties": False}
        return {"$ref": f"#/definitions/{name}"}
    out: dict[str, Any] = {
        str: {"type": "string", "minLength": 1},
        int: {"type": "integer"},
        float: {"type": "number"},
        bool: {"type": "boolean"},
        dt.date: {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{1,2}-\d{1,2}$"},
    }[tp].copy()
    if "pattern" in meta:
        out["pattern"] = meta["pattern"]
    if "minimum" in meta:
        out["minimum"] = meta["minimum"]
    if "maximum" in meta:
        out["maximum"] = meta["maximum"]
    return out
