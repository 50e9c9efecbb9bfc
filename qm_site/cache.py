"""A small on-disk cache for expensive pure results (font subsets, QR codes, calendars).

Entries are keyed by a hash of everything the result depends on, so a stale entry is
never read; the cache only saves time, and a read-only checkout still builds.
Location: $QM_SITE_CACHE, else .cache/ in the folder the command runs in (the site's folder, which
holds content/), never inside the installed package.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    """Where cached files live."""
    return Path(os.environ.get("QM_SITE_CACHE") or ".cache").absolute()


@functools.cache
def versions(*dists: str) -> str:
    """`name=version` of installed distributions, for cache keys: an upgrade must never serve output of the old release."""
    return ",".join(f"{name}={installed_version(name) or 'none'}" for name in dists)


def installed_version(name: str) -> str | None:
    """A distribution's version from the name of its `{name}-{version}.dist-info` folder, the first on sys.path.

    That is where importlib.metadata finds it too; importing importlib.metadata (with email, zipfile and csv)
    cost ~20 ms of every build's start-up, and reading its METADATA file more.
    """
    wanted = _normal_name(name)
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:  # a zip file, or a folder that is gone
            continue
        for folder in names:
            dist, _, version = folder.removesuffix(".dist-info").partition("-")
            if folder.endswith(".dist-info") and version and _normal_name(dist) == wanted:
                return version
    return None


def _normal_name(name: str) -> str:
    """A distribution name as PEP 503 compares them (Brotli, brotli; typing_extensions, typing-extensions)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def key_of(*parts: str) -> str:
    """A cache key: the SHA-256 of the parts."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def read(kind: str, key: str, ext: str) -> bytes | None:
    """A cached entry, or None."""
    try:
        return (cache_dir() / kind / f"{key}{ext}").read_bytes()
    except OSError:
        return None


def has(kind: str, key: str, ext: str) -> bool:
    """Whether an entry is cached."""
    return (cache_dir() / kind / f"{key}{ext}").is_file()


def write(kind: str, key: str, ext: str, data: bytes) -> None:
    """Store an entry atomically; failures are ignored because the cache only saves time."""
    folder = cache_dir() / kind
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(folder / f"{key}{ext}")
    except OSError:
        # The cache only saves time (a read-only cache is no error); a full disk stops the write halfway, and the
        # half entry goes, so that it holds no space the site needs.
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def cached(kind: str, key: str, ext: str, make: Callable[[], bytes]) -> bytes:
    """The cached entry for key, made (and stored) when missing."""
    data = read(kind, key, ext)
    if data is None:
        data = make()
        write(kind, key, ext, data)
    return data
