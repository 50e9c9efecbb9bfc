"""A small on-disk cache for expensive pure results (font subsets, QR codes, calendars).

Entries are keyed by a hash of everything the result depends on, so a stale entry is
never read; the cache only saves time, and a read-only checkout still builds.
Location: $QM_SITE_CACHE, else .cache/ in the project folder.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    """Where cached files live."""
    return Path(os.environ.get("QM_SITE_CACHE") or ROOT / ".cache")


def key_of(*parts: str) -> str:
    """A cache key: the SHA-256 of the parts."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def read(kind: str, key: str, ext: str) -> bytes | None:
    """A cached entry, or None."""
    try:
        return (cache_dir() / kind / f"{key}{ext}").read_bytes()
    except OSError:
        return None


def write(kind: str, key: str, ext: str, data: bytes) -> None:
    """Store an entry atomically; failures are ignored because the cache only saves time."""
    folder = cache_dir() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        tmp.replace(folder / f"{key}{ext}")
    except OSError:
        pass


def cached(kind: str, key: str, ext: str, make: Callable[[], bytes]) -> bytes:
    """The cached entry for key, made (and stored) when missing."""
    data = read(kind, key, ext)
    if data is None:
        data = make()
        write(kind, key, ext, data)
    return data
