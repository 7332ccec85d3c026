"""Bulk load rate: ``kit demo --participants N --groups G --rounds 3 --seed 7`` end to end.

The command is run as a user runs it (a fresh process, the framework loaded, the cohort
created, people added, then each round written in one transaction through the store's bulk
path) on a fresh SQLite file and on a fresh PostgreSQL schema. Reported: wall-clock seconds,
responses written and answers (rows) per second.

Run::

    .venv/bin/python benchmarks/bench_bulk.py [--sizes 1000 10000 100000] [--groups 200]

Results go to ``benchmarks/results/bulk.json``. The goal (issue 17): 100,000 people, 200
groups, 3 rounds in under 2 minutes on SQLite and under 3 minutes on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
KIT = Path(sys.executable).with_name("kit")
PG_BASE = os.environ.get("KIT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _counts(url: str) -> tuple[int, int]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        subs = conn.execute(sa.text("SELECT count(*) FROM submissions")).scalar()
        answers = conn.execute(sa.text("SELECT count(*) FROM answers")).scalar()
    engine.dispose()
    return subs, answers


def _pg_schema():
    import sqlalchemy as sa

    schema = f"kit_bench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()

    return f"{PG_BASE}?options=-csearch_path%3D{schema}", drop


def run_one(backend: str, n: int, groups: int, rounds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="kit-bench-bulk-") as tmp:
        drop = None
        if backend == "sqlite":
            url = f"sqlite:///{tmp}/kit.db"
        else:
            url, drop = _pg_schema()
        cmd = [str(KIT), "demo", "--participants", str(n), "--groups", str(groups),
               "--rounds", str(rounds), "--seed", "7", "--database", url]
        env = {**os.environ, "KIT_DATA_DIR": tmp}
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
        subs, answers = _counts(url)
        if drop:
            drop()
    return {
        "backend": backend, "participants": n, "groups": groups, "rounds": rounds,
        "seconds": round(seconds, 1), "responses": subs, "answers": answers,
        "answers_per_second": round(answers / seconds),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--out", default=str(RESULTS / "bulk.json"))
    args = parser.parse_args(argv)
    rows = []
    print(f"{'backend':<11}{'people':>9}{'seconds':>9}{'responses':>11}{'answers':>11}{'answers/s':>11}")
    for backend in args.backends:
        for n in args.sizes:
            r = run_one(backend, n, min(args.groups, n), args.rounds)
            rows.append(r)
            print(f"{backend:<11}{n:>9,}{r['seconds']:>9.1f}{r['responses']:>11,}"
                  f"{r['answers']:>11,}{r['answers_per_second']:>11,}", flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
        "command": "python benchmarks/bench_bulk.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "results": rows,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
