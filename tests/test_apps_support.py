"""Shared set-up for the participant app tests: a store holding one participant's work.

``make_world(url)`` builds a cohort with two rounds, a participant who answered in both,
reflections, commitments and relationships. Imported by the other ``test_apps_*`` files.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

FRAMEWORK = "collaboration-behaviours"
XSS = "<script>alert(1)</script>"


def answers_for(fw, value_for):
    """Answers for every item: ``value_for(item)`` gives the value."""
    return {i.id: value_for(i) for i in fw.items}


def make_world(url: str, *, name: str = "Ann") -> SimpleNamespace:
    from kit.apps.identity import SignInModel
    from kit.content import load_exercises, load_framework
    from kit.store import Store

    fw = load_framework(FRAMEWORK)
    store = Store(url)
    created = store.create_cohort("Spring", groups=["North"], rounds=["Baseline", "Midpoint"])
    cohort_id = created.cohort_id
    visitor = SignInModel(store).join(created.join_codes["North"], name)
    pid = visitor.participant_id
    importance = {d.id: 3 for d in fw.dimensions if d.ask_importance}
    base = store.open_round(cohort_id, "Baseline")  # after joining: counted
    # Baseline: 2 everywhere, except showing up at 4.
    first = answers_for(fw, lambda i: 4 if fw.dimension_of(i.id).id == "showing-up-in-partners-spaces" else 2)
    store.submit_response(pid, FRAMEWORK, base.id, first, importance, key="k-baseline")
    store.close_round(cohort_id, "Baseline")
    store.open_round(cohort_id, "Midpoint")
    mid = store.current_round(cohort_id)
    second = answers_for(fw, lambda i: 4)
    importance2 = dict(importance, **{"conversations-that-change-things": 5})
    # conversations: importance 5, and rated 2 -> a priority
    for item in fw.dimension("conversations-that-change-things").items:
        second[item.id] = 2 if not item.reverse else 4
    store.submit_response(pid, FRAMEWORK, mid.id, second, importance2, key="k-mid")
    ex = load_exercises()[0]
    store.save_reflection(pid, ex.id, {ex.steps[0].id: f"I felt {XSS}"}, finished=True,
                          include_in_report=True)
    store.add_commitment(pid, f"Visit the hub {XSS}", "showing-up-in-partners-spaces",
                         dt.date(2026, 2, 1))
    store.add_commitment(pid, "Call Sam", "getting-to-know-people", dt.date(2026, 4, 1))
    store.add_relationship(pid, f"Sam {XSS}", "City Council", "Local council", "rarely", 2, 4)
    store.add_relationship(pid, "Priya", "Trust", "NHS and health", "weekly", 5, 5)
    return SimpleNamespace(store=store, fw=fw, visitor=visitor, pid=pid, cohort_id=cohort_id,
                           created=created, round=mid, today=dt.date(2026, 3, 2))


def world_in(tmp_path):
    """Generator for a ``world`` fixture: the world, closed afterwards."""
    w = make_world(f"sqlite:///{tmp_path / 'kit.db'}")
    yield w
    w.store.close()


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)


def test_world_holds_two_rounds_of_answers(world):
    scores = world.store.participant_scores(world.pid, FRAMEWORK)
    assert set(scores["round"]) == {"Baseline", "Midpoint"}
