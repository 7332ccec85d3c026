"""Counting a round's changes in the database agrees with counting them from the id lists,
on SQLite and PostgreSQL."""

from __future__ import annotations

from kit.analysis import snapshots
from kit.analysis.privacy import Rules
from kit.content import load_framework
from kit.demo import seed_synthetic
from kit.store import Store


def _python_count(store, cid, fw_id, round_id):
    heads = store.snapshot_heads(cid, fw_id, round_id)
    current = store.current_versions(cid, fw_id, round_id)
    if not heads:
        return len(current), len(current)
    last = store.snapshot_versions(heads[-1]["id"])
    return snapshots._count_changes(current, last), len(current)


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
        assert len(store.current_versions(cid, fw.id, r2)) >= 5, store.round_details(cid)
        snapshots.publish(store, cid, "Round 2", fw, rules)
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
