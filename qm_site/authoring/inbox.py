"""`build.py inbox`: the deployed web editor's 新建活动 and 导入通知, done by the repository's workflow.

On the deployed site no program of ours runs beside the editor: the editor can only commit files. So a request is
a file it commits into inbox/ (the collection 新建活动 / 导入通知 of config.yml, admin.inbox), with the notice it
uploaded beside it; .github/workflows/inbox.yml runs this command on every push that touches inbox/ and commits
what it made. Each request is `new` or `import` as on the command line, with the same checks; a request that
worked is removed with its notice, one that did not stays, and its reason is printed (the workflow's log).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import Problem, QmError
from ..i18n import N_, translate
from ..importing import import_notice
from . import scaffold, start
from .cms import Refusal

REQUESTS = ("*.yml", "*.yaml")
KINDS = {"new": "新建活动", "import": "导入通知"}


def requests(inbox: Path) -> list[Path]:
    """The request files in the inbox, oldest name first (the notices beside them are not requests)."""
    return sorted(p for pattern in REQUESTS for p in inbox.glob(pattern) if p.is_file())


def carry_out(request: Path, content_dir: Path) -> str:
    """Do one request: the campaign's id; a QmError or Refusal saying why not (nothing is written then)."""
    fields = yaml.safe_load(request.read_text(encoding="utf-8"))
    if not isinstance(fields, dict) or fields.get("kind") not in KINDS or not isinstance(fields.get("id"), str):
        raise Refusal(400, N_("a request names its kind (new or import) and the new campaign's id"),
                      N_("make the request again in the web editor's 新建活动 / 导入通知"))
    campaign_id = start.checked_id(fields["id"].strip(), content_dir)
    if fields["kind"] == "new":
        source = fields.get("from") or start.latest(content_dir)
        scaffold.new_campaign(content_dir, campaign_id, str(source or ""))
        return campaign_id
    notice = _notice(request.parent, fields.get("notice"))
    import_notice(str(notice), campaign_id, content_dir, "zh_CN")
    notice.unlink()
    return campaign_id


def _notice(inbox: Path, value: object) -> Path:
    """The uploaded notice a request names: a file of the inbox itself, of a kind `import` reads."""
    name = Path(str(value or "")).name
    path = inbox / start.upload_name(name)
    if not name or path.name != name or not path.is_file() or path.is_symlink():
        raise Refusal(404, N_("the request names no uploaded notice in %(folder)s/", folder=inbox.name),
                      N_("make the request again and upload the notice with it"))
    return path


def process(inbox: Path, content_dir: Path, lang: str = "zh_CN") -> tuple[list[str], bool]:
    """Do every request of the inbox: (what to print, whether all of them worked)."""
    lines, ok = [], True
    for request in requests(inbox):
        try:
            campaign_id = carry_out(request, content_dir)
        except QmError as exc:
            ok = False
            lines += [f"{request}:"] + [f"  {p.format(lang)}" for p in exc.problems]
            continue
        except Refusal as refusal:
            ok = False
            lines += [f"{request}:", f"  {Problem(str(request), 0, 0, refusal.message, refusal.hint).format(lang)}"]
            continue
        request.unlink()
        lines.append(translate(N_("%(request)s: started the draft %(folder)s", request=str(request),
                                  folder=str(content_dir / campaign_id)), lang))
    return lines, ok
