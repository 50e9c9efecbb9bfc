"""The Jinja environment's speed-ups render exactly what plain Jinja renders."""

from __future__ import annotations

import jinja2
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from qm_site.render import escape_text, make_env

SOURCE = ('<p title="{{ v }}">{{ v }}</p>{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}{{ m(v) }}'
          '{% set block %}<i>{{ v }}</i>{% endset %}{{ block }}{{ v|e }}{{ [v]|join(",") }}{{ v if v else "" }}')


def _plain() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True)


class Html:
    """An object that renders itself as HTML, as Markup and CampaignView fields do."""

    def __html__(self) -> str:
        return "<em>safe</em>"


@given(st.one_of(st.text(), st.integers(), st.text().map(Markup), st.just(Html()), st.none()))
def test_output_is_escaped_as_plain_jinja_escapes_it(value):
    ours = make_env("en").from_string(SOURCE).render(v=value)
    assert ours == _plain().from_string(SOURCE).render(v=value)


def test_escape_text_escapes_and_keeps_markup():
    assert escape_text('<a href="x">&\'') == "&lt;a href=&#34;x&#34;&gt;&amp;&#39;"
    assert escape_text(Markup("<b>ok</b>")) == "<b>ok</b>"
    assert escape_text(7) == "7" and type(escape_text("x")) is str


def test_templates_escape_through_escape_text():
    code = make_env("en").compile("{{ v }}", raw=True)
    assert "environment.escape_text(" in code and "escape(" not in code.replace("environment.escape_text(", "")
