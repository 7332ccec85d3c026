"""Every empty or withheld view names its true reason (issue 24), found by running a real cohort
as a facilitator would (tests/browser/test_facilitator_journey.py does it in a browser).

* A round that is not published (open, or not open yet) has nothing to summarise: every view of
  that round, on the dashboard, in the group report and in its tables, says where the round
  stands, never "fewer than K responses" about people who did answer.
* Change over rounds, the health check, the cohort overview and the breakdowns name their
  cells' own reasons: a group too small ever to reach K says so, and the whole cohort hidden
  to protect a small group says that, not "fewer responses than the minimum".
* "Who has taken part" tells a group that can never reach K from one that is not there yet.
* Set-up says the new cohort's rounds are not open (they start not open).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.analysis.cohort import VIEWS, CohortData
from kit.analysis.examples import example_framework
from kit.analysis.privacy import ALL_GROUPS, Rules
from kit.charts._words import reasons
from kit.publishing import close_round
from kit.store import Store
from kit.views import ROUND_VIEWS, view_charts

FW = example_framework(dimensions=2, items=2, framework_id="reasons-fw")
RULES = Rules(3, 3, 1.0)
NEVER = "a group of 2 can never reach 3"
PROTECT = "hidden so that no one's answers can be worked out from the other numbers shown"


def _answers(n: int) -> dict:
    return {i.id: 1 + (n + j) % 5 for j, i in enumerate(FW.items)}


@pytest.fixture
def cohort(store_url):
    """Group A (4 people) and group B (2, never enough for K = 3); R1 open, everyone answered."""
    with Store(store_url) as store:
        created = store.create_cohort("C", groups=["A", "B"], rounds=["R1", "R2"])
        cid = created.cohort_id
        people = ([store.join(created.join_codes["A"]).id for _ in range(4)]
                  + [store.join(created.join_codes["B"]).id for _ in range(2)])
        rid = store.open_round(cid, "R1").id
        for n, p in enumerate(people):
            store.submit_response(p, FW, rid, _answers(n), {}, key=f"k{n}")
        yield store, cid


def _data(store, cid):
    return CohortData.from_store(store, cid, framework=FW, health_framework=False, rules=RULES)


def _model(store, cid):
    from kit.apps.facilitator_model import FacilitatorModel

    m = FacilitatorModel()
    m.open_data(_data(store, cid), cid, store)
    return m


def test_a_round_not_published_says_where_it_stands_on_every_view(cohort):
    from kit.report.group import all_tables, report_page

    store, cid = cohort
    m = _model(store, cid)
    assert m.data.unpublished("R1").state == "open" and m.data.unpublished("R2").state == "not open"
    for view in [v for v in VIEWS if not v.id.startswith("health")]:  # no health check here
        m.view = view.id
        for scope in (m.data.scopes if view.uses_group else (ALL_GROUPS,)):
            m.group, m.round = scope, "R1"
            if view.id in ROUND_VIEWS:
                assert m.charts() == [] and m.tables() == {}, (view.id, scope)
            if not m.charts() and view.id not in {"participation", "free_text"}:
                said = m.empty_reason()
                assert "R1 is open: 6 of the 6 people counted have answered" in said, said
                assert "Results appear when the round closes" in said, said
                assert "fewer than" not in said
            for item in m.charts():
                assert "fewer than 3" not in item.description, (view.id, item.description)
    m.view, m.round = "profile", "R2"
    assert m.charts() == [] and "R2 is not open yet" in m.empty_reason()
    for scope in m.data.scopes:
        page = report_page(m.data, scope, "R1")
        assert "fewer than 3 responses" not in page and "Nobody has answered yet" not in page
        assert "R1 is open: 6 of the 6 people counted have answered" in page
        assert not [name for name in all_tables(m.data, scope, "R1")
                    if name.startswith(("profile", "disagreement", "by-", "importance"))]


def test_once_published_every_empty_view_names_its_true_reason(cohort):
    store, cid = cohort
    close_round(store, cid, "R1", rules=RULES, frameworks=[FW])
    data = _data(store, cid)
    assert data.unpublished("R1") is None

    def said(view, group):
        return " ".join(c.description for c in view_charts(data, view, group=group, round="R1",
                                                           by="all"))

    for view in ("profile", "disagreement", "importance", "change", "breakdown"):
        assert NEVER in said(view, "B"), (view, said(view, "B"))
        assert "fewer" not in said(view, "B") and "yet for" not in said(view, "B")
    for view in ("profile", "disagreement", "importance", "change"):
        assert PROTECT in said(view, ALL_GROUPS), (view, said(view, ALL_GROUPS))
        assert "fewer" not in said(view, ALL_GROUPS)
    assert f"B: {NEVER}." in said("overview", None)
    assert "not enough responses yet" not in said("overview", None)
    assert "Based on" in said("profile", "A")


def test_who_has_taken_part_tells_never_from_not_yet(cohort):
    from kit.charts.team_participation import NEVER_ENOUGH, NOT_ENOUGH, participation_chart

    store, cid = cohort
    table = _data(store, cid).participation_table()
    chart = participation_chart(table, 3).chart.to_dict()
    rows = next(v for v in chart["datasets"].values())
    words = {(r["group"], r["round"]): r["enough_words"] for r in rows}
    assert words[("B", "R1")] == NEVER_ENOUGH and words[("B", "R2")] == NEVER_ENOUGH
    assert words[("A", "R2")] == NOT_ENOUGH  # four members, nobody has answered R2 yet


@given(st.lists(st.tuples(st.booleans(), st.sampled_from(
    ["", " ", "fewer than 5 responses", NEVER, PROTECT, "held: x"])), max_size=12))
def test_reasons_name_each_withheld_rows_note_once(rows):
    table = pd.DataFrame(rows, columns=["shown", "note"])
    got = reasons(table)
    hidden = {n for s, n in rows if not s and n.strip()}
    assert sorted(got.split("; ")) == sorted(hidden) if hidden else got == ""


def test_set_up_says_the_new_cohorts_rounds_are_not_open(kit_store):
    from kit.apps.setup import SetupApp
    from kit.apps.setup_model import SetupModel
    from kit.config import get_settings

    settings = get_settings().__class__(**{**get_settings().__dict__,
                                           "setup_key": "a-long-enough-setup-key"})
    model = SetupModel(kit_store, settings)
    model.unlock_with_key("a-long-enough-setup-key")
    app = SetupApp(kit_store, model, environ={})
    assert "opens now" not in app.rounds.description
    app.name.value, app.groups.value = "Spring", "North"
    app._create()
    assert "No round is open yet" in app.create_messages.value
    assert "first round is open" not in app.create_messages.value
    assert [r.state for r in kit_store.rounds(model.cohort_id)] == ["not open", "not open"]
