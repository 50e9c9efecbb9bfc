"""Writing the site: all files into a temporary folder, swapped in only when complete.

A failed build therefore leaves the previous output exactly as it was. The output folder is only
ever replaced when qm-site made it (it holds MARKER), or it is empty or absent, and never when it
is the content folder, inside it, or above it: a mistyped --out must not delete anybody's files.
"""

from __future__ import annotations

import contextlib
import errno
import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import Problem, QmError
from ..i18n import N_
from ..source.folders import alive
from ..urls import PDF_DIR

KEEP = (PDF_DIR.rstrip("/"),)  # folders written by `build.py pdf`, carried over from the previous output
MARKER = ".qm-site-output"  # in every folder qm-site builds: proof that replacing it loses nothing of anybody's
MARKER_TEXT = b"This folder was made by qm-site and is replaced by every build; do not keep your own files here.\n"


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
        norm = posixpath.normpath(path)  # posixpath, not PurePosixPath: called for every file on every dev-server refresh
        if norm.startswith(("/", "..")) or norm in ("", "."):
            raise QmError.at(origin or path, 0, 0, N_("output path `%(path)s` is outside the site folder", path=path),
                             N_("this is a bug in qm-site"))
        if norm in self or norm in self.claimed:
            raise clash(norm, origin)
        return norm

    def swap(self, freed: set[str], new: list[tuple[str, bytes, str]]) -> dict[str, bytes | None]:
        """Drop the files at `freed` and add `new` ((path, bytes, origin)); the touched paths' earlier bytes (None: absent).

        A new path that another kept file holds is refused before anything changes.
        """
        fresh = Files()
        for path, data, origin in new:
            norm = fresh._check(path, origin)
            fresh[norm] = data
            if norm in self and norm not in freed:
                raise clash(norm, origin)
        before = {p: self.get(p) for p in freed | fresh.keys()}
        for p in freed:
            self.pop(p, None)
        self.update(fresh)
        return before


def clash(path: str, origin: str = "") -> QmError:
    """The problem of two outputs written to one path."""
    return QmError.at(origin or path, 0, 0, N_("two pages would be written to `%(path)s`", path=path),
                      N_("give the campaigns different `slug`s or years"))


def write_tree(files: dict[str, bytes], root: Path, mtime: int | None = None) -> None:
    """Write every file under root (which must exist); with `mtime`, stamp files with it (reproducible archives)."""
    base, made = os.fspath(root), set()
    for rel in sorted(files):
        # Plain strings, and each folder made once: a build writes 40,000 files, and Path objects and a mkdir
        # per file were half of the time spent writing them.
        target = os.path.join(base, rel)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(target, "wb") as f:
            f.write(files[rel])
        if mtime is not None:
            os.utime(target, (mtime, mtime))


def check_target(out: Path, protect: tuple[Path, ...] = ()) -> None:
    """Refuse an output folder that replacing could lose somebody's files with (see the module's docstring)."""
    shown, out = str(out), Path(os.path.abspath(out))
    real = out.resolve()
    for folder in protect:
        folder = Path(folder).resolve()
        if real == folder or folder.is_relative_to(real) or real.is_relative_to(folder):
            raise QmError.at(shown, 0, 0, N_("the output folder `%(out)s` would replace or hold the content folder %(folder)s",
                                                out=shown, folder=str(folder)),
                             N_("build into a folder of its own beside the content, e.g. --out public"))
    blocker = next((p for p in out.parents if p.exists() or p.is_symlink()), None)
    if blocker is not None and not blocker.is_dir():
        raise QmError.at(shown, 0, 0, N_("`%(path)s` is a file, so it cannot hold the output folder", path=str(blocker)),
                         N_("a part of this path is a file, not a folder: choose another --out"))
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise QmError.at(shown, 0, 0, N_("the output path `%(out)s` is not a folder", out=shown),
                         N_("give --out the name of a new or empty folder, e.g. --out public"))
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise QmError.at(shown, 0, 0, N_("the folder `%(out)s` was not made by qm-site and is not empty: refusing to replace it",
                                            out=shown),
                         N_("build into a new or empty folder; if this is an old build of the site, delete it yourself once"))


@contextmanager
def staged(out: str | Path, protect: tuple[Path, ...] = ()) -> Iterator[Path]:
    """A new, empty folder beside `out` to build into; swapped in for `out` when the block succeeds, removed if not.

    `protect`: folders the output may be neither inside nor above (the content folder). Temporary folders
    that killed builds left beside `out` are removed first; operating-system errors become one QmError.
    """
    out = Path(os.path.abspath(out))
    check_target(out, protect)
    with os_errors(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    try:
        with os_errors(out):
            yield tmp
            (tmp / MARKER).write_bytes(MARKER_TEXT)
            _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def remove_stale(out: Path) -> None:
    """Remove `.NAME.new-PID-*`/`.NAME.old-PID-*` folders beside out whose process is gone (a build was killed).

    Names without a process id were left by qm-site 0.1, which did not record one; they are stale too.
    """
    for kind in ("new", "old"):
        for path in out.parent.glob(f".{out.name}.{kind}-*"):
            pid, dash, _ = path.name.rsplit(f".{kind}-", 1)[1].partition("-")
            running = bool(dash) and pid.isdigit() and alive(int(pid))
            if not running and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)


