"""Forged widget values are refused with a friendly message and nothing is written.

Under Voila, execute requests are blocked but widget comm messages still reach the kernel,
so every widget value is untrusted. These tests forge values directly on the models and on
the widgets (as a hand-written comm message would), call the handlers, and check that the
person sees one plain sentence, no traceback, and that the store is unchanged.
"""

from __future__ import annotations

import datetime as dt
import logging

import ipywidgets as W
import pytest
import traitlets
from review_support import hostile_cohort
from test_apps_support import world_in

from kit.apps.action_plan import ActionPlanApp
from kit.apps.action_plan_model import MAX_NOTE, MAX_TEXT, ActionPlanModel
from kit.apps.errors import Refused, is_choice
from kit.apps.facilitator_model import FacilitatorModel
from kit.apps.identity import SignInModel
from kit.apps.journal import JournalApp
from kit.apps.journal_model import MAX_ANSWER, JournalModel
from kit.apps.my_data import MyDataApp
from kit.apps.my_report import MyReportApp
from kit.apps.partnership import PartnershipApp
from kit.apps.partnership_model import PartnershipModel
from kit.apps.self_assessment import SelfAssessmentApp
from kit.apps.self_assessment_model import SelfAssessmentModel
from kit.apps.start import StartApp
from kit.forms.callbacks import GENERIC_PROBLEM

FORGED_SCALARS = (0, 6, -1, 99, 3.0, True, "3", None, [3], {"a": 1}, "x" * 50_000)


@pytest.fixture
def world(tmp_path):
    w = next(gen := world_in(tmp_path))
    other = SignInModel(w.store).join(w.created.join_codes["North"], "Mallory").participant_id
    ex = __import__("kit.content", fromlist=["load_exercises"]).load_exercises()[0]
    w.other = other
    w.other_reflection = w.store.save_reflection(other, ex.id, {ex.steps[0].id: "mine"})
    w.other_commitment = w.store.add_commitment(other, "theirs", "getting-to-know-people",
                                                dt.date(2026, 5, 1))
    w.other_relationship = w.store.add_relationship(other, "Theirs", "Org", "Housing",
                                                    "weekly", 3, 3)
    yield w
    next(gen, None)


def _snapshot(world):
    """Everything both participants hold (to show a refusal wrote nothing)."""
    def clean(d):
        d = dict(d)
        d.pop("exported_at", None)
        return d
    return clean(world.store.export_participant(world.pid)), clean(
        world.store.export_participant(world.other))


def _refused_friendly(app, before, world, area=None):
    """The app shows a friendly error (not the generic one, no traceback); nothing changed.
    ``area``: the message area beside the button, where it has its own."""
    area = app.messages if area is None else area
    assert area.kind == "error", area.text
    assert "Traceback" not in area.value and "File \"" not in area.value
    assert _snapshot(world) == before


# -- helpers ------------------------------------------------------------------------------
def test_is_choice_rejects_forged_types():
    assert is_choice("a", {"a"}) and is_choice(2, {2})
    for forged in (True, [1], {"a": 1}, 1.0, None, b"a"):
        assert not is_choice(forged, {1, "a", b"a"})


# -- self-assessment ------------------------------------------------------------------------
def test_self_assessment_refuses_forged_ratings_and_ids(world):
    m = SelfAssessmentModel(world.store, world.pid, world.fw, world.round, save_drafts=False)
    item = world.fw.items[0].id
    before = _snapshot(world)
    for value in FORGED_SCALARS:
        if value is None and world.fw.scale.not_applicable:
            continue  # "not observed" is a real choice
        with pytest.raises(Refused):
            m.set_answer(item, value)
    for forged_id in ("no-such-item", ["x"], 5, None):
        with pytest.raises(Refused):
            m.set_answer(forged_id, 3)
    dim = next(d for d in world.fw.dimensions if d.ask_importance)
    for value in (0, 9, True, "4", None, [4]):
        with pytest.raises(Refused):
            m.set_importance(dim.id, value)
    with pytest.raises(Refused):
        m.set_importance("no-such-dimension", 3)
    with pytest.raises(Refused):
        m.go_to(99)
    assert m.answers == {} and m.importance == {}
    assert _snapshot(world) == before


