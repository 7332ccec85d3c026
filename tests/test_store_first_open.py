"""The first open of a new database (creation and migration) is safe under any timing.

``kit serve`` starts many kernels at once on a fresh data folder: each opens the same new
database. Here many separate processes do exactly that, released together, while every core
is kept busy by burner processes, several times over. None may fail, and none may see
"database is locked".
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy as sa
from cpu_burn import CpuBurner

from kit.store import Store
from kit.store.migrations import HEAD

OPENERS = 8
ROUNDS = 2

#: Each opener waits for the start file, opens the store, reads and writes once.
_OPENER = r"""
import os, sys, time
url, go, name = sys.argv[1], sys.argv[2], sys.argv[3]
deadline = time.monotonic() + 120
while not os.path.exists(go):
    if time.monotonic() > deadline:
        sys.exit("the start signal never came")
    time.sleep(0.002)
from kit.store import Store
with Store(url) as store:
    store.list_cohorts()
    store.private_participant(name)
print("opened")
"""


def _open_together(url: str, go_file) -> list[subprocess.CompletedProcess]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _OPENER, url, str(go_file), f"opener-{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(OPENERS)
    ]
    time.sleep(0.5)  # let the interpreters start; the start file then releases them together
    go_file.write_text("go")
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_many_processes_open_the_same_new_database_while_the_cores_are_busy(
    backend, tmp_path, request
):
    with CpuBurner():
        for round_ in range(ROUNDS):
            if backend == "sqlite":
                url = f"sqlite:///{tmp_path / f'new-{round_}' / 'kit.db'}"  # folder not made yet
            else:
                url = request.getfixturevalue("pg_url") if round_ == 0 else _fresh_schema(request)
            results = _open_together(url, tmp_path / f"go-{round_}")
            failures = [(r.returncode, r.stderr[-2000:]) for r in results if r.returncode != 0]
            assert failures == [], f"round {round_}: {failures}"
            assert all(r.stdout.strip() == "opened" for r in results)
            assert not any("locked" in r.stderr.lower() for r in results)
            with Store(url) as store, store.engine.connect() as conn:
                versions = conn.execute(sa.text("SELECT version_num FROM alembic_version"))
                assert versions.scalars().all() == [HEAD]


def _fresh_schema(request) -> str:
    """Another empty PostgreSQL schema, dropped at the end of the test."""
    from conftest import PG_BASE

    schema = f"kit_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f'create schema "{schema}"'))

    def drop():
        with engine.begin() as conn:
            conn.execute(sa.text(f'drop schema "{schema}" cascade'))
        engine.dispose()

    request.addfinalizer(drop)
    return f"{PG_BASE}?options=-csearch_path%3D{schema}"


def test_an_empty_file_left_by_a_failed_creation_is_refused_not_reused(tmp_path):
    db = tmp_path / "kit.db"
    db.touch()
    with pytest.raises(Exception, match="empty") as exc:
        Store(f"sqlite:///{db}")
    from kit.store import StoreError

    assert isinstance(exc.value, StoreError)
    assert db.stat().st_size == 0
