"""/admin/: the Decap CMS web editor, its config.yml generated from the content model.

`cms_config` is pure: the model's field metadata (the same that makes the validator and the JSON Schema)
becomes Decap's collections, so the form always matches what `check` accepts: a label from the Chinese half of
each field's "中文 / English" description and its Chinese `hint`, `required` where the validator requires the key,
the model's patterns (with check's hint for each, from the zh_CN catalog, so the form says in Chinese what is wrong),
ranges and choices (named by the model's `labels`) on the widgets. Everything the editor sees is Chinese.
Three model types have no stock Decap widget; widgets.js (package data) registers one for each through Decap's
public `CMS.registerWidget`:
  qm-text-or-list  `str | list[str]` (schedule details): one text area, a list written as lines "- …";
  qm-slogan        `Slogan | str`: the slogan and its translation, saved as plain text when there is none;
  qm-period        `Period | str`: the period as the notice prints it, or "YYYY-MM-DD 至 YYYY-MM-DD"; it refuses
                   impossible dates and a start after the end (its `isValid`), as check does;
and one for the row number `Activity.no`, which the form renumbers on save (widgets.js, Decap's `preSave` event):
  qm-row-number    a check box "编序号": the numbered rows of a table get 1, 2, 3 … in the order the editor sees,
                   so moving a row never publishes 1, 3, 2 and a new row gets its number; a row the notice prints
                   without a number stays without one.
Collapsed list items show a summary in Chinese (SUMMARIES). Markdown files are edited as text (Decap's rich-text
mode rewrites Markdown through remark: comments shown as text, blank lines between numbered items removed), and
their preview numbers `## ` sections as the site does (一、二、…, after the guiding ideology and the theme).
`admin_outputs` puts index.html, config.yml, widgets.js and Decap's own files (copied from the npm
package decap-cms in node_modules/, pinned in package-lock.json) on the output graph.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import sys
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from .. import cache as disk_cache
from .. import i18n
from ..i18n import N_, translate
from ..source import content, model, schema
from ..source.content import ASSETS_DIR, CAMPAIGN_FILE, SITE_FILE
from ..source.schema import fields, hints, is_required, pattern_hint
from . import graph
from .render import PACKAGE

# The npm package: decap-cms-app with React bundled (decap-cms-app alone needs React 19 UMD builds, which React no longer ships).
DECAP = "decap-cms"
DECAP_JS = "decap-cms.js"
ADMIN = "admin/"
WIDGETS = PACKAGE / "admin" / "widgets.js"
START_JS = PACKAGE / "admin" / "start.js"  # the page that starts a campaign (新建活动, 导入通知): start_html
IDENTITY = "netlify-identity-widget"  # npm: the Netlify Identity login (invitations, password resets) for git-gateway
LONG = {"guiding_ideology", "summary", "note", "incomplete", "publication_note", "description", "description_en", "address"}
DATE_FORMAT = "YYYY-MM-DD"
MISSING = N_("the web editor /admin/ was not built: the npm packages decap-cms and netlify-identity-widget are not installed "
             "(run `npm ci` in this folder; Netlify does it by itself)")


def _is_union(tp) -> bool:
    """Whether tp is `A | B`."""
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _is_dataclass(tp) -> bool:
    """Whether tp is a model dataclass (the class)."""
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


EDITOR_LANG = "zh_CN"  # the form speaks Chinese, like Decap's own interface (locale zh_Hans)
# What a collapsed item of a list shows (Decap's summary templates, {{fields.x}}; a list's n-th text is fields.x.0):
# per model class for lists of mappings, per field name for lists of single values.
SUMMARIES = {
    model.Schedule: "{{fields.caption}}",
    # No 序号: the save numbers rows by their order, and Decap's form keeps showing the values it had before the save.
    model.Activity: "{{fields.name}} · {{fields.time | default('时间未填')}}",
    model.SloganGroup: "{{fields.title}}",
    model.Contact: "{{fields.organization}} {{fields.people.0 | default('联系人未填')}} {{fields.people.1}} "
                   "{{fields.phones.0 | default('电话未填')}}",
    model.Attachment: "附件{{fields.number}} {{fields.title}}",
    model.Review: "{{fields.field}}",
    model.PosterFormat: "{{fields.name}}（{{fields.width_mm}} × {{fields.height_mm}} 毫米）",
}


def label_of(f: dataclasses.Field) -> str:
    """A field's label: the Chinese half of the model's "中文 / English …" description."""
    # After a closing bracket the slash comes without a space: 底色（屏幕）/ background …
    return re.split(r"\s*/ ", f.metadata.get("doc", ""), maxsplit=1)[0].strip() or f.name


def field_config(cls, f: dataclasses.Field) -> dict[str, Any]:
    """Decap's description of one model field: name, label, Chinese hint, required, widget and its options."""
    label = label_of(f)
    out: dict[str, Any] = {"name": f.name, "label": label}
    if f.metadata.get("hint"):
        out["hint"] = f.metadata["hint"]
    out["required"] = is_required(f)
    out.update(widget_of(hints(cls)[f.name], {**f.metadata, "label": label}, f.name))
    default = f.default
    if default is not dataclasses.MISSING and default is not None and not dataclasses.is_dataclass(default):
        out["default"] = default
    return out


