#!/usr/bin/env python3
"""Event latency of the dev server's watcher: from writing a file to the watcher handing it to the rebuild.

Generates N synthetic campaigns (benchmarks/synth.py) into a work folder, watches it as `serve` does
(content/, qm-site's templates/ and assets/, with serve.Watcher), then edits one campaign's campaign.yaml
and notice.md in turn, R times each. Each time is measured from just before the file is written to the
call that runs Preview.refresh; with --rebuild (after a first build) also to the end of that refresh, which
is what the browser waits for before its reload (benchmarks/reload.py times the whole way on the seed site).

    python benchmarks/watch_latency.py [--n 1000] [--runs 20] [--idle 5] [--rebuild] [--work /dev/shm/qmw]

Prints median, p90, min and max in milliseconds per kind of file, how long setting the watches took, and the
share of a core the watcher takes while nothing changes.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402
from qm_site.authoring import serve  # noqa: E402
from qm_site.site import builder  # noqa: E402
from qm_site.site.render import TEMPLATES  # noqa: E402


def main() -> int:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="synthetic campaigns (default 1000)")
    ap.add_argument("--runs", type=int, default=20, help="edits of each file (default 20)")
    ap.add_argument("--idle", type=float, default=5, help="seconds without changes, to time the watcher's CPU use (default 5)")
    ap.add_argument("--rebuild", action="store_true", help="also run Preview.refresh on each batch, as serve does, and time it")
    ap.add_argument("--work", type=Path, default=Path("/dev/shm/qmw"), help="work folder, emptied first")
    args = ap.parse_args()

    shutil.rmtree(args.work, ignore_errors=True)
    content = synth.generate(args.n, args.work / "content")
    folder = sorted(p for p in content.iterdir() if p.is_dir() and (p / "campaign.yaml").exists())[args.n // 2]
    handed: list[tuple[float, set[Path], float]] = []  # (handed over, paths, rebuilt)
    arrived = threading.Condition()
    preview = None
    if args.rebuild:
        preview = serve.Preview(content, args.work / "out")
        first = preview.refresh()
        print(f"first build: {first.written} files in {first.seconds:.1f}s", flush=True)

    def changed(paths: set[Path]) -> None:
        at = time.perf_counter()
        if preview is not None:
            outcome = preview.refresh(paths)
            assert not outcome.problems and outcome.ids is not None and len(outcome.ids) == 1, outcome
        with arrived:
            handed.append((at, paths, time.perf_counter()))
            arrived.notify_all()

    watcher = serve.Watcher([content, TEMPLATES, builder.ASSETS], changed, lambda f: f())
    started = time.perf_counter()
    watcher.start()
    setup = time.perf_counter() - started - serve.READY_MS / 1000  # ready is said at the first timeout
    results: dict[str, list[float]] = {}  # write to hand-over
    rebuilt: dict[str, list[float]] = {}  # write to the end of the refresh

    def write(path: Path, text: str) -> tuple[float, float, float]:
        """Write the file; (written, handed over, rebuilt) once the watcher has reported it."""
        with arrived:
            handed.clear()
        t0 = time.perf_counter()
        path.write_text(text, encoding="utf-8")
        with arrived:
            if not arrived.wait_for(lambda: handed, 60):
                sys.exit(f"the watcher did not report {path}")
            at, paths, done = handed[0]
        if paths != {path}:
            sys.exit(f"the watcher reported {paths}, not {path}")
        return t0, at, done

    try:
        cpu, wall = time.process_time(), time.perf_counter()
        time.sleep(args.idle)  # nothing changes: what watching costs meanwhile (the process's CPU time, all threads)
        idle = (time.process_time() - cpu) / (time.perf_counter() - wall)
        for name in ("campaign.yaml", "notice.md"):
            path = folder / name
            text = path.read_text(encoding="utf-8")
            for i in range(args.runs):
                # Apart from the last edit, by a random pause: watchfiles checks for changes every step, and a
                # fixed pause would write at the same point of its cycle each time.
                time.sleep(random.uniform(0.15, 0.35))
                t0, at, done = write(path, text + f"\n# edit {i}\n" if name.endswith(".yaml") else text + f"\n编辑 {i}\n")
                results.setdefault(name, []).append(at - t0)
                rebuilt.setdefault(name, []).append(done - t0)
            write(path, text)
    finally:
        watcher.stop()

    print(f"write-to-refresh latency of serve.Watcher, N = {args.n} ({args.runs} edits each, step {serve.STEP_MS} ms, "
          f"{sys.platform}, python {sys.version.split()[0]}); watches set in about {max(setup, 0) * 1000:.0f} ms; "
          f"idle, watching takes {idle * 100:.2f}% of a core")
    print(f"{'':32} {'median':>8} {'p90':>8} {'min':>8} {'max':>8}")
    for label, table in (("handed over", results), ("rebuilt", rebuilt if args.rebuild else {})):
        for name, values in table.items():
            ms = sorted(v * 1000 for v in values)
            p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
            print(f"{name + ', ' + label:32} {statistics.median(ms):>6.1f}ms {p90:>6.1f}ms {ms[0]:>6.1f}ms {ms[-1]:>6.1f}ms")
    shutil.rmtree(args.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
