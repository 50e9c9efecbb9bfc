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

from ..errors import Collector
from ..i18n import N_, Msg
from . import model
from .model import Loc
from .yamlio import Node

MISSING = object()
# Dates as ISO text or as the notices print them: 2022-09-01 or 2022年9月1日.
DATE_PATTERN = r"^(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)$"
_DATE = re.compile(r"^(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})日?$")

# What a YAML scalar may be for each model type, and the JSON type it is in the schema: one table, which the
# validator accepts exactly and the JSON Schema (what editors check as they type) is made from, so the two
# cannot disagree. Text takes a number or true/false as it was written (0756 keeps its zero), except where the
# field has a pattern: JSON Schema checks patterns on strings only, so there it must be text.
SCALAR_FORMS: dict[Any, dict[str, str]] = {
    str: {"str": "string", "int": "number", "float": "number", "bool": "boolean"},
    int: {"int": "integer"},
    float: {"int": "number", "float": "number"},
    bool: {"bool": "boolean"},
    dt.date: {"str": "string"},
}


def scalar_forms(tp, meta: dict) -> dict[str, str]:
    """YAML tag -> JSON type of the scalars a field of type tp (with its metadata) accepts."""
    if tp is str and "pattern" in meta:
        return {"str": "string"}
    return SCALAR_FORMS[tp]

_KIND_NAMES = {"mapping": N_("a mapping (key: value lines)"), "sequence": N_("a list"), "scalar": N_("a single value")}
_TYPE_NAMES = {str: N_("text"), int: N_("a whole number"), float: N_("a number"), bool: N_("true or false"),
               dt.date: N_("a date (YYYY-MM-DD)")}
# Names of list items are separate messages: languages inflect plurals differently.
_PLURAL_NAMES = {str: N_("texts"), int: N_("whole numbers"), float: N_("numbers"), bool: N_("true or false values"),
                 dt.date: N_("dates (YYYY-MM-DD)")}


@cache
def hints(cls) -> dict[str, Any]:
    """Resolved type hints of a model dataclass."""
    return typing.get_type_hints(cls, vars(model))


@cache  # the validator asks these of the same few types for every value of every campaign
def fields(cls) -> tuple[dataclasses.Field, ...]:
    """The user-facing fields of a model dataclass (without `loc`)."""
    return tuple(f for f in dataclasses.fields(cls) if not f.metadata.get("internal"))


@cache
def _args(tp) -> tuple:
    return typing.get_args(tp)


@cache
def _is_union(tp) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


@cache
def _origin(tp):
    return typing.get_origin(tp)


@cache
def _is_dataclass(tp) -> bool:
    """Whether tp is a dataclass (the class, not an instance)."""
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def describe(tp) -> str:
    """A human name for a type, used in messages."""
    if _is_union(tp):
        return _either([describe(a) for a in _args(tp) if a is not type(None)])
    origin = typing.get_origin(tp)
    if origin is list:
        return N_("a list of %(items)s", items=_plural(_args(tp)[0]))
    if origin is Literal:
        return N_("one of %(choices)s", choices=_listing(tp))
    if _is_dataclass(tp):
        return N_("a %(name)s mapping", name=tp.__name__)
    return _TYPE_NAMES.get(tp, str(tp))


def _plural(tp) -> str:
    """The name of several values of a type (the items of a list)."""
    if _is_union(tp):
        return _either([_plural(a) for a in _args(tp) if a is not type(None)])
    if typing.get_origin(tp) is Literal:
        return N_("values from %(choices)s", choices=_listing(tp))
    if _is_dataclass(tp):
        return N_("%(name)s mappings", name=tp.__name__)
    return _PLURAL_NAMES.get(tp, str(tp))


def _either(names: list) -> str:
    """`a or b or c`, built from one message so each language can phrase it."""
    out = names[0]
    for name in names[1:]:
        out = N_("%(first)s or %(second)s", first=out, second=name)
    return out


def _listing(tp) -> str:
    return ", ".join(f"`{a}`" for a in _args(tp))


