"""Run every benchmark in this folder, one after another (``make bench``).

Each ``bench_*.py`` is a script that prints a table and writes ``results/<name>.json``.
Set ``BENCH_QUICK=1`` for a smoke run with smaller sizes (see ``QUICK_ARGS``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: What ``BENCH_QUICK=1`` passes to each script: smaller sizes, results kept out of results/.
QUICK_ARGS = {
    "bench_store": ["--quick"],
    "bench_dashboard_store": ["--sizes", "1000", "--backends", "sqlite", "--out",
                              "/tmp/kit-bench-dashboard-store.json"],
    "bench_views": ["--quick"],
    "bench_nbval": ["--out", "/tmp/kit-bench-nbval.json"],
    "bench_tti": ["--repeat", "1", "--out", "/tmp/kit-bench-tti.json"],
    "bench_visitors": ["--visitors", "6", "--concurrency", "6", "--out", "/tmp/kit-bench-visitors.json"],
    "bench_room": ["--visitors", "6", "--over", "10", "--pool", "3", "--out",
                   "/tmp/kit-bench-room.json"],
}


def main() -> int:
    quick = os.environ.get("BENCH_QUICK", "") not in {"", "0"}
    only = sys.argv[1:]
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        if only and script.stem not in only and script.stem.removeprefix("bench_") not in only:
            continue
        cmd = [sys.executable, str(script)] + (QUICK_ARGS.get(script.stem, []) if quick else [])
        print(f"\n=== {' '.join(cmd[1:])}", flush=True)
        start = time.perf_counter()
        rc = subprocess.call(cmd, cwd=HERE.parent)
        print(f"=== {script.name}: exit {rc} in {time.perf_counter() - start:.1f} s", flush=True)
        if rc:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