def _swap_in(tmp: Path, out: Path) -> None:
    """Carry kept folders over from the old output, then put tmp in its place in one atomic step where Linux allows."""
    for keep in KEEP:
        if (out / keep).is_dir() and not (tmp / keep).exists():
            shutil.copytree(out / keep, tmp / keep)
    os.chmod(tmp, 0o755)
    if not out.exists():
        os.rename(tmp, out)
    elif exchange(tmp, out):
        remove_tree(tmp)  # tmp now holds the previous site
    else:  # no renameat2: a moment without `out`, but the old site is kept until the new one is in place
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
        os.rename(out, old / "site")
        os.rename(tmp, out)
        remove_tree(old)


def remove_tree(root: Path) -> None:
    """shutil.rmtree (errors ignored), with what lies two levels down shared among forked processes when there is much.

    Removing the previous site is the last thing a build does, with the cores idle: 206,000 files at 5,000
    campaigns took 4 s in one process. Two levels, because one language's folder holds half the site.
    """
    from ..parallel import fork_map  # imported by the builds that replace a large output only

    parts = [d for c in _listing(root) for d in (_listing(c) if c.is_dir() and not c.is_symlink() else [c])]
    fork_map(_remove_each, parts, os.cpu_count() or 1, REMOVE_IN_PARALLEL)
    shutil.rmtree(root, ignore_errors=True)


REMOVE_IN_PARALLEL = 64  # fewer parts than this: removed here (a small site is gone before a fork would be)


def _listing(folder: Path) -> list[Path]:
    """A folder's entries (none when it cannot be read: rmtree then reports nothing either)."""
    try:
        return sorted(Path(e.path) for e in os.scandir(folder))
    except OSError:
        return []


def _remove_each(paths: Sequence[Path]) -> list[None]:
    """Remove each file or folder (a link itself, never what it points to)."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
    return [None] * len(paths)


_RENAME_EXCHANGE = 2  # linux/fs.h


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False where the system cannot."""
    import ctypes  # only a build that replaces an output needs it

    # The C library as the interpreter has it loaded (dlopen(NULL)): ctypes.util.find_library ran `ldconfig -p`,
    # ~5 ms of every build that replaced its output.
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # an old kernel or a file system without it
        return False
    raise OSError(err, os.strerror(err), str(b))


_OS_HINTS = {
    errno.ENOSPC: N_("the disk is full: free some space, then build again"),
    errno.EDQUOT: N_("your disk quota is used up: free some space, then build again"),
    errno.EROFS: N_("this file system is read-only: build into a folder on a writable disk (--out)"),
    errno.EACCES: N_("you may not write here: choose a folder you own (--out), or fix its permissions"),
    errno.EPERM: N_("you may not write here: choose a folder you own (--out), or fix its permissions"),
    errno.ENOTDIR: N_("a part of this path is a file, not a folder: choose another --out"),
    errno.EEXIST: N_("a file is in the way: choose another --out"),
}


class WriteError(QmError):
    """An operating-system error while writing the site, as one problem; `code` is its errno (ENOSPC: the disk is full)."""

    def __init__(self, problem: Problem, code: int) -> None:
        super().__init__(problem)
        self.code = code


@contextmanager
def os_errors(out: Path) -> Iterator[None]:
    """Turn an operating-system error while writing the site into one WriteError naming the path and what to do."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or str(out)
        problem = Problem(str(where), 0, 0, N_("cannot write the site: %(reason)s", reason=exc.strerror or str(exc)),
                          _OS_HINTS.get(exc.errno or 0,
                                        N_("check the disk and the folder, then build again; the previous site is unchanged")))
        raise WriteError(problem, exc.errno or 0) from None


def write_site(files: dict[str, bytes], out: str | Path, mtime: int | None = None, protect: tuple[Path, ...] = ()) -> Path:
    """Replace the output folder with exactly `files` (plus kept folders), atomically as far as the OS allows."""
    with staged(out, protect) as tmp:
        write_tree(files, tmp, mtime)
    return Path(out).resolve()


def update_site(changed: dict[str, bytes], removed: set[str], out: str | Path) -> None:
    """Incremental write: replace only changed files (each atomically), delete removed ones."""
    out = Path(out)
    with os_errors(out):
        _update(changed, removed, out)


def _update(changed: dict[str, bytes], removed: set[str], out: Path) -> None:
    for rel in sorted(changed):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(changed[rel])
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:  # a full disk stops the write halfway: the half copy goes, the target is untouched
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
    for rel in sorted(removed):
        (out / rel).unlink(missing_ok=True)
