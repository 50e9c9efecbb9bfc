"""Writing the site: all files into a temporary folder, swapped in only when complete.

A failed build therefore leaves the previous output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .errors import QmError
from .i18n import N_

KEEP = ("pdf",)  # folders written by `build.py pdf`, carried over from the previous output


class Files(dict):
    """Output path (posix, relative) -> bytes; refuses two writers of one path.

    `claimed` holds paths already written straight to the staging folder (by render workers).
    """

    def __init__(self) -> None:
        super().__init__()
        self.claimed: set[str] = set()

    def add(self, path: str, data: bytes | str, origin: str = "") -> None:
        """Register one output file."""
        self[self._check(path, origin)] = data.encode("utf-8") if isinstance(data, str) else data

    def claim(self, path: str, origin: str = "") -> None:
        """Register a file that was written elsewhere, so that no other page may take its path."""
        self.claimed.add(self._check(path, origin))

    def _check(self, path: str, origin: str) -> str:
        norm = str(PurePosixPath(path))
        if norm.startswith(("/", "..")) or norm in ("", "."):
            raise QmError.at(origin or path, 0, 0, N_("output path `%(path)s` is outside the site folder", path=path),
                             N_("this is a bug in qm-site"))
        if norm in self or norm in self.claimed:
            raise QmError.at(origin or path, 0, 0, N_("two pages would be written to `%(path)s`", path=norm),
                             N_("give the campaigns different `slug`s or years"))
        return norm


def write_tree(files: dict[str, bytes], root: Path, mtime: int | None = None) -> None:
    """Write every file under root (which must exist); with `mtime`, stamp files with it (reproducible archives)."""
    for rel in sorted(files):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[rel])
        if mtime is not None:
            os.utime(target, (mtime, mtime))


@contextmanager
def staged(out: str | Path) -> Iterator[Path]:
    """A new, empty folder beside `out` to build into; swapped in for `out` when the block succeeds, removed if not."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        yield tmp
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_in(tmp: Path, out: Path) -> None:
    """Carry kept folders over from the old output, then replace it with tmp."""
    for keep in KEEP:
        if (out / keep).is_dir() and not (tmp / keep).exists():
            shutil.copytree(out / keep, tmp / keep)
    os.chmod(tmp, 0o755)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / "site")
    os.rename(tmp, out)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def write_site(files: dict[str, bytes], out: str | Path, mtime: int | None = None) -> Path:
    """Replace the output folder with exactly `files` (plus kept folders), atomically as far as the OS allows."""
    with staged(out) as tmp:
        write_tree(files, tmp, mtime)
    return Path(out).resolve()


def update_site(changed: dict[str, bytes], removed: set[str], out: str | Path) -> None:
    """Incremental write: replace only changed files (each atomically), delete removed ones."""
    out = Path(out)
    for rel in sorted(changed):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(changed[rel])
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    for rel in sorted(removed):
        (out / rel).unlink(missing_ok=True)
