"""Each app builds its widgets against a real SQLite store, and shows user text escaped."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import pytest
from test_apps_support import XSS, world_in

from kit.apps.action_plan import ActionPlanApp
from kit.apps.identity import SignInModel
from kit.apps.journal import JournalApp
from kit.apps.my_data import MyDataApp
from kit.apps.my_report import MyReportApp
from kit.apps.partnership import PartnershipApp
from kit.apps.self_assessment import SelfAssessmentApp
from kit.apps.start import StartApp
from kit.forms import RatedItem


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)



def _html(widget) -> str:
    """All HTML shown anywhere inside a widget tree."""
    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, W.HTML):
            out.append(w.value)
        if isinstance(w, W.Accordion):
            out.extend(str(w.get_title(i)) for i in range(len(w.children)))
        stack.extend(getattr(w, "children", ()))
    return "\n".join(out)


def _no_raw_script(widget):
    text = _html(widget)
    assert XSS not in text
    return text


APPS = [StartApp, SelfAssessmentApp, JournalApp, PartnershipApp, ActionPlanApp, MyReportApp, MyDataApp]


@pytest.mark.parametrize("cls", APPS)
def test_every_app_has_a_stable_repr_and_builds(world, cls):
    app = cls(world.store, world.visitor)
    assert "0x" not in repr(app) and repr(app) == repr(cls(world.store, world.visitor))
    assert app.visitor.participant_id == world.pid
    _no_raw_script(app)


@pytest.mark.parametrize("cls", APPS)
def test_without_a_visitor_each_app_offers_sign_in(world, cls):
    from kit.apps.signin import SignInPanel

    app = cls(world.store, None)
    panel = next(c for c in app.content.children if isinstance(c, SignInPanel))
    panel.resume_code.value = world.visitor.resume_code
    panel.resume_button.click()
    assert app.visitor is not None and app.visitor.participant_id == world.pid


def test_join_shows_the_resume_code_and_remember_me(world):
    from kit.apps.signin import RememberMe, SignInPanel

    app = StartApp(world.store, None)
    panel = next(c for c in app.content.children if isinstance(c, SignInPanel))
    panel.join_code.value = world.created.join_codes["North"]
    panel.name.value = XSS
    panel.join_button.click()
    remember = next(c for c in app.content.children if isinstance(c, RememberMe))
    assert app.visitor.resume_code in remember.code_html.value
    remember.remember.click()
    assert remember.messages.kind == "success"
    assert "&lt;script&gt;" in _no_raw_script(app)  # the name, escaped in the welcome


def test_sign_in_with_a_wrong_code_shows_a_friendly_error(world):
    from kit.apps.signin import SignInPanel

    app = JournalApp(world.store, None)
    panel = next(c for c in app.content.children if isinstance(c, SignInPanel))
    panel.resume_code.value = "AAAA-BBBB-CCCC-DDDD"
    panel.resume_button.click()
    assert app.visitor is None and panel.messages.kind == "error"
    assert "Traceback" not in panel.messages.value


def test_self_assessment_click_through_submits_once(world):
    app = SelfAssessmentApp(world.store, SignInModel(world.store).private("private:widget-test"))
    assert app.stepper.back.disabled and f"Step 1 of {len(app.framework.dimensions)}" in app.stepper.heading.value
    app.stepper.next.click()  # nothing answered yet: drafts are fine
    app.stepper.back.click()
    for _ in app.framework.dimensions:
        for item in app.items.values():
            item.buttons.value = 4
        app.importance.buttons.value = 5
        app.stepper.next.click()
    assert app.model.submission is not None
    assert app.messages.kind == "success"
    assert "Here is your profile" in _html(app)
    assert len(world.store.list_submissions(app.participant_id)) == 1


def test_self_assessment_names_missing_items(world):
    app = SelfAssessmentApp(world.store, SignInModel(world.store).private("private:missing"))
    for _ in range(app.model.n_steps - 1):
        app.stepper.next.click()
    app.stepper.next.click()  # submit with nothing answered
    assert app.model.submission is None and app.messages.kind == "warning"
    assert app.model.step == 0 and "Step 1" in app.messages.value
    first = next(iter(app.items.values()))
    assert "kit-missing" in first._dom_classes


def test_rated_item_not_observed_is_none(world):
    item = world.fw.items[0]
    seen = []
    w = RatedItem(item, world.fw.scale, 1, on_change=lambda i, v: seen.append((i, v)))
    assert not w.answered
    w.buttons.value = "n/a"
    assert w.answered and w.answer is None and seen == [(item.id, None)]
    assert [o[0] for o in w.buttons.options][-1] == world.fw.scale.not_applicable


def test_journal_writes_and_escapes(world):
    app = JournalApp(world.store, world.visitor)
    assert "(suggested for you)" in app.choice.options[0][0]
    app._start()
    app.prompt.text.value = XSS
    app._finish()
    assert app.messages.kind == "success"
    text = _no_raw_script(app)
    assert text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2


def test_partnership_add_edit_remove(world):
    app = PartnershipApp(world.store, world.visitor)
    assert "&lt;script&gt;" in _no_raw_script(app)
    app.label.value = XSS
    app.sector.value = "Housing"
    app.save.click()
    assert app.messages.kind == "success" and len(app.model.relationships()) == 3
    rid = app.pick.value
    app.strength.value = 1
    app.save.click()
    assert app.model.store.list_relationships(world.pid)[-1].strength == 1
    app.pick.value = rid
    app.remove.click()
    assert len(app.model.relationships()) == 2
    _no_raw_script(app)


def test_action_plan_add_and_review(world):
    app = ActionPlanApp(world.store, world.visitor, today=world.today)
    assert "Overdue" in app.list_box.children[0].children[0].value
    app.text.value = XSS
    app.due.value = dt.date(2026, 3, 20)
    app._add()
    assert app.messages.kind == "success"
    app.due.value = dt.date(2020, 1, 1)
    app.text.value = "old"
    app._add()
    assert app.messages.kind == "error" and "past" in app.messages.text
    first = app.model.rows()[0].commitment.id
    app._review(first, "done", XSS)
    _no_raw_script(app)


def test_my_report_offers_a_download(world):
    app = MyReportApp(world.store, world.visitor)
    app.make.click()
    assert app.messages.kind == "success"
    assert "download='my-partnering-report.html'" in app.download.value


def test_my_data_download_and_erase(world):
    app = MyDataApp(world.store, world.visitor)
    app.prepare.click()
    assert "data:application/json;base64," in app.download.value
    app.confirm.value = "erase"
    app.erase.click()
    assert app.messages.kind == "error" and world.store.list_commitments(world.pid)
    app.confirm.value = "ERASE"
    app.erase.click()
    assert app.messages.kind == "success" and app.erase.disabled
