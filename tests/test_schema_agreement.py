"""One source of truth: `check` and the JSON Schema editors see accept and refuse the same campaign files.

Both are made from the model and from schema.SCALAR_FORMS; this feeds them the same documents. Two things
only `check` can see are left out on purpose (README, "Editing in VS Code"): impossible calendar dates
(2022-02-30) and whether a period written as text (9月1日-30日) is a range it can read.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from qm_site.errors import Collector
from qm_site.source import content, model, schema, yamlio
from qm_site.source.markup import Renderer
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
BASE = "year: 2022\nslug: demo\ntitle: 关于开展质量月活动的通知\nissuer: 质量协会\n"
SCHEDULE = "schedules:\n  - id: a\n    caption: 活动安排\n    rows:\n      - {extra}\n"
CONTACT = "contacts:\n  - {extra}\n"

CASES = [  # (YAML added to a valid campaign, valid?)
    ("", True),
    ("year: \"2022\"", False),  # replaces BASE's year: see documents()
    ("year: 1900", False),
    ("title: \"   \"", False),
    ("title:", False),
    ("title: 2022", True),  # text written as a number keeps its source text
    ("theme:", True),
    ("theme: \"\"", True),  # as the web editor saves a cleared field: not given
    ("recipients_position: \"\"", True),  # a field with a default: the default
    ("title: \"\"", False),  # a required one: still missing
    ("confirmed_same: []", True),
    (SCHEDULE.format(extra="{name: 开幕式, no: \"\", details: \"\"}"), True),
    ("co_issuers:", True),
    ("co_issuers: []", True),
    ("co_issuers: [科技部, 工业和信息化部]", True),
    ("co_issuers: 科技部", False),
    ("draft: yes", False),
    ("draft: true", True),
    ("issue_date: 2022-08-22", True),
    ("issue_date: 2022年8月22日", True),
    ("issue_date: 22/8/2022", False),
    ("period: 9月1日-30日", True),
    ("period: {start: 2022-09-01, end: 2022-09-30}", True),
    ("period: {start: 2022-09-01}", False),
    ("recipients_position: footer", True),
    ("recipients_position: side", False),
    ("unknown: 1", False),
    ("slug: Demo", False),
    (CONTACT.format(extra="{postcode: \"519000\"}"), True),
    (CONTACT.format(extra="{postcode: 519000}"), False),
    (CONTACT.format(extra="{postcode: \"51900\"}"), False),
    (CONTACT.format(extra="{phones: [12345]}"), False),  # a patterned text is quoted, like a postcode
    (CONTACT.format(extra="{phones: [\"0756-2661370\"]}"), True),
    (CONTACT.format(extra="{phones: [\"（0756）2661370\", \"13851528648\"]}"), True),
    (CONTACT.format(extra="{phones: [\"电话abc\"]}"), False),
    (CONTACT.format(extra="{fax: [\"传真\"]}"), False),
    (CONTACT.format(extra="{website: www.njcaq.org}"), True),
    (CONTACT.format(extra="{website: 南京质协网站}"), False),
    (CONTACT.format(extra="{emails: [a@b.cn]}"), True),
    (CONTACT.format(extra="{emails: [ab.cn]}"), False),
    (CONTACT.format(extra="{fax: 1}"), False),
    (SCHEDULE.format(extra="{no: 1, name: 开幕式}"), True),
    (SCHEDULE.format(extra="{no: \"1\", name: 开幕式}"), False),
    (SCHEDULE.format(extra="{name: 开幕式, mode: online}"), True),
    (SCHEDULE.format(extra="{name: 开幕式, mode: web}"), False),
    (SCHEDULE.format(extra="{name: 开幕式, details: [a, b]}"), True),
    (SCHEDULE.format(extra="{no: 1}"), False),
]


def documents():
    """(id, YAML text, valid?) for every case, the case's keys replacing BASE's."""
    for i, (extra, ok) in enumerate(CASES):
        key = extra.split(":", 1)[0]
        base = "".join(line + "\n" for line in BASE.splitlines() if line.split(":", 1)[0] != key)
        yield pytest.param(base + extra + "\n", ok, id=f"{i}-{extra[:30]}")


@pytest.fixture(scope="module")
def campaign_schema() -> jsonschema.Draft7Validator:
    data = json.loads((ROOT / "schema" / "campaign.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(data)
    return jsonschema.Draft7Validator(data)


def check_accepts(text: str) -> bool:
    errors = Collector()
    entry = content.parse_campaign(text, "c.yaml", lambda name: "", Renderer(), errors)
    return entry is not None and not errors.errors


@pytest.mark.parametrize("text, ok", list(documents()))
def test_check_and_the_json_schema_agree(text, ok, campaign_schema):
    data = yamlio.load(text, "c.yaml").plain()  # YAML 1.2, as yaml-language-server reads it
    assert check_accepts(text) is ok, text
    assert campaign_schema.is_valid(data) is ok, (text, [e.message for e in campaign_schema.iter_errors(data)])


def test_the_seed_campaigns_are_valid_for_both(campaign_schema):
    for path in sorted(CONTENT.glob("*/campaign.yaml")):
        text = path.read_text(encoding="utf-8")
        errors = list(campaign_schema.iter_errors(yamlio.load(text, str(path)).plain()))
        assert not errors, (path, [e.message for e in errors])


def test_the_committed_schema_is_made_from_the_model():
    assert json.loads((ROOT / "schema" / "campaign.schema.json").read_text()) == schema.json_schema(model.Campaign)
