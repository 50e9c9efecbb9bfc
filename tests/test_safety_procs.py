"""Processes and the disk (issue 30, part 5): one test per reported case.

Killed builds leave no workers behind; a full disk during `serve` is one line and the preview catches up once
space is freed; a failed `pdf --out X` leaves X buildable; the search index has the same bytes wherever it is built.
Waits are bounded polls, never timings.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

import sitecheck
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent


site_copy, run = sitecheck.copy_seed, sitecheck.run_cli


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
BUSY_BUILD = r"""
    import os, sys, time
    from qm_site.site import builder, graph

    graph.PARALLEL_MIN_GROUPS = 2
    real = builder._campaign_turns

    def busy(site, folders):
        os.write(1, b"%d\n" % os.getpid())  # one write: the two workers share the pipe
        time.sleep(600)
        yield from real(site, folders)

    builder._campaign_turns = busy
    builder.build(sys.argv[2], sys.argv[1], workers=2, search=False)
"""


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="dying with the parent needs Linux's PR_SET_PDEATHSIG")
def test_killing_a_build_ends_its_busy_workers(tmp_path):
    parent = started(BUSY_BUILD, str(tmp_path / "out"), str(CONTENT))
    pids: list[int] = []
    try:
        pids = worker_pids(parent, 2)
        assert len(live(pids)) == 2
        kill_and_reap(parent)
        assert wait_until(lambda: not live(pids)), f"workers {live(pids)} outlived the killed build"
    finally:
        stop(pids)
        parent.kill()


# A build whose search index service has started and whose render then takes long (a huge site).
SLOW_RENDER = r"""
    import os, sys, time
    from qm_site.site import builder, search

    started = search.Indexer.__init__

    def start(self, root):
        started(self, root)
        os.write(1, b"%d\n" % self.service.pid)

    def slow(*args, **kwargs):
        time.sleep(600)

    search.Indexer.__init__ = start
    builder.render_site = slow
    builder.build(sys.argv[2], sys.argv[1], workers=1)
"""


def test_killing_a_build_ends_its_search_index_service(tmp_path):
    parent = started(SLOW_RENDER, str(tmp_path / "out"), str(CONTENT))
    pids: list[int] = []
    try:
        pids = worker_pids(parent, 1)
        kill_and_reap(parent)
        assert wait_until(lambda: not live(pids)), "Pagefind's service outlived the killed build"
    finally:
        stop(pids)
        parent.kill()


# Workers that have answered their first turn and wait for the next message, with lifeline switched off: they
# must see the end of their pipe when the parent dies (which needs them not to hold the parent's ends).
WAITING_CREW = r"""
    import os, time
    from qm_site import lifeline, parallel

    lifeline.die_with_parent = lambda *args, **kwargs: None  # what a system without PR_SET_PDEATHSIG does

    def turns(items):
        yield [os.getpid() for _ in items]
        yield []

    with parallel.Crew(turns, [1, 2, 3], 3, minimum=1) as crew:
        os.write(1, b"".join(b"%d\n" % pid for pid in sorted(set(crew.ask()))))
        time.sleep(600)
"""


def test_workers_waiting_for_a_killed_parent_see_their_pipe_end():
    parent = started(WAITING_CREW)
    pids: list[int] = []
    try:
        pids = worker_pids(parent, 3)
        kill_and_reap(parent)
        assert wait_until(lambda: not live(pids)), f"workers {live(pids)} still wait for a dead parent"
    finally:
        stop(pids)
        parent.kill()


# --- the search index is the same wherever it is built -----------------------------------------


def _copy_in_order(source: Path, files: list[str], target: Path) -> None:
    """Copy files from source to target, creating folders and files in the given order (which tmpfs lists back)."""
    for rel in files:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes((source / rel).read_bytes())


def _listings(root: Path) -> dict[str, list[str]]:
    """Each folder's entries in the order the file system lists them."""
    folders = [root, *sorted(p for p in root.rglob("*") if p.is_dir())]
    return {str(folder.relative_to(root)): os.listdir(folder) for folder in folders}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_the_search_index_is_byte_identical_whatever_order_the_file_system_lists_pages_in(site_dir, tmp_path):
    from qm_site.site import search

    readers = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")
                     if "data-pagefind-body" in p.read_text(encoding="utf-8"))
    shm = Path("/dev/shm")  # tmpfs lists a folder newest first; a disk (ext4) by a hash of the names
    elsewhere = shm if shm.is_dir() and os.access(shm, os.W_OK) else tmp_path
    one, two = tmp_path / "one", Path(tempfile.mkdtemp(prefix="qm-test-index-", dir=elsewhere))
    try:
        _copy_in_order(site_dir, readers, one)
        _copy_in_order(site_dir, readers[::-1], two)
        if _listings(one) == _listings(two):
            pytest.skip("these two folders list their files in the same order here: nothing to compare")
        search.index_site(one, readers)
        search.index_site(two, readers)
        first, second = _tree(one / search.FOLDER), _tree(two / search.FOLDER)
        assert first.keys() == second.keys() and first == second
        entry = json.loads(first["pagefind-entry.json"])
        assert entry["languages"]["zh-cn"]["page_count"] == len(readers)
    finally:
        shutil.rmtree(two, ignore_errors=True)


