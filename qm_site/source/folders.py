"""A new campaign folder: its id, how its fields are named to editors, what `check` will say of it, and its writer.

Shared by `new` (authoring) and `import` (importing), which both start a campaign: the folder appears whole or not
at all (written beside under a dot-name, then renamed into place), and what a killed writer left is cleared later.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from ..errors import Collector
from .content import parse_campaign
from .markup import Renderer
from .model import SLUG
from .schema import fields

# fullmatch with ASCII: `$` would let a trailing newline through and \d would take ٢٠٢٣ or full-width ２０２３.
ID = re.compile(r"(?P<year>[0-9]{4})-(?P<slug>" + SLUG[1:-1] + r")", re.ASCII)


def field_label(cls, name: str) -> str:
    """A field as the to-do lists name it: `通知标题 title` (the Chinese half of its description, then its key)."""
    doc = next((f.metadata.get("doc", "") for f in fields(cls) if f.name == name), "")
    return f"{doc.split(' / ')[0]} {name}".strip()


def campaign_errors(text: str, path: str, read) -> list:
    """The errors `check` would report for a campaign.yaml text whose Markdown files `read(name)` gives."""
    errors = Collector()
    parse_campaign(text, path, read, Renderer(), errors, Path(path).parent.name)
    return errors.errors


STAGING_MARKER = ".qm-site-staging"  # in a folder being written: which process, on which machine, writes it
_MARKED = re.compile(r"qm-site staging folder of process ([0-9]{1,9}) on (.{1,255})\n", re.ASCII)


def _marker_text() -> str:
    """What the marker of this process says."""
    return f"qm-site staging folder of process {os.getpid()} on {_host()}\n"


def _host() -> str:
    """This machine's (or container's) name, as ASCII: process ids of another one say nothing here."""
    return os.uname().nodename.encode("ascii", "replace").decode()


def write_folder(content_dir: Path, campaign_id: str, files: dict[str, str]) -> Path:
    """Create content/<campaign_id>/ holding `files` (name -> text) whole or not at all; returns the folder."""
    remove_abandoned(content_dir)
    target = content_dir / campaign_id
    # Built beside the target under a dot-name (which content.load skips), then renamed: never half a campaign.
    tmp = Path(tempfile.mkdtemp(prefix=f".{campaign_id}.new-{os.getpid()}-", dir=content_dir))
    try:
        # A process killed while writing cannot clean up: the marker lets a later one know the folder as ours, and dead.
        (tmp / STAGING_MARKER).write_text(_marker_text(), encoding="utf-8")
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        (tmp / STAGING_MARKER).unlink()
        tmp.chmod(0o755)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def remove_abandoned(content_dir: Path) -> None:
    """Remove the staging folders (.ID.new-*) of imports and `new`s that were killed; nothing else."""
    with os.scandir(content_dir) as it:
        staged = [Path(e.path) for e in it if e.name.startswith(".") and ".new-" in e.name and e.is_dir(follow_symlinks=False)]
    for folder in staged:
        pid = _staging_pid(folder)
        if pid is not None and not alive(pid):
            shutil.rmtree(folder)


def _staging_pid(folder: Path) -> int | None:
    """The process of this machine that made a staging folder, from its marker; None when the folder has no marker of
    ours, or one written on another machine sharing the folder (its processes cannot be looked up from here)."""
    marker = folder / STAGING_MARKER
    try:
        if not stat.S_ISREG(marker.lstat().st_mode) or marker.lstat().st_size > 100:
            return None
        m = _MARKED.fullmatch(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):  # no marker, or not one we wrote: the folder is not ours to remove
        return None
    return int(m[1]) if m and m[2] == _host() else None


def alive(pid: int) -> bool:
    """Whether a process with this id runs (one of another user counts: what it made is left alone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
