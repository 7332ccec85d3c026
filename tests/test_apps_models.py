"""The app models, without a browser: navigation, drafts, submit, refusals, ordering."""

from __future__ import annotations

import datetime as dt

import pytest
from test_apps_support import FRAMEWORK, XSS, world_in

from kit.apps.action_plan_model import ActionPlanModel
from kit.apps.errors import Incomplete, Refused
from kit.apps.identity import (
    SignInModel,
    remember_me_script,
    resolve_visitor,
    resume_code_from_cookie,
)
from kit.apps.journal_model import JournalModel, entry_html, suggest_order
from kit.apps.my_data_model import MyDataModel
from kit.apps.partnership_model import PartnershipModel
from kit.apps.self_assessment_model import SelfAssessmentModel, private_round_name, round_for
from kit.config import Settings


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)



def _fresh_participant(world):
    return SignInModel(world.store).join(world.created.join_codes["North"], "Bo").participant_id


def _fill(model, value=3):
    for item in model.framework.items:
        model.set_answer(item.id, value)
    for d in model.framework.dimensions:
        if d.ask_importance:
            model.set_importance(d.id, 4)


# -- self-assessment ---------------------------------------------------------------------
def test_stepper_moves_one_dimension_at_a_time_and_stops_at_the_ends(world):
    m = SelfAssessmentModel(world.store, _fresh_participant(world), world.fw, world.round)
    assert m.step == 0 and m.is_first and m.n_steps == len(world.fw.dimensions)
    assert m.back() is False and m.step == 0
    for n in range(1, m.n_steps):
        assert m.next() is True and m.step == n
    assert m.is_last and m.next() is False and m.step == m.n_steps - 1
    assert m.back() is True and m.dimension == world.fw.dimensions[-2]


def test_draft_is_saved_at_each_step_and_restored_on_reopen(world):
    pid = _fresh_participant(world)
    m = SelfAssessmentModel(world.store, pid, world.fw, world.round)
    first = world.fw.dimensions[0]
    for item in first.items:
        m.set_answer(item.id, None if item.reverse else world.fw.scale.max)
    m.set_importance(first.id, 2)
    m.next()
    again = SelfAssessmentModel(world.store, pid, world.fw, world.round)
    assert again.restored
    assert again.answers == m.answers and again.importance == {first.id: 2}
    assert again.step == 1  # reopens at the first step with something missing
    assert again.key != m.key


def test_missing_answers_are_named_before_submit(world):
    m = SelfAssessmentModel(world.store, _fresh_participant(world), world.fw, world.round)
    _fill(m)
    gone = world.fw.dimensions[2].items[1]
    del m.answers[gone.id]
    with pytest.raises(Incomplete) as info:
        m.submit()
    assert any(gone.text in line and line.startswith("Step 3") for line in info.value.missing)
    assert len(info.value.missing) == 1
    assert m.first_missing_step() == 2 and m.submission is None


def test_each_step_counts_its_answers_and_missing_ones_point_to_steps(world):
    m = SelfAssessmentModel(world.store, _fresh_participant(world), world.fw, world.round)
    dim = world.fw.dimensions[0]
    asked = len(dim.items) + (1 if dim.ask_importance and world.fw.importance_scale else 0)
    assert m.step_progress() == (0, asked)
    m.set_answer(dim.items[0].id, 3)
    m.set_answer(dim.items[1].id, None)  # "not observed" is an answer too
    assert m.step_progress() == (2, asked)
    by_step = m.missing_by_step()
    assert len(by_step) == len(world.fw.dimensions)  # one line per step, not per statement
    assert by_step[0] == f"Step 1, {dim.title}: {asked - 2} still to answer"
    _fill(m)
    assert m.missing_by_step() == [] and m.step_progress(3)[0] == m.step_progress(3)[1]