@pytest.mark.slow
def test_builds_on_tmpfs_and_on_disk_write_the_same_search_index(tmp_path, monkeypatch, capsys):
    from qm_site.site import search

    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)) or os.statvfs(shm).f_fsid == os.statvfs(tmp_path).f_fsid:
        pytest.skip("needs a tmpfs at /dev/shm beside a temporary folder on another file system")
    site_copy(tmp_path, monkeypatch)
    elsewhere = Path(tempfile.mkdtemp(prefix="qm-test-build-", dir=shm))
    try:
        for out in (tmp_path / "disk", elsewhere / "tmpfs"):
            assert run(capsys, "build", "--out", str(out), "--quiet")[0] == 0
        if _listings(tmp_path / "disk") == _listings(elsewhere / "tmpfs"):
            pytest.skip("the two file systems list the built folders in the same order here: nothing to compare")
        disk, tmpfs = _tree(tmp_path / "disk" / search.FOLDER), _tree(elsewhere / "tmpfs" / search.FOLDER)
        assert disk.keys() == tmpfs.keys() and disk == tmpfs
    finally:
        shutil.rmtree(elsewhere, ignore_errors=True)


# --- a failed `pdf --out X` leaves X as it was ---------------------------------------------------


class _Sheet:
    """A stand-in for Chromium's page: the sheets are 'printed' as placeholder bytes."""


@pytest.fixture
def failing_printer(monkeypatch):
    """`build.py pdf` whose Chromium and Ghostscript are stand-ins, and whose second PDF fails its preflight."""
    from contextlib import contextmanager

    from qm_site.errors import QmError
    from qm_site.printing import gongwen, pdf, prepress

    @contextmanager
    def browser():
        yield type("Browser", (), {"new_page": lambda self: _Sheet()})()

    finished: list[str] = []

    def finish(data, job):
        finished.append(job.name)
        if len(finished) == 2:
            raise QmError.at(job.sheet, 0, 0, "the a3 sheet printed 5 pages for 4 posters", "this is a bug in qm-site")
        return b"%PDF-1.4 placeholder\n"

    monkeypatch.setattr(pdf, "require_extra", lambda: None)
    monkeypatch.setattr(prepress, "ghostscript", lambda: "gs")
    monkeypatch.setattr(prepress, "profile", lambda: Path("cmyk.icc"))
    monkeypatch.setattr(pdf, "browser", browser)
    monkeypatch.setattr(pdf, "print_sheet", lambda page, url, font: b"%PDF-1.4 sheet\n")
    monkeypatch.setattr(gongwen, "print_notice", lambda page, url, office=(): b"%PDF-1.4 notice\n")
    monkeypatch.setattr(gongwen, "page_count", lambda data: 1)
    monkeypatch.setattr(pdf, "finish", finish)
    monkeypatch.setattr(pdf, "finish_notice", finish)
    return finished


@pytest.mark.slow
def test_a_failed_pdf_run_into_a_new_folder_leaves_nothing_and_a_build_there_works(tmp_path, monkeypatch, capsys,
                                                                                    failing_printer):
    site_copy(tmp_path, monkeypatch)
    code, err = run(capsys, "pdf", "--out", "prints")
    assert code == 1 and "printed 5 pages for 4 posters" in err and len(failing_printer) == 2
    assert not (tmp_path / "prints").exists(), "no half output: not even an unmarked pdf/ folder"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".prints")], "the staging folder is gone"
    code, err = run(capsys, "build", "--out", "prints", "--no-search")
    assert code == 0, err


