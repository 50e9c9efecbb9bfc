"""Property tests: the checker only ever raises QmError, and never accepts a broken campaign."""

from __future__ import annotations

import copy

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qm_site.errors import Collector, QmError
from qm_site.source import content, yamlio
from qm_site.source.markup import Renderer
from sitecheck import CONTENT

SEED = CONTENT / "2020-nanjing"
VALID_TEXT = (SEED / "campaign.yaml").read_text(encoding="utf-8")
VALID = yamlio.load(VALID_TEXT, "c.yaml").plain()  # our YAML 1.2 loader: `no:` is a key, not False
FILES = {p.name: p.read_text(encoding="utf-8") for p in SEED.glob("*.md")}
RENDERER = Renderer()


def check(text: str) -> tuple[object, list]:
    """Run the campaign checker on text; only QmError-derived problems may come out."""
    errors = Collector()

    def read(name):
        if name not in FILES:
            raise FileNotFoundError(name)
        return FILES[name]

    entry = content.parse_campaign(text, "c.yaml", read, RENDERER, errors)
    return entry, errors.errors


def test_the_unmutated_seed_is_valid():
    entry, errors = check(VALID_TEXT)
    assert entry is not None and errors == []
    dumped = yaml.safe_dump(VALID, allow_unicode=True, sort_keys=False)
    assert check(dumped)[0] is not None


@pytest.mark.slow
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text_never_crashes(text):
    try:
        yamlio.load(text, "x.yaml")
    except QmError as exc:
        assert exc.problems and all(p.path == "x.yaml" for p in exc.problems)
    entry, errors = check(text)
    assert (entry is None) == bool(errors)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                    st.dates().map(str))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["year", "slug", "title", "issuer", "slogans", "items", "rows", "x", "id"])
                    | st.text(max_size=8),
                    inner, max_size=5)), max_leaves=20)


@pytest.mark.slow
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_yaml_documents_never_crash(doc):
    entry, errors = check(yaml.safe_dump(doc, allow_unicode=True))
    assert (entry is None) == bool(errors)


def _mappings(data, path=()):
    """Every mapping in the document with its path."""
    if isinstance(data, dict):
        yield path, data
        for k, v in data.items():
            yield from _mappings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _mappings(v, path + (i,))


REQUIRED = {"year", "slug", "title", "issuer", "id", "caption", "rows", "name", "items"}
MIN_ONE = {"rows", "items"}
DATES = {"issue_date", "start", "end"}


@st.composite
def mutations(draw):
    """A copy of the valid campaign with one change that must make it invalid."""
    data = copy.deepcopy(VALID)
    places = list(_mappings(data))
    _, target = draw(st.sampled_from(places))
    kind = draw(st.sampled_from(["unknown", "drop", "empty", "year", "date", "type"]))
    required = sorted(REQUIRED & set(target))
    if kind == "drop" and required:
        del target[draw(st.sampled_from(required))]
    elif kind == "empty" and MIN_ONE & set(target):
        target[draw(st.sampled_from(sorted(MIN_ONE & set(target))))] = []
    elif kind == "year":
        data["year"] = draw(st.sampled_from(["二〇二二", 1900, 3000, "20x2", [2022], {"y": 1}]))
    elif kind == "date":
        target = data.setdefault("period", {"start": "2020-09-01", "end": "2020-09-30"})
        target[draw(st.sampled_from(["start", "end"]))] = draw(st.sampled_from(["2020-02-30", "2020-13-01", "9月1日", "yes"]))
    elif kind == "type":
        key = draw(st.sampled_from(sorted(k for k in target if k in REQUIRED | {"slogans", "schedules"}) or ["year"]))
        target[key] = {"unexpected": "mapping"} if key in REQUIRED - {"rows", "items"} else "not a list"
    else:
        target[draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=12)) + "_zz"] = draw(scalars)
    return data


@pytest.mark.slow
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_mutated_campaign_is_always_rejected(data):
    entry, errors = check(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert entry is None and errors, "a broken campaign passed the check"
    assert all(e.line >= 1 and e.column >= 1 and e.message for e in errors)


@given(st.text(alphabet=" \t\u3000\xa0\r\n\u2028-:：#/ab_1质", max_size=60) | st.text(max_size=60))
def test_typing_slips_quick_looks_miss_nothing_the_line_by_line_look_finds(text: str) -> None:
    """typing_slips looks at the lines one by one only when its quick looks at the whole text find something."""
    assert yamlio.typing_slips(text, "x.yaml") == yamlio.line_slips(text, "x.yaml")


@given(st.text(alphabet=st.characters(), max_size=40) | st.text(alphabet=" \t\n\r\x1c\x85\u3000\u2028ab质", max_size=40))
def test_spaced_collapses_the_white_space_a_regular_expression_would(text: str) -> None:
    """model.spaced splits on str.isspace; slogans were compared by re's \\s before, and must stay equal."""
    import re

    from qm_site.source.model import spaced

    assert spaced(text) == re.sub(r"\s+", " ", text).strip()
