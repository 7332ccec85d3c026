"""Loading a cohort's answers from the store for the dashboard, at N = 1,000, 10,000, 100,000.

For each size a cohort of N people, 200 groups (fewer for small N) and 3 rounds is written with
the bulk path (``kit.demo.seed_synthetic``), on SQLite and on PostgreSQL. Timed: reading the
current answers of every round (``responses_frame``), of one round (``round_id=``), of one
group in one round (``group_id=``), and ``participation``. These are the store's part of a
dashboard view; the analysis and charts come after (``bench_views.py``).

Run::

    .venv/bin/python benchmarks/bench_store_frames.py [--sizes 1000 10000 100000]

Results go to ``benchmarks/results/store_frames.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_bulk import _pg_schema  # noqa: E402

FW = "collaboration-behaviours"


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return round(time.perf_counter() - start, 2), out


def run(backend: str, n: int) -> dict:
    from kit.demo import seed_synthetic
    from kit.store import Store

    with tempfile.TemporaryDirectory(prefix="kit-bench-frames-") as tmp:
        drop = None
        url = f"sqlite:///{tmp}/kit.db" if backend == "sqlite" else None
        if url is None:
            url, drop = _pg_schema()
        with Store(url) as store:
            seeded, created = _timed(lambda: seed_synthetic(store, n, min(200, n), 3, 7))
            info = store.cohort(created.cohort_id)
            last = info.rounds[-1]
            group = info.groups[0]
            cid = created.cohort_id
            all_s, frame = _timed(lambda: store.responses_frame(cid, FW))
            round_s, one = _timed(lambda: store.responses_frame(cid, FW, round_id=last.id))
            group_s, _ = _timed(
                lambda: store.responses_frame(cid, FW, round_id=last.id, group_id=group.id)
            )
            part_s, _ = _timed(lambda: store.participation(cid))
        if drop:
            drop()
    return {"backend": backend, "participants": n, "seed_s": seeded, "rows_all": len(frame),
            "all_rounds_s": all_s, "rows_round": len(one), "one_round_s": round_s,
            "one_group_s": group_s, "participation_s": part_s}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--out", default=str(HERE / "results" / "store_frames.json"))
    args = parser.parse_args(argv)
    rows = []
    for backend in args.backends:
        for n in args.sizes:
            r = run(backend, n)
            rows.append(r)
            print(json.dumps(r), flush=True)
    Path(args.out).write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "command": "python benchmarks/bench_store_frames.py " + " ".join(
            sys.argv[1:] if argv is None else argv),
        "results": rows,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