def widget_of(tp, meta: dict, name: str) -> dict[str, Any]:
    """The widget and options of a value of type tp (with its field metadata)."""
    if _is_union(tp):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if options == [str, list[str]]:
            return {"widget": "qm-text-or-list"}
        if options == [model.Period, str]:
            return {"widget": "qm-period"}
        if options == [model.Slogan, str]:
            return {"widget": "qm-slogan"}
        if len(options) > 1:
            raise TypeError(f"no form widget for {tp!r}: add one to widgets.js and here")  # a bug in model.py
        return widget_of(options[0], meta, name)
    origin = typing.get_origin(tp)
    if origin is list:
        return _list_widget(typing.get_args(tp)[0], meta, name)
    if origin is Literal:
        return {"widget": "select", "options": _options(tp, meta)}
    if _is_dataclass(tp):
        return {"widget": "object", "collapsed": True, "fields": model_fields(tp)}
    if meta.get("renumber"):
        return {"widget": "qm-row-number", "default": 0}  # a new row is numbered (0 until the save gives it its place)
    return _scalar_widget(tp, meta, name)


def _options(tp, meta: dict) -> list[dict[str, str]]:
    """A choice's values with the model's Chinese names for them."""
    labels = meta.get("labels") or {}
    missing = [v for v in typing.get_args(tp) if v not in labels]
    if missing:
        raise TypeError(f"no Chinese `labels` for the choices {missing} of {meta.get('label')}")  # a bug in model.py
    return [{"label": labels[v], "value": v} for v in typing.get_args(tp)]


def _list_widget(item, meta: dict, name: str) -> dict[str, Any]:
    """A list: of choices (a multiple select), of mappings (object rows), or of single values."""
    out: dict[str, Any]
    if typing.get_origin(item) is Literal:
        out = {"widget": "select", "multiple": True, "options": _options(item, meta)}
    elif _is_dataclass(item):
        out = {"widget": "list", "collapsed": True, "fields": model_fields(item), "summary": SUMMARIES[item]}
    else:
        item_meta = {"pattern": meta["item_pattern"]} if "item_pattern" in meta else {}
        item_meta.update(long=meta.get("long", False), label=meta["label"])
        # Each item is labelled as its list (Decap's messages name the field: “电话”是必填项) and summarised by its
        # text when collapsed. Items are shown open (one input each), except slogans: a group holds 15-30 of them,
        # two inputs each, so they are listed by their text.
        field = {"name": name, "label": meta["label"], **widget_of(item, item_meta, name)}
        out = {"widget": "list", "collapsed": field["widget"] == "qm-slogan", "summary": "{{fields." + name + "}}", "field": field}
    if meta.get("min_items"):
        out["min"] = meta["min_items"]
    return out


def _scalar_widget(tp, meta: dict, name: str) -> dict[str, Any]:
    """Text, number, true/false or date, with the model's pattern and range."""
    out: dict[str, Any]
    if tp is bool:
        return {"widget": "boolean"}
    if tp in (int, float):
        out = {"widget": "number", "value_type": "int" if tp is int else "float"}
        out.update({k[:3]: meta[k] for k in ("minimum", "maximum") if k in meta})
        return out
    if tp is dt.date:
        # A date picker in local time (no picker_utc: it prints "UTC" beside the field); a date without a time has no
        # time zone to shift it.
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False}
    out = {"widget": "text" if name in LONG or meta.get("long") else "string"}
    if "pattern" in meta:
        out["pattern"] = [meta["pattern"], pattern_message(meta["pattern"])]
    return out