def test_not_observed_counts_as_an_answer(world):
    m = SelfAssessmentModel(world.store, _fresh_participant(world), world.fw, world.round)
    _fill(m)
    m.set_answer(world.fw.items[0].id, None)
    assert m.missing() == []


def test_submit_is_idempotent(world):
    pid = _fresh_participant(world)
    m = SelfAssessmentModel(world.store, pid, world.fw, world.round)
    _fill(m)
    one = m.submit()
    m.submission = None  # as if the first reply was lost and the button pressed again
    two = m.submit()
    assert one.id == two.id and two.replayed
    assert len(world.store.list_submissions(pid, FRAMEWORK)) == 1
    assert world.store.load_draft(pid, FRAMEWORK, world.round.id) is None


@pytest.mark.parametrize("item_id, value", [
    ("no-such-item", 3), ("know-followed-up", 9), ("know-followed-up", 0),
    ("know-followed-up", True), ("know-followed-up", "3"), (7, 3),
])
def test_forged_answers_are_refused(world, item_id, value):
    m = SelfAssessmentModel(world.store, _fresh_participant(world), world.fw, world.round)
    with pytest.raises(Refused):
        m.set_answer(item_id, value)
    assert m.answers == {}


@pytest.mark.parametrize("dim, value", [("getting-to-know-people", 6), ("nope", 3),
                                        ("getting-to-know-people", None)])
def test_forged_importance_is_refused(world, dim, value):
    m = SelfAssessmentModel(world.store, _fresh_participant(world), world.fw, world.round)
    with pytest.raises(Refused):
        m.set_importance(dim, value)


def test_forged_draft_values_are_dropped_on_restore(world):
    pid = _fresh_participant(world)
    world.store.save_draft(pid, FRAMEWORK, world.round.id, {"know-followed-up": 4,
                                                            "fake": 2, "talk-raised-concern": 99}, {})
    m = SelfAssessmentModel(world.store, pid, world.fw, world.round)
    assert m.answers == {"know-followed-up": 4}


def test_no_open_round_cannot_submit(world):
    world.store.close_round(world.cohort_id, "Midpoint")
    pid = _fresh_participant(world)
    r = round_for(world.store, world.store.participant(pid), world.today)
    assert r is None
    m = SelfAssessmentModel(world.store, pid, world.fw, r)
    _fill(m)
    with pytest.raises(Refused, match="No round is open"):
        m.submit()


def test_private_participant_gets_a_monthly_round(world):
    v = SignInModel(world.store).private("private:tester")
    r = round_for(world.store, v.participant, dt.date(2026, 3, 2))
    assert r.name == private_round_name(dt.date(2026, 3, 2)) == "March 2026" and r.is_open
    m = SelfAssessmentModel(world.store, v.participant_id, world.fw, r)
    _fill(m)
    assert m.submit().round_id == r.id


# -- journal -------------------------------------------------------------------------------
def test_exercises_for_priorities_come_first(world):
    from kit.analysis.stored import load_profile
    from kit.content import load_exercises

    profile, _ = load_profile(world.store, world.pid, world.fw)
    assert profile.priorities[0].dimension_id == "conversations-that-change-things"
    ordered = suggest_order(load_exercises(), world.fw, profile)
    firsts = [ex for ex in ordered if ex.dimensions]
    assert "conversations-that-change-things" in firsts[0].dimensions
    model = JournalModel(world.store, world.pid, load_exercises(), world.fw, profile)
    assert model.exercises[0].id == firsts[0].id
    assert firsts[0].id in model.suggested_ids


