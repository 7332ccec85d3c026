"""The exercises added for issue 25: asking a partner, reflection before and after a
partnership meeting, and working with people who use services as partners.

They are content, validated by the same pipeline as every exercise; these tests check that
each does the job it is shipped for, and that "Ask a partner" can be split around the
conversation itself (prepared, saved as a draft, finished afterwards).
"""

from __future__ import annotations

import pytest
from test_apps_support import world_in

from kit import _paths
from kit.apps.journal_model import JournalModel
from kit.content import load_exercise, load_exercises, validate_paths

NEW = ("ask-a-partner", "before-a-partnership-meeting", "after-a-partnership-meeting",
       "people-who-use-services-as-partners")


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)


def _words(ex) -> str:
    return " ".join(" ".join((s.prompt, s.help or "")) for s in ex.steps).lower()


@pytest.mark.parametrize("ident", NEW)
def test_new_exercises_are_shipped_and_valid(ident):
    path = _paths.exercises_dir() / f"{ident}.yaml"
    assert validate_paths([path]) == []
    assert ident in {e.id for e in load_exercises()}


def test_ask_a_partner_says_it_is_not_anonymous_and_the_partner_may_decline():
    ex = load_exercise("ask-a-partner")
    purpose = " ".join(ex.purpose.split()).lower()
    assert "not anonymous" in purpose and "first stage" in purpose
    assert "free to say no" in purpose
    # the choice of partner comes from the person's own partnership map
    assert "partnership map" in ex.steps[0].prompt.lower()
    assert ex.steps[0].stage == "what"


def test_ask_a_partner_walks_from_question_to_change():
    ex = load_exercise("ask-a-partner")
    ids = [s.id for s in ex.steps]
    # preparing the question, the conversation, how I listened, what I heard, what I change
    assert ids == ["who-to-ask", "my-question", "the-conversation", "how-i-listened",
                   "what-i-heard", "what-i-will-change"]
    question = ex.step("my-question")
    assert "open" in question.help.lower() and "decline" in question.prompt.lower()
    listened = ex.step("how-i-listened")
    assert listened.stage == "so-what" and "without defending" in listened.help.lower()
    change = ex.step("what-i-will-change")
    assert change.stage == "now-what" and "tell them" in change.prompt.lower()
    # a declined request is part of the exercise, not a failure of it
    assert "declined" in ex.step("the-conversation").help.lower()
    assert "conversations-that-change-things" in ex.dimensions


def test_ask_a_partner_is_prepared_then_finished_after_the_conversation(world):
    """Prepare the question, save, come back after the conversation: the journal reopens the
    draft at the conversation step, on the full exercise."""
    exercises = load_exercises()
    model = JournalModel(world.store, world.pid, exercises, world.fw, None)
    model.start("ask-a-partner")
    model.set_answer("who-to-ask", "JB, housing lead")
    model.set_answer("my-question", "What is it like to work with me on the hub?")
    entry = model.save_draft()
    assert entry is not None
    later = JournalModel(world.store, world.pid, exercises, world.fw, None)
    later.open_entry(entry)
    assert not later.finished and not later.short
    assert later.current.id == "the-conversation"
    assert later.answers["who-to-ask"] == "JB, housing lead"
    assert len(later.unanswered()) == 4


def test_before_and_after_a_meeting_are_a_short_pair():
    before = load_exercise("before-a-partnership-meeting")
    after = load_exercise("after-a-partnership-meeting")
    assert before.minutes <= 5 and after.minutes <= 10
    assert after.title in before.purpose and before.title in after.purpose
    assert before.dimensions == after.dimensions
    # before: what to notice in the moment; after: the moments noticed, or noticed too late
    assert "in the moment" in _words(before)
    assert "as it happened" in _words(after) and "only noticed afterwards" in _words(after)
    # reflection while acting is named for the facilitator, not left implicit
    assert "reflection while acting" in after.facilitator_notes.lower()


def test_people_who_use_services_as_partners_adds_what_the_journeys_lack():
    ex = load_exercise("people-who-use-services-as-partners")
    journeys = [load_exercise("service-user-journey"), load_exercise("service-user-journey-together")]
    words = _words(ex)
    # the journeys trace a path; this one asks who gets a say, and keeps people anonymous
    assert "who set the questions, who decided, and who could say no" in words
    assert "anonymous" in words and "anonymous" in ex.facilitator_notes.lower()
    assert "paid" in words
    for journey in journeys:
        assert "who could say no" not in _words(journey)
    assert "designing-around-people" in ex.dimensions
    assert ex.model == "gibbs" and ex.has_short_path and ex.short_minutes == 10