def _found(node: Node) -> str:
    if node.kind == "scalar":
        return N_("nothing") if node.tag == "null" else f"`{node.text}`"
    return _KIND_NAMES[node.kind]


def _must_be(what: str, kind: str, found: str) -> Msg:
    """The message for a value of the wrong kind."""
    return N_("%(what)s must be %(kind)s, found %(found)s", what=what, kind=kind, found=found)


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
            self.err(node, _must_be(what, _KIND_NAMES["mapping"], _found(node)),
                     N_("write it as `key: value` lines, indented under its parent"))
            return MISSING
        known = {f.name: f for f in fields(cls)}
        ok = True
        for key in node.value:
            if key not in known:
                ok = False
                close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                hint = N_("did you mean `%(key)s`?", key=close[0]) if close else N_("allowed keys: %(keys)s", keys=", ".join(known))
                self.err((node.path, *node.keys[key]), N_("unknown key `%(key)s` in %(what)s", key=key, what=what), hint)
        values: dict[str, Any] = {}
        for name, f in known.items():
            sub = node.value.get(name)
            if sub is not None and not is_required(f) and is_blank(sub):
                continue  # `key: ""`, `key: []` or `key: {}`, as the web editor (Decap) saves a field that was cleared: not given
            if sub is None or (sub.kind == "scalar" and sub.tag == "null" and not _allows_none(hints(cls)[name])):
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    at = (node.path, *node.keys[name]) if sub is not None else node
                    if sub is None:
                        self.err(at, N_("%(what)s needs `%(name)s` (%(doc)s)", what=what, name=name, doc=f.metadata.get("doc", "")),
                                 N_("add a line `%(name)s: …`", name=name))
                    else:
                        self.err(at, N_("`%(name)s` is empty", name=name), N_("write a value after `%(name)s:`", name=name))
                    ok = False
                continue
            value = self.value(hints(cls)[name], sub, f"`{name}`", f.metadata)
            if value is MISSING:
                ok = False
            else:
                values[name] = value
        for name, f in known.items():  # friendly forms read into the model's own type (a period as the notice prints it)
            if "parse" in f.metadata and isinstance(values.get(name), str):
                values[name] = PARSERS[f.metadata["parse"]](self, values[name], node.value[name], values)
                ok = ok and values[name] is not MISSING
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
                by_kind = {"scalar": [o for o in options if not _is_dataclass(o) and _origin(o) is not list],
                           "mapping": [o for o in options if _is_dataclass(o)],
                           "sequence": [o for o in options if _origin(o) is list]}[node.kind]
                if not by_kind:
                    self.err(node, _must_be(what, describe(tp), _found(node)))
                    return MISSING
                options = by_kind
            return self.value(options[0], node, what, meta)
        origin = _origin(tp)
        if origin is list:
            if node.kind != "sequence":
                self.err(node, _must_be(what, _KIND_NAMES["sequence"], _found(node)),
                         N_("start each item on its own line with `- `"))
                return MISSING
            if len(node.value) < meta.get("min_items", 0):
                self.err(node, N_("%(what)s is an empty list", what=what), N_("add at least one item, or remove the key"))
                return MISSING
            item_meta = {"pattern": meta["item_pattern"]} if "item_pattern" in meta else {}
            items = [self.value(_args(tp)[0], n, N_("item %(n)s of %(what)s", n=i + 1, what=what), item_meta)
                     for i, n in enumerate(node.value)]
            return MISSING if any(i is MISSING for i in items) else items
        if _is_dataclass(tp):
            return self.build(tp, node, what)
        if node.kind != "scalar":
            self.err(node, _must_be(what, describe(tp), _found(node)), N_("write a single value on the same line as the key"))
            return MISSING
        return self.scalar(tp, node, what, meta)

    def scalar(self, tp, node: Node, what: str, meta: dict):
        """Convert a scalar node to str, int, float, bool, date or a Literal choice."""
        text = node.text.strip()
        if node.tag == "null":
            self.err(node, N_("%(what)s is empty", what=what), N_("write a value, or remove the line"))
            return MISSING
        if typing.get_origin(tp) is Literal:
            if text in _args(tp):
                return text
            close = difflib.get_close_matches(text, [str(a) for a in _args(tp)], n=1)
            self.err(node, _must_be(what, describe(tp), f"`{text}`"), N_("did you mean `%(key)s`?", key=close[0]) if close else "")
            return MISSING
        if node.tag not in scalar_forms(tp, meta):
            self.err(node, *_wrong_form(tp, node, what))
            return MISSING
        if tp is str:
            if not text:
                self.err(node, N_("%(what)s is empty", what=what), N_("write some text, or remove the line"))
                return MISSING
            if "pattern" in meta and not re.search(meta["pattern"], text):
                self.err(node, N_("%(what)s `%(text)s` is not in the expected form", what=what, text=text),
                         pattern_hint(meta["pattern"]))
                return MISSING
            return text
        if tp is bool:
            return node.value
        if tp in (int, float):
            number = tp(node.value)
            lo, hi = meta.get("minimum"), meta.get("maximum")
            if (lo is not None and number < lo) or (hi is not None and number > hi):
                self.err(node, N_("%(what)s must be between %(lo)s and %(hi)s, found %(text)s", what=what, lo=lo, hi=hi, text=text))
                return MISSING
            return number
        if tp is dt.date:
            m = _DATE.match(text)
            if not m:
                self.err(node, N_("%(what)s must be a date, found `%(text)s`", what=what, text=text),
                         N_("write it as 2022-09-01 or 2022年9月1日"))
                return MISSING
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError as exc:
                self.err(node, N_("%(what)s `%(text)s` is an impossible date (%(reason)s)", what=what, text=text, reason=str(exc)),
                         N_("check the month (1-12) and the day of that month"))
                return MISSING
        raise TypeError(f"unsupported schema type {tp!r}")  # a bug in model.py, not bad input


