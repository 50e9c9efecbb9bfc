"""Run the reading of a received file in a forked process with a time and a memory budget, killed when over.

python-docx and pdfminer read what a file says without bounds of their own: a page whose text is a
few million operators, a cross-reference stream that unpacks to gigabytes. The checks of readers.py
refuse what can be seen before reading; whatever else a file makes them do happens in a child process
whose address space is capped (it gets MemoryError, which it reports) and which is killed when the
time is up. The child is forked, so it starts at once with what is imported already; only its result
(the draft, pickled) comes back.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import select
import signal
import time
import traceback
from collections.abc import Callable
from typing import Any

from ..errors import QmError
from ..i18n import N_
from .readers import MB, Limits

_PAGE = os.sysconf("SC_PAGE_SIZE")


def run(fn: Callable[..., Any], args: tuple, name: str, limits: Limits) -> Any:
    """fn(*args) in a forked child with limits.seconds and limits.memory; its QmError raised here as it is."""
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        try:
            os.close(readable)
            _child(fn, args, limits.memory, writable)
        finally:
            os._exit(0)
    os.close(writable)
    try:
        message = _receive(readable, time.monotonic() + limits.seconds)
    finally:
        os.close(readable)
        _end(pid)
    if message is None:
        raise QmError.at(name, 0, 0, N_("reading the file took longer than %(seconds)s seconds, and was stopped",
                                        seconds=f"{limits.seconds:g}"), _HINT)
    if not message:  # the child died without a word: killed by the system, or a library crashed
        raise QmError.at(name, 0, 0, N_("reading the file stopped without a result"), _HINT)
    status, value = pickle.loads(message)
    if status == "problems":
        raise QmError(value)
    if status == "memory":
        raise QmError.at(name, 0, 0, N_("reading the file needed more than %(mb)d MB of memory, and was stopped",
                                        mb=limits.memory // MB), _HINT)
    if status == "bug":
        raise RuntimeError("reading the notice failed in its process:\n" + value)
    return value


_HINT = N_("a notice is read in a few seconds: this file holds far more, or is damaged; "
           "save it again as .docx or print it to a new PDF, or paste its text into a .txt file")


def _receive(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes until it closes the pipe; None when the deadline passes first."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _end(pid: int) -> None:
    """Kill the child if it still runs, and reap it."""
    with contextlib.suppress(ProcessLookupError):  # it has ended already
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _child(fn: Callable[..., Any], args: tuple, memory: int, fd: int) -> None:
    """In the child: cap the address space, run fn, write ("ok", result), ("problems", [...]), ("memory", None) or ("bug", text)."""
    _cap_memory(memory)
    try:
        message = pickle.dumps(("ok", fn(*args)))
    except QmError as exc:
        message = pickle.dumps(("problems", exc.problems))
    except MemoryError:
        message = pickle.dumps(("memory", None))
    except BaseException:  # a bug: its traceback is raised in the parent
        message = pickle.dumps(("bug", traceback.format_exc()))
    with os.fdopen(fd, "wb") as out:
        out.write(message)


def _cap_memory(memory: int) -> None:
    """Let this process map at most `memory` bytes more than it has mapped now (Linux; elsewhere only time is budgeted)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            mapped = int(fh.read().split()[0]) * _PAGE
    except FileNotFoundError:  # no /proc (macOS, which does not enforce RLIMIT_AS anyway)
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = mapped + memory
    resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