def pattern_message(pattern: str) -> str:
    """What the form says after Decap's “<label>”不满足模式: check's hint for the pattern, in Chinese."""
    return f"（{translate(pattern_hint(pattern), EDITOR_LANG)}）"


def model_fields(cls) -> list[dict[str, Any]]:
    """Decap's fields of a model dataclass, in the model's order."""
    return [field_config(cls, f) for f in fields(cls)]


# Content.sources: (folder, title, Markdown files, the notice body's file, its first section's number) per campaign
Sources = tuple[tuple[str, str, tuple[str, ...], str, int], ...]


def cms_config(folder: str, sources: Sources, local_api: str | None = None) -> dict[str, Any]:
    """Decap's config.yml for a content folder at `folder` (relative to the repository) holding `sources`.

    `local_api`: the URL of the preview's backend (on the preview's own origin), which then edits the files on disk
    (never in a build). Its root is the content folder itself, so every path is then relative to that folder.
    """
    if local_api is not None:
        folder = ""
    config: dict[str, Any] = {
        "backend": {"name": "git-gateway", "branch": "main"},
        "locale": "zh_Hans",
        "media_folder": _under(folder, ASSETS_DIR),
        "public_folder": "/assets",
        "collections": [campaigns(folder, sources), texts(folder, sources), settings(folder)],
    }
    if local_api is not None:
        config["local_backend"] = {"url": local_api}
    else:  # deployed: 新建活动 and 导入通知 are requests the repository's workflow carries out (the preview's start.html does them)
        config["collections"].append(inbox())
    return config


def _under(folder: str, rel: str) -> str:
    """A path in the content folder as Decap names it: under `folder`, or as it is where the folder is the root."""
    return f"{folder}/{rel}" if folder else rel


def campaigns(folder: str, sources: Sources) -> dict[str, Any]:
    """One entry per campaign.yaml, all with the Campaign model's fields.

    A file collection, not a folder one: Decap lists every .yaml file of a folder down to the path's depth
    (site.yaml too) and its filters match one value only, so the campaign files are named one by one.
    A new campaign is started with `new` or `import` (start.html, the inbox, or the command line); it appears here after it.
    """
    fields_ = model_fields(model.Campaign)
    files = [{"name": name, "label": f"{name} · {title}", "file": _under(folder, f"{name}/{CAMPAIGN_FILE}"), "fields": fields_}
             for name, title, *_ in sources]
    return {"name": "campaigns", "label": "活动", "format": "yaml", "editor": {"preview": False}, "extension": "yaml",
            "files": files,
            "description": "每个活动一项（content/<活动编号>/campaign.yaml）；正文和附件在“正文与附件”中编辑。"
                           "新活动请点右下角的“新建活动 / 导入通知”。"}


def texts(folder: str, sources: Sources) -> dict[str, Any]:
    """The Markdown files of the campaigns (notice.md, attachment-1.md, …): a Markdown editor per file.

    Raw mode only: the text is saved as typed, comments and blank lines too. The notice body's field says where
    the site starts numbering its sections (`qm_first_section`), which the preview (widgets.js) numbers the same way.
    """
    shared: dict[int | None, list[dict[str, Any]]] = {}  # one object per kind of file: config_yaml writes it once
    files = [{"name": f"{name}-{md.removesuffix('.md')}", "label": f"{name} · {md}", "file": _under(folder, f"{name}/{md}"),
              "fields": shared.setdefault(n, [_body_field(n)])}
             for name, _, docs, body, first in sources for md in docs for n in [first if md == body else None]]
    return {"name": "texts", "label": "正文与附件", "format": "frontmatter", "extension": "md", "files": files,
            "description": "通知正文（notice.md）和纯文字附件（attachment-1.md 等），一个文件一项。"}


def _body_field(first_section: int | None) -> dict[str, Any]:
    """The Markdown text of a file; for a notice body, the number of its first `## ` section."""
    out: dict[str, Any] = {"name": "body", "label": "正文", "widget": "qm-markdown", "modes": ["raw"], "required": False,
                           # Markdown
                           "hint": "`## ` 开头的行是小标题（网站自动编号：一、二、三……）；`<!-- -->` 之间是备注，不发布"}
    if first_section is not None:
        out["qm_first_section"] = first_section
    return out


