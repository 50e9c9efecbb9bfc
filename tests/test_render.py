"""The Jinja environment (public API only) renders exactly what plain Jinja renders."""

from __future__ import annotations

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from qm_site.site.render import make_env

SOURCE = ('<p title="{{ v }}">{{ v }}</p>{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}{{ m(v) }}'
          '{% set block %}<i>{{ v }}</i>{% endset %}{{ block }}{{ v|e }}{{ [v]|join(",") }}{{ v if v else "" }}')


def _plain() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True)


class Html:
    """An object that renders itself as HTML, as Markup and CampaignView fields do."""

    def __html__(self) -> str:
        return "<em>safe</em>"


@pytest.mark.slow
@given(st.one_of(st.text(), st.integers(), st.text().map(Markup), st.just(Html()), st.none()))
def test_output_is_escaped_as_plain_jinja_escapes_it(value):
    ours = make_env("en").from_string(SOURCE).render(v=value)
    assert ours == _plain().from_string(SOURCE).render(v=value)


def test_constant_gettext_calls_are_gone_from_compiled_templates():
    code = make_env("zh_CN").compile('{{ _("Posters") }}{{ _("Slogan %(num)d", num=1) }}', raw=True)
    assert "宣传海报" in code and "'Posters'" not in code and "'Slogan %(num)d'" in code


def test_a_shared_fragment_is_rendered_once_per_key_and_unkeyed_ones_every_time() -> None:
    from qm_site.site.builder import Fragments

    env = jinja2.Environment(autoescape=True)
    template = env.from_string("{% call fragments.once(key) %}<b>{{ calls.append(1) or calls|length }}</b>{% endcall %}")
    fragments, calls = Fragments(), []
    first = template.render(fragments=fragments, key=("schedule", "s1"), calls=calls)
    again = template.render(fragments=fragments, key=("schedule", "s1"), calls=calls)
    other = template.render(fragments=fragments, key=("schedule", "s2"), calls=calls)
    assert first == again == "<b>1</b>" and other == "<b>2</b>" and len(calls) == 2
    unkeyed = [template.render(fragments=fragments, key=None, calls=calls) for _ in range(2)]
    assert unkeyed == ["<b>3</b>", "<b>4</b>"]


@given(st.text(alphabet=st.sampled_from("a质&<>\"'\n\r\t;#")))
def test_feed_escaping_is_xml_sax_saxutils(text):
    from xml.sax.saxutils import escape, quoteattr

    from qm_site.site import feeds

    assert feeds.escape(text) == escape(text) and feeds.quoteattr(text) == quoteattr(text)