def test_self_assessment_app_refuses_a_forged_rating(world):
    app = SelfAssessmentApp(world.store, world.visitor, today=world.today)
    app._again()
    widget = next(iter(app.items.values()))
    kept = dict(app.model.answers)
    before = _snapshot(world)
    # The widget itself refuses a value outside its options, as a forged comm message would be.
    with pytest.raises(traitlets.TraitError):
        widget.buttons.value = 99
    with pytest.raises(traitlets.TraitError):
        widget.buttons.set_state({"index": 999})
    # A forged call straight to the handler is refused by the model.
    app._answer(widget.item.id, 99)
    _refused_friendly(app, before, world)
    assert "not a rating" in app.messages.text
    assert app.model.answers == kept


# -- journal ---------------------------------------------------------------------------------
def test_journal_refuses_forged_steps_long_text_and_other_peoples_entries(world):
    from kit.content import load_exercises

    m = JournalModel(world.store, world.pid, load_exercises())
    before = _snapshot(world)
    with pytest.raises(Refused, match="no journal entry"):
        m.open_entry(world.other_reflection)
    for forged in ("1", True, [world.other_reflection], None):
        with pytest.raises(Refused):
            m.open_entry(forged)
    with pytest.raises(Refused, match="no exercise"):
        m.start("no-such-exercise")
    m.start(m.exercises[0].id)
    step = m.exercises[0].steps[0].id
    with pytest.raises(Refused, match=f"{MAX_ANSWER:,} or fewer"):
        m.set_answer(step, "x" * (MAX_ANSWER + 1))
    for forged in ("no-such-step", ["x"], 3):
        with pytest.raises(Refused):
            m.set_answer(forged, "text")
    with pytest.raises(Refused):
        m.set_answer(step, 12345)
    with pytest.raises(Refused):
        m.set_include("yes")
    assert m.answers == {} and m.entry_id is None
    assert _snapshot(world) == before


def test_journal_app_refuses_absurd_text_from_the_widget(world):
    app = JournalApp(world.store, world.visitor)
    app._start()
    before = _snapshot(world)
    app.prompt.text.set_state({"value": "x" * 50_000})  # as a forged comm update
    app._save()
    _refused_friendly(app, before, world)
    assert "characters long" in app.messages.text
    app._open(world.other_reflection)
    _refused_friendly(app, before, world)


# -- action plan -------------------------------------------------------------------------------
def test_action_plan_refuses_forged_values(world):
    m = ActionPlanModel(world.store, world.pid, world.fw, world.today)
    before = _snapshot(world)
    dim = world.fw.dimensions[0].id
    future = world.today + dt.timedelta(days=10)
    bad_adds = [
        ("", dim, future),
        ("x" * (MAX_TEXT + 1), dim, future),
        (["text"], dim, future),
        ("Do it", "no-such-area", future),
        ("Do it", [dim], future),
        ("Do it", None, future),
        ("Do it", dim, world.today - dt.timedelta(days=1)),
        ("Do it", dim, dt.date(9999, 12, 31)),
        ("Do it", dim, "2026-05-01"),
        ("Do it", dim, dt.datetime(2026, 5, 1, 12)),
        ("Do it", dim, None),
    ]
    for text, d, due in bad_adds:
        with pytest.raises(Refused):
            m.add(text, d, due)
    mine = m.rows()[0].commitment.id
    for cid in (world.other_commitment, str(mine), True, [mine], None, 10**9):
        with pytest.raises(Refused, match="no commitment"):
            m.review(cid, "done", "")
    for status in ("started", "DONE", ["done"], None, 1):
        with pytest.raises(Refused, match="not a review choice"):
            m.review(mine, status, "")
    with pytest.raises(Refused, match=f"{MAX_NOTE:,}"):
        m.review(mine, "done", "x" * (MAX_NOTE + 1))
    assert _snapshot(world) == before


