"""Members see their own group's published health check (issue 25 item 3), never another's.

What a member sees is what the facilitator's health-check view shows for that group: read
from the same published snapshot through the same function, only after the round closed.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kit.analysis.cohort import CohortData
from kit.analysis.examples import example_framework
from kit.analysis.privacy import Rules
from kit.apps.health_check_model import group_results
from kit.publishing import close_round
from kit.store import Store

HFW = example_framework(dimensions=2, items=2, framework_id="health-results-fw")
RULES = Rules(3, 3, 1.0)


@pytest.fixture
def store(store_url):
    with Store(store_url) as s:
        yield s


def _cohort(store, sizes=(4, 3)):
    created = store.create_cohort("C", groups=["A", "B"], rounds=["R1", "R2"])
    people = {g: [store.join(created.join_codes[g], organisation=f"Org {i % 2}").id
                  for i in range(n)] for g, n in zip("AB", sizes, strict=True)}
    rid = store.open_round(created.cohort_id, "R1").id
    for g, ids in people.items():
        for n, pid in enumerate(ids):
            base = 4 if g == "A" else 2  # the two groups answer differently
            answers = {i.id: min(5, base + (n % 3) - (j % 2)) for j, i in enumerate(HFW.items)}
            store.submit_response(pid, HFW, rid, answers, {}, key=f"{g}{n}")
    return created.cohort_id, people


def _close(store, cid):
    close_round(store, cid, "R1", rules=RULES, frameworks=[HFW])


def test_nothing_is_shown_before_the_round_is_closed_and_published(store):
    cid, people = _cohort(store)
    for ids in people.values():
        for pid in ids:
            assert group_results(store, store.participant(pid), HFW, rules=RULES) is None


def test_a_member_sees_their_own_group_exactly_as_the_dashboard_and_never_another(store):
    cid, people = _cohort(store)
    _close(store, cid)
    dashboard = CohortData.from_store(store, cid, framework=HFW, health_framework=HFW,
                                      rules=RULES)
    for group, ids in people.items():
        other = "B" if group == "A" else "A"
        expected = dashboard.health(group).reset_index(drop=True)
        for pid in ids:
            found = group_results(store, store.participant(pid), HFW, rules=RULES)
            assert found is not None and found.group == group
            assert set(found.table["group"]) == {group}
            assert other not in set(found.table["group"])
            pd.testing.assert_frame_equal(found.table, expected)
            assert found.rounds == ["R1"] and found.anything_shown
    # the two groups answered differently, so a member of A reading B's numbers would show
    a = group_results(store, store.participant(people["A"][0]), HFW, rules=RULES).table
    b = group_results(store, store.participant(people["B"][0]), HFW, rules=RULES).table
    assert not a["mean"].equals(b["mean"])


def test_someone_in_no_group_sees_nothing(store):
    cid, _people = _cohort(store)
    _close(store, cid)
    solo = store.new_private_participant("On my own")
    assert group_results(store, store.participant(solo.id), HFW, rules=RULES) is None


def test_a_withheld_group_sees_the_true_reason_not_a_number(store):
    cid, people = _cohort(store, sizes=(4, 2))  # B has 2 members: below the minimum of 3
    _close(store, cid)
    found = group_results(store, store.participant(people["B"][0]), HFW, rules=RULES)
    assert found is not None and not found.anything_shown
    assert found.table["mean"].isna().all()
    assert all("a group of 2 can never reach 3" in note for note in found.table["note"])


# ---------------------------------------------------------------- "better, the same or worse?"

def _team_fw():
    from kit.content import load_framework

    return load_framework("partnership-health-check")


def test_trend_votes_are_stored_per_answer_checked_and_part_of_what_changed(store):
    from kit.store.errors import InvalidResponse

    fw = _team_fw()
    created = store.create_cohort("T", groups=["A"], rounds=["R1"])
    pid = store.join(created.join_codes["A"]).id
    rid = store.open_round(created.cohort_id, "R1").id
    answers = {i.id: 4 for i in fw.items}
    d0, d1, d2 = (d.id for d in fw.dimensions[:3])
    with pytest.raises(InvalidResponse, match="must be 1"):
        store.submit_response(pid, fw, rid, answers, {}, key="bad", trends={d0: 2})
    with pytest.raises(InvalidResponse, match="is not an area"):
        store.submit_response(pid, fw, rid, answers, {}, key="bad2", trends={"nope": 1})
    first = store.submit_response(pid, fw, rid, answers, {}, key="k1",
                                  trends={d0: 1, d1: -1, d2: None})
    frame = store.trend_frame(created.cohort_id, fw.id)
    assert dict(zip(frame["dimension_id"], frame["trend"], strict=True)) == pytest.approx(
        {d0: 1.0, d1: -1.0, d2: float("nan")}, nan_ok=True)
    # the same answers and votes again are not a change; a changed vote is
    again = store.submit_response(pid, fw, rid, answers, {}, key="k2",
                                  trends={d0: 1, d1: -1, d2: None})
    assert again.unchanged and again.id == first.id
    changed = store.submit_response(pid, fw, rid, answers, {}, key="k3", trends={d0: 0})
    assert not changed.unchanged and changed.id != first.id
    frame = store.trend_frame(created.cohort_id, fw.id)
    assert list(frame["dimension_id"]) == [d0] and list(frame["trend"]) == [0.0]


def test_a_self_assessment_takes_no_trend_votes(store):
    from kit.content import load_framework
    from kit.store.errors import InvalidResponse

    fw = load_framework("collaboration-behaviours")
    created = store.create_cohort("S", groups=["A"], rounds=["R1"])
    pid = store.join(created.join_codes["A"]).id
    rid = store.open_round(created.cohort_id, "R1").id
    with pytest.raises(InvalidResponse, match="not a team health check"):
        store.submit_response(pid, fw, rid, {i.id: 1 for i in fw.items}, {}, key="s1",
                              trends={fw.dimensions[0].id: 1})


def test_votes_are_published_at_close_as_counts_under_the_minimum(store):
    fw = _team_fw()
    rules = Rules(3, 3, 1.0)
    created = store.create_cohort("V", groups=["A", "B"], rounds=["R1", "R2"])
    a = [store.join(created.join_codes["A"]).id for _ in range(4)]
    b = [store.join(created.join_codes["B"]).id for _ in range(2)]
    rid = store.open_round(created.cohort_id, "R1").id
    d0, d1 = fw.dimensions[0].id, fw.dimensions[1].id
    votes_a = [1, 1, 0, -1]
    for n, pid in enumerate(a + b):
        answers = {i.id: 1 + (n + j) % 5 for j, i in enumerate(fw.items)}
        trends = {d0: votes_a[n] if n < 4 else 1, d1: 1}  # everyone says d1 is better
        store.submit_response(pid, fw, rid, answers, {}, key=f"v{n}", trends=trends)
    data = CohortData.from_store(store, created.cohort_id, health_framework=fw, rules=rules)
    assert data.health_votes("A") is None  # nothing before the round is closed and published
    close_round(store, created.cohort_id, "R1", rules=rules, frameworks=[fw])
    data = CohortData.from_store(store, created.cohort_id, health_framework=fw, rules=rules)
    votes = data.health_votes("A").set_index("dimension_id")
    assert bool(votes.loc[d0, "shown"])
    assert (votes.loc[d0, "better"], votes.loc[d0, "same"], votes.loc[d0, "worse"]) == (2, 1, 1)
    assert not bool(votes.loc[d1, "shown"]) and votes.loc[d1, "note"]  # unanimous: withheld
    # a member of A sees A's votes exactly as the dashboard does; a member of B never sees A's
    mine = group_results(store, store.participant(a[0]), fw, rules=rules)
    pd.testing.assert_frame_equal(mine.votes, data.health_votes("A"))
    theirs = group_results(store, store.participant(b[0]), fw, rules=rules)
    assert theirs.group == "B" and set(theirs.table["group"]) == {"B"}
    assert theirs.votes is None or not theirs.votes["shown"].any()
    small = data.health_votes("B").set_index("dimension_id")
    assert not small["shown"].any() and small["better"].isna().all()
    assert all(n for n in small["note"])


def test_the_health_check_page_asks_the_trend_and_passes_it_on_submit(store):
    import ipywidgets as W

    from kit.apps.health_check import HealthCheckApp
    from kit.apps.identity import SignInModel

    fw = _team_fw()
    created = store.create_cohort("P", ["North"], ["Baseline"])
    visitor = SignInModel(store).join(created.join_codes["North"])
    store.open_round(created.cohort_id, "Baseline")
    app = HealthCheckApp(store, visitor, framework=fw)

    def walk(w):
        yield w
        for c in getattr(w, "children", ()):
            yield from walk(c)

    radios = [w for w in walk(app) if isinstance(w, W.RadioButtons)
              and "kit-trend-question" in w._dom_classes]
    assert len(radios) == 1 and radios[0].index is None  # optional: nothing chosen
    assert [o[0] for o in radios[0].options] == ["Better", "The same", "Worse",
                                                  "First time, or I don't know"]
    radios[0].index = 2
    assert app.model.trends == {fw.dimensions[0].id: -1}
    radios[0].index = 3
    assert app.model.trends == {fw.dimensions[0].id: None}
    app.model.answers.update({i.id: 4 for i in fw.items})
    app.model.submit()
    frame = store.trend_frame(created.cohort_id, fw.id)
    assert list(frame["dimension_id"]) == [fw.dimensions[0].id] and frame["trend"].isna().all()


def test_my_data_export_carries_the_votes_and_erasure_removes_them(store):
    fw = _team_fw()
    created = store.create_cohort("E", groups=["A"], rounds=["R1"])
    pid = store.join(created.join_codes["A"]).id
    rid = store.open_round(created.cohort_id, "R1").id
    d0 = fw.dimensions[0].id
    store.submit_response(pid, fw, rid, {i.id: 4 for i in fw.items}, {}, key="e1",
                          trends={d0: -1})
    exported = store.export_participant(pid)
    assert any(s.get("trends") == {d0: -1} for s in exported["submissions"])
    store.erase_participant(pid)
    assert store.trend_frame(created.cohort_id, fw.id).empty


def test_the_health_check_page_shows_only_the_visitors_group_and_only_once_published(store):
    from kit.apps.health_check import HealthCheckApp
    from kit.apps.identity import SignInModel

    fw = _team_fw()
    rules = Rules.from_settings()
    created = store.create_cohort("W", groups=["Alpha", "Beta"], rounds=["R1", "R2"])
    signin = SignInModel(store)
    visitors = {g: [signin.join(created.join_codes[g]) for _ in range(rules.min_group_size)]
                for g in ("Alpha", "Beta")}
    rid = store.open_round(created.cohort_id, "R1").id
    for g, vs in visitors.items():
        for n, v in enumerate(vs):
            answers = {i.id: 1 + (n + j + (2 if g == "Beta" else 0)) % 5
                       for j, i in enumerate(fw.items)}
            store.submit_response(v.participant.id, fw, rid, answers, {}, key=f"{g}{n}")

    def text(app):
        return " ".join(str(getattr(w, "value", "")) for w in _walk(app.results))

    before = HealthCheckApp(store, visitors["Alpha"][0], framework=fw)
    assert before.results.children == ()
    close_round(store, created.cohort_id, "R1", rules=rules, frameworks=[fw])
    for g, other in (("Alpha", "Beta"), ("Beta", "Alpha")):
        shown = text(HealthCheckApp(store, visitors[g][0], framework=fw))
        assert f"Your group&#x27;s published results: {g}" in shown
        assert other not in shown


def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)


def test_a_reload_before_submitting_keeps_the_trend_votes(store):
    """Every vote is kept with the draft as it is chosen: a new page (a reload) shows it
    chosen again, "first time or don't know" included."""
    import ipywidgets as W

    from kit.apps.health_check import HealthCheckApp
    from kit.apps.identity import SignInModel

    fw = _team_fw()
    created = store.create_cohort("Q", ["North"], ["Baseline"])
    visitor = SignInModel(store).join(created.join_codes["North"])
    store.open_round(created.cohort_id, "Baseline")

    def radios(app):
        def walk(w):
            yield w
            for c in getattr(w, "children", ()):
                yield from walk(c)
        return [w for w in walk(app) if isinstance(w, W.RadioButtons)
                and "kit-trend-question" in w._dom_classes]

    first = HealthCheckApp(store, visitor, framework=fw)
    (pick,) = radios(first)
    pick.index = 0  # better
    again = HealthCheckApp(store, visitor, framework=fw)
    assert again.model.trends == {fw.dimensions[0].id: 1}
    assert radios(again)[0].index == 0
    radios(again)[0].index = 3  # first time, or don't know: kept as such, not as no answer
    third = HealthCheckApp(store, visitor, framework=fw)
    assert third.model.trends == {fw.dimensions[0].id: None}
    assert radios(third)[0].index == 3