def _period(v: Validator, text: str, node: Node, siblings: dict):
    """`period: 9月1日-30日` (or 2023年9月1日至30日, as notices print it) as a Period of the campaign's year."""
    from .when import parse_when  # when imports the model, which this module must not need at import time

    year = siblings.get("year")
    when = parse_when(text, year) if isinstance(year, int) else None
    if when is None or when.start_time or when.deadline:
        y = year if isinstance(year, int) else 2023
        v.err(node, N_("`period` `%(text)s` is not a date range qm-site can read", text=text),
              N_("write it as the notice prints it, e.g. %(year)s年9月1日至30日, "
                 "or as start: %(year)s-09-01 and end: %(year)s-09-30", year=y))
        return MISSING
    return model.Period(start=when.start, end=when.end, loc=Loc(*node.loc))


PARSERS = {"period": _period}  # field metadata `parse` -> reads a text value into the field's model type


def _wrong_form(tp, node: Node, what: str) -> tuple[str, str]:
    """Message and hint for a scalar of the wrong YAML type: quotes missing or quotes too many, said as such."""
    text = node.text.strip()
    if tp is str:  # a patterned text written without quotes (a number, true/false)
        return (N_("%(what)s must be text; `%(text)s` without quotes is read as a number or true/false", what=what, text=text),
                N_("put it in quotes: \"%(text)s\"", text=text))
    if tp is bool:
        return _must_be(what, describe(bool), f"`{text}`"), N_("write `true` or `false` (YAML 1.2: yes/no are text)")
    if _quoted(node):
        return (N_("%(what)s must be %(kind)s, found the text `%(text)s`", what=what, kind=describe(tp), text=text),
                N_("remove the quotes: %(text)s", text=text))
    return _must_be(what, describe(tp), f"`{text}`"), N_("write digits only, without quotes or units")


def _quoted(node: Node) -> bool:
    """Whether a text scalar holds only a number (so it was quoted to be text)."""
    return node.tag == "str" and bool(re.fullmatch(r"[-+]?[0-9]+(?:\.[0-9]+)?", node.text.strip()))


