"""Run every benchmark in this folder, one after another (``make bench``).

Each ``bench_*.py`` is a script that prints a table and writes ``results/<name>.json``.
Set ``BENCH_QUICK=1`` to pass ``--quick`` to each (smaller sizes, for a smoke run).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    quick = os.environ.get("BENCH_QUICK", "") not in {"", "0"}
    only = sys.argv[1:]
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        if only and script.stem not in only and script.stem.removeprefix("bench_") not in only:
            continue
        cmd = [sys.executable, str(script)] + (["--quick"] if quick else [])
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
