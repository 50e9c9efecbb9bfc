"""`build.py fmt [--check]`: keep content/'s YAML in the one form the web editor writes.

Decap CMS (/admin/) saves a whole file with the npm `yaml` package: top-level keys in the order of the form's
fields, every list in block style, long text re-wrapped, comments dropped. A file kept in any other form is
rewritten entirely by its first save from the form, and git then shows every line changed for one edit. So the
files are stored exactly as the editor writes them: `fmt` runs the editor's own writer (admin/canonical.js, with
the `yaml` package decap-cms-core uses, in node) over site.yaml and every campaign.yaml, and after that a form
edit of one field changes one line.

Nothing is rewritten when the editor's reader would read a value differently from `check` (a leading zero, a
value the `yaml` package parses otherwise): both texts are read with our loader and must mean the same.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import Collector, Problem, QmError
from ..i18n import N_
from ..source import model
from ..source.content import CAMPAIGN_FILE, SITE_FILE, Unreadable, campaign_folders, read_text
from ..source.editor_form import Outcome, Source, examine, form_keys, requirements


def content_files(root: Path) -> list[tuple[Path, type]]:
    """The files the web editor edits: site.yaml and each campaign's campaign.yaml, with their model."""
    found = [(root / SITE_FILE, model.Site)] if (root / SITE_FILE).is_file() else []
    # A folder that is not a campaign is `check`'s to report; fmt formats the campaigns the editor lists.
    return found + [(folder / CAMPAIGN_FILE, model.Campaign) for folder in campaign_folders(root, Collector())]


def replace(path: Path, text: str) -> None:
    """Write text over a file in one step (a temporary file beside it, renamed), keeping its permissions."""
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_sources(content_dir: Path) -> list[Source]:
    """site.yaml and every campaign.yaml under content_dir, read as `check` reads them."""
    if not content_dir.is_dir():
        raise QmError.at(str(content_dir), 0, 0, N_("the content folder does not exist"),
                         N_("pass --content with the folder that holds site.yaml"))
    out, errors = [], Collector()
    for path, cls in content_files(content_dir):
        try:
            out.append(Source(path, _show(path), read_text(path, content_dir), tuple(form_keys(cls))))
        except Unreadable as exc:
            errors.add(_show(path), exc.line if exc.in_file else 0, exc.column if exc.in_file else 0, exc.message, exc.hint)
        except FileNotFoundError:
            errors.add(_show(path), 0, 0, N_("`%(name)s` is a broken link", name=path.name), N_("remove it or point it at a file"))
    errors.raise_if_any()
    return out


def _show(path: Path) -> str:
    """A path as messages print it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def fmt(content_dir: str | Path, check: bool = False) -> Outcome:
    """Rewrite content/ into the editor's form; with `check`, change nothing and raise QmError naming each file that differs."""
    node, root = requirements()
    outcome = examine(load_sources(Path(content_dir)), node, root)
    if check:
        if outcome.changed:
            raise QmError([Problem(s.shown, 0, 0, N_("not in the form the web editor saves, so its next save would rewrite "
                                                     "the whole file"), N_("run `python3 build.py fmt` and commit the result"))
                           for s in outcome.changed])
        return outcome
    for s in outcome.changed:
        replace(s.path, outcome.texts[s.path])
    return outcome
