"""Child processes that end when the process that started them ends."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

# Looked up once, in the parent: in a preexec_fn (a forked child of a maybe threaded parent) only the call may
# happen, not ctypes.util.find_library, which runs other programs. CDLL(None) is the running program with the
# libc it links, so no library path is needed.
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def die_with_parent(sig: int = signal.SIGTERM, parent: int | None = None) -> None:
    """In a child (preexec_fn, or a forked worker): have the kernel send it `sig` when its parent dies (Linux only)."""
    # `parent`: the pid the child expects as its parent, taken with os.getpid() before forking, closes the race
    # fully; without it the parent at the time of the call is taken. Linux counts the *thread* that forked as
    # the parent: start such children from a thread that lives as long as they should.
    if _prctl is None:
        return  # no PR_SET_PDEATHSIG: other systems keep their default (orphans live on)
    expected = os.getppid() if parent is None else parent
    if _prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(sig), 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl(PR_SET_PDEATHSIG): {os.strerror(err)}")
    # The parent may have died before prctl ran: the signal then never comes, as we were already reparented
    # (to init or a subreaper), so send it ourselves.
    if os.getppid() != expected:
        os.kill(os.getpid(), sig)
