"""Processes and the disk (issue 30, part 5): one test per reported case.

Killed builds leave no workers behind; a full disk during `serve` is one line and the preview catches up once
space is freed; a failed `pdf --out X` leaves X buildable; the search index has the same bytes wherever it is built.
Waits are bounded polls, never timings.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def gone(pid: int) -> bool:
    """Whether a process has ended (a zombie waiting for a parent that does not reap it has ended too)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
    except OSError:
        return not _exists(pid)


def _exists(pid: int) -> bool:
    """Whether a process id is in use (for systems without /proc)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(check, seconds: float = 20.0) -> bool:
    """Poll check() until it is true or `seconds` pass; its last answer."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return check()
        time.sleep(0.05)
    return True


def started(script: str, *args: str) -> subprocess.Popen:
    """A Python process running `script` from the repository, with this worktree's qm_site first on its path."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def worker_pids(parent: subprocess.Popen, count: int) -> list[int]:
    """The first `count` lines the parent prints: its workers' process ids."""
    assert parent.stdout is not None
    pids = []
    for _ in range(count):
        line = parent.stdout.readline()
        assert line, parent.stderr.read() if parent.stderr else ""
        pids.append(int(line))
    return pids


def kill_and_reap(parent: subprocess.Popen) -> None:
    """kill -9 the parent, as an impatient user or an out-of-memory killer would."""
    parent.kill()
    parent.wait()


def live(pids: list[int]) -> list[int]:
    """Those of pids still running."""
    return [pid for pid in pids if not gone(pid)]


def stop(pids: list[int]) -> None:
    """Clean up what a failing test left running (only the test's own workers)."""
    for pid in live(pids):
        os.kill(pid, signal.SIGKILL)


# --- killed builds leave no workers ------------------------------------------------------------

# A build of the seed content whose six campaigns are loaded by two forked workers that print their process
# ids and then stay busy (a slow disk, a huge campaign) until the parent is killed.
BUSY_BUILD = """
    import os, sys, time
    from qm_site.site import builder, graph

    graph.PARALLEL_MIN_GROUPS = 2
    real = builder._campaign_turns

    def busy(site, folders):
        print(os.getpid(), flush=True)
        time.sleep(600)
        yield from real(site, folders)

    builder._campaign_turns = busy
    builder.build("content", sys.argv[1], workers=2, search=False)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="dying with the parent needs Linux's PR_SET_PDEATHSIG")
def test_killing_a_build_ends_its_busy_workers(tmp_path):
    parent = started(BUSY_BUILD, str(tmp_path / "out"))
    pids = worker_pids(parent, 2)
    try:
        assert len(live(pids)) == 2
        kill_and_reap(parent)
        assert wait_until(lambda: not live(pids)), f"workers {live(pids)} outlived the killed build"
    finally:
        stop(pids)
        parent.kill()


# Workers that have answered their first turn and wait for the next message, with lifeline switched off: they
# must see the end of their pipe when the parent dies (which needs them not to hold the parent's ends).
WAITING_CREW = """
    import os, time
    from qm_site import lifeline, parallel

    lifeline.die_with_parent = lambda *args, **kwargs: None  # what a system without PR_SET_PDEATHSIG does

    def turns(items):
        yield [os.getpid() for _ in items]
        yield []

    with parallel.Crew(turns, [1, 2, 3], 3, minimum=1) as crew:
        for pid in sorted(set(crew.ask())):
            print(pid, flush=True)
        time.sleep(600)
"""


def test_workers_waiting_for_a_killed_parent_see_their_pipe_end():
    parent = started(WAITING_CREW)
    pids = worker_pids(parent, 3)
    try:
        kill_and_reap(parent)
        assert wait_until(lambda: not live(pids)), f"workers {live(pids)} still wait for a dead parent"
    finally:
        stop(pids)
        parent.kill()
