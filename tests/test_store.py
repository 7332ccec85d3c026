"""Core behaviours of kit.store: cohorts, codes, submissions, drafts and personal records.

Every test runs on SQLite and on PostgreSQL through the ``kit_store`` fixture (``store_url``).
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
import sqlalchemy as sa
from conftest import make_framework

from kit.store import (
    CodeError,
    InvalidResponse,
    NotFound,
    RoundClosed,
    RoundStateError,
    Store,
    StoreError,
)
from kit.store import tables as t
from kit.store.codes import ALPHABET, CODE_LENGTH, code_hash, looks_like_code, new_code

GOOD = {"t1": 4, "t2": 2, "s1": 5, "s2": None}


def _join(store, cohort, group="North", **profile):
    return store.join(cohort.join_codes[group], **profile)


# -- codes -------------------------------------------------------------------------------------
def test_codes_have_at_least_64_bits_and_a_readable_alphabet():
    code = new_code()
    assert looks_like_code(code)
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 64
    assert not set("01IO") & set(ALPHABET)
    assert code_hash("join", code) != code_hash("resume", code)
    assert len({new_code() for _ in range(200)}) == 200


def test_codes_are_stored_only_as_hashes(kit_store, store_cohort):
    p = _join(kit_store, store_cohort)
    with kit_store.engine.connect() as conn:
        dumped = " ".join(
            str(v)
            for table in t.metadata.sorted_tables
            for row in conn.execute(sa.select(table))
            for v in row
        )
    for code in [store_cohort.facilitator_key, p.resume_code, *store_cohort.join_codes.values()]:
        assert code not in dumped and code.replace("-", "") not in dumped


# -- cohorts and rounds ------------------------------------------------------------------------
def test_create_cohort_and_find_it_by_facilitator_key(kit_store, store_cohort):
    info = kit_store.cohort_by_facilitator_key(store_cohort.facilitator_key.lower())
    assert info.id == store_cohort.cohort_id
    assert [g.name for g in info.groups] == ["North", "South"]
    assert [(r.name, r.position, r.is_open) for r in info.rounds] == [
        ("Baseline", 0, True),
        ("Midpoint", 1, False),
        ("End", 2, False),
    ]
    assert info.frameworks == ("test-fw",)
    assert [c.name for c in kit_store.list_cohorts()] == ["Spring 2026"]


def test_wrong_facilitator_key_is_a_friendly_code_error(kit_store, store_cohort):
    with pytest.raises(CodeError, match="not recognised"):
        kit_store.cohort_by_facilitator_key(new_code())
    with pytest.raises(CodeError, match="right form"):
        kit_store.cohort_by_facilitator_key("hello")


def test_create_cohort_rejects_bad_input_listing_every_problem(kit_store):
    with pytest.raises(InvalidResponse) as err:
        kit_store.create_cohort("  ", groups=["A", "A"], rounds=[])
    fields = {p.field for p in err.value.problems}
    assert fields == {"name", "groups", "rounds"}
    assert kit_store.list_cohorts() == []


def test_one_round_open_at_a_time(kit_store, store_cohort):
    cid = store_cohort.cohort_id
    assert kit_store.current_round(cid).name == "Baseline"
    with pytest.raises(RoundStateError, match="'Baseline' is still open. Close it first"):
        kit_store.open_round(cid, "Midpoint")
    assert kit_store.open_round(cid, "Baseline").is_open  # opening it again changes nothing
    # nobody answered: closing takes it back to "not open yet" (tests/test_round_lifecycle.py)
    assert kit_store.close_round(cid, "Baseline").state == "not open"
    with pytest.raises(RoundStateError, match="not open yet, so it cannot be closed"):
        kit_store.close_round(cid, "Baseline")
    kit_store.open_round(cid, "Midpoint")
    assert [r.is_open for r in kit_store.rounds(cid)] == [False, True, False]
    kit_store.close_round(cid, "Midpoint")
    assert kit_store.current_round(cid) is None
    with pytest.raises(NotFound, match="'Baseline', 'Midpoint', 'End'"):
        kit_store.open_round(cid, "Finale")


# -- participants ------------------------------------------------------------------------------
def test_join_and_resume(kit_store, store_cohort):
    p = _join(
        kit_store,
        store_cohort,
        "South",
        display_name="Sam",
        organisation="County council",
        sector="Local government",
        role_level="Senior",
    )
    again = kit_store.resume(p.resume_code.lower().replace("-", " "))
    assert again.id == p.id and again.group_id == p.group_id
    assert (again.display_name, again.organisation, again.sector, again.role_level) == (
        "Sam",
        "County council",
        "Local government",
        "Senior",
    )


def test_wrong_join_and_resume_codes(kit_store, store_cohort):
    with pytest.raises(CodeError, match="join code was not recognised"):
        kit_store.join(new_code())
    with pytest.raises(CodeError, match="resume code was not recognised"):
        kit_store.resume(new_code())
    with pytest.raises(CodeError, match="right form"):
        kit_store.resume("")


def test_hub_user_gets_one_participant_and_can_join_a_group(kit_store, store_cohort):
    first = kit_store.participant_for_hub_user("jo")
    assert kit_store.participant_for_hub_user("jo").id == first.id
    assert first.cohort_id is None
    joined = kit_store.join(store_cohort.join_codes["North"], hub_user="jo", organisation="Police")
    assert joined.id == first.id
    assert kit_store.participant_for_hub_user("jo").cohort_id == store_cohort.cohort_id


def test_private_participant_is_reused_by_label(kit_store):
    a = kit_store.private_participant("me")
    assert kit_store.private_participant("me").id == a.id
    assert kit_store.private_participant("someone else").id != a.id
    assert a.cohort_id is None and a.display_name == "me"


def test_update_participant_rejects_unknown_fields(kit_store, store_cohort):
    p = _join(kit_store, store_cohort)
    assert kit_store.update_participant(p.id, sector="Health").sector == "Health"
    with pytest.raises(InvalidResponse, match="resume_code_hash"):
        kit_store.update_participant(p.id, resume_code_hash="x")


# -- submissions -------------------------------------------------------------------------------
def test_submit_is_idempotent_on_key(kit_store, store_cohort, small_framework):
    p = _join(kit_store, store_cohort)
    rid = kit_store.current_round(store_cohort.cohort_id).id
    first = kit_store.submit_response(p.id, small_framework, rid, GOOD, {"trust": 5}, key="k-1")
    again = kit_store.submit_response(p.id, small_framework, rid, {"t1": 1}, {}, key="k-1")
    assert again.id == first.id and again.replayed and not first.replayed
    assert len(kit_store.list_submissions(p.id)) == 1
    assert kit_store.submission_answers(first.id) == (GOOD, {"trust": 5})


def test_new_key_is_a_revision_keeping_history(kit_store, store_cohort, small_framework):
    p = _join(kit_store, store_cohort)
    rid = kit_store.current_round(store_cohort.cohort_id).id
    a = kit_store.submit_response(p.id, small_framework, rid, GOOD, key="a")
    b = kit_store.submit_response(p.id, small_framework, rid, {**GOOD, "t1": 1}, key="b")
    history = kit_store.list_submissions(p.id)
    assert [(s.id, s.revision, s.superseded) for s in history] == [
        (a.id, 1, True),
        (b.id, 2, False),
    ]
    latest, answers, _ = kit_store.latest_response(p.id, "test-fw", rid)
    assert latest.id == b.id and answers["t1"] == 1


def test_closed_round_refuses_new_responses_but_replays_old_keys(
    kit_store, store_cohort, small_framework
):
    # a round counts people who joined before it opened: join first, then open
    created = kit_store.create_cohort("Closing", groups=["G"], rounds=["Baseline", "End"])
    p = kit_store.join(created.join_codes["G"])
    rid = kit_store.open_round(created.cohort_id, "Baseline").id
    done = kit_store.submit_response(p.id, small_framework, rid, GOOD, key="before")
    kit_store.close_round(created.cohort_id, "Baseline")
    with pytest.raises(RoundClosed, match="'Baseline' has closed and its results are published "
                                          "and final"):
        kit_store.submit_response(p.id, small_framework, rid, GOOD, key="after")
    assert kit_store.submit_response(p.id, small_framework, rid, GOOD, key="before").id == done.id


def test_invalid_response_lists_every_problem_and_writes_nothing(
    kit_store, store_cohort, small_framework
):
    p = _join(kit_store, store_cohort)
    rid = kit_store.current_round(store_cohort.cohort_id).id
    other = make_framework("other-fw")
    bad_answers = {"t1": 9, "t2": "4", "s1": True, "zz": 3}  # s2 (required) missing
    with pytest.raises(InvalidResponse) as err:
        kit_store.submit_response(
            p.id, small_framework, rid, bad_answers, {"trust": 0, "nope": 3}, key="x"
        )
    problems = {p.field: p for p in err.value.problems}
    assert set(problems) == {
        "answers['t1']",
        "answers['t2']",
        "answers['s1']",
        "answers['zz']",
        "answers['s2']",
        "importance['trust']",
        "importance['nope']",
    }
    assert (
        "from 1 to 5" in problems["answers['t1']"].message and problems["answers['t1']"].value == 9
    )
    assert "'t1'" in problems["answers['zz']"].message  # names the valid items
    assert "7 problems" in str(err.value)
    # N/A is refused when the scale has no "not applicable" choice
    no_na = make_framework(not_applicable=None)
    with pytest.raises(InvalidResponse, match=r"answers\['s2'\]"):
        kit_store.submit_response(p.id, no_na, rid, GOOD, key="y")
    # an item of another framework, by id, is an unknown item here
    with pytest.raises(InvalidResponse, match="not an item of framework 'other-fw'"):
        kit_store.submit_response(p.id, other, rid, {**GOOD, "x9": 1}, key="z")
    assert kit_store.list_submissions(p.id) == []
    with kit_store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.answers)).scalar() == 0


def test_submit_to_someone_elses_round_or_missing_participant(
    kit_store, store_cohort, small_framework
):
    other = kit_store.create_cohort("Other", groups=["X"], rounds=["R1"], open_first=True)
    p = _join(kit_store, store_cohort)
    foreign_round = kit_store.current_round(other.cohort_id).id
    with pytest.raises(NotFound, match="not one of this participant's rounds"):
        kit_store.submit_response(p.id, small_framework, foreign_round, GOOD, key="k")
    with pytest.raises(NotFound, match="no participant"):
        kit_store.submit_response(99999, small_framework, foreign_round, GOOD, key="k")
    with pytest.raises(InvalidResponse, match="round"):
        kit_store.submit_response(p.id, small_framework, None, GOOD, key="k")


def test_private_use_with_private_rounds(kit_store, small_framework):
    me = kit_store.private_participant("me")
    r1 = kit_store.private_round(me.id, "January")
    assert kit_store.private_round(me.id, "January") == r1
    kit_store.submit_response(me.id, small_framework, r1.id, GOOD, key="jan")
    kit_store.submit_response(me.id, small_framework, None, GOOD, key="loose")
    scores = kit_store.participant_scores(me.id, small_framework)
    assert set(scores["round"]) == {"January", ""}


# -- drafts ------------------------------------------------------------------------------------
def test_drafts_round_trip_and_are_cleared_by_submit(kit_store, store_cohort, small_framework):
    p = _join(kit_store, store_cohort)
    rid = kit_store.current_round(store_cohort.cohort_id).id
    assert kit_store.load_draft(p.id, "test-fw", rid) is None
    kit_store.save_draft(p.id, "test-fw", rid, {"t1": 3}, {})
    kit_store.save_draft(p.id, "test-fw", rid, {"t1": 4, "t2": None}, {"trust": 2})
    assert kit_store.load_draft(p.id, "test-fw", rid) == ({"t1": 4, "t2": None}, {"trust": 2})
    with pytest.raises(InvalidResponse):
        kit_store.save_draft(p.id, "test-fw", rid, {"t1": "high"})
    kit_store.submit_response(p.id, small_framework, rid, GOOD, key="k")
    assert kit_store.load_draft(p.id, "test-fw", rid) is None


# -- reflections, commitments, relationships ---------------------------------------------------
def test_reflections(kit_store, store_cohort):
    p = _join(kit_store, store_cohort)
    q = _join(kit_store, store_cohort, "South")
    rid = kit_store.save_reflection(
        p.id, "what-so-what", {"what": "A meeting", "so_what": "Trust grew"}
    )
    kit_store.save_reflection(
        p.id,
        "what-so-what",
        {"what": "A better meeting"},
        entry_id=rid,
        finished=True,
        include_in_report=True,
        shared=True,
    )
    kit_store.save_reflection(q.id, "what-so-what", {"what": "  Another  "}, finished=True,
                              shared=True)
    kit_store.save_reflection(q.id, "what-so-what", {"what": "Finished, not shared"}, finished=True)
    kit_store.save_reflection(q.id, "what-so-what", {"what": "Unfinished"})
    [entry] = kit_store.list_reflections(p.id)
    assert (
        entry.answers == {"what": "A better meeting"} and entry.finished and entry.include_in_report
    )
    assert kit_store.shared_prompt_answers(store_cohort.cohort_id, "what-so-what", "what") == [
        "A better meeting",
        "Another",
    ]
    with pytest.raises(NotFound):
        kit_store.save_reflection(q.id, "what-so-what", {"what": "hijack"}, entry_id=rid)
    with pytest.raises(InvalidResponse, match="characters"):
        kit_store.save_reflection(p.id, "what-so-what", {"what": "x" * 20_001})
    kit_store.delete_reflection(p.id, rid)
    assert kit_store.list_reflections(p.id) == []


def test_sharing_a_reflection_answer_needs_the_writers_consent(kit_store, store_cohort):
    """Issue 18, part 7: nothing reaches the shared view without an explicit yes, a later save
    that says nothing about sharing keeps the choice, and a no withdraws it."""
    p = _join(kit_store, store_cohort)
    cid = store_cohort.cohort_id
    rid = kit_store.save_reflection(p.id, "what-so-what", {"what": "Quiet words"}, finished=True)
    assert not kit_store.list_reflections(p.id)[0].shared
    assert kit_store.shared_prompt_entries(cid, "what-so-what", "what") == []
    kit_store.save_reflection(p.id, "what-so-what", {"what": "Quiet words"}, entry_id=rid,
                              finished=True, shared=True)
    assert kit_store.shared_prompt_entries(cid, "what-so-what", "what") == [(p.id, "Quiet words")]
    kit_store.save_reflection(p.id, "what-so-what", {"what": "Edited words"}, entry_id=rid,
                              finished=True)
    assert kit_store.shared_prompt_answers(cid, "what-so-what", "what") == ["Edited words"]
    assert kit_store.export_participant(p.id)["reflections"][0]["shared"] is True
    kit_store.save_reflection(p.id, "what-so-what", {"what": "Edited words"}, entry_id=rid,
                              finished=True, shared=False)
    assert kit_store.shared_prompt_answers(cid, "what-so-what", "what") == []


def test_commitments(kit_store, store_cohort):
    p = _join(kit_store, store_cohort)
    later = kit_store.add_commitment(p.id, "Meet the housing lead", "trust", dt.date(2026, 5, 1))
    sooner = kit_store.add_commitment(p.id, "Share the plan", None, dt.date(2026, 4, 1))
    kit_store.review_commitment(p.id, later, "done", "Met twice")
    items = kit_store.list_commitments(p.id)
    assert [c.id for c in items] == [sooner, later]
    assert (items[1].status, items[1].review_note) == ("done", "Met twice")
    assert items[1].reviewed_at is not None and items[0].status == "open"
    with pytest.raises(InvalidResponse, match="open, in_progress, done, dropped"):
        kit_store.review_commitment(p.id, later, "finished", None)
    with pytest.raises(InvalidResponse, match="date"):
        kit_store.add_commitment(p.id, "x", None, "2026-01-01")


def test_relationships(kit_store, store_cohort):
    p = _join(kit_store, store_cohort)
    rel = kit_store.add_relationship(
        p.id, "Housing lead", "District council", "Housing", "monthly", 3, 4
    )
    kit_store.update_relationship(p.id, rel, trust=5, last_contact=dt.date(2026, 2, 20))
    [info] = kit_store.list_relationships(p.id)
    assert (info.label, info.contact, info.strength, info.trust, info.last_contact) == (
        "Housing lead",
        "monthly",
        3,
        5,
        dt.date(2026, 2, 20),
    )
    with pytest.raises(InvalidResponse) as err:
        kit_store.add_relationship(p.id, "", None, None, "daily", 0, 6)
    assert {x.field for x in err.value.problems} == {"label", "contact", "strength", "trust"}
    with pytest.raises(InvalidResponse, match="not a relationship field"):
        kit_store.update_relationship(p.id, rel, colour="red")
    kit_store.remove_relationship(p.id, rel)
    assert kit_store.list_relationships(p.id) == []
    with pytest.raises(NotFound):
        kit_store.remove_relationship(p.id, rel)


# -- frames ------------------------------------------------------------------------------------
def test_frames(kit_store, store_cohort, small_framework):
    cid = store_cohort.cohort_id
    a = _join(kit_store, store_cohort, "North", organisation="NHS", sector="Health")
    b = _join(kit_store, store_cohort, "South", organisation="Council", sector="Local government")
    _join(kit_store, store_cohort, "South")  # a member who does not respond
    base = kit_store.current_round(cid).id
    kit_store.submit_response(
        a.id, small_framework, base, {**GOOD, "t1": 1}, {"trust": 2}, key="a0"
    )
    kit_store.submit_response(a.id, small_framework, base, GOOD, {"trust": 4}, key="a1")  # revision
    kit_store.submit_response(b.id, small_framework, base, GOOD, {}, key="b1")
    kit_store.close_round(cid, "Baseline")
    mid = kit_store.open_round(cid, "Midpoint").id
    kit_store.submit_response(a.id, small_framework, mid, {**GOOD, "s1": 1}, {"trust": 5}, key="a2")

    resp = kit_store.responses_frame(cid, "test-fw")
    assert list(resp.columns) == [
        "participant_id",
        "group_id",
        "group",
        "organisation",
        "sector",
        "role_level",
        "round_id",
        "round",
        "round_position",
        "item_id",
        "value",
    ]
    assert len(resp) == 3 * 4  # three current submissions of four answers each
    first = resp[(resp.participant_id == a.id) & (resp["round"] == "Baseline")].set_index(
        "item_id"
    )["value"]
    assert first["t1"] == 4.0 and math.isnan(first["s2"])  # the revision, with N/A as NaN
    assert resp.value.dtype == "float64"

    imp = kit_store.importance_frame(cid, "test-fw")
    assert list(imp["importance"]) == [4.0, 5.0] and list(imp["round"]) == ["Baseline", "Midpoint"]

    part = kit_store.participation(cid)
    assert list(part.columns) == ["group", "round", "members", "responded"]
    table = {(r.group, r.round): (r.members, r.responded) for r in part.itertuples()}
    assert table[("North", "Baseline")] == (1, 1) and table[("South", "Baseline")] == (2, 1)
    assert table[("South", "Midpoint")] == (2, 0) and len(table) == 6

    scores = kit_store.participant_scores(a.id, small_framework)
    base_rows = scores[scores["round"] == "Baseline"].set_index("item_id")
    assert base_rows.loc["t2", "value"] == 2 and base_rows.loc["t2", "score"] == 4.0  # reversed
    assert base_rows.loc["t1", "dimension_id"] == "trust"
    assert list(scores["round"].unique()) == ["Baseline", "Midpoint"]


def test_empty_frames_keep_their_columns(kit_store, store_cohort):
    resp = kit_store.responses_frame(store_cohort.cohort_id, "test-fw")
    assert resp.empty and "value" in resp.columns


# -- opening -----------------------------------------------------------------------------------
def test_default_url_creates_the_data_folder(tmp_path, monkeypatch):
    from kit.config import get_settings

    monkeypatch.setenv("KIT_DATA_DIR", str(tmp_path / "new" / "folder"))
    get_settings.cache_clear()
    try:
        with Store() as store:
            assert store.list_cohorts() == []
        assert (tmp_path / "new" / "folder" / "kit.db").is_file()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_sqlite_connection_settings(sqlite_url):
    with Store(sqlite_url) as store, store.engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "secure_delete", "busy_timeout")
        }
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "secure_delete": 1,
        "busy_timeout": 10_000,
    }


def test_store_errors_are_store_errors():
    for cls in (CodeError, InvalidResponse, NotFound, RoundClosed):
        assert issubclass(cls, StoreError)