def test_action_plan_app_refuses_forged_widget_values(world):
    app = ActionPlanApp(world.store, world.visitor, today=world.today)
    before = _snapshot(world)
    with pytest.raises(traitlets.TraitError):
        app.dimension.value = "no-such-area"
    app.text.value = "Visit the council"
    app.due.value = world.today - dt.timedelta(days=30)
    app._add()
    _refused_friendly(app, before, world)
    assert "in the past" in app.messages.text
    app.due.value = dt.date(2999, 1, 1)
    app._add()
    _refused_friendly(app, before, world)
    app._review(world.other_commitment, "done", "")
    _refused_friendly(app, before, world)
    assert "no commitment" in app.messages.text


# -- partnership map ---------------------------------------------------------------------------
def test_partnership_refuses_forged_values_and_other_peoples_ids(world):
    m = PartnershipModel(world.store, world.pid, world.today)
    before = _snapshot(world)
    good = dict(label="Sam", organisation="Council", sector="Housing", contact="weekly",
                strength=3, trust=3)
    for field, value in [("strength", 0), ("strength", 6), ("strength", True), ("trust", 2.5),
                         ("trust", "3"), ("sector", "Made up"), ("sector", ["Housing"]),
                         ("contact", "hourly"), ("contact", ["weekly"]), ("label", ""),
                         ("label", "x" * 201), ("organisation", "x" * 201), ("label", 5)]:
        with pytest.raises(Refused):
            m.add(**dict(good, **{field: value}))
    for rid in (world.other_relationship, True, [world.other_relationship], "1", None):
        with pytest.raises(Refused, match="no one with id"):
            m.edit(rid, label="Hijack")
        with pytest.raises(Refused, match="no one with id"):
            m.remove(rid)
    mine = m.relationships()[0].id
    with pytest.raises(Refused, match="not something the map records"):
        m.edit(mine, participant_id=world.other)
    assert _snapshot(world) == before


def test_partnership_app_refuses_forged_widget_values(world):
    app = PartnershipApp(world.store, world.visitor, today=world.today)
    before = _snapshot(world)
    with pytest.raises(traitlets.TraitError):
        app.sector.value = "Made up"
    with pytest.raises(traitlets.TraitError):  # a radio group refuses a value off its scale
        app.strength.value = 99
    with pytest.raises(traitlets.TraitError):
        app.strength.set_state({"index": 7})
    assert app.strength.value == 3
    app.label.set_state({"value": "x" * 5000})
    app._save()
    _refused_friendly(app, before, world)
    assert "keep it to 200" in app.messages.text


# -- my data -----------------------------------------------------------------------------------
def test_my_data_refuses_anything_but_the_confirm_word(world):
    app = MyDataApp(world.store, world.visitor)
    before = _snapshot(world)
    for typed in ("erase", "ERASE please", "x" * 50_000, ""):
        app.confirm.value = typed
        app._erase()
        _refused_friendly(app, before, world, app.erase_messages)  # beside the erase button
        assert "Nothing has been erased" in app.erase_messages.text


# -- facilitator -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    c = hostile_cohort(f"sqlite:///{tmp_path_factory.mktemp('safety') / 'kit.db'}", people=7)
    yield c
    c.store.close()


def _open_dashboard(cohort):
    from kit.apps.facilitator import FacilitatorDashboard

    dash = FacilitatorDashboard(cohort.store)
    dash.key.value = cohort.created.facilitator_key
    dash._open_with_key()
    assert dash.model.is_open, dash.messages.text
    return dash


def test_facilitator_model_refuses_forged_choices(cohort):
    m = FacilitatorModel()
    m.open_with_key(cohort.store, cohort.created.facilitator_key)
    state = (m.group, m.round, m.by, m.filter)
    for name, value in [("group", "Another cohort's group"), ("group", ["x"]),
                        ("round", "Round 99"), ("by", "participant_id"), ("by", "email"),
                        ("filter", "organisation=Nobody"), ("filter", "participant_id=1"),
                        ("filter", "group=x")]:
        with pytest.raises((Refused, traitlets.TraitError)):  # wrong types stop at the trait
            setattr(m, name, value)
    assert (m.group, m.round, m.by, m.filter) == state
    for name, value in [("view", "secret"), ("sort", "by-name")]:
        with pytest.raises(Refused):
            setattr(m, name, value)