def is_blank(node: Node) -> bool:
    """A quoted empty (or blank) text, an empty list or mapping: no value (null is handled with each field's default)."""
    if node.kind in ("sequence", "mapping"):
        return not node.value
    return node.kind == "scalar" and node.tag == "str" and not node.text.strip()


def is_required(f: dataclasses.Field) -> bool:
    """Whether a field has no default, so the key must be given."""
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _allows_none(tp) -> bool:
    return _is_union(tp) and type(None) in _args(tp)


def pattern_hint(pattern: str) -> str:
    """How a value of a model pattern is written, in words (check's hint, and the web editor's message in Chinese)."""
    return {
        model.SLUG: N_("use lowercase letters, digits and hyphens, e.g. national-2022"),
        model.POSTCODE: N_("a postcode has six digits, e.g. 519000"),
        model.RGB: N_("write a colour as #rrggbb, e.g. \"#b71c1c\" (with quotes)"),
        model.CMYK: N_("write ink percentages as C0 M100 Y100 K10 (each 0-100, in this order)"),
        model.EMAIL: N_("an e-mail address looks like name@example.com"),
        model.PHONE: N_("a phone number is digits, with the area code in brackets or before a hyphen, e.g. 010-82262033, "
                        "（0756）2661370 or 13851528648; an extension after 转"),
        model.WEB_ADDRESS: N_("a web address looks like www.example.org or https://www.example.org/page"),
        model.BASE_URL: N_("write the address with http:// or https:// and a / at the end, e.g. https://www.example.org/"),
        model.CAMPAIGN_ID: N_("a campaign is named by its folder: year, hyphen, name, e.g. 2022-national"),
        model.SITE_CODE: N_("a 网站标识码 is ten digits, e.g. 1100000088, or bm and eight digits, e.g. bm30000012"),
        model.ICP: N_("write the ICP number as the filing shows it, e.g. 京ICP备12345678号 or 京ICP备12345678号-1"),
        model.POLICE_RECORD: N_("write the number as the filing shows it: the province, 公网安备, 14 digits and 号, e.g. "
                                "京公网安备 11010502030143号"),
    }.get(pattern) or N_("it must match %(pattern)s", pattern=pattern)


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
        array: dict[str, Any] = {"type": "array", "items": _schema_of(_args(tp)[0], item_meta, defs)}
        if meta.get("min_items"):
            array["minItems"] = meta["min_items"]
        return array
    if origin is Literal:
        return {"enum": list(_args(tp))}
    if _is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}
            props, required = {}, []
            for f in fields(tp):
                prop = _schema_of(hints(tp)[f.name], dict(f.metadata), defs)
                required_field = is_required(f)
                if not required_field:  # the validator takes `key:` with nothing after it as the default, and
                    # `key: ""`, `key: []` or `key: {}` too (a field cleared in the web editor)
                    prop = {"anyOf": [prop, {"type": "null"}, {"type": "string", "pattern": r"^\s*$"},
                                      {"type": "array", "maxItems": 0}, {"type": "object", "maxProperties": 0}]}
                prop = {"description": f.metadata.get("doc", ""), **prop}
                if f.default is not dataclasses.MISSING and f.default is not None and not dataclasses.is_dataclass(f.default):
                    prop["default"] = f.default.isoformat() if isinstance(f.default, dt.date) else f.default
                props[f.name] = prop
                if required_field:
                    required.append(f.name)
            defs[name] = {"type": "object", "description": (tp.__doc__ or "").strip(), "properties": props,
                          "required": required, "additionalProperties": False}
        return {"$ref": f"#/definitions/{name}"}
    types_ = sorted(set(scalar_forms(tp, meta).values()))
    out: dict[str, Any] = {"type": types_[0] if len(types_) == 1 else types_}
    if tp is str:
        out["minLength"] = 1
        out["pattern"] = r"\S"  # the validator strips text: blank is empty
    if tp is dt.date:
        out["pattern"] = DATE_PATTERN
    if "pattern" in meta:
        out["pattern"] = meta["pattern"]
    if "minimum" in meta:
        out["minimum"] = meta["minimum"]
    if "maximum" in meta:
        out["maximum"] = meta["maximum"]
    return out
