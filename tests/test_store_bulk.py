"""The store's bulk write path (kit.store._bulk) and ``kit import`` (kit.store.importing).

Every test runs on SQLite and on PostgreSQL (``store_url``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import make_framework

from kit.store import BulkResponse, InvalidResponse, RoundClosed, Store
from kit.store import tables as t
from kit.store.importing import InvalidImport, check_import, import_csv

FW = make_framework()
GOOD = {"t1": 4, "t2": 2, "s1": 5, "s2": None}


@pytest.fixture
def store(store_url):
    with Store(store_url) as s:
        yield s


@pytest.fixture
def cohort(store):
    # Baseline open at once (open_first): these tests are about the bulk write path
    return store.create_cohort("Bulk", groups=["North", "South"], rounds=["Baseline", "End"],
                               open_first=True)


@pytest.fixture
def import_cohort(store):
    """No round open (the default): counted members are imported only into such rounds."""
    return store.create_cohort("Import", groups=["North", "South"], rounds=["Baseline", "End"])


def _count(store, table) -> int:
    with store._read() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def _round(store, cohort, name):
    return store.cohort(cohort.cohort_id).round(name)


def _people(store, cohort, n, group="North"):
    return store.add_participants(cohort.cohort_id, [{"group": group}] * n)


# -- bulk responses ----------------------------------------------------------------------------
def test_bulk_matches_single_submissions(store, cohort):
    rnd = _round(store, cohort, "Baseline")
    single = store.join(cohort.join_codes["North"], organisation="Council")
    store.submit_response(single.id, FW, rnd.id, GOOD, {"trust": 3}, key="one")
    bulk_ids = store.add_participants(
        cohort.cohort_id, [{"group": "South", "organisation": "Council", "sector": "Local council"}]
    )
    result = store.submit_responses(FW, rnd.id, [BulkResponse(bulk_ids[0], GOOD, {"trust": 3}, "b")])
    assert result.written == 1 and result.replayed == 0
    frame = store.responses_frame(cohort.cohort_id, FW.id)
    by_person = {
        pid: dict(zip(g["item_id"], g["value"].fillna(-1), strict=True))
        for pid, g in frame.groupby("participant_id")
    }
    assert by_person[single.id] == by_person[bulk_ids[0]]
    assert set(frame["organisation"]) == {"Council"}
    imp = store.importance_frame(cohort.cohort_id, FW.id)
    assert sorted(imp["importance"]) == [3.0, 3.0]
    info, answers, importance = store.latest_response(bulk_ids[0], FW.id, rnd.id)
    assert answers == GOOD and importance == {"trust": 3} and info.revision == 1


def test_same_key_replays_and_new_key_revises(store, cohort):
    rnd = _round(store, cohort, "Baseline")
    [pid] = _people(store, cohort, 1)
    store.save_draft(pid, FW.id, rnd.id, {"t1": 1})
    store.submit_responses(FW, rnd.id, [(pid, GOOD, {}, "k1")])
    assert store.load_draft(pid, FW.id, rnd.id) is None  # a saved response clears the draft
    again = store.submit_responses(FW, rnd.id, [(pid, {**GOOD, "t1": 1}, {}, "k1")])
    assert again == (0, 1)
    store.submit_responses(FW, rnd.id, [(pid, {**GOOD, "t1": 2}, {}, "k2")])
    subs = store.list_submissions(pid, FW.id)
    assert [(s.key, s.revision, s.superseded) for s in subs] == [
        ("k1", 1, True),
        ("k2", 2, False),
    ]
    assert store.latest_response(pid, FW.id, rnd.id)[1]["t1"] == 2


def test_every_problem_is_listed_and_nothing_is_written(store, cohort):
    rnd = _round(store, cohort, "Baseline")
    ids = _people(store, cohort, 4)
    outsider = store.create_cohort("Other", groups=["A"], rounds=["R"])
    [stranger] = _people(store, outsider, 1, group="A")
    batch = [
        (ids[0], GOOD, {}, "a"),
        (ids[1], {**GOOD, "t1": 9}, {}, "b"),  # off the scale
        (ids[2], {"t1": 3, "t2": 3, "s1": 3, "nope": 1}, {"trust": 0}, "c"),  # unknown item, bad importance
        (ids[0], GOOD, {}, "d"),  # same person twice
        (stranger, GOOD, {}, "e"),  # not in this cohort
        (ids[3], {"t2": True, "s1": 2}, {}, ""),  # bool, missing required t1, empty key
    ]
    with pytest.raises(InvalidResponse) as caught:
        store.submit_responses(FW, rnd.id, batch)
    fields = {p.field for p in caught.value.problems}
    assert {
        "responses[1].answers['t1']",
        "responses[2].answers['nope']",
        "responses[2].importance['trust']",
        "responses[3].participant_id",
        "responses[4].participant_id",
        "responses[5].answers['t2']",
        "responses[5].answers['t1']",
        "responses[5].key",
    } <= fields
    assert not any(f.startswith("responses[0]") for f in fields)
    assert _count(store, t.submissions) == _count(store, t.answers) == 0


def test_bulk_and_single_refuse_the_same_responses(store, cohort):
    rnd = _round(store, cohort, "Baseline")
    ids = _people(store, cohort, 1)
    p = store.join(cohort.join_codes["North"])
    for answers in ({**GOOD, "t1": 0}, {**GOOD, "t1": 2.0}, {"t2": 1}, {**GOOD, "zz": 3}, GOOD):
        single_ok = bulk_ok = True
        try:
            store.submit_response(p.id, FW, rnd.id, answers, {}, key=f"s{answers}")
        except InvalidResponse:
            single_ok = False
        try:
            store.submit_responses(FW, rnd.id, [(ids[0], answers, {}, f"b{answers}")])
        except InvalidResponse:
            bulk_ok = False
        assert single_ok == bulk_ok, answers


def test_closed_round_needs_allow_closed(store, cohort):
    end = _round(store, cohort, "End")
    [pid] = _people(store, cohort, 1)
    with pytest.raises(RoundClosed):
        store.submit_responses(FW, end.id, [(pid, GOOD, {}, "x")])
    assert store.submit_responses(FW, end.id, [(pid, GOOD, {}, "x")], allow_closed=True).written == 1


def test_an_interrupted_load_leaves_no_half_written_round(store, cohort, monkeypatch):
    import kit.store._bulk as bulk

    monkeypatch.setattr(bulk, "CHUNK", 3)
    rnd = _round(store, cohort, "Baseline")
    ids = _people(store, cohort, 10)
    calls = []

    def interrupt(done, total):
        calls.append(done)
        if done >= 6:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.submit_responses(
            FW, rnd.id, [(p, GOOD, {}, f"k{p}") for p in ids], progress=interrupt
        )
    assert calls == [3, 6]  # two chunks were written inside the transaction, then rolled back
    assert _count(store, t.submissions) == 0 and _count(store, t.answers) == 0
    # and the store is still usable
    assert store.submit_responses(FW, rnd.id, [(p, GOOD, {}, f"k{p}") for p in ids]).written == 10
    assert _count(store, t.answers) == 10 * len(GOOD)


def test_add_participants_checks_every_person(store, cohort):
    with pytest.raises(InvalidResponse) as caught:
        store.add_participants(
            cohort.cohort_id,
            [
                {"group": "Nowhere"},
                {"group": "North", "organisation": "x" * 201},
                {"group": "North", "external_ref": "P1"},
                {"group": "North", "external_ref": "P1"},
                {"group": "North", "shoe_size": "9"},
            ],
        )
    fields = {p.field for p in caught.value.problems}
    assert fields == {
        "people[0].group",
        "people[1].organisation",
        "people[3].external_ref",
        "people[4].shoe_size",
    }
    assert _count(store, t.participants) == 0
    ids = store.add_participants(cohort.cohort_id, [{"group": "North", "external_ref": "P1"}])
    with pytest.raises(InvalidResponse, match="already a person"):
        store.add_participants(cohort.cohort_id, [{"group": "South", "external_ref": "P1"}])
    assert store.participant(ids[0]).group_id == store.cohort(cohort.cohort_id).groups[0].id
    assert len(_people(store, cohort, 3)) == 3


def test_synthetic_demo_uses_the_bulk_path(store):
    from kit.demo import seed_synthetic

    seen = []
    created = seed_synthetic(
        store, 40, groups=3, rounds=2, seed=3, progress=lambda label: lambda d, n: seen.append(label)
    )
    frame = store.responses_frame(created.cohort_id, "collaboration-behaviours")
    assert frame["participant_id"].nunique() == 40
    assert set(frame["round"]) == {"Round 1", "Round 2"}
    assert {"People", "Round 1", "Round 2"} <= set(seen)
    participation = store.participation(created.cohort_id)
    assert participation["members"].sum() == 40 * 2  # 40 people, listed for each round


# -- kit import --------------------------------------------------------------------------------
HEADER = ["person", "round", "group", "organisation", "t1", "t2", "s1", "s2", "s3", "importance:trust"]


def _write(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


GOOD_ROWS = [
    ["A1", "Baseline", "North", "Council", "4", "2", "5", "NA", "", "3"],
    ["A2", "Baseline", "South", "Police", "3", "3", "3", "2", "1", ""],
    ["A1", "End", "North", "Council", "5", "1", "4", "not observed", "", "4"],
]


def test_import_stores_rows_as_responses(store, import_cohort, tmp_path):
    path = _write(tmp_path / "ok.csv", GOOD_ROWS)
    result = import_csv(store, path, import_cohort.cohort_id, FW)
    assert result.responses == {"Baseline": 2, "End": 1} and result.people_added == 2
    frame = store.responses_frame(import_cohort.cohort_id, FW.id)
    assert len(frame) == 4 + 5 + 4
    a1 = frame[(frame["round"] == "Baseline") & (frame["organisation"] == "Council")]
    assert dict(zip(a1["item_id"], a1["value"].fillna(-1), strict=True)) == {
        "t1": 4.0,
        "t2": 2.0,
        "s1": 5.0,
        "s2": -1.0,
    }
    assert set(frame["group"]) == {"North", "South"}
    # a later file with the next round joins the same people; importing again is refused
    more = _write(tmp_path / "more.csv", [["A2", "End", "South", "", "1", "1", "1", "1", "", "1"]])
    assert import_csv(store, more, import_cohort.cohort_id, FW).people_added == 0
    assert store.responses_frame(import_cohort.cohort_id, FW.id)["participant_id"].nunique() == 2
    with pytest.raises(InvalidImport, match="already has a response"):
        import_csv(store, more, import_cohort.cohort_id, FW)


def test_import_with_round_option_and_no_round_column(store, import_cohort, tmp_path):
    header = ["person", "t1", "t2", "s1", "s2"]
    path = _write(tmp_path / "r.csv", [["B1", "1", "2", "3", "4"]], header)
    with pytest.raises(InvalidImport) as caught:
        import_csv(store, path, import_cohort.cohort_id, FW, round_name="Mid", group="North")
    assert "--round" in str(caught.value) and "Baseline" in str(caught.value)
    result = import_csv(store, path, import_cohort.cohort_id, FW, round_name="End", group="South")
    assert result.responses == {"End": 1}


def test_bad_import_lists_every_problem_by_row_and_column(store, import_cohort, tmp_path):
    rows = [
        ["A1", "Baseline", "North", "", "4", "2", "5", "1", "", "3"],
        ["A2", "Basline", "North", "", "3", "3", "3", "1", "", ""],  # unknown round
        ["A3", "Baseline", "North", "", "7", "3", "four", "1", "", "9"],  # off the scale, text
        ["A1", "Baseline", "North", "", "4", "2", "5", "1", "", ""],  # duplicate person
        ["A4", "Baseline", "West", "", "", "2", "1", "1", "", ""],  # unknown group, missing t1
    ]
    path = _write(tmp_path / "bad.csv", rows)
    before = (_count(store, t.participants), _count(store, t.submissions))
    with pytest.raises(InvalidImport) as caught:
        import_csv(store, path, import_cohort.cohort_id, FW)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert where == {
        (3, "round"),
        (4, "t1"),
        (4, "s1"),
        (4, "importance:trust"),
        (5, "person"),
        (6, "group"),
        (6, "t1"),
    }
    text = str(caught.value)
    assert "row 3, column 'round'" in text and "did you mean 'Baseline'" in text
    assert "row 5, column 'person'" in text and "row 2" in text
    assert (_count(store, t.participants), _count(store, t.submissions)) == before


def test_wrong_column_is_named_before_any_row(store, import_cohort, tmp_path):
    header = ["person", "round", "group", "t1", "t22", "s1", "s2", "colour"]
    path = _write(
        tmp_path / "cols.csv", [["A1", "Baseline", "North", "1", "2", "3", "4", "red"]], header
    )
    with pytest.raises(InvalidImport) as caught:
        check_import(store, path, import_cohort.cohort_id, FW)
    found = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "did you mean 't2'" in found[(1, "t22")]
    assert (1, "colour") in found
    assert (1, "t2") in found  # the required item has no column
    assert _count(store, t.participants) == 0


def test_cli_import(store_url, tmp_path, capsys, monkeypatch):
    from kit.commands.main import main
    from kit.config import get_settings

    setup_key = "setup-key-for-tests-0123"
    monkeypatch.setenv("KIT_SETUP_KEY", setup_key)  # importing counted members needs it
    get_settings.cache_clear()

    with Store(store_url) as s:
        created = s.create_cohort(
            "Spring 2026",
            groups=["North", "South"],
            rounds=["Baseline", "Midpoint", "End"],
            frameworks=["collaboration-behaviours"],
        )
    key = created.facilitator_key
    example = Path(__file__).resolve().parents[1] / "data" / "import-example.csv"
    who = ["--cohort", str(created.cohort_id), "--setup-key", setup_key]
    assert key  # the facilitator key is not enough: tests/test_round_lifecycle.py
    args = ["import", str(example), *who, "--database", store_url]
    assert main([*args, "--check"]) == 0
    assert "Nothing was written" in capsys.readouterr().out
    assert main(args) == 0
    assert "Imported 23 responses" in capsys.readouterr().out
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "row 2, column 'person'" in err and "nothing was written" in err
    bad = tmp_path / "bad.csv"
    bad.write_text(example.read_text().replace("Midpoint", "Halfway", 1), encoding="utf-8")
    with Store(store_url) as s:
        before = _count(s, t.submissions)
    assert main(["import", str(bad), *who, "--database", store_url]) == 1
    assert "column 'round'" in capsys.readouterr().err
    with Store(store_url) as s:
        assert _count(s, t.submissions) == before
    get_settings.cache_clear()


# -- frames of one round or one group (the dashboard's loading) ------------------------------
def test_frames_load_only_the_round_and_group_asked_for(store, cohort):
    base, end = _round(store, cohort, "Baseline"), _round(store, cohort, "End")
    north = _people(store, cohort, 3)
    south = _people(store, cohort, 2, group="South")
    store.submit_responses(FW, base.id, [(p, GOOD, {"trust": 4}, f"b{p}") for p in north + south])
    store.submit_responses(
        FW, end.id, [(p, {**GOOD, "t1": 1}, {}, f"e{p}") for p in north], allow_closed=True
    )
    whole = store.responses_frame(cohort.cohort_id, FW.id)
    assert len(whole) == (5 + 3) * len(GOOD)
    one_round = store.responses_frame(cohort.cohort_id, FW.id, round_id=end.id)
    assert set(one_round["round"]) == {"End"} and len(one_round) == 3 * len(GOOD)
    expected = whole[whole["round_id"] == end.id].reset_index(drop=True)
    assert one_round.equals(expected)
    south_id = store.cohort(cohort.cohort_id).group("South").id
    one_group = store.responses_frame(cohort.cohort_id, FW.id, group_id=south_id)
    assert set(one_group["group"]) == {"South"} and one_group["participant_id"].nunique() == 2
    imp = store.importance_frame(cohort.cohort_id, FW.id, round_id=base.id, group_id=south_id)
    assert list(imp["importance"]) == [4.0, 4.0] and set(imp["round"]) == {"Baseline"}
    empty = store.responses_frame(cohort.cohort_id, FW.id, round_id=end.id, group_id=south_id)
    assert empty.empty and list(empty.columns) == list(whole.columns)
