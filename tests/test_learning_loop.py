"""Closing the learning loop: the journal's short path and durations, "Make this a
commitment" into the action plan, and "reviewing a commitment" offered when one is done or
dropped. Also "what it is not" and "based on N of M" where people read their profile."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html

import ipywidgets as W
import pytest
from test_apps_support import XSS, world_in

from kit.apps.action_plan import ActionPlanApp
from kit.apps.action_plan_model import ActionPlanModel
from kit.apps.errors import Refused
from kit.apps.journal import JournalApp
from kit.apps.journal_model import JournalModel
from kit.apps.links import (
    commitment_from_entry_link,
    query_int,
    query_params,
    review_commitment_link,
)
from kit.apps.self_assessment import ProfileView
from kit.apps.start import StartApp
from kit.content import load_exercise, load_exercises


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)


def _html(widget) -> str:
    out, stack = [], [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, W.HTML):
            out.append(w.value)
        if isinstance(w, W.Accordion):
            out.extend(str(w.get_title(i)) for i in range(len(w.children)))
        stack.extend(getattr(w, "children", ()))
    return "\n".join(out)


def _buttons(widget) -> list[W.Button]:
    out, stack = [], [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, W.Button):
            out.append(w)
        stack.extend(getattr(w, "children", ()))
    return out


# -- links ------------------------------------------------------------------------------------
def test_links_carry_ids_only():
    assert commitment_from_entry_link(12) == "04_action_plan.ipynb?from_entry=12"
    assert review_commitment_link(4) == ("02_reflection_journal.ipynb?exercise="
                                         "reviewing-a-commitment&commitment=4")
    assert query_params("from_entry=3&from_entry=9") == {"from_entry": "3"}
    for bad in ("", "x", "-1", "1.5", "١٢", "9" * 20):
        assert query_int({"n": bad}, "n") is None
    assert query_int({"n": "42"}, "n") == 42


# -- the journal's short path and durations ---------------------------------------------------
def test_short_path_follows_only_the_essential_steps(world):
    model = JournalModel(world.store, world.pid, load_exercises(), world.fw, None)
    ex = load_exercise("my-comfort-blankets")
    model.start(ex.id, short=True)
    assert model.short and model.n_steps == len(ex.short_steps) < len(ex.steps)
    seen = [model.current.id]
    for step in model.steps:
        model.set_answer(step.id, f"answer to {step.id}")
    while model.next():
        seen.append(model.current.id)
    assert seen == [s.id for s in ex.short_steps]
    assert model.current.stage == "action-plan"
    entry = model.finish()
    # reopened, the entry is on the short path again, with nothing left to fill in
    again = JournalModel(world.store, world.pid, load_exercises(), world.fw, None)
    again.open_entry(entry)
    assert again.short and again.unanswered() == []
    # the full path, and exercises without a short path, ignore the short choice
    model.start(ex.id)
    assert not model.short and model.n_steps == len(ex.steps)
    model.start("what-will-i-do-monday", short=True)
    assert not model.short
    with pytest.raises(Refused):
        model.start(ex.id, short="yes")


def test_journal_says_how_long_each_exercise_takes(world):
    app = JournalApp(world.store, world.visitor)
    labels = dict((value, label) for label, value in app.choice.options)
    for ex in load_exercises():
        assert f"about {ex.minutes} minutes" in labels[ex.id]
        if ex.model == "gibbs":
            assert f"or {ex.short_minutes} on the short path" in labels[ex.id]
    app.choice.value = "working-around-a-split-budget"
    assert app.short.layout.display != "none" and "about 10 minutes" in app.short.description
    app.short.value = True
    app._start()
    assert app.model.short and app.model.n_steps == len(
        load_exercise("working-around-a-split-budget").short_steps)
    app.choice.value = "who-i-have-not-met"  # Driscoll, no short path
    assert app.short.layout.display == "none" and app.short.value is False


# -- "Make this a commitment" -----------------------------------------------------------------
def test_make_this_a_commitment_fills_in_the_action_plan(world):
    model = JournalModel(world.store, world.pid, load_exercises(), world.fw, None)
    model.start("working-around-a-split-budget", short=True)
    with pytest.raises(Refused, match="last prompt"):
        while model.next():
            pass
        model.make_commitment()
    model.set_answer(model.current.id, f"  Ask the finance lead about a pooled pilot {XSS}  ")
    link = model.make_commitment()
    assert link == commitment_from_entry_link(model.entry_id)
    plan = ActionPlanModel(world.store, world.pid, world.fw, world.today)
    text, dimension = plan.prefill_from_entry(model.entry_id, load_exercises())
    assert text == f"Ask the finance lead about a pooled pilot {XSS}"
    assert dimension == "working-through-split-systems"


def test_prefill_refuses_someone_elses_entry(world):
    from kit.apps.identity import SignInModel

    other = SignInModel(world.store).join(world.created.join_codes["North"], "Bo").participant_id
    theirs = world.store.save_reflection(other, "what-will-i-do-monday", {"monday": "secret"})
    plan = ActionPlanModel(world.store, world.pid, world.fw, world.today)
    for bad in (theirs, 10_000, "1", None, True):
        with pytest.raises(Refused):
            plan.prefill_from_entry(bad, load_exercises())


def test_journal_last_step_button_and_action_plan_page(world, monkeypatch):
    app = JournalApp(world.store, world.visitor)
    app.choice.value = "what-will-i-do-monday"
    app._start()
    while app.model.next():
        pass
    app.render_step()
    button = [b for b in _buttons(app.area) if b.description == "Make this a commitment"]
    assert button, "the last step offers 'Make this a commitment'"
    app.prompt.text.value = f"Go to the hub on Monday {XSS}"
    button[0].click()
    assert app.commit_link.value.count("href='04_action_plan.ipynb?from_entry=") == 1
    entry_id = app.model.entry_id
    # the action plan page opened at that address has the text filled in, unescaped in the box
    monkeypatch.setenv("QUERY_STRING", f"from_entry={entry_id}")
    plan = ActionPlanApp(world.store, world.visitor, today=world.today)
    assert plan.text.value == f"Go to the hub on Monday {XSS}"
    assert plan.dimension.value == load_exercise("what-will-i-do-monday").dimensions[0]
    assert "Filled in from your journal entry" in plan.messages.text
    # a forged address fills in nothing and says why
    monkeypatch.setenv("QUERY_STRING", "from_entry=999999")
    forged = ActionPlanApp(world.store, world.visitor, today=world.today)
    assert forged.text.value == "" and forged.messages.kind == "warning"


# -- reviewing a commitment --------------------------------------------------------------------
def test_done_or_dropped_commitment_offers_the_review_exercise(world, monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    app = ActionPlanApp(world.store, world.visitor, today=world.today)
    # nothing done yet, but one commitment has reached its date: its review is offered
    first = app.model.rows()[0].commitment
    assert first.due < world.today and first.status == "open"
    assert _html(app.list_box).count("exercise=reviewing-a-commitment") == 1
    app._review(first.id, "done", "")
    assert "Reflect on it" in app.messages.text
    links = _html(app.list_box)
    assert links.count("exercise=reviewing-a-commitment") == 1
    assert f"commitment={first.id}'" in links
    second = [r.commitment for r in app.model.rows() if r.commitment.status == "open"][0]
    app._review(second.id, "in_progress", "")
    assert _html(app.list_box).count("exercise=reviewing-a-commitment") == 1
    app._review(second.id, "dropped", "")
    assert _html(app.list_box).count("exercise=reviewing-a-commitment") == 2
    # following the link opens the journal on that exercise, showing the commitment
    monkeypatch.setenv("QUERY_STRING", f"exercise=reviewing-a-commitment&commitment={first.id}")
    journal = JournalApp(world.store, world.visitor)
    assert journal.choice.value == "reviewing-a-commitment"
    assert "The commitment you are reviewing" in journal.reviewing.value
    assert XSS not in journal.reviewing.value  # the commitment text is escaped
    # someone else's commitment id shows nothing
    monkeypatch.setenv("QUERY_STRING", "exercise=reviewing-a-commitment&commitment=99999")
    assert JournalApp(world.store, world.visitor).reviewing.value == ""


def test_a_review_is_offered_at_the_due_date_whatever_the_status_and_listed_on_start_here(
        world, monkeypatch):
    from kit.apps.action_plan_model import due_reviews, review_due
    from kit.config import get_settings

    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.setenv("KIT_TODAY", world.today.isoformat())
    get_settings.cache_clear()
    try:
        due = due_reviews(world.store, world.pid, world.today)
        assert [c.text for c in due] == [f"Visit the hub {XSS}"]
        start = _html(StartApp(world.store, world.visitor))
        assert "Reviews due" in start and f"commitment={due[0].id}'" in start
        assert XSS not in start  # the commitment text is escaped
        # before its date a commitment is not due; from its date it is, whatever its status
        for status in ("open", "in_progress"):
            c = dataclasses.replace(due[0], status=status)
            assert review_due(c, c.due) and not review_due(c, c.due - dt.timedelta(days=1))
        # reviewing it (here: still in progress) closes it until the next due date
        world.store.review_commitment(world.pid, due[0].id, "in_progress", "Half done.")
        assert due_reviews(world.store, world.pid, world.today) == []
        assert "Reviews due" not in _html(StartApp(world.store, world.visitor))
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


# -- what it is not; based on N of M -----------------------------------------------------------
def test_tour_and_profile_show_what_each_area_is_not(world):
    start = StartApp(world.store)
    tour = _html(start.tour)
    view = ProfileView(world.store, world.pid, world.fw)
    table = _html(view)
    for d in world.fw.dimensions:
        assert d.what_it_is_not
        assert html.escape(d.what_it_is_not) in tour
        assert html.escape(d.what_it_is_not) in table
    assert table.count("based on ") >= len(world.fw.dimensions)
    first = world.fw.dimensions[0]
    n = len(first.scored_items)  # check items and events are counted beside the score
    assert f"based on {n} of {n} statements" in table
    assert "Habit to watch: " in table
    # the change section shows what was committed to in each area, escaped
    assert "What you committed to, by area" in table
    assert html.escape(f"Visit the hub {XSS}") in table and XSS not in table
    spaces = world.fw.dimension("showing-up-in-partners-spaces").title
    assert table.index(html.escape(spaces)) < table.index(html.escape(f"Visit the hub {XSS}"))


def test_personal_report_shows_based_on_and_what_it_is_not(world):
    from kit.report.personal import personal_report_html

    page = personal_report_html(world.store, world.pid, today=dt.date(2026, 3, 2))
    assert "based on " in page and "What it is not" in page
    assert "What you committed to, by area" in page and "Habit to watch: " in page


# -- the idea behind the kit -------------------------------------------------------------------
def _words(text: str) -> list[str]:
    import re

    return re.findall(r"[a-z']+", re.sub(r"<[^>]+>", " ", text.lower()))


def test_start_here_sets_out_the_idea_behind_the_kit(world):
    from kit.apps.start import IDEA_HTML, IDEA_SOURCE

    app = StartApp(world.store)
    page = _html(app.idea)
    assert "The idea behind the kit" in page and html.escape(IDEA_SOURCE) in page
    text = " ".join(_words(IDEA_HTML))
    for point in ("everything else rests on it",        # underpins everything else
                  "every level", "not better",         # leaders at every level, not "better"
                  "human process", "task led",         # different rules from task-led management
                  "hard and takes time"):              # real connection is hard and slow
        assert point in text, point
    # attributed in one line, and the rest is in the kit's own words: no run of eight words
    # is lifted from the source
    assert "Claire and Simon" in IDEA_SOURCE and "\n" not in IDEA_SOURCE
    from pathlib import Path

    seed = Path("/work/shared/seed/partnership-working-blog.txt")
    if seed.exists():
        source = " ".join(_words(seed.read_text()))
        words = _words(IDEA_HTML)
        runs = {" ".join(words[i:i + 8]) for i in range(len(words) - 7)}
        assert not [r for r in runs if r in source]
    # shown before and after signing in
    assert app.idea in app.content.children
    app.signed_in(world.visitor)
    assert app.idea in app.content.children


def test_a_review_stores_its_commitment_and_a_commitment_from_it_keeps_the_area(world, monkeypatch):
    """Review a commitment from its link: the entry records which commitment it reviews, and
    "Make this a commitment" from that review keeps the reviewed commitment's area (the review
    exercise itself names other areas)."""
    monkeypatch.delenv("QUERY_STRING", raising=False)
    reviewed = next(c for c in world.store.list_commitments(world.pid)
                    if c.dimension_id == "showing-up-in-partners-spaces")
    exercise = load_exercise("reviewing-a-commitment")
    assert exercise.dimensions[:1] != ("showing-up-in-partners-spaces",)
    monkeypatch.setenv("QUERY_STRING",
                       f"exercise=reviewing-a-commitment&commitment={reviewed.id}")
    journal = JournalApp(world.store, world.visitor)
    model = journal.model
    model.start("reviewing-a-commitment")
    for step in model.steps:
        model.set_answer(step.id, f"Answer to {step.id}")
    entry_id = model.finish()
    entry = next(e for e in world.store.list_reflections(world.pid) if e.id == entry_id)
    assert entry.commitment_id == reviewed.id
    # another exercise written on the same page is not a review of anything
    model.start("what-will-i-do-monday")
    model.set_answer(model.steps[0].id, "Something")
    other = model.finish()
    assert next(e for e in world.store.list_reflections(world.pid)
                if e.id == other).commitment_id is None
    monkeypatch.setenv("QUERY_STRING", f"from_entry={entry_id}")
    plan = ActionPlanApp(world.store, world.visitor, today=world.today)
    assert plan.dimension.value == "showing-up-in-partners-spaces"
    # someone else's commitment cannot be linked
    import pytest as _pytest

    from kit.store.errors import NotFound
    with _pytest.raises(NotFound):
        world.store.save_reflection(world.pid, "reviewing-a-commitment", {"a": "b"},
                                    commitment_id=999999)


# -- the then-test: "looking back, how often did you do this before the programme?" ------------
def test_then_test_is_asked_from_the_second_round_kept_and_shown_beside_the_first_score(
        world, monkeypatch, tmp_path):
    from kit.analysis.stored import load_profile
    from kit.apps.identity import SignInModel
    from kit.apps.self_assessment import SelfAssessmentApp
    from kit.apps.self_assessment_model import SelfAssessmentModel
    from kit.content import load_framework
    from kit.report.personal import personal_report_html

    monkeypatch.delenv("QUERY_STRING", raising=False)
    fw, store = world.fw, world.store
    # someone answering for the first time is not asked; nor is the team health check
    newcomer = SignInModel(store).join(world.created.join_codes["North"], "Cy").participant_id
    first_time = SelfAssessmentModel(store, newcomer, fw, world.round)
    assert not first_time.asks_then
    with pytest.raises(Refused):
        first_time.set_then(fw.dimensions[0].id, 2)
    team = load_framework("partnership-health-check")
    assert not SelfAssessmentModel(store, world.pid, team, world.round).asks_then
    # a later round asks it, once per area, and it is optional
    model = SelfAssessmentModel(store, world.pid, fw, world.round)
    assert model.asks_then
    spaces, people = "showing-up-in-partners-spaces", "getting-to-know-people"
    for bad in (0, 5, True, "2", 2.0, [], 99):
        with pytest.raises(Refused):
            model.set_then(spaces, bad)
    with pytest.raises(Refused):
        model.set_then("no-such-area", 1)
    model.set_then(spaces, 1)
    model.set_then(people, None)  # "Not sure"
    model.save_draft()
    again = SelfAssessmentModel(store, world.pid, fw, world.round)
    assert again.then == {spaces: 1, people: None} and again.restored
    # the form shows the question on every step, with "Not sure"
    app = SelfAssessmentApp(store, world.visitor, today=world.today)
    assert app.model.then == {spaces: 1, people: None}
    app._again()
    assert app.model.asks_then and app.looking_back.buttons.description == (
        "Looking back, how often did you do this before the programme?")
    assert "Not sure" in [label for label, _v in app.looking_back.buttons.options]
    # submitted with the answers; the submission keeps it
    latest = store.latest_response(world.pid, fw.id, world.round.id)
    for k, v in latest[1].items():
        again.set_answer(k, v)
    for k, v in latest[2].items():
        again.set_importance(k, v)
    sub = again.submit()
    assert store.submission_then(sub.id) == {spaces: 1, people: None}
    # the profile shows it beside the first round's score, and so does the report
    profile, _history = load_profile(store, world.pid, fw)
    looked = {b.dimension_id: b for b in profile.looking_back}
    assert set(looked) == {spaces, people}
    assert looked[spaces].label == fw.scale.label(1) and looked[spaces].earlier_round == "Baseline"
    assert looked[spaces].earlier_score == 4.0 and looked[people].earlier_score == 2.0
    assert "you rated your starting point \u201cNot at all\u201d" in looked[spaces].text
    assert "Baseline, your first round, was 4.0" in looked[spaces].text
    assert "not sure" in looked[people].text
    page = _html(ProfileView(store, world.pid, fw))
    assert "Looking back" in page and html.escape(looked[spaces].text) in page
    report = personal_report_html(store, world.pid, today=dt.date(2026, 3, 2))
    assert html.escape(looked[spaces].text) in report
    # the person's own copy of their data has it; erasing them removes it
    import csv

    store.export_participant_files(world.pid, tmp_path / "mine")
    with (tmp_path / "mine" / "looking_back.csv").open(encoding="utf-8") as fh:
        rows = {r["dimension_id"]: r["looking_back"] for r in csv.DictReader(fh)}
    assert rows == {spaces: "1", people: "Not sure"}
    import sqlalchemy as sa

    from kit.store import tables as t

    store.erase_participant(world.pid)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.then_ratings)).scalar() == 0


def test_a_commitment_can_be_moved_to_another_date_by_its_owner_only(world):
    from kit.apps.action_plan_model import due_reviews
    from kit.store.errors import InvalidResponse, NotFound

    later = next(c for c in world.store.list_commitments(world.pid) if c.text == "Call Sam")
    assert later.due > world.today and later not in due_reviews(world.store, world.pid,
                                                                world.today)
    world.store.change_commitment_due(world.pid, later.id, world.today - dt.timedelta(days=1))
    assert "Call Sam" in [c.text for c in due_reviews(world.store, world.pid, world.today)]
    for bad in ("2026-01-01", 3, True):
        with pytest.raises(InvalidResponse):
            world.store.change_commitment_due(world.pid, later.id, bad)
    with pytest.raises(NotFound):
        world.store.change_commitment_due(world.pid + 1000, later.id, world.today)
