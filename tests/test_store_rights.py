"""Data rights and housekeeping: export, erase (down to the bytes on disk), purge and backup."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3

import pytest
import sqlalchemy as sa

from kit.store import NotFound, Store, StoreError
from kit.store import tables as t
from kit.store.engine import sqlite_path

ANSWERS = {"t1": 4, "t2": 2, "s1": 5, "s2": None}
SECRET = "Zanzibar-quokka-7731 told me about the budget"


@pytest.fixture
def person(kit_store, store_cohort, small_framework):
    """A participant with one of everything (and a revision), plus a second participant."""
    p = kit_store.join(
        store_cohort.join_codes["North"], display_name="Robin", organisation="NHS trust"
    )
    other = kit_store.join(store_cohort.join_codes["South"], organisation="Council")
    rid = kit_store.current_round(store_cohort.cohort_id).id
    kit_store.submit_response(
        p.id, small_framework, rid, {**ANSWERS, "t1": 1}, {"trust": 3}, key="first"
    )
    kit_store.submit_response(p.id, small_framework, rid, ANSWERS, {"trust": 5}, key="second")
    kit_store.submit_response(other.id, small_framework, rid, ANSWERS, {}, key="o")
    kit_store.save_draft(p.id, "test-fw", rid, {"t1": 2}, {})
    kit_store.save_reflection(
        p.id, "what-so-what", {"what": SECRET, "now_what": "Call them"}, finished=True
    )
    kit_store.save_reflection(
        other.id, "what-so-what", {"what": "Other person's words"}, finished=True
    )
    kit_store.add_commitment(p.id, "Meet the housing lead", "trust", dt.date(2026, 4, 1))
    kit_store.add_relationship(
        p.id,
        "Housing lead",
        "District council",
        "Housing",
        "monthly",
        3,
        4,
        last_contact=dt.date(2026, 2, 1),
    )
    return p, other


def _rows_for(store, participant_id) -> dict[str, int]:
    counts = {}
    with store.engine.connect() as conn:
        for table in t.PARTICIPANT_TABLES:
            counts[table.name] = conn.execute(
                sa.select(sa.func.count())
                .select_from(table)
                .where(table.c.participant_id == participant_id)
            ).scalar()
        counts["participants"] = conn.execute(
            sa.select(sa.func.count())
            .select_from(t.participants)
            .where(t.participants.c.id == participant_id)
        ).scalar()
        for name in ("answers", "importance", "reflection_steps"):
            counts[name] = conn.execute(
                sa.select(sa.func.count()).select_from(t.metadata.tables[name])
            ).scalar()
    return counts


def test_export_holds_everything_and_is_json(kit_store, person):
    p, _ = person
    data = kit_store.export_participant(p.id)
    json.dumps(data)  # serialisable as it stands
    assert (
        data["participant"]["display_name"] == "Robin" and data["participant"]["group"] == "North"
    )
    assert [(s["key"], s["superseded"], s["round"]) for s in data["submissions"]] == [
        ("first", True, "Baseline"),
        ("second", False, "Baseline"),
    ]
    assert data["submissions"][1]["answers"] == ANSWERS and data["submissions"][1][
        "importance"
    ] == {"trust": 5}
    assert data["reflections"][0]["answers"]["what"] == SECRET
    assert data["commitments"][0]["due"] == "2026-04-01"
    assert data["relationships"][0]["last_contact"] == "2026-02-01"
    assert data["drafts"][0]["answers"] == {"t1": 2}
    assert "Other person's words" not in json.dumps(data)
    assert "resume_code_hash" not in json.dumps(data)


def test_export_files(kit_store, person, tmp_path):
    p, _ = person
    paths = kit_store.export_participant_files(p.id, tmp_path / "out")
    assert {x.name for x in paths} == {
        f"participant-{p.id}.json",
        "answers.csv",
        "importance.csv",
        "looking_back.csv",
        "reflections.csv",
        "commitments.csv",
        "relationships.csv",
    }
    with (tmp_path / "out" / "answers.csv").open(encoding="utf-8") as fh:
        answers = list(csv.DictReader(fh))
    assert len(answers) == 8 and {a["superseded"] for a in answers} == {"True", "False"}
    with (tmp_path / "out" / "reflections.csv").open(encoding="utf-8") as fh:
        assert SECRET in {r["text"] for r in csv.DictReader(fh)}
    assert json.loads(paths[0].read_text(encoding="utf-8"))["participant"]["id"] == p.id


def test_erase_removes_every_row_and_leaves_others(kit_store, person):
    p, other = person
    before = _rows_for(kit_store, other.id)
    removed = kit_store.erase_participant(p.id)
    assert removed >= 12
    after = _rows_for(kit_store, p.id)
    assert all(
        after[name] == 0
        for name in (
            "drafts",
            "reflections",
            "commitments",
            "relationships",
            "submissions",
            "participants",
        )
    )
    assert (
        after["answers"] == 4 and after["importance"] == 0 and after["reflection_steps"] == 1
    )  # the other's
    global_tables = ("answers", "importance", "reflection_steps")
    mine = {k: v for k, v in _rows_for(kit_store, other.id).items() if k not in global_tables}
    assert mine == {k: v for k, v in before.items() if k not in global_tables}
    with pytest.raises(NotFound):
        kit_store.export_participant(p.id)


def test_erased_text_is_gone_from_the_sqlite_files(sqlite_url, small_framework):
    with Store(sqlite_url) as store:
        created = store.create_cohort("C", groups=["G"], rounds=["R"])
        p = store.join(created.join_codes["G"])
        keep = store.join(created.join_codes["G"])
        # make the text span pages and the log, then erase while another person's data stays
        for i in range(30):
            store.save_reflection(p.id, "ex", {"what": f"{SECRET} #{i} " + "x" * 500})
        store.save_reflection(keep.id, "ex", {"what": "kept"})
        path = sqlite_path(sqlite_url)
        files = [path, path.with_name(path.name + "-wal")]
        assert any(SECRET.encode() in f.read_bytes() for f in files if f.exists())
        store.erase_participant(p.id)
        for f in files:
            if f.exists():
                assert SECRET.encode() not in f.read_bytes(), f"erased text still in {f.name}"
        assert store.list_reflections(keep.id)[0].answers == {"what": "kept"}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_purge_removes_old_cohorts_only(kit_store, person, monkeypatch, store_cohort):
    from kit.config import get_settings

    new = kit_store.create_cohort("Newer", groups=["A"], rounds=["R"])
    private = kit_store.private_participant("me")
    assert kit_store.purge(30) == 0
    monkeypatch.setenv("KIT_TODAY", "2026-04-15")  # 44 days on from the pinned 2026-03-02
    get_settings.cache_clear()
    try:
        with kit_store.engine.begin() as conn:  # the newer cohort is only 10 days old
            conn.execute(
                t.cohorts.update()
                .where(t.cohorts.c.id == new.cohort_id)
                .values(created_at=dt.datetime(2026, 4, 5))
            )
        assert kit_store.purge(30) == 1
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert [c.name for c in kit_store.list_cohorts()] == ["Newer"]
    for pid in person[0].id, person[1].id:
        assert _rows_for(kit_store, pid)["participants"] == 0
    assert _rows_for(kit_store, person[0].id)["answers"] == 0
    assert kit_store.participant(private.id).display_name == "me"  # private use is not a cohort
    with pytest.raises(StoreError, match="whole number of days"):
        kit_store.purge(0)


def test_backup_is_a_consistent_copy_while_a_writer_is_busy(kit_store, person, tmp_path):
    p, _ = person
    if not kit_store.is_sqlite:
        with pytest.raises(StoreError, match="pg_dump --format=custom") as err:
            kit_store.backup(tmp_path / "kit.dump")
        assert "--schema=kit_test_" in str(err.value)
        return
    # another "app" is half-way through a write when the backup runs
    writer = sqlite3.connect(sqlite_path(kit_store.url), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE participants SET display_name = 'uncommitted' WHERE id = ?", (p.id,))
    try:
        target = kit_store.backup(tmp_path / "backups" / "copy.db")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Store(f"sqlite:///{target}") as copy:
        assert copy.participant(p.id).display_name == "Robin"
        assert len(copy.list_submissions(p.id)) == 2
    with pytest.raises(StoreError, match="database itself"):
        kit_store.backup(sqlite_path(kit_store.url))


def test_an_erased_participants_id_is_never_given_to_someone_else(kit_store, store_cohort):
    code = store_cohort.join_codes["North"]
    first = kit_store.join(code)
    last = kit_store.join(code)
    kit_store.erase_participant(last.id)
    assert kit_store.join(code).id > last.id > first.id
