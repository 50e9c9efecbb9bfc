"""The site's own look: the top-level templates/ and assets/ beside content/, which override qm-site's built-in ones.

They are found from the content folder's parent (or given with --templates/--assets), never from where qm-site is
installed. A README.md there describes the folder and is never published; templates/examples/ holds examples that
take effect only when copied up into templates/ (the repository's own site stays as qm-site builds it).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from ..errors import Collector, QmError
from ..i18n import N_
from . import assets as asset_kinds

BUILTIN_ASSETS = Path(str(files("qm_site"))) / "assets"  # qm-site's own, which the site's assets/ may replace one by one
TEMPLATES_DIR = "templates"
ASSETS_DIR = "assets"
README = "README.md"
EXAMPLES = "examples"  # templates/examples/: read and checked, never in force
RECORD = ".builtin.sha256"  # beside an override: the hash of the built-in template it was made from (sha256sum's format)
TEXT_KINDS = {".css": "CSS", ".js": "JavaScript"}  # what assets/ may hold beside the upload kinds: stylesheets, scripts


@dataclass(frozen=True)
class Look:
    """The site's templates/ and assets/ folders (None where there is none), its template names and asset files."""

    templates: Path | None = None
    assets_dir: Path | None = None
    names: tuple[str, ...] = ()  # every .html under templates/, relative (examples/ included)
    assets: tuple[tuple[str, bytes], ...] = field(default=(), compare=False, repr=False)  # (name under assets/, bytes)
    digest: str = ""  # of the asset files: two looks with the same folders and names differ by it

    @property
    def watched(self) -> list[Path]:
        """The folders the dev server watches for this look."""
        return [p for p in (self.templates, self.assets_dir) if p is not None]


def folders(content_dir: Path, templates: str | Path | None = None, assets: str | Path | None = None
            ) -> tuple[Path | None, Path | None]:
    """The templates/ and assets/ folders: given ones (which must exist), else those beside the content folder if any."""
    found: list[Path | None] = []
    for given, name in ((templates, TEMPLATES_DIR), (assets, ASSETS_DIR)):
        if given is not None:
            if not Path(given).is_dir():
                raise QmError.at(str(given), 0, 0, N_("the folder %(folder)s does not exist", folder=str(given)),
                                 N_("pass --%(option)s with an existing folder, or leave it out", option=name))
            found.append(Path(given))
        else:
            beside = content_dir.resolve().parent / name
            found.append(beside if beside.is_dir() else None)
    return found[0], found[1]


def read(content_dir: Path, errors: Collector, templates: str | Path | None = None, assets: str | Path | None = None) -> Look:
    """The look beside content_dir (or in the given folders); problems with its assets go to `errors`."""
    tdir, adir = folders(content_dir, templates, assets)
    names = tuple(sorted(p.relative_to(tdir).as_posix() for p in tdir.rglob("*.html") if not _hidden(p, tdir))) if tdir else ()
    files = _read_assets(adir, errors) if adir else ()
    digest = hashlib.sha256(b"".join(n.encode() + b"\0" + hashlib.sha256(d).digest() for n, d in files)).hexdigest()
    return Look(tdir, adir, names, files, digest)


def _hidden(path: Path, root: Path) -> bool:
    """A file under a hidden folder, or hidden itself (an editor's swap file)."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _read_assets(folder: Path, errors: Collector) -> tuple[tuple[str, bytes], ...]:
    """assets/'s files that may be published: the kinds content/assets/ takes, and UTF-8 stylesheets and scripts."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(n for n in filenames if not n.startswith(".")):
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if rel == README:
                continue
            try:
                found.append((rel, _read_asset(path)))
            except QmError as exc:
                errors.extend(exc.problems)
    return tuple(found)


def _read_asset(path: Path) -> bytes:
    """One file of assets/ if it may be published; QmError naming it if not."""
    shown = str(path)
    try:
        asset_kinds.check_size(shown, path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise QmError.at(shown, 0, 0, N_("the operating system refused: %(reason)s", reason=exc.strerror or str(exc)),
                         N_("check the path, its permissions and the free disk space, then run the command again")) from None
    kind = TEXT_KINDS.get(path.suffix.lower())
    if kind is None:
        asset_kinds.asset_kind(shown, data)
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QmError.at(shown, 0, 0, N_("%(kind)s file `%(name)s` is not UTF-8 text", kind=kind, name=path.name),
                         N_("save it as UTF-8 (VS Code: click the encoding in the status bar, Save with Encoding, UTF-8)")) from exc
    return data


def stylesheet(look: Look) -> str:
    """The site.css in force: the site's replacement, else qm-site's."""
    own = dict(look.assets).get("site.css")
    return (own if own is not None else (BUILTIN_ASSETS / "site.css").read_bytes()).decode("utf-8", "replace")
