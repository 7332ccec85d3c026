"""Alembic migrations: scripts inside the package, run on open, upgrade without loss."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

import sqlalchemy as sa
from conftest import make_framework

from kit.store import Store
from kit.store import tables as t
from kit.store.codes import code_hash, new_code
from kit.store.engine import make_engine
from kit.store.migrate import HEAD, alembic_config, current_revision, upgrade


def test_head_constant_matches_the_scripts():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_current_head() == HEAD
    chain = [r.revision for r in scripts.walk_revisions()][::-1]
    assert chain[0] == "0001" and chain[-1] == HEAD and len(chain) == len(set(chain))


def test_migrated_schema_matches_the_table_definitions(store_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with Store(store_url) as store, store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
    assert diff == []


def test_database_at_0001_with_data_upgrades_without_loss(store_url):
    engine = make_engine(store_url)
    assert upgrade(engine, "0001") == "0001"
    resume = new_code()
    with engine.begin() as conn:
        assert "last_contact" not in {
            c["name"] for c in sa.inspect(conn).get_columns("relationships")
        }
        old = sa.MetaData()
        table = lambda name: sa.Table(name, old, autoload_with=conn)  # noqa: E731 - the 0001 shape

        def add(table_name, /, **values):
            return conn.execute(table(table_name).insert().values(**values)).inserted_primary_key[0]

        when = dt.datetime(2026, 1, 5, 9, 0)
        cid = add(
            "cohorts", name="Old cohort", created_at=when, facilitator_key_hash="f", frameworks=[]
        )
        gid = add("groups", cohort_id=cid, name="North", join_code_hash="j")
        rid = add("rounds", cohort_id=cid, name="Baseline", position=0, is_open=True)
        pid = add(
            "participants",
            cohort_id=cid,
            group_id=gid,
            organisation="NHS trust",
            resume_code_hash=code_hash("resume", resume),
            created_at=when,
        )
        sid = add(
            "submissions",
            participant_id=pid,
            framework_id="test-fw",
            round_id=rid,
            client_key="k",
            submitted_at=when,
            revision=1,
            superseded=False,
        )
        for item, value in {"t1": 4, "t2": 2, "s1": 5, "s2": None}.items():
            add("answers", submission_id=sid, item_id=item, value=value)
        add(
            "relationships",
            participant_id=pid,
            label="Housing lead",
            contact="monthly",
            strength=3,
            trust=4,
            created_at=when,
            updated_at=when,
        )
    engine.dispose()

    with Store(store_url) as store:
        with store.engine.connect() as conn:
            assert current_revision(conn) == HEAD
        me = store.resume(resume)
        assert me.organisation == "NHS trust"
        [rel] = store.list_relationships(me.id)
        assert (rel.label, rel.trust, rel.last_contact) == ("Housing lead", 4, None)
        frame = store.responses_frame(cid, "test-fw")
        assert len(frame) == 4 and frame["value"].isna().sum() == 1
        # the upgraded database works for new writes too
        sub = store.submit_response(
            me.id, make_framework(), rid, {"t1": 1, "t2": 1, "s1": 1, "s2": 1}, key="new"
        )
        assert sub.revision == 2


def test_concurrent_opens_of_a_new_database_do_not_race(store_url):
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def open_store():
        try:
            barrier.wait()
            with Store(store_url) as store:
                store.list_cohorts()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with Store(store_url) as store, store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [
            HEAD
        ]


def test_opening_an_up_to_date_database_skips_alembic(store_url):
    Store(store_url).close()
    code = (
        "import sys; from kit.store import Store; Store(sys.argv[1]).close(); "
        "print('alembic' in sys.modules, 'pandas' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, store_url], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_answers_to_the_second_edition_are_kept_and_read_under_it(store_url):
    """Migration 0015: every existing response is marked with the edition it answered, and the
    profile scores it under that edition and says so, never re-reading it under the third."""
    from kit.analysis.stored import load_profile
    from kit.content import load_edition, load_framework

    current = load_framework("collaboration-behaviours")
    second = load_edition(current, 2)
    engine = make_engine(store_url)
    assert upgrade(engine, "0009") == "0009"
    resume = new_code()
    with engine.begin() as conn:
        old = sa.MetaData()
        table = lambda name: sa.Table(name, old, autoload_with=conn)  # noqa: E731 - the 0009 shape

        def add(table_name, /, **values):
            return conn.execute(table(table_name).insert().values(**values)).inserted_primary_key[0]

        when = dt.datetime(2026, 6, 1, 9, 0)
        pid = add("participants", resume_code_hash=code_hash("resume", resume), created_at=when)
        rid = add("rounds", owner_id=pid, name="June 2026", position=0, is_open=True)
        sids = {}
        for fw_id in ("collaboration-behaviours", "test-fw"):
            sids[fw_id] = add("submissions", participant_id=pid, framework_id=fw_id, round_id=rid,
                              client_key=fw_id, submitted_at=when, revision=1, superseded=False)
        # "Every week" on the second edition's helpful acts: a value the third edition's
        # four-point scale does not even have
        for item in second.items:
            add("answers", submission_id=sids["collaboration-behaviours"], item_id=item.id,
                value=1 if item.reverse else 5)
        add("importance", submission_id=sids["collaboration-behaviours"],
            dimension_id=second.dimensions[0].id, value=5)
    engine.dispose()

    with Store(store_url) as store:
        with store.engine.connect() as conn:
            versions = dict(conn.execute(sa.select(t.submissions.c.framework_id,
                                                   t.submissions.c.framework_version)).all())
        assert versions == {"collaboration-behaviours": 2, "test-fw": 1}
        me = store.resume(resume)
        scores = store.participant_scores(me.id, current)
        assert len(scores) == len(second.items) and set(scores["framework_version"]) == {2}
        profile, _history = load_profile(store, me.id, current)
        assert profile.earlier_edition and profile.version == 2 and profile.current_version == 3
        assert "edition 2" in profile.edition_note
        assert profile.score_range == (1.0, 5.0)  # read on the scale it was answered on
        assert {d.score for d in profile.dimensions} == {5.0}
        # a new answer records the current edition
        answers = {i.id: 2 for i in current.items}
        sub = store.submit_response(me.id, current, rid, answers, key="third")
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(t.submissions.c.framework_version)
                                .where(t.submissions.c.id == sub.id)).scalar() == 3
        profile, _history = load_profile(store, me.id, current)
        assert not profile.earlier_edition and profile.score_range == (1.0, 4.0)
