"""How long does strict notebook validation take? Goal: under one minute on 2 cores.

Times the whole ``make nbval`` path (seed a fresh demo folder, then ``pytest --nbval`` over
every notebook with the sanitize file), once serially and once with ``-n 2 --dist
loadscope`` (one notebook per worker process at a time). Prints a summary and writes
``benchmarks/results/nbval.json``.

Run::

    .venv/bin/python benchmarks/bench_nbval.py            # all notebooks in notebooks/
    .venv/bin/python benchmarks/bench_nbval.py PATH ...   # some notebooks or folders
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kit.notebooks import demo_environment, nbval_command, notebook_paths

GOAL_SECONDS = 60.0
RESULTS = Path(__file__).resolve().parent / "results" / "nbval.json"


def run_once(paths: list[Path], workers: int) -> dict:
    """Seed a demo folder and run strict nbval; return timings, exit code and test counts."""
    with tempfile.TemporaryDirectory(prefix="kit-bench-nbval-") as tmp:
        start = time.perf_counter()
        env = demo_environment(tmp)
        seeded = time.perf_counter()
        cmd = nbval_command(paths, workers=workers) + ["-q"]
        done = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True,
                              check=False)
        end = time.perf_counter()
    summary = (done.stdout.strip().splitlines() or [""])[-1]
    return {
        "workers": workers,
        "command": " ".join(cmd[1:]),
        "seed_seconds": round(seeded - start, 2),
        "nbval_seconds": round(end - seeded, 2),
        "total_seconds": round(end - start, 2),
        "exit_code": done.returncode,
        "pytest_summary": summary,
        "under_goal": (end - start) < GOAL_SECONDS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks or folders (default notebooks/)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON file (default {RESULTS})")
    args = parser.parse_args(argv)

    paths = notebook_paths(args.paths or None)
    if not paths:
        print("no notebooks to validate", file=sys.stderr)
        return 1
    runs = [run_once(paths, workers=0), run_once(paths, workers=2)]
    result = {
        "benchmark": "strict nbval over the notebooks, demo data, sanitize file",
        "measured_on": dt.date.today().isoformat(),  # when the figure was taken, not app logic
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(),
                    # other work on the machine slows every figure: record how busy it was
                    "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()]},
        "notebooks": [p.name for p in paths],
        "goal_seconds": GOAL_SECONDS,
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"strict nbval, {len(paths)} notebooks, {os.cpu_count()} cpus (goal < {GOAL_SECONDS:.0f} s)")
    for run in runs:
        mode = "serial" if not run["workers"] else f"-n {run['workers']} --dist loadscope"
        verdict = "ok" if run["under_goal"] else "OVER GOAL"
        print(f"  {mode:28s} {run['total_seconds']:6.1f} s (seed {run['seed_seconds']:.1f} s)"
              f"  exit {run['exit_code']}  {run['pytest_summary']}  [{verdict}]")
    print(f"written {args.out}")
    return 0 if all(r["exit_code"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
