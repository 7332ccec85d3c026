"""Many writers at once, and a writer killed mid-transaction.

* 20 processes (spawned) each make 50 submissions at the same moment, against SQLite and
  PostgreSQL. Pairs of processes act for the same participant and re-send some of each
  other's keys, so revisions and idempotent replays race too. Exactly 1,000 submissions
  must be stored, every replay must return the original, and no writer may see an error.
* A writer killed with SIGKILL leaves a SQLite database that passes ``integrity_check`` and
  holds every submission it acknowledged (printed only after commit).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import traceback
from pathlib import Path

import pytest
import sqlalchemy as sa

from kit.store import Store
from kit.store import tables as t

WORKERS = 20
PER_WORKER = 50
PARTICIPANTS = 10  # two workers per participant
TESTS_DIR = str(Path(__file__).resolve().parent)


def _answers(n: int, index: int = 0) -> dict:
    """Answers of a worker's ``n``-th submission: different for every one of a participant's
    hundred (its two workers' fifty each), so each is a real change, never an unchanged
    resubmission (which saves nothing new)."""
    u = 2 * n + (index & 1)
    return {
        "t1": 1 + u % 5,
        "t2": 1 + (u // 5) % 5,
        "s1": 1 + (u // 25) % 5,
        "s2": None if n % 7 == 0 else 3,
    }


def _worker(url, participant_id, round_id, index, barrier, results):
    """One writer: its own 50 keys, plus every fifth key of its twin (same participant)."""
    from conftest import make_framework

    framework = make_framework()
    outcome = {"index": index, "ids": {}, "errors": []}
    try:
        with Store(url) as store:
            barrier.wait(timeout=60)
            twin = index ^ 1
            for n in range(PER_WORKER):
                keys = [(f"w{index}-{n}", index)] + ([(f"w{twin}-{n}", twin)] if n % 5 == 0 else [])
                for key, who in keys:
                    try:
                        sub = store.submit_response(
                            participant_id, framework, round_id, _answers(n, who), {"trust": 4},
                            key=key,
                        )
                        outcome["ids"].setdefault(key, set()).add(sub.id)
                    except Exception:  # noqa: BLE001 - every error is reported to the parent
                        outcome["errors"].append(traceback.format_exc(limit=3))
    except Exception:  # noqa: BLE001
        outcome["errors"].append(traceback.format_exc(limit=3))
    results.put(outcome)


@pytest.mark.slow
def test_twenty_processes_store_exactly_one_thousand_submissions(store_url):
    with Store(store_url) as store:
        created = store.create_cohort("Load", groups=["G"], rounds=["R"])
        pids = [store.join(created.join_codes["G"]).id for _ in range(PARTICIPANTS)]
        round_id = store.open_round(created.cohort_id, "R").id  # after joining: counted

    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(store_url, pids[i // 2], round_id, i, barrier, results))
        for i in range(WORKERS)
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)

    errors = [e for o in outcomes for e in o["errors"]]
    assert errors == [], errors[0]
    ids_by_key: dict[str, set[int]] = {}
    for o in outcomes:
        for key, ids in o["ids"].items():
            ids_by_key.setdefault(key, set()).update(ids)
    assert len(ids_by_key) == WORKERS * PER_WORKER
    assert all(len(ids) == 1 for ids in ids_by_key.values()), (
        "a replayed key made a second submission"
    )

    S = t.submissions
    with Store(store_url) as store, store.engine.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(S)).scalar() == WORKERS * PER_WORKER
        )
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(t.answers)).scalar()
            == 4 * WORKERS * PER_WORKER
        )
        per_participant = conn.execute(
            sa.select(
                S.c.participant_id,
                sa.func.count(),
                sa.func.count(sa.distinct(S.c.revision)),
                sa.func.max(S.c.revision),
                sa.func.sum(sa.case((S.c.superseded.is_(False), 1), else_=0)),
            ).group_by(S.c.participant_id)
        ).all()
    assert sorted(r[0] for r in per_participant) == sorted(pids)
    for _pid, count, distinct_revisions, top, current in per_participant:
        assert count == distinct_revisions == top == 2 * PER_WORKER
        assert current == 1


WRITER = textwrap.dedent(
    """
    import sys
    import sqlalchemy as sa
    from conftest import make_framework
    from kit.store import Store
    from kit.store import tables as t

    url, pid, rid, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    store = Store(url)
    fw = make_framework()
    n = 0
    while True:
        # a real change every time: an unchanged resubmission saves nothing new
        answers = {"t1": 1 + n % 5, "t2": 3, "s1": 3, "s2": 3}
        sub = store.submit_response(pid, fw, rid, answers, {"trust": 2}, key=f"k{n}")
        print(f"ACK {sub.id} k{n}", flush=True)  # only after the commit returned
        n += 1
        if mode == "mid-transaction" and n == 20:
            conn = store._writer.connect()
            conn.begin()
            conn.execute(t.submissions.insert().values(
                participant_id=pid, framework_id="test-fw", round_id=rid, client_key="never",
                submitted_at=sa.func.current_timestamp(), revision=999, superseded=True))
            conn.execute(t.reflections.insert(), [dict(participant_id=pid, exercise_id="x", finished=False,
                include_in_report=False, created_at=sa.func.current_timestamp(),
                updated_at=sa.func.current_timestamp())] * 200)
            print("IN-TRANSACTION", flush=True)
            sys.stdin.read()  # wait here, transaction open, until killed
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["mid-transaction", "mid-stream"])
def test_sigkill_mid_transaction_keeps_sqlite_whole(sqlite_url, mode):
    import sqlite3

    from kit.store.engine import sqlite_path

    with Store(sqlite_url) as store:
        created = store.create_cohort("Crash", groups=["G"], rounds=["R"])
        pid = store.join(created.join_codes["G"]).id
        rid = store.open_round(created.cohort_id, "R").id  # after joining: counted

    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([TESTS_DIR, os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, sqlite_url, str(pid), str(rid), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    acked: dict[int, str] = {}
    try:
        for line in proc.stdout:
            if line.startswith("ACK"):
                _, sid, key = line.split()
                acked[int(sid)] = key
                if mode == "mid-stream" and len(acked) == 15:
                    break  # kill while it keeps writing, wherever it happens to be
            elif line.startswith("IN-TRANSACTION"):
                break
        assert acked, proc.stderr.read()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
        proc.stdin.close()

    with sqlite3.connect(sqlite_path(sqlite_url)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = dict(conn.execute("SELECT id, client_key FROM submissions").fetchall())
        assert conn.execute(
            "SELECT count(*) FROM submissions WHERE client_key = 'never'"
        ).fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM reflections").fetchone() == (0,)
    assert acked.items() <= stored.items()
    # the database is usable afterwards and still has exactly one current submission
    with Store(sqlite_url) as store:
        assert len(store.list_submissions(pid, include_superseded=False)) == 1
