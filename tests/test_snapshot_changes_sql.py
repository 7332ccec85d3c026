"""Counting a round's changes in the database agrees with counting them from the id lists,
on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from kit.analysis import snapshots
from kit.analysis.privacy import Rules
from kit.content import load_framework
from kit.demo import seed_synthetic
from kit.publishing import publish_snapshot
from kit.store import Store


def _python_count(store, cid, fw_id, round_id):
    heads = store.snapshot_heads(cid, fw_id, round_id)
    current = store.current_versions(cid, fw_id, round_id)
    if not heads:
        return len(current), len(current)
    last = store.snapshot_versions(heads[-1]["id"])
    current = store.unchanged_versions(current, last)
    return snapshots._count_changes(current, last), len(current)


def _why(store, cid, fw_id, r2):
    import sqlalchemy as sa

    with store._read() as conn:
        subs = conn.execute(sa.text("SELECT count(*), min(submitted_at), max(submitted_at) FROM submissions WHERE round_id = :r"), {"r": r2}).all()
        people = conn.execute(sa.text("SELECT count(*), min(created_at), max(created_at) FROM participants")).all()
        rounds = conn.execute(sa.text("SELECT id, opened_at, members_until FROM rounds")).all()
        fws = conn.execute(sa.text("SELECT DISTINCT framework_id, superseded FROM submissions")).all()
    return f"subs={subs} people={people} rounds={rounds} fws={fws} all={len(store.current_versions(cid, fw_id, r2, members_only=False))}"


def test_changes_counted_in_sql_match(store_url, monkeypatch):
    from kit.config import get_settings

    # one clock for joining and opening, whatever earlier tests in this process pinned
    monkeypatch.setenv("KIT_TODAY", "2026-03-02")
    get_settings.cache_clear()
    fw = load_framework("collaboration-behaviours")
    rules = Rules(5, 10, 1.0)
    with Store(store_url) as store:
        created = seed_synthetic(store, 40, 3, 2, 3)
        cid = created.cohort_id
        info = store.cohort(cid)
        r2 = info.round("Round 2").id
        assert store.count_changes(cid, fw.id, r2, None) == _python_count(store, cid, fw.id, r2)
        assert len(store.current_versions(cid, fw.id, r2)) >= 5, _why(store, cid, fw.id, r2)
        publish_snapshot(store, cid, "Round 2", fw, rules)
        assert store.count_changes(cid, fw.id, r2, store.snapshot_heads(cid, fw.id, r2)[-1]["id"]) == (0, _python_count(store, cid, fw.id, r2)[1])
        current = store.current_versions(cid, fw.id, r2)
        pids = sorted(current)
        # two revisions, two erasures
        answers = {i.id: 3 for i in fw.items}
        importance = {d.id: 4 for d in fw.dimensions if d.ask_importance}
        for pid in pids[:2]:
            store.submit_response(pid, fw, r2, answers, importance, key=f"revise-{pid}")
        for pid in pids[2:4]:
            store.erase_participant(pid)
        head = store.snapshot_heads(cid, fw.id, r2)[-1]["id"]
        got = store.count_changes(cid, fw.id, r2, head)
        assert got == _python_count(store, cid, fw.id, r2)
        assert got[0] == 4
        status = snapshots.update_status(store, cid, "Round 2", fw, rules)
        assert status.changes == 4 and status.published
    get_settings.cache_clear()


def test_submitting_the_same_answers_again_is_not_a_change(store_url, monkeypatch):
    """Pressing Submit again with unchanged answers counts toward nothing (attack family 3);
    changing one answer, or one importance rating, counts once."""
    from kit.config import get_settings

    monkeypatch.setenv("KIT_TODAY", "2026-03-02")
    get_settings.cache_clear()
    fw = load_framework("collaboration-behaviours")
    rules = Rules(5, 10, 1.0)
    with Store(store_url) as store:
        created = seed_synthetic(store, 12, 1, 2, 3)
        cid = created.cohort_id
        r2 = store.cohort(cid).round("Round 2").id
        publish_snapshot(store, cid, "Round 2", fw, rules)
        head = store.snapshot_heads(cid, fw.id, r2)[-1]["id"]
        frame = store.responses_frame(cid, fw.id, members_only=True, round_id=r2)
        imp = store.importance_frame(cid, fw.id, members_only=True, round_id=r2)
        pids = sorted(store.current_versions(cid, fw.id, r2))

        def same(pid):
            mine = frame[frame["participant_id"] == pid]
            answers = {i.id: None for i in fw.items}
            answers.update({r.item_id: (None if r.value != r.value else int(r.value))
                            for r in mine.itertuples()})
            ratings = {} if imp is None else {
                r.dimension_id: int(r.importance)
                for r in imp[imp["participant_id"] == pid].itertuples()}
            return answers, ratings

        for n, pid in enumerate(pids):
            for again in range(3):  # Submit pressed three more times, nothing changed
                answers, ratings = same(pid)
                store.submit_response(pid, fw, r2, answers, ratings, key=f"again-{pid}-{again}")
            assert store.count_changes(cid, fw.id, r2, head) == _python_count(store, cid, fw.id, r2)
            assert store.count_changes(cid, fw.id, r2, head)[0] == 0, n
        with pytest.raises(snapshots.SnapshotRefused):
            publish_snapshot(store, cid, "Round 2", fw, rules)
        answers, ratings = same(pids[0])
        first = fw.items[0].id
        answers[first] = 1 if answers[first] != 1 else 2
        store.submit_response(pids[0], fw, r2, answers, ratings, key="changed")
        assert store.count_changes(cid, fw.id, r2, head)[0] == 1
        assert _python_count(store, cid, fw.id, r2)[0] == 1
        assert snapshots.update_status(store, cid, "Round 2", fw, rules).changes == 1
    get_settings.cache_clear()


def test_bulk_stamps_compare_with_round_openings_whatever_the_driver_adapter(tmp_path, monkeypatch):
    """People added in bulk count as members of a round opened after them on SQLite, even when
    some library has replaced sqlite3's process-wide date adapter (one writes a ``T``)."""
    import datetime as dt
    import sqlite3

    monkeypatch.setitem(sqlite3.adapters, (dt.datetime, sqlite3.PrepareProtocol),
                        lambda d: d.isoformat())
    fw = load_framework("collaboration-behaviours")
    with Store(f"sqlite:///{tmp_path / 'kit.db'}") as store:
        created = seed_synthetic(store, 12, 2, 2, 1)
        r2 = store.cohort(created.cohort_id).round("Round 2").id
        counted = store.current_versions(created.cohort_id, fw.id, r2)
        everyone = store.current_versions(created.cohort_id, fw.id, r2, members_only=False)
        assert everyone and counted == everyone