INBOX = "inbox"  # at the repository's root, beside content/: `build.py inbox` and .github/workflows/inbox.yml read it


def inbox() -> dict[str, Any]:
    """The deployed site's 新建活动 / 导入通知: a request file (and the uploaded notice) committed into inbox/.

    No program of ours runs beside the deployed editor, which can only commit files: the workflow that runs on
    every push to inbox/ makes the draft, commits it and removes the request (authoring/inbox.py).
    """
    return {
        "name": "inbox", "label": "新建活动 / 导入通知", "label_singular": "请求", "folder": INBOX, "create": True,
        "format": "yaml", "extension": "yml", "slug": "{{id}}", "identifier_field": "id", "editor": {"preview": False},
        "description": "新建一项，填活动编号；导入通知时上传通知原件。发布后几分钟，仓库的自动流程建立草稿活动并删去这一项；"
                       "这一项没有消失时，请看仓库 Actions 中 inbox 流程的记录。",
        "fields": [
            {"name": "kind", "label": "做什么", "widget": "select", "default": "import",
             "options": [{"label": "导入通知（上传收到的通知原件）", "value": "import"},
                         {"label": "新建活动（照已有活动的结构，内容待填写）", "value": "new"}]},
            {"name": "id", "label": "活动编号", "widget": "string", "hint": "年份-简称，例如 2023-national",
             "pattern": [r"^[0-9]{4}-[a-z0-9]+(-[a-z0-9]+)*$",
                         "写成“年份-简称”，简称只用小写英文字母、数字和连字符，例如 2023-national"]},
            {"name": "notice", "label": "通知原件（导入通知时）", "widget": "file", "required": False, "choose_url": False,
             "media_folder": f"/{INBOX}", "public_folder": f"/{INBOX}", "hint": ".docx、.pdf、.txt 或 .md，最大 50 MB"},
            {"name": "from", "label": "照哪个活动的结构（新建活动时）", "widget": "string", "required": False,
             "hint": "已有活动的编号，例如 2022-national；不填就用最近的活动"},
        ],
    }


def settings(folder: str) -> dict[str, Any]:
    """The site settings, content/site.yaml, as a file collection."""
    return {
        "name": "settings", "label": "网站设置", "editor": {"preview": False},  # the preview server shows the real page
        "files": [{"name": "site", "label": "网站设置（site.yaml）", "file": _under(folder, SITE_FILE), "format": "yaml",
                   "fields": model_fields(model.Site)}],
    }


# libyaml's emitter where PyYAML was built with it (the locked wheels are): the same text, 4x faster (0.38 -> 0.10 s at N = 1000).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def config_yaml(config: dict[str, Any]) -> str:
    """config.yml's text (YAML; Chinese kept readable).

    The Campaign fields, shared by every campaign's entry, are written once and referred to by an alias (Decap
    parses config.yml with no limit on aliases): written out per campaign they made 1,000 campaigns a 16 MB
    file (0.35 MB now) that took PyYAML longer to write than the rest of the build.
    """
    return "# Made by qm-site from its content model (qm_site/source/model.py); edits here are overwritten.\n" + \
        yaml.dump(config, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=120)


def cached_config_yaml(folder: str, sources: Sources, local_api: str | None) -> str:
    """config_yaml(cms_config(…)) through the disk cache: PyYAML took ~8 ms of every build to write it (0.1 s at N = 1000).

    The key holds the inputs and the code the text is made by, as the Jinja bytecode cache holds render.py's: this
    module, the model and its schema rules, the content module's file names, the Chinese catalog (the pattern
    messages) and PyYAML's version.
    """
    code = b"".join(Path(m.__file__ or "").read_bytes() for m in (sys.modules[__name__], model, schema, content))
    key = disk_cache.key_of("admin-config-v2", hashlib.sha256(code).hexdigest(), disk_cache.versions("pyyaml"),
                            i18n.catalog_digest(EDITOR_LANG), folder, repr(sources), repr(local_api))
    return disk_cache.cached("admin", key, ".yml", lambda: config_yaml(cms_config(folder, sources, local_api)).encode()).decode()


