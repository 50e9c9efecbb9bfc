#!/usr/bin/env python3
"""Build benchmark: N synthetic campaigns shaped like the seeds; reports time, throughput, memory, incremental.

Usage: python3 benchmarks/run.py [--sizes 10 100 1000] [--runs 3]
Figures go to stdout (and benchmarks/results/latest.json); nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

CHILD = r"""
import resource, sys, time, json
t0 = time.perf_counter()
sys.argv = ["build.py", "build", "--content", sys.argv[1], "--out", sys.argv[2], "-q"]
sys.path.insert(0, sys.argv[0] and {root!r})
from qm_site import cli
code = cli.main(sys.argv[1:])
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"code": code, "inner": time.perf_counter() - t0, "rss_self_kb": me, "rss_children_kb": kids}}))
"""


def full_build(content: Path, out: Path) -> dict:
    """One full build in a fresh interpreter (start-up included); wall time and peak RSS."""
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), str(content), str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    if r.returncode != 0:
        raise SystemExit(f"build failed:\n{r.stderr}")
    data = json.loads(r.stdout.strip().splitlines()[-1])
    data["wall"] = wall
    return data


def count_pages(out: Path) -> int:
    """HTML pages written."""
    return sum(1 for _ in out.rglob("*.html"))


def incremental(content: Path, out: Path, runs: int) -> list[float]:
    """Seconds to rebuild after editing one campaign's slogan, as the dev server does it."""
    from qm_site.serve import Preview

    preview = Preview(content, out)
    preview.refresh(None)
    target = sorted(content.glob("*/campaign.yaml"))[len(list(content.glob("*/campaign.yaml"))) // 2]
    original = target.read_text(encoding="utf-8")
    times = []
    try:
        for i in range(runs):
            edited = original.replace("items:\n      - ", f"items:\n      - 改{i} ", 1)
            target.write_text(edited, encoding="utf-8")
            started = time.perf_counter()
            outcome = preview.refresh({target})
            times.append(time.perf_counter() - started)
            assert not outcome.problems, outcome.problems
    finally:
        target.write_text(original, encoding="utf-8")
    return times


def seed_build(runs: int) -> list[float]:
    """Wall time of `python build.py` on the real content/, interpreter start-up included."""
    out = Path(tempfile.mkdtemp()) / "public"
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "build.py", "build", "--out", str(out), "-q"], check=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    """Run the benchmark and print a table."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="qm-bench-"))
    rows = []
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    seeds = seed_build(args.runs)
    print(f"seed site: python build.py, median {statistics.median(seeds):.2f}s (runs: {', '.join(f'{t:.2f}' for t in seeds)})")
    for n in args.sizes:
        content = synth.generate(n, work / f"content-{n}")
        builds = [full_build(content, work / f"out-{n}") for _ in range(args.runs)]
        pages = count_pages(work / f"out-{n}")
        wall = statistics.median(b["wall"] for b in builds)
        rss = max(b["rss_self_kb"] + b["rss_children_kb"] for b in builds) / 1024
        inc = incremental(content, work / f"inc-{n}", max(3, args.runs))
        row = {"n": n, "pages": pages, "wall_s": round(wall, 3), "pages_per_s": round(pages / wall),
               "peak_rss_mb": round(rss), "incremental_s": round(statistics.median(inc), 3)}
        rows.append(row)
        print(f"N={n:5d}: {pages:6d} pages, full build {wall:6.2f}s (median of {args.runs}), "
              f"{row['pages_per_s']:5d} pages/s, peak RSS {row['peak_rss_mb']} MB, incremental {row['incremental_s']:.3f}s")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        slope = (b["wall_s"] - a["wall_s"]) / (b["n"] - a["n"])
        print(f"per-campaign slope {slope * 1000:.1f} ms, fixed start-up cost {a['wall_s'] - slope * a['n']:.2f}s")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "latest.json").write_text(json.dumps({"seed_build_s": seeds, "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
