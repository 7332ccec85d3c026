"""The facilitator dashboard, its model and the facilitated session, without a browser."""

from __future__ import annotations

import pytest

from kit.apps.facilitator_model import SESSION_STEPS, AccessDenied, FacilitatorModel
from kit.demo import seed_demo
from kit.store import Store


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fac') / 'kit.db'}"
    store = Store(url)
    codes = seed_demo(store)
    yield store, codes
    store.close()


def test_key_opens_the_cohort(demo):
    store, codes = demo
    m = FacilitatorModel()
    with pytest.raises(AccessDenied, match="Enter the facilitator key"):
        m.open_with_key(store, "  ")
    with pytest.raises(AccessDenied, match="does not open a cohort"):
        m.open_with_key(store, "AAAA-BBBB-CCCC-DDDD")
    assert not m.is_open
    m.open_with_key(store, codes.facilitator_key.lower())
    assert m.cohort_name == "Demo cohort"
    assert m.round == "Midpoint" and m.group == "North"


def test_hub_facilitators_only(demo):
    store, _ = demo
    m = FacilitatorModel()
    with pytest.raises(AccessDenied, match="not listed as a facilitator"):
        m.open_for_hub_user(store, "mallory", frozenset({"alice"}))
    m.open_for_hub_user(store, "alice", frozenset({"alice"}))
    assert m.is_open


def test_session_reveals_views_step_by_step(demo):
    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    assert len(m.views) == 9
    m.start_session()
    assert [v.id for v in m.views] == ["participation"]
    m.next_step()
    assert m.view == "profile" and [v.id for v in m.views] == ["participation", "profile"]
    m.next_step()
    assert m.view == "disagreement"
    questions = m.session_questions()
    assert questions and questions[0][0] == m.data.disagreement(m.group, m.round).iloc[0]["dimension"]
    assert any("higher" in q for q in questions[0][1])
    m.next_step()
    m.next_step()  # stays on the last step
    assert m.current_step is SESSION_STEPS[-1] and m.view == "importance"
    assert isinstance(m.focus_dimensions(), list)
    m.view = "health"
    assert m.charts() == []  # locked until the session ends
    m.end_session()
    assert m.charts()
    m.previous_step()
    assert m.step == len(SESSION_STEPS) - 2


def test_filters_offer_only_cells_that_may_be_shown(demo):
    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    m.group = "All groups"
    choices = m.filter_choices()
    assert choices[0] == ("Everyone", "")
    for _label, value in choices[1:]:
        by, _, v = value.partition("=")
        table = m.data.breakdown(by, m.group, m.round)
        assert table[(table["value"] == v)]["shown"].all()
    m.filter = choices[-1][1]
    m.group = "North"
    assert m.filter == ""  # changing group clears the filter


def test_bad_view_is_refused(demo):
    from kit.apps.errors import Refused

    m = FacilitatorModel()
    with pytest.raises(Refused, match="no view 'nope'"):  # friendly: shown as it is
        m.view = "nope"


def test_dashboard_builds_on_the_demo_cohort(demo):
    from kit.apps.facilitator import FacilitatorDashboard

    store, codes = demo
    app = FacilitatorDashboard(store)
    assert repr(app) == "<Facilitator dashboard: locked>"
    assert app.key.description == "Facilitator key"
    app.key.value = "wrong"
    app._open_with_key()
    assert "does not open a cohort" in app.messages.text
    app.key.value = codes.facilitator_key
    app._open_with_key()
    assert repr(app) == "<Facilitator dashboard: Demo cohort>"
    for view in [o[1] for o in app.view_picker.options]:
        app.view_picker.value = view
        assert app.messages.text == "", view
        assert len(app.content.children) >= 2
    for picker in (app.view_picker, app.group_picker, app.round_picker, app.sort_picker,
                   app.by_picker, app.filter_picker):
        assert picker.description
    app.session_toggle.value = True
    assert [o[1] for o in app.view_picker.options] == ["participation"]
    app.next.click()
    app.next.click()
    assert "Questions for the most mixed" in app.content.children[-2].value


def test_callback_errors_become_a_friendly_message(demo, monkeypatch):
    from kit.apps.facilitator import FacilitatorDashboard

    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    app = FacilitatorDashboard(store, m)
    monkeypatch.setattr(m, "charts", lambda: 1 / 0)
    app.view_picker.value = "profile"
    assert "something went wrong" in app.messages.text
    assert "ZeroDivision" not in app.messages.value


def test_from_environment_in_demo_mode(demo, monkeypatch):
    from kit.apps.facilitator import FacilitatorDashboard
    from kit.config import get_settings

    store, _ = demo
    monkeypatch.setenv("KIT_DEMO", "1")
    get_settings.cache_clear()
    try:
        app = FacilitatorDashboard.from_environment(store)
    finally:
        monkeypatch.delenv("KIT_DEMO")
        get_settings.cache_clear()
    assert repr(app) == "<Facilitator dashboard: Demo cohort>"


def test_dashboard_on_a_cohort_with_no_answers_yet(tmp_path):
    """Every view says there is nothing to show; none fails (found in the release review)."""
    from kit.analysis.cohort import VIEWS
    from kit.apps.facilitator import FacilitatorDashboard
    from kit.report.group import report_page

    with Store(f"sqlite:///{tmp_path / 'kit.db'}") as store:
        created = store.create_cohort("Empty", groups=["A", "B"], rounds=["R1", "R2"])
        dash = FacilitatorDashboard(store)
        dash.key.value = created.facilitator_key
        dash._open_with_key()
        assert dash.model.is_open, dash.messages.text
        for view in VIEWS:
            dash.view_picker.value = view.id
            assert dash.messages.kind != "error", (view.id, dash.messages.text)
        assert "group report" in report_page(dash.model.data)
