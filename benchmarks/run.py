#!/usr/bin/env python3
"""Build benchmark: N synthetic campaigns shaped like the seeds; reports time, throughput, memory, incremental.

Usage: python3 benchmarks/run.py [--sizes 10 100 1000] [--runs 3] [--work DIR]
Figures go to stdout (and benchmarks/results/latest.json); nothing here asserts a time.

Each timed build writes into a new, empty output folder, as a fresh checkout (Netlify, CI) does, after
os.sync() so it does not pay for the previous build's writes; one more build over the previous output is
reported apart, since it also removes the old files. The builds' disk cache (QR codes, calendars, font
subsets) starts empty in the work folder: the first build of each size is reported as the cold one, the
median is of the warm ones that follow. A build writes tens of thousands of files, so the figures depend on
the disk: the benchmark times file creation in the work folder before and after (the "disk probe"), and
`--work /dev/shm/qm-bench` takes the disk out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
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
    os.sync()
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


def disk_probe(work: Path, n: int = 2000) -> float:
    """Microseconds to create (and write 1 KB to) one file in the work folder: what dominates when a build is I/O-bound."""
    folder = work / "probe"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for i in range(n):
        (folder / f"{i}.html").write_bytes(b"x" * 1024)
    took = time.perf_counter() - started
    shutil.rmtree(folder)
    return took / n * 1e6


def incremental(content: Path, out: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds to rebuild after editing one campaign's slogan, as the dev server does it; and to make font subsets.

    The first edit brings a character no poster had: the pages are rebuilt as usual and the poster font
    subset is remade after them (the server does it in a thread); the other edits only change digits, which
    every campaign's year already puts in the font.
    """
    from qm_site.authoring.serve import Preview

    preview = Preview(content, out)
    preview.refresh(None)
    target = sorted(content.glob("*/campaign.yaml"))[len(list(content.glob("*/campaign.yaml"))) // 2]
    original = target.read_text(encoding="utf-8")
    used = set().union(*(set(f.read_text(encoding="utf-8")) for f in content.rglob("*.yaml")))
    new_char = next(ch for ch in "龘靐齉爩麤鱻" if ch not in used)
    times, font_times = [], []
    try:
        for i in range(runs):
            edited = original.replace("items:\n      - ", f"items:\n      - {new_char}{i} ", 1)
            target.write_text(edited, encoding="utf-8")
            started = time.perf_counter()
            outcome = preview.refresh({target})
            times.append(time.perf_counter() - started)
            assert not outcome.problems, outcome.problems
            started = time.perf_counter()
            if preview.finish_font():
                font_times.append(time.perf_counter() - started)
    finally:
        target.write_text(original, encoding="utf-8")
    return times, font_times


def seed_build(runs: int, work: Path) -> list[float]:
    """Wall times of `python build.py` on the real content/, interpreter start-up included; the first with a cold cache."""
    out = work / "seed" / "public"
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        subprocess.run([sys.executable, "build.py", "build", "--out", str(out), "-q"], check=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    """Run the benchmark and print a table."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", type=Path, default=HERE / ".work", help="folder for the synthetic content and outputs "
                   "(default: benchmarks/.work, emptied first)")
    args = p.parse_args()
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    os.environ["QM_SITE_CACHE"] = str(work / "cache")  # builds and the dev server start without cached QR codes etc.
    rows = []
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    probes = [disk_probe(work)]
    print(f"disk probe ({work}): {probes[0]:.0f} µs per file created")
    seed_cold, *seeds = seed_build(args.runs, work)
    print(f"seed site: python build.py, median {statistics.median(seeds):.2f}s (runs: {', '.join(f'{t:.2f}' for t in seeds)}; "
          f"cold cache {seed_cold:.2f}s)")
    for n in args.sizes:
        content = synth.generate(n, work / f"content-{n}")
        outs = [work / f"out-{n}-{k}" for k in range(args.runs + 1)]
        cold, *builds = [full_build(content, out) for out in outs]  # each into a new folder, as on a new checkout
        rebuild = full_build(content, outs[-1])  # over the previous output: also removes its files
        pages = count_pages(outs[-1])
        wall = statistics.median(b["wall"] for b in builds)
        rss = max(b["rss_self_kb"] + b["rss_children_kb"] for b in builds) / 1024
        for out in outs:
            shutil.rmtree(out)
        os.environ["QM_SITE_CACHE"] = str(work / f"cache-inc-{n}")  # a font subset made for another size is not reused
        (first, *inc), font = incremental(content, work / f"inc-{n}", max(3, args.runs) + 1)
        os.environ["QM_SITE_CACHE"] = str(work / "cache")
        shutil.rmtree(work / f"inc-{n}")
        row = {"n": n, "pages": pages, "wall_s": round(wall, 3), "runs_s": [round(b["wall"], 3) for b in builds],
               "cold_s": round(cold["wall"], 3), "rebuild_s": round(rebuild["wall"], 3), "pages_per_s": round(pages / wall),
               "peak_rss_mb": round(rss), "incremental_s": round(statistics.median(inc), 3), "incremental_runs_s": [round(t, 3) for t in inc],
               "incremental_new_character_s": round(first, 3), "font_subset_s": [round(t, 3) for t in font]}
        rows.append(row)
        print(f"N={n:5d}: {pages:6d} pages, full build {wall:6.2f}s (median of {args.runs}: {', '.join(f'{t:.2f}' for t in row['runs_s'])}; "
              f"cold cache {row['cold_s']:.2f}s), {row['pages_per_s']:5d} pages/s, peak RSS {row['peak_rss_mb']} MB, "
              f"over the previous output {row['rebuild_s']:.2f}s, incremental {row['incremental_s']:.3f}s "
              f"(runs: {', '.join(f'{t:.2f}' for t in inc)}; {first:.2f}s when the edit adds a character to the poster font, "
              f"its subset then made in {', '.join(f'{t:.2f}' for t in font) or '-'}s)")
    probes.append(disk_probe(work))
    print(f"disk probe after: {probes[1]:.0f} µs per file created")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        slope = (b["wall_s"] - a["wall_s"]) / (b["n"] - a["n"])
        print(f"per-campaign slope {slope * 1000:.1f} ms, fixed start-up cost {a['wall_s'] - slope * a['n']:.2f}s")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "latest.json").write_text(json.dumps({"work": str(work), "disk_probe_us": [round(x) for x in probes],
                                                              "seed_build_s": seeds, "seed_cold_s": seed_cold, "rows": rows}, indent=2) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
