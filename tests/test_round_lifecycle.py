"""The round lifecycle (issue 24): not open -> open -> closed and published, once and final.

Who counts is true at every step; padding cannot be done unseen; members can object to their
group's count, which holds the group's results until the set-up key holder resolves it.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from kit.analysis.cohort import CohortData
from kit.analysis.examples import example_framework
from kit.analysis.privacy import ALL_GROUPS, Rules
from kit.analysis.rounds import round_statuses
from kit.publishing import close_round
from kit.store import Store
from kit.store import tables as t
from kit.store.errors import RoundClosed, RoundStateError

FW = example_framework(dimensions=2, items=2, framework_id="life-fw")
RULES = Rules(3, 3, 1.0)


def _answers(n: int) -> dict:
    return {i.id: 1 + (n + j) % 5 for j, i in enumerate(FW.items)}


@pytest.fixture
def store(store_url):
    with Store(store_url) as s:
        yield s


def _data(store, cid):
    return CohortData.from_store(store, cid, framework=FW, health_framework=False, rules=RULES)


def _close(store, cid, name):
    return close_round(store, cid, name, rules=RULES, frameworks=[FW])


def _counts(store):
    with store.engine.connect() as conn:
        return {tab.name: conn.execute(sa.select(sa.func.count()).select_from(tab)).scalar()
                for tab in (t.participants, t.submissions, t.membership_events,
                            t.result_snapshots, t.count_objections)}


def test_a_new_cohort_starts_with_no_round_open_and_everyone_who_joins_counts(store):
    created = store.create_cohort("C", groups=["A", "B"], rounds=["R1", "R2"])
    assert [r.state for r in store.rounds(created.cohort_id)] == ["not open", "not open"]
    people = [store.join(created.join_codes["A"]).id for _ in range(4)]
    statuses = round_statuses(store, created.cohort_id, FW.id)
    assert statuses[0].state == "not open" and statuses[0].counted == 4
    assert "not open yet" in statuses[0].message and "4 people so far" in statuses[0].message
    with pytest.raises(RoundClosed, match="not open yet"):
        store.submit_response(people[0], FW, store.rounds(created.cohort_id)[0].id,
                              _answers(0), {}, key="early")
    rid = store.open_round(created.cohort_id, "R1").id
    late = store.join(created.join_codes["A"]).id
    for n, p in enumerate([*people, late]):
        store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
    assert set(store.current_versions(created.cohort_id, FW.id, rid)) == set(people)
    status = round_statuses(store, created.cohort_id, FW.id)[0]
    assert (status.state, status.counted, status.answered, status.joined_later) == (
        "open", 4, 4, 1)
    assert "1 person joined after it opened and counts from the next round" in status.message
    assert [g["counted"] for g in store.membership_summary(created.cohort_id)] == [4, 0]


def test_closing_a_round_nobody_answered_takes_it_back_so_nobody_is_left_uncounted(store):
    """The trap of issue 24: opened before anyone joined, closed and opened again. Now the
    round goes back to not open, and its next opening counts everyone who joined by then."""
    created = store.create_cohort("C", groups=["A"], rounds=["R1", "R2"])
    store.open_round(created.cohort_id, "R1")  # too early: nobody has joined
    people = [store.join(created.join_codes["A"]).id for _ in range(3)]
    closed = _close(store, created.cohort_id, "R1")
    assert closed.taken_back and "back to not open yet" in closed.message
    assert store.snapshot_heads(created.cohort_id, FW.id) == []
    rid = store.open_round(created.cohort_id, "R1").id
    for n, p in enumerate(people):
        store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
    assert set(store.current_versions(created.cohort_id, FW.id, rid)) == set(people)
    assert not _close(store, created.cohort_id, "R1").taken_back
    data = _data(store, created.cohort_id)
    assert data.profile("A", "R1")["shown"].any()
    part = store.participation(created.cohort_id)
    assert part[part["round"] == "R1"][["members", "responded"]].values.tolist() == [[3, 3]]
    assert any("went back to not open yet" in n for n in data.membership_notes)


def test_a_closed_round_cannot_open_again_and_names_the_next(store):
    created = store.create_cohort("C", groups=["A"], rounds=["R1", "R2"])
    p = store.join(created.join_codes["A"]).id
    rid = store.open_round(created.cohort_id, "R1").id
    store.submit_response(p, FW, rid, _answers(0), {}, key="k")
    _close(store, created.cohort_id, "R1")
    with pytest.raises(RoundStateError, match="results were published when it closed and are "
                                              "final.*Open the next round, 'R2'"):
        store.open_round(created.cohort_id, "R1")


def test_publishing_happens_once_at_close_and_never_when_the_dashboard_opens(store):
    created = store.create_cohort("C", groups=["A"], rounds=["R1"])
    people = [store.join(created.join_codes["A"]).id for _ in range(4)]
    rid = store.open_round(created.cohort_id, "R1").id
    for n, p in enumerate(people):
        store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
    store.close_round(created.cohort_id, "R1")  # the store alone: closed, not published
    for _ in range(2):
        data = _data(store, created.cohort_id)
        assert data.answered_rounds == () and store.snapshot_heads(created.cohort_id, FW.id) == []
    assert "publishing its results did not finish" in data.status_for("R1").message
    assert _close(store, created.cohort_id, "R1").published == 1  # closing again publishes
    assert _close(store, created.cohort_id, "R1").published == 0  # and only once
    assert len(store.snapshot_heads(created.cohort_id, FW.id)) == 1


def test_an_unchanged_resubmission_is_not_a_change(store):
    created = store.create_cohort("C", groups=["A"], rounds=["R1"])
    p = store.join(created.join_codes["A"]).id
    rid = store.open_round(created.cohort_id, "R1").id
    first = store.submit_response(p, FW, rid, _answers(1), {}, key="one")
    again = store.submit_response(p, FW, rid, _answers(1), {}, key="two")
    assert again.unchanged and again.id == first.id and again.revision == 1
    assert len(store.list_submissions(p, FW.id)) == 1
    changed = store.submit_response(p, FW, rid, _answers(2), {}, key="three")
    assert not changed.unchanged and changed.revision == 2


def test_import_needs_a_round_not_open_and_is_recorded(store, tmp_path):
    """Importing counted members: refused while the round is open or closed, writing nothing;
    allowed into a round not open yet, and recorded for the dashboard."""
    from kit.store.importing import import_csv

    created = store.create_cohort("C", groups=["A"], rounds=["R1", "R2"])
    cid = created.cohort_id
    header = "person,round," + ",".join(i.id for i in FW.items)
    rows = [f"P{n},R1," + ",".join(str(v) for v in _answers(n).values()) for n in range(3)]
    csv = tmp_path / "people.csv"
    csv.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    store.join(created.join_codes["A"])
    store.open_round(cid, "R1")
    before = _counts(store)
    with pytest.raises(RoundStateError, match="Round 'R1' is open: counted members can be "
                                              "imported, with the set-up key, only into a round "
                                              "that is not open yet.*Nothing was written"):
        import_csv(store, csv, cid, FW)
    assert _counts(store) == before
    _close(store, cid, "R1")  # nobody answered: back to not open, so the import may go in
    result = import_csv(store, csv, cid, FW)
    assert result.people_added == 3
    [event] = [e for e in store.membership_events(cid) if e["kind"] == "import"]
    assert event["people"] == 3 and event["detail"]["responses"] == {"R1": 3}
    notes = _data(store, cid).membership_notes
    assert any("the set-up key holder imported 3 counted members (3 answers)" in n for n in notes)


def test_a_members_objection_holds_the_groups_results_until_resolved(store):
    from kit.publishing import resolve_objection

    created = store.create_cohort("C", groups=["A", "B"], rounds=["R1"])
    cid = created.cohort_id
    a = [store.join(created.join_codes["A"]).id for _ in range(4)]
    b = [store.join(created.join_codes["B"]).id for _ in range(4)]
    info = store.group_membership(a[0])
    assert info["counted"] == 4 and len(info["joined_on"]) == 4 and not info["is_open"]
    rid = store.open_round(cid, "R1").id
    for n, p in enumerate(a + b):
        store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
    said = store.object_to_count(a[1])
    assert said == {"round": "R1", "counted": 4}
    store.object_to_count(a[1])  # saying it twice records it once
    assert len(store.objections(cid)) == 1 and store.group_membership(a[1])["objected"]
    closed = _close(store, cid, "R1")
    assert closed.held == ("A",) and "Results for A are held" in closed.message
    data = _data(store, cid)
    held = data.profile("A", "R1")
    assert not held["shown"].any()
    assert held["note"].str.startswith("held: a member said the count does not match").all()
    cohort = data.profile(ALL_GROUPS, "R1")
    assert not cohort["shown"].any() and cohort["note"].str.contains("a member of A").all()
    assert data.profile("B", "R1")["shown"].all()
    assert any("held" in line for line in (s.message for s in data.update_status))
    # the facilitator is told why; no name is given
    from kit.apps.facilitator_model import FacilitatorModel

    m = FacilitatorModel()
    m.open_data(data, cid, store)
    assert any("A member of A said the count for R1 (4 counted)" in x for x in m.status_lines())
    with pytest.raises(Exception, match="no unresolved objection"):
        store.resolve_objections(cid, "B", "R1", "checked")
    said = resolve_objection(store, cid, "A", "R1", "checked against the programme list",
                             rules=RULES, frameworks=[FW])
    assert "now published, once and final" in said
    data = _data(store, cid)
    for scope in ("A", ALL_GROUPS):  # released: nothing says held; what the rules allow shows
        profile = data.profile(scope, "R1")
        assert profile["shown"].any()
        assert not profile["note"].fillna("").str.startswith("held").any()
    assert store.objections(cid, unresolved_only=True) == []


def test_erasing_an_objecting_member_keeps_the_objection_without_a_name(store):
    created = store.create_cohort("C", groups=["A"], rounds=["R1"])
    p = store.join(created.join_codes["A"]).id
    store.object_to_count(p)
    store.erase_participant(p)
    [o] = store.objections(created.cohort_id)
    assert o["group"] == "A" and o["resolved_at"] is None
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(t.count_objections.c.participant_id)).scalar() is None


SETUP_KEY = "setup-key-for-tests-0123"


def test_cli_import_and_reopening_need_the_set_up_key_and_write_nothing(store_url, tmp_path,
                                                                       monkeypatch, capsys):
    """Bad input: an import with the facilitator key, or while the round is open, and any
    re-opening of membership, are refused with a sentence and write nothing."""
    from kit.commands.main import main
    from kit.config import get_settings
    from kit.content import load_framework

    monkeypatch.setenv("KIT_SETUP_KEY", SETUP_KEY)
    get_settings.cache_clear()
    fw = load_framework("collaboration-behaviours")
    with Store(store_url) as store:
        created = store.create_cohort("C", groups=["A"], rounds=["R1", "R2"])
        store.join(created.join_codes["A"])
        store.open_round(created.cohort_id, "R1")
    csv = tmp_path / "people.csv"
    csv.write_text("person,round," + ",".join(i.id for i in fw.items) + "\n"
                   + "P1,R1," + ",".join("3" for _ in fw.items) + "\n", encoding="utf-8")
    db = ["--database", store_url]
    key = created.facilitator_key
    cohort = ["--cohort", str(created.cohort_id)]
    with Store(store_url) as store:
        before = _counts(store)
    try:
        assert main(["import", str(csv), "--key", key, *db]) == 2
        err = capsys.readouterr().err
        assert "needs the set-up key" in err and "never the facilitator key" in err
        assert "Nothing was written" in err and "Traceback" not in err
        assert main(["import", str(csv), *cohort, "--setup-key", key, *db]) == 2
        assert "That set-up key is not right" in capsys.readouterr().err
        assert main(["import", str(csv), *cohort, "--setup-key", SETUP_KEY, *db]) == 1
        err = capsys.readouterr().err
        assert "Round 'R1' is open: counted members can be imported, with the set-up key, " \
               "only into a round that is not open yet" in err and "Nothing was written" in err
        assert main(["cohort", "round", "reopen-membership", "R1", "--key", key, *db]) == 2
        err = capsys.readouterr().err
        assert "Membership is not re-opened" in err and "Nothing was changed" in err
        with Store(store_url) as store:
            assert _counts(store) == before
        # into R2, not open yet, with the set-up key: written and recorded
        assert main(["import", str(csv), *cohort, "--setup-key", SETUP_KEY, "--round", "R2",
                     *db]) == 1  # the file names R1 in its round column
        capsys.readouterr()
        csv.write_text(csv.read_text(encoding="utf-8").replace(",R1,", ",R2,"), encoding="utf-8")
        assert main(["import", str(csv), *cohort, "--setup-key", SETUP_KEY, *db]) == 0
        assert "recorded and shown on the facilitator dashboard" in capsys.readouterr().out
        with Store(store_url) as store:
            assert [e["kind"] for e in store.membership_events(created.cohort_id)] == ["import"]
    finally:
        get_settings.cache_clear()


def test_cli_objections_are_listed_without_names_and_resolved_with_the_set_up_key(
        store_url, monkeypatch, capsys):
    from kit.commands.main import main
    from kit.config import get_settings

    monkeypatch.setenv("KIT_SETUP_KEY", SETUP_KEY)
    get_settings.cache_clear()
    with Store(store_url) as store:
        created = store.create_cohort("C", groups=["A"], rounds=["R1"])
        p = store.join(created.join_codes["A"], display_name="Robin Example")
        store.object_to_count(p.id)
    db = ["--database", store_url, "--cohort", str(created.cohort_id)]
    try:
        assert main(["cohort", "objections", *db]) == 0
        out = capsys.readouterr().out
        assert "A, R1: a member said 1 counted does not match" in out and "Robin" not in out
        assert main(["cohort", "resolve", "A", "R1", "--note", "checked", "--setup-key",
                     created.facilitator_key, *db]) == 2
        assert "set-up key" in capsys.readouterr().err
        assert main(["cohort", "resolve", "A", "R1", "--note", "checked", "--setup-key",
                     SETUP_KEY, *db]) == 0
        assert "published when the round closes" in capsys.readouterr().out
        with Store(store_url) as store:
            assert store.objections(created.cohort_id, unresolved_only=True) == []
    finally:
        get_settings.cache_clear()


def test_true_reasons_for_what_is_not_shown(store):
    """A group too small ever to reach K says so (not "needs more responses"); a round not
    published yet says where it stands (not "no answers yet")."""
    from kit.apps.facilitator_model import FacilitatorModel
    from kit.charts.team_participation import describe_participation

    created = store.create_cohort("C", groups=["A", "B"], rounds=["R1", "R2"])
    cid = created.cohort_id
    people = ([store.join(created.join_codes["A"]).id for _ in range(4)]
              + [store.join(created.join_codes["B"]).id for _ in range(2)])
    rid = store.open_round(cid, "R1").id
    for n, p in enumerate(people):
        store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
    m = FacilitatorModel()
    m.open_data(_data(store, cid), cid, store)
    m.view, m.round = "profile", "R1"
    assert "R1 is open: 6 of the 6 people counted have answered" in m.empty_reason()
    labels = {value: label for label, value in m.round_choices()}
    assert labels["R1"] == "R1 (open: results appear when it closes)"
    assert labels["R2"] == "R2 (not open yet)"
    _close(store, cid, "R1")
    data = _data(store, cid)
    small = data.profile("B", "R1")
    assert not small["shown"].any() and (small["note"] == "a group of 2 can never reach 3").all()
    said = describe_participation(data.participation_table(), 3)
    assert "a group of 2 can never reach 3" in said and "needs more responses" not in said
    m.open_data(data, cid, store)
    m.view, m.round = "profile", "R2"
    assert "R2 is not open yet" in m.empty_reason()


def test_the_dashboard_opens_and_closes_rounds_and_says_who_counts(store):
    from kit.apps.facilitator_model import FacilitatorModel

    created = store.create_cohort("C", groups=["A"], rounds=["R1", "R2"])
    cid = created.cohort_id
    people = [store.join(created.join_codes["A"]).id for _ in range(3)]
    m = FacilitatorModel()
    m.open_data(_data(store, cid), cid, store)
    assert m.round_action() == ("open", "R1")
    assert any("R1 is not open yet" in line and "3 people so far" in line
               for line in m.status_lines())
    said = m.open_round("R1")
    assert "It counts the 3 people who had joined" in said and m.round_action() == ("close", "R1")
    for n, p in enumerate(people):
        store.submit_response(p, FW, store.rounds(cid)[0].id, _answers(n), {}, key=f"k{n}")
    m.data = _data(store, cid)  # what reopening the dashboard reads
    assert any("3 of the 3 people counted have answered" in x for x in m.status_lines())
    said = m.close_round("R1")
    assert "R1 is closed. Its results are published and final" in said
    assert m.data.answered_rounds == ("R1",) and m.round == "R1"
    assert m.round_action() == ("open", "R2")
    assert any("R1 closed on" in line and "published and final" in line
               for line in m.status_lines())


def test_members_see_how_many_are_counted_and_when_they_joined_never_the_facilitators_slip(store):
    """Start here shows a neutral count with join dates (no names) and the objection button;
    it never says how many joined after a round opened."""
    import re

    from kit.apps.membership import MembershipCheck, membership_text

    created = store.create_cohort("C", groups=["A"], rounds=["R1", "R2"])
    cid = created.cohort_id
    first = [store.join(created.join_codes["A"], display_name=f"Person {n}").id for n in range(3)]
    store.open_round(cid, "R1")
    late = [store.join(created.join_codes["A"], display_name=f"Late {n}").id for n in range(7)]
    for pid in (first[0], late[0]):
        text = membership_text(store.group_membership(pid))
        assert "In R1, 3 people are counted in your group." in text
        assert "They joined on:" in text and "Person" not in text and "Late" not in text
        assert not re.search(r"\d+ joined after", text)
    assert "You joined after R1 opened" in membership_text(store.group_membership(late[0]))
    assert "You joined after" not in membership_text(store.group_membership(first[0]))
    check = MembershipCheck(store, first[1])
    assert check.children[-1].description == "This does not match my group"
    check.button.click()
    assert check.children == (check.text,) and "You said this does not match" in check.text.value
    assert [o["group"] for o in store.objections(cid, unresolved_only=True)] == ["A"]


def test_every_views_reason_is_true_for_a_group_of_three_and_an_open_round(store):
    """Groups of 7 and 3 with K = 5: while the round is open with everyone answered, every view
    says results appear when the round closes (never "fewer than 5 responses"); once closed,
    every view of the group of 3 says it can never reach 5, and "Who has taken part" warns
    beforehand which views will be empty."""
    from kit.analysis.cohort import VIEWS
    from kit.apps.facilitator_model import FacilitatorModel

    rules = Rules(5, 10, 1.0)
    created = store.create_cohort("C", groups=["A", "B"], rounds=["R1", "R2"])
    cid = created.cohort_id
    people = ([store.join(created.join_codes["A"]).id for _ in range(7)]
              + [store.join(created.join_codes["B"]).id for _ in range(3)])

    def data():
        return CohortData.from_store(store, cid, framework=FW, health_framework=False,
                                     rules=rules)

    m = FacilitatorModel()
    m.open_data(data(), cid, store)
    intro, said = m.view_forecast()
    assert intro.startswith("R1 is not open yet")
    assert any("B has 3 members so far, fewer than the minimum of 5: unless 2 more join" in s
               for s in said)
    rid = store.open_round(cid, "R1").id
    for n, p in enumerate(people):
        store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
    m.open_data(data(), cid, store)
    intro, said = m.view_forecast()
    assert intro.startswith("R1 is open, so who counts is fixed")
    assert any(s.startswith("B has 3 counted members and can never reach the minimum of 5")
               for s in said)
    score_views = [v for v in VIEWS if v.needs in ("group", "breakdown", "groups")
                   and not v.id.startswith("health")]
    for view in score_views:
        for group in ("A", "B", ALL_GROUPS):
            m.view, m.group, m.round = view.id, group, "R1"
            assert not m.charts(), view.id
            reason = m.empty_reason()
            assert "fewer than" not in reason and "no answers" not in reason, (view.id, reason)
            assert ("Results appear when the round closes" in reason
                    or "results appear here when it closes" in reason), (view.id, reason)
    close_round(store, cid, "R1", rules=rules, frameworks=[FW])
    m.open_data(data(), cid, store)
    for view in score_views:
        if view.needs == "groups":
            continue
        m.view, m.group, m.round = view.id, "B", "R1"
        words = " ".join(c.description for c in m.charts())
        notes = set()
        for table in m.tables().values():
            if "note" in table.columns:
                notes |= set(table["note"].dropna()) - {""}
        assert notes == {"a group of 3 can never reach 5"}, (view.id, notes)
        assert "fewer than 5 responses" not in words, view.id
    m.view = "participation"
    words = " ".join(c.description for c in m.charts())
    assert "a group of 3 can never reach 5" in words and "needs more responses" not in words