def test_facilitator_filter_cannot_reach_a_withheld_cell(cohort):
    """Seven people, split 4/3 across two organisations: neither may be shown on its own."""
    m = FacilitatorModel()
    m.open_with_key(cohort.store, cohort.created.facilitator_key)
    m.group = cohort.groups[0]
    offered = {v for _l, v in m.filter_choices()}
    existing = {f"{by}={v}" for by, v in m.data.filter_options(m.group, m.round)}
    withheld = existing - offered
    assert withheld, "the fixture should have organisations too small to show"
    for value in withheld:
        with pytest.raises(Refused):
            m.filter = value
    assert m.filter == ""


def test_facilitator_dashboard_shows_a_forged_filter_as_a_friendly_refusal(cohort):
    dash = _open_dashboard(cohort)
    dash.view_picker.value = "profile"
    # A forged comm message cannot put a value outside the options into the dropdown ...
    with pytest.raises(traitlets.TraitError):
        dash.filter_picker.set_state({"index": 99})
    # ... and a value that reached the handler anyway is refused by the model.
    dash.filter_picker = W.Text(value="organisation=Someone")
    dash._picked({"owner": dash.filter_picker, "new": "organisation=Someone"})
    assert dash.messages.kind == "error" and "not one of the choices" in dash.messages.text
    assert dash.model.filter == ""


# -- callback errors: one forced failure per app ------------------------------------------------
def _boom(*_a, **_k):
    raise RuntimeError("secret internal detail /etc/passwd")


APP_FAILURES = [
    (StartApp, None),  # start has no own callbacks: its sign-in panel is tested below
    (SelfAssessmentApp, lambda app, mp: (mp.setattr(app.model, "next", _boom), app._again(),
                                         mp.setattr(app.model, "next", _boom),
                                         app.stepper.next.click())),
    (JournalApp, lambda app, mp: (mp.setattr(app.model, "start", _boom), app._start())),
    (PartnershipApp, lambda app, mp: (mp.setattr(app.model, "add", _boom), app.save.click())),
    (ActionPlanApp, lambda app, mp: (mp.setattr(app.model, "add", _boom),
                                     setattr(app.text, "value", "x"), app._add())),
    (MyReportApp, lambda app, mp: (mp.setattr(app, "report_html", _boom), app.make.click())),
    (MyDataApp, lambda app, mp: (mp.setattr(app.model, "export_json", _boom),
                                 app.prepare.click())),
]


@pytest.mark.parametrize("cls,force", APP_FAILURES, ids=[c.__name__ for c, _f in APP_FAILURES])
def test_a_failing_callback_shows_a_friendly_message_and_logs(world, monkeypatch, caplog,
                                                             cls, force):
    from kit.apps.signin import SignInPanel

    if force is None:  # the sign-in panel every app shows before sign-in
        app = cls(world.store, None)
        panel = next(c for c in app.content.children if isinstance(c, SignInPanel))
        monkeypatch.setattr(panel.model, "resume", _boom)
        panel.resume_code.value = "ABCD-EFGH"
        with caplog.at_level(logging.ERROR, logger="kit.apps"):
            panel.resume_button.click()
        area = panel.messages
    else:
        app = cls(world.store, world.visitor)
        with caplog.at_level(logging.ERROR, logger="kit.apps"):
            force(app, monkeypatch)
        # My data shows each button's message right after it
        area = app.prepare_messages if cls is MyDataApp else app.messages
    assert area.text == GENERIC_PROBLEM
    assert "secret internal detail" not in area.value and "Traceback" not in area.value
    assert "secret internal detail" in caplog.text


def test_facilitator_failing_callback_is_friendly(cohort, monkeypatch, caplog):
    dash = _open_dashboard(cohort)
    monkeypatch.setattr(dash.model, "charts", _boom)
    with caplog.at_level(logging.ERROR, logger="kit.apps"):
        dash.view_picker.value = "profile"
    assert dash.messages.text == GENERIC_PROBLEM
    assert "secret internal detail" in caplog.text
