"""The dev server's error page: every problem with its place, message, hint and source line, in Chinese and English.

A pure function of the problems (and the files they name), self-contained HTML: it replaces every page of the
preview while the content is invalid or the preview cannot be written.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..errors import Problem
from ..i18n import N_, translate, translations

ERROR_CSS = """
body{font:16px/1.6 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#fff8f6;color:#1a1a1a}
main{max-width:56rem;margin:0 auto;padding:2rem 1rem}
h1{color:#b3141b;font-size:1.5rem;margin:0 0 .25rem}
.en{color:#555}
ol{padding-left:1.25rem}
li{background:#fff;border:1px solid #e8c4c0;border-left:.3rem solid #b3141b;border-radius:.3rem;padding:.75rem 1rem;margin:1rem 0}
code,pre{font:14px/1.5 ui-monospace,Menlo,Consolas,monospace}
.where{font-weight:600;overflow-wrap:anywhere}
pre{background:#f6f6f6;padding:.5rem;overflow-x:auto;margin:.5rem 0}
mark{background:#ffd166}
dt{font-weight:600}dd{margin:0 0 .5rem}
"""


def _zh(message: str) -> str:
    """A catalog message in Chinese, escaped for HTML."""
    return html.escape(translate(message, "zh_CN"))


def _en(message: str) -> str:
    """A catalog message in English, escaped for HTML."""
    return html.escape(translate(message, "en"))


def error_page(problems: tuple[Problem, ...], unwritten: bool = False) -> str:
    """A self-contained HTML page listing each problem with its place, message, hint and source line.

    `unwritten`: the problem is the output's (a full disk), not the content's.
    """
    items = "\n".join(_problem_html(p) for p in problems)
    n = len(problems)
    if unwritten:
        title, fix = N_("Preview not written"), N_("Free some disk space: this page reloads by itself once the preview is written.")
        heading = N_("The preview cannot be written for now")
        count = translate(heading, "en")
    else:
        title, fix = N_("Content problems"), N_("Fix the file and save it: this page reloads by itself.")
        heading = N_("The content has problems; the site cannot be built for now")
        count = translations("en").ngettext("The content has %(num)d problem; the site cannot be built.",
                                            "The content has %(num)d problems; the site cannot be built.", n) % {"num": n}
    # Bilingual on purpose: whoever edits the content reads the page, whatever the server's locale.
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_zh(title)} · {_en(title)} ({n})</title>
<style>{ERROR_CSS}</style>
</head>
<body>
<main>
<h1>{_zh(heading)}</h1>
<p class="en" lang="en">{html.escape(count)}</p>
<ol>
{items}
</ol>
<p>{_zh(fix)}<br><span class="en" lang="en">{_en(fix)}</span></p>
</main>
</body>
</html>
"""


_ERROR, _HINT = N_("Error"), N_("Hint")


def _problem_html(p: Problem) -> str:
    """One problem: file:line:column, message, hint, and the offending line when it can be read."""
    where = f"{p.path}:{p.line}:{p.column}" if p.line else p.path
    parts = [f'<li><p class="where"><code>{html.escape(where)}</code></p><dl>',
             f'<dt>{_zh(_ERROR)} <span lang="en">{_en(_ERROR)}</span></dt>{_both(p.message)}']
    if p.hint:
        parts.append(f'<dt>{_zh(_HINT)} <span lang="en">{_en(_HINT)}</span></dt>{_both(p.hint)}')
    parts.append("</dl>" + _excerpt(p) + "</li>")
    return "".join(parts)


def _both(text: str) -> str:
    """A message in Chinese, then in English when the catalog translates it."""
    zh, en = translate(text, "zh_CN"), translate(text, "en")
    return f"<dd>{html.escape(zh)}</dd>" + (f'<dd class="en" lang="en">{html.escape(en)}</dd>' if en != zh else "")


def _excerpt(p: Problem, context: int = 2) -> str:
    """The lines around the problem, its own line highlighted; empty when the file cannot be read."""
    path = Path(p.path)
    if p.line < 1 or not path.is_file():
        return ""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return ""  # the problem itself says the file is not UTF-8
    first = max(p.line - 1 - context, 0)
    rows = []
    for n, text in enumerate(lines[first:p.line + context], start=first + 1):
        row = f"{n:>4} | {html.escape(text)}"
        rows.append(f"<mark>{row}</mark>" if n == p.line else row)
    return "<pre>" + "\n".join(rows) + "</pre>" if rows else ""