@pytest.mark.slow
def test_a_failed_pdf_run_into_a_built_site_changes_nothing(tmp_path, monkeypatch, capsys, failing_printer):
    site_copy(tmp_path, monkeypatch)
    assert run(capsys, "build", "--out", "public", "--no-search")[0] == 0
    (tmp_path / "public" / "pdf").mkdir()
    (tmp_path / "public" / "pdf" / "2022-national-a4.pdf").write_bytes(b"%PDF-1.7 made earlier\n")
    before = {p.relative_to(tmp_path / "public").as_posix(): p.read_bytes()
              for p in sorted((tmp_path / "public").rglob("*")) if p.is_file()}
    code, err = run(capsys, "pdf", "--out", "public")
    assert code == 1 and "printed 5 pages for 4 posters" in err
    after = {p.relative_to(tmp_path / "public").as_posix(): p.read_bytes()
             for p in sorted((tmp_path / "public").rglob("*")) if p.is_file()}
    assert after == before, "the previous site and its PDFs are exactly as they were"
    assert run(capsys, "build", "--out", "public", "--no-search")[0] == 0
    assert (tmp_path / "public" / "pdf" / "2022-national-a4.pdf").read_bytes() == b"%PDF-1.7 made earlier\n"


# --- a full disk during `serve` -----------------------------------------------------------------