def test_journal_steps_drafts_and_finish(world):
    from kit.content import load_exercises

    pid = _fresh_participant(world)
    model = JournalModel(world.store, pid, load_exercises(), world.fw, None)
    ex = model.exercises[0]
    model.start(ex.id)
    assert model.save_draft() is None  # nothing written, nothing saved
    model.set_answer(ex.steps[0].id, "First thoughts")
    model.next()
    entry_id = model.entry_id
    assert entry_id is not None and model.step == 1
    model.finish(include_in_report=True)
    (entry,) = world.store.list_reflections(pid)
    assert entry.id == entry_id and entry.finished and entry.include_in_report
    reopened = JournalModel(world.store, pid, load_exercises(), world.fw, None)
    reopened.open_entry(entry_id)
    assert reopened.answers == {ex.steps[0].id: "First thoughts"} and reopened.step == 1


def test_journal_and_self_assessment_share_one_stepper(world):
    """Both forms move with the same rules (kit.apps.stepped): a draft at every move,
    staying put at the ends, Go to refusing a step that does not exist."""
    from kit.apps.stepped import SteppedModel
    from kit.content import load_exercises

    pid = _fresh_participant(world)
    journal = JournalModel(world.store, pid, load_exercises(), world.fw, None)
    ex = next(e for e in journal.exercises if len(e.steps) >= 3)
    journal.start(ex.id)
    assessment = SelfAssessmentModel(world.store, pid, world.fw, world.round)
    for model in (journal, assessment):
        assert isinstance(model, SteppedModel)
        assert model.is_first and model.back() is False and model.step == 0
        model.go_to(model.n_steps - 1)
        assert model.is_last and model.next() is False
        assert model.current is model.steps[-1]
        for bad in (-1, model.n_steps, True, "2", 1.0):
            with pytest.raises(Refused, match="There is no step"):
                model.go_to(bad)
        assert model.step == model.n_steps - 1
    # a move keeps what was typed: the journal's Go to saves its draft
    journal.set_answer(ex.steps[0].id, "Typed, then moved")
    journal.go_to(1)
    (entry,) = world.store.list_reflections(pid)
    assert entry.answers[ex.steps[0].id] == "Typed, then moved"
    # and a reopened entry starts on its first prompt still to answer
    again = JournalModel(world.store, pid, load_exercises(), world.fw, None)
    again.open_entry(entry.id)
    assert again.step == 1 and again.first_gap() == 1


def test_journal_refuses_forged_input(world):
    from kit.content import load_exercises

    other = _fresh_participant(world)
    model = JournalModel(world.store, other, load_exercises(), world.fw, None)
    theirs = world.store.list_reflections(world.pid)[0].id
    with pytest.raises(Refused):
        model.open_entry(theirs)  # another participant's entry
    with pytest.raises(Refused):
        model.start("no-such-exercise")
    model.start(model.exercises[0].id)
    with pytest.raises(Refused):
        model.set_answer("not-a-step", "x")
    with pytest.raises(Refused):
        model.set_answer(model.current.id, "x" * 10_001)
    with pytest.raises(Refused):
        model.finish()  # empty


def test_entry_html_escapes_text(world):
    entry = world.store.list_reflections(world.pid)[0]
    out = entry_html(entry)
    assert XSS not in out and "&lt;script&gt;" in out


# -- action plan -----------------------------------------------------------------------
def test_overdue_commitments_come_first(world):
    m = ActionPlanModel(world.store, world.pid, world.fw, world.today)
    m.add("Later", "designing-around-people", dt.date(2026, 3, 10))
    rows = m.rows()
    assert rows[0].overdue and rows[0].commitment.due == dt.date(2026, 2, 1)
    assert [r.commitment.text for r in rows[1:]] == ["Later", "Call Sam"]
    m.review(rows[0].commitment.id, "done", "went well")
    rows = m.rows()
    assert not rows[0].overdue and rows[-1].commitment.status == "done"
    assert rows[-1].commitment.review_note == "went well"


