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