def index_html() -> str:
    """Decap's page: its script, the identity login for git-gateway, and our widgets; nothing else."""
    return """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>内容管理 · 质量月活动</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<noscript>内容管理需要启用 JavaScript。</noscript>
<script src="netlify-identity-widget.js"></script>
<script src="decap-cms.js"></script>
<script src="widgets.js"></script>
<a href="start.html" style="position:fixed;right:1rem;bottom:1rem;z-index:9999;padding:.5rem 1rem;border-radius:.3rem;background:#b3141b;color:#fff;font:15px/1.4 system-ui,sans-serif;text-decoration:none;box-shadow:0 1px 4px rgba(0,0,0,.3)">＋ 新建活动 / 导入通知</a>
</body>
</html>
"""  # noqa: E501 - one inline style, kept on its line


START_CSS = """
body{font:16px/1.6 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#eff0f4;color:#1a1a1a}
main{max-width:44rem;margin:0 auto;padding:1.5rem 1rem}
h1{font-size:1.5rem;margin:0 0 1rem}
section{background:#fff;border-radius:.4rem;padding:1rem 1.25rem;margin:0 0 1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h2{font-size:1.2rem;margin:0 0 .5rem}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}
input,select{font:inherit;padding:.3rem .4rem;border:1px solid #bbb;border-radius:.25rem}
.hint{color:#555;font-size:.9rem;margin:.2rem 0}
button{font:inherit;margin-top:1rem;padding:.4rem 1.2rem;border:0;border-radius:.25rem;background:#b3141b;color:#fff;cursor:pointer}
button:disabled{background:#999}
.msg{margin:.75rem 0 0}.bad{color:#b3141b;font-weight:600}
code{background:#f3f3f3;padding:0 .2rem}
"""


def _id_fields(form: str) -> str:
    """The year and short name of a new campaign's id (year-name, as `new` and `import` take it).

    No pattern for the browser to check: the preview checks the id and says what is wrong in Chinese, where a
    browser's own message would be in its language and say less.
    """
    return f"""<label for="{form}-year">年份</label>
<input id="{form}-year" name="year" inputmode="numeric" size="6" required>
<label for="{form}-slug">简称（活动编号的后半部分）</label>
<input id="{form}-slug" name="slug" required placeholder="national" autocomplete="off">
<p class="hint">只用小写英文字母、数字和连字符，例如 national、zhuhai；活动编号是“年份-简称”，如 2023-national，也是网址的一部分。</p>"""  # noqa: E501 - in HTML a line break between Chinese characters shows as a space


def start_html() -> str:
    """/admin/start.html: 新建活动 and 导入通知 in the preview; on the deployed site, the way that needs no terminal."""
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>新建活动 · 导入通知 · 质量月活动</title>
<style>{START_CSS}</style>
</head>
<body>
<main>
<h1>新建活动 · 导入通知</h1>
<p><a href="./">← 返回内容管理</a></p>
{_start_local()}{_start_deployed()}</main>
<script src="start.js"></script>
</body>
</html>
"""


def _start_local() -> str:
    """start.html's two forms, shown by start.js when config.yml names the preview's backend."""
    return f"""<div id="local" hidden>
