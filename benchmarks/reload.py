#!/usr/bin/env python3
"""Edit-to-reload time of `python build.py serve`: save a slogan, time until the open page shows it.

Starts the server on a copy of content/ (the real folder is never touched), opens a page
in headless chromium, then edits a slogan N times. Each time is measured from just before
the file is written to the browser's `load` event of the reloaded page, whose text is then
checked (when that load was the previous edit's font reload, to when the page shows the new
text). Two kinds of edit are timed:

- same characters: the slogan's halves swapped, so only its campaign is rendered again;
- new characters: a character no campaign uses; the page reloads as fast, and the poster font
  subset it needs follows from a thread (a second reload, not timed here).

    python benchmarks/reload.py [--runs 20] [--page 2022/zhuhai/slogans/]

Prints median, p90, min and max per kind, with the server's own rebuild times, and writes
them to benchmarks/results/reload.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from synth import CONTENT  # the tests' frozen copy of the seeds, so the figures do not move with content/

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
CAMPAIGN = "2022-zhuhai"
SLOGAN = "高质量 可持续 享未来"
SWAPPED = "可持续 高质量 享未来"
RARE = "龘靐齉爩麤灪鱻骉猋羴蟲龖厵飝驫鸞"  # characters no seed campaign uses


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python build.py serve` in a subprocess, its output collected by a thread."""

    def __init__(self, content: Path, out: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--content", str(content), "--port", str(self.port), "--out", str(out)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_until_up(self, timeout: float = 60) -> None:
        """Poll until the server answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit("the server exited:\n" + "\n".join(self.lines))
            try:
                urllib.request.urlopen(self.url, timeout=1).close()
                return
            except OSError:  # not listening yet, or still building: try again
                time.sleep(0.1)
        sys.exit("the server did not start")

    def rebuild_seconds(self, since: int) -> list[float]:
        """Rebuild times the server printed after line `since`."""
        return [float(m.group(1)) for line in self.lines[since:] if (m := re.search(r"^rebuilt .* in ([0-9.]+)s$", line))]

    def stop(self) -> None:
        """Ctrl-C, as a user would."""
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=15)


def wait_for_livereload(page) -> None:
    """Until livereload.js has finished its handshake, a reload message would reach nobody."""
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol > 0", timeout=15_000)


def measure(page, server: Server, yaml: Path, texts: list[str]) -> tuple[list[float], list[float]]:
    """Write each text as the slogan in turn; (edit-to-load seconds, server rebuild seconds)."""
    current = SLOGAN
    timings, rebuilds = [], []
    for text in texts:
        wait_for_livereload(page)
        source = yaml.read_text(encoding="utf-8").replace(current, text, 1)
        since = len(server.lines)
        with page.expect_event("load", timeout=15_000):
            started = time.perf_counter()
            yaml.write_text(source, encoding="utf-8")
        if text not in page.locator("main").inner_text():  # that load was the last edit's font reload: wait for this one
            page.locator("main", has_text=text).wait_for(timeout=15_000)
        timings.append(time.perf_counter() - started)
        rebuilds += server.rebuild_seconds(since)
        current = text
    return timings, rebuilds


def summary(name: str, values: list[float]) -> dict:
    """Median, p90, min and max in milliseconds."""
    ms = sorted(v * 1000 for v in values)
    p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
    return {"kind": name, "n": len(ms), "median_ms": round(statistics.median(ms)), "p90_ms": round(p90),
            "min_ms": round(ms[0]), "max_ms": round(ms[-1])}


def main() -> int:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20, help="edits of each kind (default 20)")
    ap.add_argument("--page", default="2022/zhuhai/slogans/", help="page to keep open (default: the slogans of 2022-zhuhai)")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="qm-reload-bench-"))
    content = Path(shutil.copytree(CONTENT, work / "content"))
    yaml = content / CAMPAIGN / "campaign.yaml"
    server = Server(content, work / "out")
    try:
        server.wait_until_up()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url + args.page)
            same = [SWAPPED if i % 2 == 0 else SLOGAN for i in range(args.runs)]
            fresh = [f"{SWAPPED} {RARE[i % len(RARE)]}{i}" for i in range(args.runs)]
            results = []
            for name, texts in (("same characters (incremental)", same), ("new characters (font follows)", fresh)):
                measure(page, server, yaml, [SLOGAN])  # settle: back to the original text
                timings, rebuilds = measure(page, server, yaml, texts)
                results.append({**summary(name, timings), "server_rebuild": summary("server rebuild", rebuilds)})
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    print(f"edit-to-reload on {args.page} ({args.runs} edits of each kind, {sys.platform}, python {sys.version.split()[0]})")
    print(f"{'kind':32} {'median':>8} {'p90':>8} {'min':>8} {'max':>8}   server rebuild median / p90")
    for r in results:
        s = r["server_rebuild"]
        print(f"{r['kind']:32} {r['median_ms']:>6}ms {r['p90_ms']:>6}ms {r['min_ms']:>6}ms {r['max_ms']:>6}ms"
              f"   {s['median_ms']}ms / {s['p90_ms']}ms")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "reload.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
