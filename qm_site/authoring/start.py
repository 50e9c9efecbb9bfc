"""Starting a campaign from the web editor's page /admin/start.html (新建活动, 导入通知), behind `serve --cms`.

The preview's handlers (serve.py: NewCampaign, ImportNotice) check who asks, then call these: the same `new` and
`import` as the command line, with the same checks and limits. What goes wrong becomes a `cms.Refusal`, whose
message the page shows in Chinese. A campaign that exists is never touched (`new` and `import` refuse it too;
here it is said before a file is received).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from ..errors import QmError
from ..i18n import N_
from ..importing import import_notice
from ..importing.readers import LIMITS, MB
from ..source import controls
from ..source.folders import ID
from . import scaffold
from .cms import Refusal, json_request

SUFFIXES = (".docx", ".pdf", ".txt", ".md")  # what `import` reads (it tells the kind by the bytes; the name must agree)
_NAME = re.compile(r"[^\w.\-（）()\u3000-\u9fff]+")  # what is kept of an uploaded file's name (it is noted in the draft)


def checked_id(campaign_id: str, content_dir: Path) -> str:
    """A new campaign's id as `new` and `import` accept it, not taken yet; a Refusal naming the field otherwise."""
    m = ID.fullmatch(campaign_id)
    if not m or not 1978 <= int(m["year"]) <= 2100:
        shown = controls.visible(campaign_id, one_line=True)[:80]
        raise Refusal(400, N_("the campaign id `%(id)s` is not a year and a short name", id=shown),
                      N_("the year has four digits (1978-2100); the short name has lower-case Latin letters, digits and "
                         "hyphens, e.g. 2023-national"))
    if (content_dir / campaign_id).exists():
        raise Refusal(409, N_("the campaign `%(id)s` exists already; it is left as it is", id=campaign_id),
                      N_("pick another short name, or open that campaign in the editor"))
    return campaign_id


def latest(content_dir: Path) -> str | None:
    """The campaign a new one copies by default: the latest year's (by id, so by year first)."""
    ids = scaffold.existing_ids(content_dir)
    return max(ids) if ids else None


def new_request(content_type: str, body: bytes, content_dir: Path) -> tuple[str, str]:
    """(id, id to copy) from the page's JSON {id, from?}; `from` is the latest campaign when not given."""
    request = json_request(content_type, body)
    if not isinstance(request, dict) or not isinstance(request.get("id"), str) or \
            not isinstance(request.get("from", ""), str):
        raise Refusal(400, N_("the request is not one the web editor sends"))
    source = request.get("from") or latest(content_dir)
    if source is None:
        raise Refusal(400, N_("there is no campaign yet whose structure a new one could take"),
                      N_("import the notice instead (导入通知)"))
    return checked_id(request["id"], content_dir), source


def new(content_dir: Path, campaign_id: str, source_id: str) -> None:
    """`build.py new campaign_id --from source_id` (its to-do list is what the form's 待填写 show)."""
    try:
        scaffold.new_campaign(content_dir, campaign_id, source_id)
    except QmError as exc:
        raise _refusal(exc) from None
    except OSError as exc:
        raise _os_refusal(exc) from None


def announced_size(length: str | None) -> int:
    """The upload's size from its Content-Length, refused over the import's limit before any of it is read."""
    if length is None or not length.isdigit():
        raise Refusal(411, N_("the request is not one the web editor sends"))
    size = int(length)
    if size > LIMITS.file_bytes:
        raise Refusal(413, N_("the file is larger than %(mb)d MB, far more than a notice", mb=LIMITS.file_bytes // MB),
                      N_("check that this is the notice you received; save a Word file without its pictures"))
    if size == 0:
        raise Refusal(400, N_("the file is empty"), N_("choose the .docx, .pdf or .txt file you received"))
    return size


def upload_name(name: str) -> str:
    """The uploaded file's own name, kept as the draft's source, less folders and odd characters; its suffix checked."""
    base = _NAME.sub("-", Path(controls.visible(name, one_line=True).replace("\\", "/")).name).strip("-.")[:100]
    suffix = Path(base).suffix.lower()
    if suffix not in SUFFIXES:
        raise Refusal(415, N_("the notice file must be .docx, .pdf, .txt or .md, not %(name)s", name=base or "?"),
                      N_("a .doc or WPS file: open it and save it as .docx; a scan: ask for the text"))
    return base


class Upload:
    """A notice being received into a private temporary folder, then imported as a new campaign."""

    def __init__(self, campaign_id: str, name: str) -> None:
        """Make the folder (mode 0700: only this user reads it) and open the file for the upload's bytes."""
        self.campaign_id = campaign_id
        self.name = upload_name(name)
        self.folder = Path(tempfile.mkdtemp(prefix="qm-site-upload-"))
        self.path = self.folder / self.name
        self.file = self.path.open("wb")

    def write(self, chunk: bytes) -> None:
        """One piece of the body (the server reads no more than its Content-Length, checked in `announced_size`)."""
        self.file.write(chunk)

    def import_into(self, content_dir: Path) -> None:
        """`build.py import` of the received file into content_dir/<id>/ (read in its guarded child, as there)."""
        self.file.close()
        try:
            import_notice(str(self.path), self.campaign_id, content_dir, "zh_CN")
        except QmError as exc:
            raise _refusal(exc) from None
        except OSError as exc:
            raise _os_refusal(exc) from None

    def discard(self) -> None:
        """Remove the temporary folder (again is harmless)."""
        self.file.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _refusal(exc: QmError) -> Refusal:
    """The first problem of `new` or `import` as the page shows it (the others follow from it, or `check` lists them)."""
    problem = exc.problems[0]
    return Refusal(400, problem.message, problem.hint)


def _os_refusal(exc: OSError) -> Refusal:
    """What the command line says of a refusal by the system (a read-only or full disk, a folder made meanwhile)."""
    return Refusal(500, N_("the operating system refused: %(reason)s", reason=exc.strerror or str(exc)),
                   N_("check the path, its permissions and the free disk space, then run the command again"))