<section>
<h2>新建活动</h2>
<p>照一个已有活动的结构建立新活动：保留小标题、表格的栏目和海报样式，不沿用去年的内容；要填的地方都写着“待填写”。新活动是草稿（不发布），建好后直接在表单中打开。</p>
<form id="new">
{_id_fields("new")}
<label for="new-from">照哪个活动的结构</label>
<select id="new-from" name="from"></select>
<p class="hint">默认是最近的一个活动。</p>
<button type="submit">新建活动</button>
<p id="new-msg" class="msg" role="status"></p>
</form>
</section>
<section>
<h2>导入通知</h2>
<p>上传收到的通知原件（.docx、.pdf、.txt 或 .md，最大 50 MB）：标题、文号、主题、口号、活动安排、联系方式等会自动填好；没找到的写着“待填写”，需要核对的地方在文件里标了 ⚠。新活动是草稿，导入后直接在表单中打开。</p>
<form id="import">
<label for="import-file">通知文件</label>
<input id="import-file" name="file" type="file" accept=".docx,.pdf,.txt,.md" required>
{_id_fields("import")}
<button type="submit">导入通知</button>
<p id="import-msg" class="msg" role="status"></p>
</form>
</section>
</div>
"""  # noqa: E501 - in HTML a line break between Chinese characters shows as a space


def _start_deployed() -> str:
    """start.html's way on the deployed site, where no local backend runs (README, 网页编辑)."""
    return """<section id="deployed" hidden>
<h2>在正式网站上新建活动或导入通知</h2>
<p>正式网站上，新活动由仓库里的自动流程建立，不需要终端：</p>
<ol>
<li>在左侧“新建活动 / 导入通知”中点“新建”，填写活动编号（如 <code>2023-national</code>）；导入通知时上传通知原件；新建活动时可以写照哪个活动的结构（不写就用最近的活动）；点“发布”→“立即发布”。</li>
<li>几分钟后，仓库的自动流程（GitHub Actions）建立草稿 <code>content/活动编号/</code> 并提交；网站重新构建后，它出现在“活动”列表里，状态是草稿。</li>
<li>出错时（例如活动编号已经存在），请求留在“新建活动 / 导入通知”里，自动流程的记录写明原因。</li>
</ol>
<p>也可以在自己电脑上运行 <code>python3 build.py serve --cms</code>，打开本页直接新建或导入。</p>
</section>
"""  # noqa: E501 - in HTML a line break between Chinese characters shows as a space


# --- the I/O edge: where Decap's files are, and the outputs -----------------------------------------


@dataclass(frozen=True)
class Admin:
    """What /admin/ is made from: the content folder as the repository names it, Decap's files, the preview's port."""

    repo: Path  # the folder Decap's paths start from: the one the command runs in, or the content folder's parent
    folder: str  # the content folder relative to repo, e.g. content
    dist: Path | None  # node_modules/decap-cms/dist, or None when the npm packages are not installed
    identity: Path | None  # netlify-identity-widget's build file
    local_api: str | None = None  # serve --cms: the URL of the preview's backend proxy, …/admin/api/<secret>/v1


def locate(content_root: Path, local_api: str | None = None, cwd: Path | None = None) -> Admin:
    """Find the npm packages in node_modules/ of the folder the command runs in (where `npm ci` puts them)."""
    cwd = (cwd or Path.cwd()).resolve()
    root = content_root.resolve()
    repo = cwd if root.is_relative_to(cwd) and root != cwd else root.parent
    dist = cwd / "node_modules" / DECAP / "dist"
    identity = cwd / "node_modules" / IDENTITY / "build" / "netlify-identity-widget.js"
    return Admin(repo, root.relative_to(repo).as_posix(), dist if (dist / DECAP_JS).is_file() else None,
                 identity if identity.is_file() else None, local_api)


def decap_files(dist: Path) -> list[Path]:
    """Decap's script, the chunks it loads on demand, its WebAssembly and licence notices (no source maps)."""
    chunks = sorted(p for p in dist.glob(f"*.{DECAP_JS}"))
    return [dist / DECAP_JS, dist / f"{DECAP_JS}.LICENSE.txt", *chunks, *sorted(dist.glob("*.wasm"))]


def admin_outputs(admin: Admin | None, sources: Sources) -> list[graph.Output]:
    """/admin/'s files on the output graph; none without Decap's npm package (the build says so once)."""
    if admin is None or admin.dist is None or admin.identity is None:
        return []
    outputs = [graph.single(ADMIN + "index.html", "admin-index", index_html),
               graph.single(ADMIN + "config.yml", ("admin-config", admin.folder, sources, admin.local_api),
                            lambda: cached_config_yaml(admin.folder, sources, admin.local_api)),
               graph.single(ADMIN + "widgets.js", _digest(WIDGETS), WIDGETS.read_bytes),
               graph.single(ADMIN + "start.html", "admin-start", start_html),
               graph.single(ADMIN + "start.js", _digest(START_JS), START_JS.read_bytes),
               graph.single(ADMIN + "netlify-identity-widget.js", _digest(admin.identity), admin.identity.read_bytes)]
    files = decap_files(admin.dist)
    key = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    outputs.append(graph.Output(ADMIN + DECAP_JS, key, lambda: {ADMIN + p.name: p.read_bytes() for p in files}))
    return outputs


def _digest(path: Path) -> str:
    """A file's SHA-256: the key of an output that copies it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