class _Filling:
    """A file being written on a full disk: half the bytes go in, then the write fails (ENOSPC, or EDQUOT)."""

    def __init__(self, f, code: int) -> None:
        self.f, self.code = f, code

    def write(self, data: bytes) -> int:
        self.f.write(data[: len(data) // 2])
        self.f.flush()
        raise OSError(self.code, os.strerror(self.code))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.f.close()


class FullDisk:
    """Files opened for writing under `root` (by the site's writers) fill the disk: ENOSPC halfway; `full = False` frees space."""

    def __init__(self, monkeypatch, root: Path, code: int = errno.ENOSPC) -> None:
        from qm_site.site import output

        self.full, self.root, self.fds, self.code = True, str(root), set(), code
        real_mkstemp, real_fdopen = tempfile.mkstemp, os.fdopen

        def mkstemp(*args, **kwargs):
            fd, path = real_mkstemp(*args, **kwargs)
            if self.full and path.startswith(self.root):
                self.fds.add(fd)
            return fd, path

        def fdopen(fd, *args, **kwargs):
            f = real_fdopen(fd, *args, **kwargs)
            if fd in self.fds:
                self.fds.discard(fd)
                return _Filling(f, self.code)
            return f

        def open_(file, mode="r", *args, **kwargs):
            f = open(file, mode, *args, **kwargs)
            return _Filling(f, self.code) if self.full and "w" in mode and os.fspath(file).startswith(self.root) else f

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
        monkeypatch.setattr(os, "fdopen", fdopen)
        monkeypatch.setattr(output, "open", open_, raising=False)


def _written(out: Path) -> dict[str, bytes]:
    """The preview's files on disk (the marker aside)."""
    from qm_site.site import output

    return {rel: data for rel, data in _tree(out).items() if rel != output.MARKER}


def _leftovers(root: Path) -> list[str]:
    """Half-written copies and staging folders a failed write left."""
    return sorted(p.name for p in root.rglob(".*") if p.name.startswith((".tmp-", ".out.new-", ".out.old-")))


@pytest.fixture(params=[errno.ENOSPC, errno.EDQUOT], ids=["ENOSPC", "EDQUOT"])
def preview_site(tmp_path, monkeypatch, request):
    """A Preview of a copy of the seed content into tmp_path/out, messages in Chinese; its disk (or quota) starts full."""
    from qm_site.authoring import serve

    shutil.copytree(CONTENT, tmp_path / "content")
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    return serve.Preview(tmp_path / "content", tmp_path / "out"), FullDisk(monkeypatch, tmp_path, request.param)


def test_serve_says_a_full_disk_in_one_line_and_writes_the_first_build_once_space_is_freed(preview_site, capsys):
    from qm_site.authoring import serve
    from qm_site.i18n import translate

    preview, disk = preview_site
    outcome = preview.refresh()
    serve.report(outcome)
    said = capsys.readouterr().out.splitlines()
    line = translate(serve.FULL[disk.code], "zh_CN")
    assert said[-1] == line and line != str(serve.FULL[disk.code]) and "Traceback" not in "\n".join(said)
    assert outcome.unwritten is not None and preview.write_error is not None  # the browser gets the error page
    assert _leftovers(preview.out.parent) == [] and not (preview.out / "index.html").exists()
    disk.full = False
    outcome = preview.refresh(set())
    serve.report(outcome)
    assert outcome.caught_up and preview.write_error is None
    assert translate(serve.CAUGHT_UP, "zh_CN") in capsys.readouterr().out
    assert _written(preview.out) == preview.files


@pytest.mark.slow
def test_serve_retries_a_write_the_full_disk_stopped_until_space_is_freed(preview_site, capsys, monkeypatch):
    import asyncio
    import concurrent.futures

    from qm_site.authoring import serve
    from qm_site.i18n import translate

    preview, disk = preview_site
    disk.full = False
    serve.report(preview.refresh())
    before = _written(preview.out)
    campaign = preview.content_dir / "2022-zhuhai" / "campaign.yaml"
    disk.full = True
    for mark in ("（一）", "（二）"):  # two edits while the disk is full: neither reaches the disk
        text = campaign.read_text(encoding="utf-8").replace("theme: 创造质量价值", f"theme: 创造质量价值{mark}", 1)
        campaign.write_text(text, encoding="utf-8")
        outcome = preview.refresh({campaign})
        assert outcome.unwritten is not None and outcome.unwritten.code == disk.code
    assert _written(preview.out) == before and _leftovers(preview.out.parent) == []
    capsys.readouterr()

    monkeypatch.setattr(serve, "RETRY_SECONDS", 0.01)  # the retries' pace, not a switch: the same code runs
    reloads = serve.Reloads(preview, serve.Browsers())

    async def wait_for_space() -> None:
        reloads.done(outcome)
        for _ in range(20):  # retries while the disk stays full are quiet
            await asyncio.sleep(0.02)
        assert preview.write_error is not None
        disk.full = False
        for _ in range(1000):
            if preview.write_error is None:
                return
            await asyncio.sleep(0.01)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a Playwright browser may hold this thread's event loop
        pool.submit(asyncio.run, wait_for_space()).result()
    assert preview.write_error is None, "the preview never caught up"
    said = capsys.readouterr().out.splitlines()
    full, caught_up = translate(serve.FULL[disk.code], "zh_CN"), translate(serve.CAUGHT_UP, "zh_CN")
    assert said.count(full) == 1, "said once when the refresh failed, not at every retry"
    assert caught_up in said and "Traceback" not in "\n".join(said)
    assert _written(preview.out) == preview.files
    assert "创造质量价值（二）" in (preview.out / "2022" / "zhuhai" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_chromium_dying_mid_print_is_one_message_and_changes_nothing(tmp_path, monkeypatch, capsys, failing_printer):
    from qm_site.printing import pdf

    playwright = pytest.importorskip("playwright.sync_api")

    def crashed(page, url, font):
        raise playwright.Error("Target page, context or browser has been closed\nBrowser logs: ...")

    monkeypatch.setattr(pdf, "print_sheet", crashed)
    monkeypatch.setattr(pdf, "chromium_path", lambda: "/usr/bin/chromium")
    site_copy(tmp_path, monkeypatch)
    code, err = run(capsys, "pdf", "--out", "prints", "--format", "a4")
    assert code == 1 and "Chromium stopped while printing this sheet: Target page, context or browser has been closed" in err
    assert "Browser logs" not in err and not (tmp_path / "prints").exists()


def test_a_cache_entry_the_full_disk_stopped_leaves_no_half_file(tmp_path, monkeypatch):
    from qm_site import cache

    monkeypatch.setenv("QM_SITE_CACHE", str(tmp_path / "cache"))
    real = Path.write_bytes

    def filling(self, data):
        real(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", filling)
    cache.write("fonts", "k", ".woff2", b"0123456789")  # the cache only saves time: no error
    monkeypatch.setattr(Path, "write_bytes", real)
    assert [p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []
    assert cache.read("fonts", "k", ".woff2") is None