@pytest.mark.parametrize("text, dim, due", [
    ("", "designing-around-people", dt.date(2026, 4, 1)),
    ("x", "made-up", dt.date(2026, 4, 1)),
    ("x", "designing-around-people", dt.date(2026, 3, 1)),
    ("x", "designing-around-people", "2026-04-01"),
    ("x" * 2001, "designing-around-people", dt.date(2026, 4, 1)),
])
def test_bad_commitments_are_refused(world, text, dim, due):
    m = ActionPlanModel(world.store, world.pid, world.fw, world.today)
    with pytest.raises(Refused):
        m.add(text, dim, due)
    assert len(world.store.list_commitments(world.pid)) == 2


def test_reviewing_someone_elses_commitment_is_refused(world):
    theirs = world.store.list_commitments(world.pid)[0].id
    m = ActionPlanModel(world.store, _fresh_participant(world), world.fw, world.today)
    with pytest.raises(Refused):
        m.review(theirs, "done")
    with pytest.raises(Refused):
        ActionPlanModel(world.store, world.pid, world.fw, world.today).review(theirs, "finished")


# -- partnership map ------------------------------------------------------------------
def test_partnership_figures(world):
    m = PartnershipModel(world.store, world.pid, world.today)
    f = m.figures()
    assert (f.people, f.sectors, f.weak_ties) == (2, 2, 1)
    assert f.weak_share == 0.5 and f.quiet == (f"Sam {XSS}",)
    rid = m.add("Jo", None, "Police and justice", "monthly", 3, 3)
    m.edit(rid, strength=1)
    assert m.figures().weak_ties == 2
    m.remove(rid)
    assert m.figures().people == 2


@pytest.mark.parametrize("fields", [
    dict(label="", organisation=None, sector="Housing", contact="weekly", strength=3, trust=3),
    dict(label="A", organisation=None, sector="Mars", contact="weekly", strength=3, trust=3),
    dict(label="A", organisation=None, sector="Housing", contact="hourly", strength=3, trust=3),
    dict(label="A", organisation=None, sector="Housing", contact="weekly", strength=6, trust=3),
    dict(label="A", organisation=None, sector="Housing", contact="weekly", strength=3, trust=True),
])
def test_bad_relationships_are_refused(world, fields):
    with pytest.raises(Refused):
        PartnershipModel(world.store, world.pid, world.today).add(**fields)


def test_editing_someone_elses_relationship_is_refused(world):
    theirs = world.store.list_relationships(world.pid)[0].id
    m = PartnershipModel(world.store, _fresh_participant(world), world.today)
    with pytest.raises(Refused):
        m.edit(theirs, strength=1)
    with pytest.raises(Refused):
        m.remove(theirs)
    with pytest.raises(Refused):
        PartnershipModel(world.store, world.pid, world.today).edit(theirs, owner="me")


# -- my data -----------------------------------------------------------------------------
def test_erase_needs_the_word(world):
    import json

    m = MyDataModel(world.store, world.pid)
    data = json.loads(m.export_json())
    assert data  # something to download
    for typed in ("", "erase", "ERASE please", None):
        with pytest.raises(Refused):
            m.erase(typed)
    assert world.store.list_relationships(world.pid)
    m.erase(" ERASE ")
    assert m.erased and world.store.list_relationships(world.pid) == []
    with pytest.raises(Refused):
        m.export()


# -- identity ------------------------------------------------------------------------------
def test_cookie_parsing():
    assert resume_code_from_cookie("x=1; kit_resume=K7QF-2MRX-9WZD-HT4P") == "K7QF-2MRX-9WZD-HT4P"
    assert resume_code_from_cookie(None) is None
    assert resume_code_from_cookie("kit_resume=\"<script>\"") is None
    assert resume_code_from_cookie("other=1") is None


def test_remember_script_is_strict_and_quoted():
    js = remember_me_script("K7QF-2MRX-9WZD-HT4P")
    assert "SameSite=Strict" in js and '"K7QF-2MRX-9WZD-HT4P"' in js
    with pytest.raises(Refused):
        remember_me_script("'); alert(1); ('")


def _settings(demo=False):
    return Settings(data_dir=None, database_url="sqlite://", demo=demo)


