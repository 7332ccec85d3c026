"""The confidentiality rules that hold over time: snapshots, membership, free text, codes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from kit.analysis.cohort import CohortData
from kit.analysis.examples import example_framework
from kit.analysis.privacy import Rules
from kit.publishing import close_round
from kit.store import Store
from kit.store import tables as t
from kit.store.codes import LEGACY_KEY, code_hash

FW = example_framework(dimensions=2, items=2, framework_id="rules-fw")
RULES = Rules(5, 10, 1.0)


def _answers(n: int) -> dict:
    return {i.id: 1 + (n + j) % 5 for j, i in enumerate(FW.items)}


@pytest.fixture
def store(store_url):
    with Store(store_url) as s:
        yield s


def _cohort(store, n=6):
    created = store.create_cohort("C", groups=["A"], rounds=["R1", "R2"], open_first=False)
    pids = [store.join(created.join_codes["A"]).id for _ in range(n)]
    rid = store.open_round(created.cohort_id, "R1").id
    return created, pids, rid


def _data(store, cid):
    return CohortData.from_store(store, cid, framework=FW, health_framework=False, rules=RULES)


def _close(store, cid, round_name="R1"):
    return close_round(store, cid, round_name, rules=RULES, frameworks=[FW])


def test_results_appear_when_the_round_closes_not_live(store):
    created, pids, rid = _cohort(store)
    for n, p in enumerate(pids):
        store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
    data = _data(store, created.cohort_id)
    assert data.answered_rounds == ()  # open round, nothing published yet
    said = data.status_for("R1").message
    assert "6 of the 6 people counted have answered" in said
    assert "Results appear when the round closes" in said
    _close(store, created.cohort_id)
    data = _data(store, created.cohort_id)
    assert data.answered_rounds == ("R1",)
    assert data.profile("A", "R1")["shown"].all()
    assert "published and final" in data.status_for("R1").message


def test_published_results_are_final_late_answers_refused_erasure_keeps_the_summary(store):
    """Published once, at close: nothing afterwards changes what was shown (issue 24)."""
    from kit.store.errors import RoundClosed, RoundStateError

    created, pids, rid = _cohort(store, n=7)
    for n, p in enumerate(pids):
        store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
    _close(store, created.cohort_id)
    before = _data(store, created.cohort_id).profile("A", "R1")
    heads = store.snapshot_heads(created.cohort_id, FW.id)
    with pytest.raises(RoundClosed, match="has closed and its results are published and final"):
        store.submit_response(pids[0], FW, rid, _answers(3), {}, key="late")
    with pytest.raises(RoundStateError, match="cannot open again"):
        store.open_round(created.cohort_id, "R1")
    store.erase_participant(pids[0])
    assert _close(store, created.cohort_id).published == 0  # closing again publishes nothing
    assert store.snapshot_heads(created.cohort_id, FW.id) == heads
    after = _data(store, created.cohort_id).profile("A", "R1")
    assert before.equals(after)  # the anonymous summary stays; the person's data is gone
    assert pids[0] not in store.current_versions(created.cohort_id, FW.id, rid)


def test_late_joiners_count_from_the_next_round(store):
    created, pids, rid = _cohort(store, n=5)
    late = store.join(created.join_codes["A"]).id
    for n, p in enumerate([*pids, late]):
        store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
    assert late not in store.current_versions(created.cohort_id, FW.id, rid)
    info = store.group_membership(late)
    assert info["counted"] == 5 and info["round"] == "R1" and not info["me_counted"]
    assert [s["counted"] for s in store.membership_summary(created.cohort_id)] == [5]
    _close(store, created.cohort_id)
    data = _data(store, created.cohort_id)
    assert int(data.profile("A", "R1")["n"].max()) == 5
    # the next round, not open yet, counts everyone who has joined, the late joiner too
    info = store.group_membership(late)
    assert info["round"] == "R2" and info["counted"] == 6 and info["me_counted"]
    rid2 = store.open_round(created.cohort_id, "R2").id
    store.submit_response(late, FW, rid2, _answers(1), {}, key="late-r2")
    assert late in store.current_versions(created.cohort_id, FW.id, rid2)


def test_padding_with_made_up_members_after_the_round_opens_counts_nobody(store):
    created = store.create_cohort("C", groups=["A"], rounds=["R1"], open_first=False)
    real = store.join(created.join_codes["A"]).id
    rid = store.open_round(created.cohort_id, "R1").id
    fakes = [store.join(created.join_codes["A"]).id for _ in range(9)]
    for n, p in enumerate([real, *fakes]):
        store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
        store.save_reflection(p, "what-will-i-do-monday", {"monday": f"text {n}"}, finished=True)
    _close(store, created.cohort_id)
    data = _data(store, created.cohort_id)
    profile = data.profile("A", "R1")  # published, and every cell withheld: one counted member
    assert not profile["shown"].any() and set(profile["n"].dropna()) <= {1}
    assert not any(p.comments.shown for p in data.prompts)


def test_blank_and_zero_width_answers_do_not_count_as_people():
    from kit.analysis.free_text import shared_comments_from_entries

    entries = [(n, f"real {n}") for n in range(9)] + [(9, " \u200b\u200d\ufeff "), (10, "\t")]
    got = shared_comments_from_entries(entries, rules=RULES)
    assert got.people == 9 and not got.shown


def test_codes_are_hashed_with_a_per_installation_key_and_old_codes_still_work(store):
    key = store.code_key
    assert len(key) == 64 and key.encode() != LEGACY_KEY
    with Store(store.url) as again:
        assert again.code_key == key  # made once, then kept
    created = store.create_cohort("C", groups=["A"], rounds=["R1"])
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(t.groups.c.join_code_hash)).scalar_one()
    assert stored == code_hash("join", created.join_codes["A"], key)
    assert stored != code_hash("join", created.join_codes["A"])
    # a code issued by the first release (legacy key) is still found
    old_code = "K7QF-2MRX-9WZD-HT4P"
    with store.engine.begin() as conn:
        conn.execute(t.groups.update().values(join_code_hash=code_hash("join", old_code)))
    assert store.join(old_code).cohort_id == created.cohort_id
