"""A phone-first flow: collapsibles that are real buttons, thanks in each app's own words, a
second tap on Add that changes nothing, and no step skipped silently."""

from __future__ import annotations

import re

import ipywidgets as W
import pytest
from test_apps_support import world_in

from kit.apps.identity import SignInModel


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)


def _walk(widget):
    stack = [widget]
    while stack:
        w = stack.pop()
        yield w
        stack.extend(getattr(w, "children", ()))


def _summaries(widget) -> list[str]:
    return [m for w in _walk(widget) if isinstance(w, W.HTML)
            for m in re.findall(r"<summary>(.*?)</summary>", w.value)]


def test_every_collapsible_is_a_details_element_not_an_accordion(world):
    """An ipywidgets Accordion header cannot be reached by keyboard; a <summary> can."""
    from kit.apps.journal import JournalApp
    from kit.apps.start import StartApp

    start = StartApp(world.store, None)
    journal = JournalApp(world.store, world.visitor)
    for app in (start, StartApp(world.store, world.visitor), journal):
        assert not [w for w in _walk(app) if isinstance(w, W.Accordion)]
    titles = _summaries(start)
    assert "The idea behind the kit" in titles
    for d in start.framework.dimensions:
        assert any(d.title.replace("'", "&#x27;") in t or d.title in t for t in titles), d.title
    entries = _summaries(journal.past)
    assert entries and all(": " in t for t in entries)
    # user text in a title stays text
    assert "<script>" not in "".join(entries)


def test_health_check_thanks_in_its_own_words(world):
    from kit.apps.health_check import HealthCheckApp
    from kit.apps.self_assessment import SelfAssessmentApp

    assert HealthCheckApp.saved_message != SelfAssessmentApp.saved_message
    assert "self-assessment" not in HealthCheckApp.saved_message
    assert "health check" in HealthCheckApp.saved_message


def test_a_second_tap_on_add_person_keeps_the_success(world):
    from kit.apps.partnership import PartnershipApp

    app = PartnershipApp(world.store, world.visitor, today=world.today)
    before = len(world.store.list_relationships(world.pid))
    app.label.value = "Health visitor"
    app.save.click()
    assert app.messages.kind == "success"
    app.save.click()  # the second tap of a double tap: the form is empty by now
    assert app.messages.kind == "success" and "Added Health visitor" in app.messages.text
    assert len(world.store.list_relationships(world.pid)) == before + 1
    app.save.click()  # a third, deliberate press on an empty form still changes nothing
    app.label.value = ""
    assert len(world.store.list_relationships(world.pid)) == before + 1


def test_a_second_tap_on_add_commitment_keeps_the_success(world):
    import datetime as dt

    from kit.apps.action_plan import ActionPlanApp

    app = ActionPlanApp(world.store, world.visitor, today=world.today)
    before = len(world.store.list_commitments(world.pid))
    app.text.value = "Visit the day centre"
    app.due.value = dt.date(2026, 4, 1)
    add = next(w for w in _walk(app) if isinstance(w, W.Button)
               and w.description == "Add commitment")
    add.click()
    assert app.messages.text == "Commitment added."
    add.click()
    assert app.messages.text == "Commitment added."
    assert len(world.store.list_commitments(world.pid)) == before + 1
    # adding on purpose still works, and an empty one is still refused with a reason
    app.text.value = "Call Priya"
    app.due.value = dt.date(2026, 4, 2)
    add.click()
    assert len(world.store.list_commitments(world.pid)) == before + 2


def test_an_empty_first_add_is_still_explained(world):
    from kit.apps.partnership import PartnershipApp

    app = PartnershipApp(world.store, world.visitor, today=world.today)
    app.save.click()
    assert app.messages.kind == "error"


def test_next_lists_what_is_missing_on_the_step_before_leaving_it(world):
    from kit.apps.self_assessment import SelfAssessmentApp

    app = SelfAssessmentApp(world.store, SignInModel(world.store).private("private:skip"))
    dim = app.model.dimension
    first = dim.items[0]
    app.items[first.id].buttons.value = 3
    app.stepper.next.click()
    assert app.model.step == 0 and app.messages.kind == "warning"
    missing = app.model.step_missing()
    assert first.text not in missing and len(missing) == len(app.messages.value.split("<li>")) - 1
    app.stepper.back.click()  # nothing to go back to; the warning is forgotten
    app.stepper.next.click()
    assert app.model.step == 0  # warned again, not skipped
    app.stepper.next.click()
    assert app.model.step == 1
    # a step answered in full moves at the first press
    for item in app.model.dimension.items:
        app.items[item.id].buttons.value = 4
    if app.importance is not None and app.model.dimension.ask_importance:
        app.importance.buttons.value = 4
    app.stepper.next.click()
    assert app.model.step == 2