def test_resolve_order_hub_then_cookie_then_nobody(world):
    code = world.visitor.resume_code
    v = resolve_visitor(world.store, {"JUPYTERHUB_USER": "alice", "HTTP_COOKIE": f"kit_resume={code}"},
                        _settings())
    assert v.how == "hub" and v.participant.hub_user == "alice"
    v = resolve_visitor(world.store, {"HTTP_COOKIE": f"kit_resume={code}"}, _settings())
    assert v.how == "cookie" and v.participant_id == world.pid
    stale = "kit_resume=AAAA-BBBB-CCCC-DDDD"
    assert resolve_visitor(world.store, {"HTTP_COOKIE": stale}, _settings()) is None
    assert resolve_visitor(world.store, {}, _settings()) is None


def test_sign_in_refuses_bad_codes(world):
    from kit.store import CodeError

    s = SignInModel(world.store)
    with pytest.raises(Refused):
        s.join("")
    with pytest.raises(Refused):
        s.resume("<script>alert(1)</script>")
    with pytest.raises(CodeError):
        s.resume("AAAA-BBBB-CCCC-DDDD")
    assert s.resume(world.visitor.resume_code).participant_id == world.pid


def test_models_on_every_database(store_url):
    from test_apps_support import make_world

    from kit.analysis.stored import load_profile

    w = make_world(store_url)
    try:
        profile, history = load_profile(w.store, w.pid, w.fw)
        assert profile.round_name == "Midpoint" and history["round"].nunique() == 2
        m = SelfAssessmentModel(w.store, _fresh_participant(w), w.fw, w.round)
        _fill(m)
        m.next()
        assert m.submit().id == m.submit().id
        plan = ActionPlanModel(w.store, w.pid, w.fw, w.today)
        assert plan.rows()[0].overdue
    finally:
        w.store.close()


def test_demo_mode_opens_the_demo_participant(world, monkeypatch):
    import sys
    import types

    fake = types.ModuleType("kit.demo")
    fake.seed_demo = lambda store: types.SimpleNamespace(resume_code=world.visitor.resume_code,
                                                        participant_id=world.pid)
    monkeypatch.setitem(sys.modules, "kit.demo", fake)
    v = resolve_visitor(world.store, {}, _settings(demo=True))
    assert v.how == "demo" and v.participant_id == world.pid
    # a hub user still wins over demo mode
    assert resolve_visitor(world.store, {"JUPYTERHUB_USER": "bob"}, _settings(demo=True)).how == "hub"


def test_items_written_for_some_role_levels_are_asked_only_at_those_levels(world):
    """A trainer's parallel forms (``role_levels``) reach only the levels they are written for;
    the steps' counts and the missing list follow what is asked."""
    import dataclasses

    fw = world.fw
    first = fw.dimensions[0]
    senior = dataclasses.replace(first.items[0], id="senior-form", role_levels=("executive",))
    front = dataclasses.replace(first.items[0], id="front-form", role_levels=("front-line",))
    dim = dataclasses.replace(first, items=(*first.items[:3], senior, front))
    tagged = dataclasses.replace(fw, dimensions=(dim, *fw.dimensions[1:]))
    pid = world.store.join(world.created.join_codes["North"], display_name=None,
                           organisation=None, sector=None, role_level="Front line").id
    m = SelfAssessmentModel(world.store, pid, tagged, world.round, save_drafts=False)
    shown = [i.id for i in m.shown_items(dim)]
    assert "front-form" in shown and "senior-form" not in shown
    assert m.step_progress(0)[1] == len(shown) + 1  # plus the importance question
    assert not any("senior-form" in line for line in m.missing())
    nobody = SelfAssessmentModel(world.store, _fresh_participant(world), tagged, world.round,
                                 save_drafts=False)
    assert [i.id for i in nobody.shown_items(dim)] == [i.id for i in dim.items
                                                       if not i.role_levels]
