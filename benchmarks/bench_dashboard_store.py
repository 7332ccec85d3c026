"""The facilitator dashboard from the real store: opening a cohort and drawing each view.

For each size a cohort of N people, 200 groups (fewer for small N) and 3 rounds is written with
the bulk path (``kit.demo.seed_synthetic``, as ``kit demo --participants N --groups G --rounds
3 --seed 7``), on SQLite and on PostgreSQL, and its last round is closed. Then, as the
dashboard does:

* ``publish_open_s``: the first ``CohortData.from_store``, which publishes the snapshot of
  every closed round (plans the confidentiality rules for every cell) and reads them;
* ``open_s``: a later open, in a fresh process's state (the parsed-snapshot cache cleared);
* ``open_warm_s``: a later open in the same process (parsed snapshots cached);
* one figure per view: ``view_charts`` to finished Vega-Lite specs (``chart.to_dict()``),
  for group 1 and the whole cohort in the latest round, from the opened cohort.

Each figure is wall-clock time; ``cpu_s`` holds the same steps' CPU time in this process,
which is what the kit costs when other work shares the cores.

Run::

    .venv/bin/python benchmarks/bench_dashboard_store.py [--sizes 1000 10000 100000]
        [--backends sqlite postgresql]

Results go to ``benchmarks/results/dashboard_store.json``. PostgreSQL is read from
``KIT_TEST_PG_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``), in a fresh
schema that is dropped afterwards.
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
sys.path.insert(0, str(HERE.parent))
from bench_bulk import _pg_schema  # noqa: E402

VIEWS = ("participation", "profile", "disagreement", "breakdown", "importance", "change",
         "health", "overview", "free_text")


_CPU: dict[str, float] = {}


def _timed(fn, name: str | None = None):
    """Wall-clock seconds (and, under ``name``, this process's CPU seconds) of ``fn()``."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    if name:
        _CPU[name] = round(time.process_time() - cpu, 3)
    return round(time.perf_counter() - start, 3), out


def run(backend: str, n: int, groups: int) -> dict:
    from kit.analysis import snapshots
    from kit.analysis.cohort import CohortData
    from kit.analysis.privacy import ALL_GROUPS, Rules
    from kit.publishing import close_round
    from kit.views import view_charts
    from kit.demo import seed_synthetic
    from kit.store import Store

    rules = Rules(5, 10, 1.0)
    with tempfile.TemporaryDirectory(prefix="kit-bench-dash-") as tmp:
        drop = None
        url = f"sqlite:///{tmp}/kit.db" if backend == "sqlite" else None
        if url is None:
            url, drop = _pg_schema()
        try:
            with Store(url) as store:
                seed_s, created = _timed(lambda: seed_synthetic(store, n, groups, 3, 7,
                                                                publish=True))
                cid = created.cohort_id
                # closing publishes (kit.publishing); opening the dashboard only reads
                first_s, _ = _timed(lambda: close_round(store, cid, "Round 3", rules=rules),
                                    "publish_open")
                snapshots._PAYLOADS.clear()
                open_s, _ = _timed(lambda: CohortData.from_store(store, cid, rules=rules), "open")
                warm_s, data = _timed(lambda: CohortData.from_store(store, cid, rules=rules),
                                      "open_warm")
                views = {}
                for view in VIEWS:
                    for scope in (data.groups[0], ALL_GROUPS):
                        name = f"{view}:{'group' if scope != ALL_GROUPS else 'cohort'}"
                        secs, charts = _timed(lambda v=view, g=scope: [
                            c.chart.to_dict() for c in view_charts(data, v, group=g, by="organisation")
                        ], name)
                        views[name] = secs
                        print(f"  {backend:<10} {n:>7,} {view:<14} "
                              f"{'group ' if scope != ALL_GROUPS else 'cohort'} {secs:7.3f} s",
                              flush=True)
        finally:
            if drop:
                drop()
    return {"backend": backend, "participants": n, "groups": groups, "rounds": 3,
            "seed_s": seed_s, "publish_open_s": first_s, "open_s": open_s,
            "open_warm_s": warm_s, "views_s": views, "cpu_s": dict(_CPU),
            "slowest_view_s": max(views.values()) if views else None}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--out", default=str(HERE / "results" / "dashboard_store.json"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    rows = json.loads(out.read_text())["results"] if out.exists() else []
    for backend in args.backends:
        for n in args.sizes:
            r = run(backend, n, min(200, n))
            r["load_average"] = os.getloadavg()
            rows = [x for x in rows if (x["backend"], x["participants"]) != (backend, n)] + [r]
            print(json.dumps({k: v for k, v in r.items() if k != "views_s"}), flush=True)
            out.write_text(json.dumps({
                "machine": {"cpus": os.cpu_count()},
                "note": "measured on a shared 2-core machine with other jobs running",
                "command": "python benchmarks/bench_dashboard_store.py " + " ".join(
                    sys.argv[1:] if argv is None else argv),
                "results": rows,
            }, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
