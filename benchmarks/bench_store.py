"""Submission latency and throughput of the store with 1, 10 and 50 writers at once.

Each writer is a separate process (spawned, like separate Voila kernels). Each makes one
untimed submission first (connecting, and compiling its statements: reported apart as the
first call), then all writers start together; each makes the same number of submissions, each a revision of its own
participant's response, so every call is a full validated write transaction. Reported per
backend and writer count: median (p50) and 95th-percentile (p95) latency of one
``submit_response`` call, and submissions per second over the whole run.

Two kinds of load:

* **flat out** (closed loop): each writer submits again the moment its last call returns, so
  50 writers keep 50 calls in flight all the time. This measures capacity: by Little's law the
  mean latency is then writers / throughput, whatever the store does.
* **paced** (open loop, ``--paced``): each writer submits on a fixed random schedule (Poisson
  arrivals) adding up to a given rate for the room, the way 50 people pressing Submit behave.
  Latency is counted from the scheduled moment, so a call that had to queue behind a late one
  is charged for the wait (no "coordinated omission").

SQLite uses a fresh file in a temporary folder; PostgreSQL a fresh schema in the database at
``KIT_TEST_PG_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``), dropped
afterwards. A backend that cannot be reached is reported and skipped.

Run::

    .venv/bin/python benchmarks/bench_store.py [--quick]

Results go to ``benchmarks/results/store.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE.parent))
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _framework():
    from kit.content.models import Band, Dimension, Framework, Item, Scale, ScalePoint

    scale = Scale(tuple(ScalePoint(v, str(v)) for v in range(1, 6)), not_applicable="Not observed")
    dims = tuple(
        Dimension(
            f"d{d}",
            f"Dimension {d}",
            "",
            tuple(Item(f"d{d}i{i}", f"Item {i}") for i in range(4)),
            ask_importance=True,
        )
        for d in range(5)
    )
    return Framework(
        "bench",
        "Bench",
        "",
        "self",
        scale,
        (Band("all", "All", 1.0),),
        dims,
        importance_scale=scale,
    )


def _warm_up(store, participant_id, framework, round_id, answers, importance) -> float:
    """One untimed submission before the start: the process connects and SQLAlchemy compiles
    its statements, as a served kernel has done after its first visitor's first save. Returns
    how long that first call took (reported apart, as ``first_call_p95_ms``)."""
    t0 = time.perf_counter()
    store.submit_response(participant_id, framework, round_id, answers, importance,
                          key=f"{participant_id}-warm-up")
    return time.perf_counter() - t0


def _writer(url, participant_id, round_id, count, barrier, results):
    from kit.store import Store

    framework = _framework()
    answers = {item.id: 1 + n % 5 for n, item in enumerate(framework.items)}
    importance = {d.id: 3 for d in framework.dimensions}
    latencies, errors = [], 0
    with Store(url) as store:
        first = _warm_up(store, participant_id, framework, round_id, answers, importance)
        barrier.wait(timeout=300)
        start = time.perf_counter()
        for n in range(count):
            t0 = time.perf_counter()
            try:
                store.submit_response(
                    participant_id,
                    framework,
                    round_id,
                    answers,
                    importance,
                    key=f"{participant_id}-{n}",
                )
            except Exception:  # noqa: BLE001 - counted and reported
                errors += 1
            latencies.append(time.perf_counter() - t0)
        end = time.perf_counter()
    results.put({"latencies": latencies, "errors": errors, "start": start, "end": end,
                 "first": first})


def _paced_writer(url, participant_id, round_id, count, rate, seed, barrier, results):
    """Submit ``count`` times at Poisson moments averaging ``rate`` a second."""
    import random

    from kit.store import Store

    framework = _framework()
    answers = {item.id: 1 + n % 5 for n, item in enumerate(framework.items)}
    importance = {d.id: 3 for d in framework.dimensions}
    rng = random.Random(seed)
    latencies, late, inside, errors = [], [], [], 0
    with Store(url) as store:
        first = _warm_up(store, participant_id, framework, round_id, answers, importance)
        barrier.wait(timeout=300)
        start = time.perf_counter()
        due = start
        for n in range(count):
            due += rng.expovariate(rate)
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            began = time.perf_counter()
            try:
                store.submit_response(participant_id, framework, round_id, answers, importance,
                                      key=f"{participant_id}-{n}")
            except Exception:  # noqa: BLE001 - counted and reported
                errors += 1
            done = time.perf_counter()
            latencies.append(done - due)
            # the two parts: waiting to run (the process woke late, or its last call ran
            # over) and the call itself
            late.append(max(began - due, 0.0))
            inside.append(done - began)
        end = time.perf_counter()
    results.put({"latencies": latencies, "errors": errors, "start": start, "end": end,
                 "late": late, "inside": inside, "first": first})


def run_case(url: str, writers: int, count: int, room_rate: float | None = None) -> dict:
    from kit.store import Store

    with Store(url) as store:
        created = store.create_cohort(f"bench-{uuid.uuid4().hex[:6]}", groups=["G"], rounds=["R"])
        pids = [store.join(created.join_codes["G"]).id for _ in range(writers)]
        round_id = store.current_round(created.cohort_id).id
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(writers), ctx.Queue()
    if room_rate is None:
        procs = [
            ctx.Process(target=_writer, args=(url, pid, round_id, count, barrier, results))
            for pid in pids
        ]
    else:
        procs = [
            ctx.Process(target=_paced_writer,
                        args=(url, pid, round_id, count, room_rate / writers, seed, barrier,
                              results))
            for seed, pid in enumerate(pids)
        ]
    for p in procs:
        p.start()
    outs = [results.get(timeout=900) for _ in procs]
    for p in procs:
        p.join()
    lat = sorted(x for o in outs for x in o["latencies"])
    wall = max(o["end"] for o in outs) - min(o["start"] for o in outs)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    parts = {}
    if room_rate is not None:
        for name in ("late", "inside"):
            xs = sorted(x for o in outs for x in o[name])
            qs = statistics.quantiles(xs, n=100)
            parts[f"{name}_p50_ms"] = round(qs[49] * 1000, 2)
            parts[f"{name}_p95_ms"] = round(qs[94] * 1000, 2)
    firsts = sorted(o["first"] for o in outs)
    parts["first_call_p95_ms"] = round(
        (statistics.quantiles(firsts, n=100)[94] if len(firsts) > 1 else firsts[0]) * 1000, 2)
    return {
        **parts,
        "writers": writers,
        "load": "flat out" if room_rate is None else f"paced {room_rate:g}/s",
        "submissions": len(lat),
        "errors": sum(o["errors"] for o in outs),
        "p50_ms": round(q[49] * 1000, 2),
        "p95_ms": round(q[94] * 1000, 2),
        "throughput_per_s": round(len(lat) / wall, 1),
        "wall_s": round(wall, 2),
    }


def _pg_schema():
    """A fresh schema and its URL, or (None, reason)."""
    import os

    import sqlalchemy as sa

    base = os.environ.get("KIT_TEST_PG_URL", PG_BASE)
    schema = f"kit_bench_{uuid.uuid4().hex[:8]}"
    try:
        engine = sa.create_engine(base)
        with engine.begin() as conn:
            conn.execute(sa.text(f'create schema "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - reported as "skipped"
        return None, None, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"

    def drop():
        with engine.begin() as conn:
            conn.execute(sa.text(f'drop schema "{schema}" cascade'))
        engine.dispose()

    return f"{base}?options=-csearch_path%3D{schema}", drop, None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="1 and 10 writers, 20 submissions each"
    )
    parser.add_argument(
        "--paced", type=float, nargs="*", metavar="RATE",
        help="instead of flat out, 50 writers submitting on a schedule adding up to RATE a "
        "second for the room (default 25 100 200)",
    )
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    writer_counts, count = ((1, 10), 20) if args.quick else ((1, 10, 50), 100)
    cases = [(w, None) for w in writer_counts]
    if args.paced is not None:
        rates = args.paced or [25.0, 100.0, 200.0]
        cases = [(10 if args.quick else 50, r) for r in rates]
        count = 10 if args.quick else 40

    rows, skipped = [], {}
    with tempfile.TemporaryDirectory(prefix="kit-bench-") as folder:
        for backend in args.backends:
            for writers, rate in cases:
                if backend == "sqlite":
                    url, drop = f"sqlite:///{Path(folder) / f'bench-{writers}.db'}", None
                else:
                    url, drop, reason = _pg_schema()
                    if url is None:
                        skipped[backend] = reason
                        break
                try:
                    row = {"backend": backend, **run_case(url, writers, count, rate)}
                finally:
                    if drop:
                        drop()
                rows.append(row)
                print(
                    f"  {backend:<10} {writers:>3} writers, {row['load']}: p50 {row['p50_ms']:>8.2f} ms  "
                    f"p95 {row['p95_ms']:>8.2f} ms  {row['throughput_per_s']:>7.1f}/s  "
                    f"errors {row['errors']}",
                    flush=True,
                )

    header = f"{'backend':<10} {'writers':>7} {'load':>13} {'submissions':>11} {'p50 ms':>9} {'p95 ms':>9} {'per s':>8} {'errors':>6}"
    print("\n" + header + "\n" + "-" * len(header))
    for r in rows:
        print(
            f"{r['backend']:<10} {r['writers']:>7} {r['load']:>13} {r['submissions']:>11} {r['p50_ms']:>9.2f} "
            f"{r['p95_ms']:>9.2f} {r['throughput_per_s']:>8.1f} {r['errors']:>6}"
        )
    for backend, reason in skipped.items():
        print(f"{backend}: skipped ({reason})")

    RESULTS.mkdir(exist_ok=True)
    out = {
        "benchmark": "store",
        "quick": args.quick,
        "submissions_per_writer": count,
        "paced": args.paced is not None,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": multiprocessing.cpu_count(),
        },
        "results": rows,
        "skipped": skipped,
    }
    name = "store-paced" if args.paced is not None else "store"
    target = RESULTS / (f"{name}-quick.json" if args.quick else f"{name}.json")
    target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {target}")
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
