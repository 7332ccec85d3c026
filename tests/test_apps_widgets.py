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
    import html as _h

    app = SelfAssessmentApp(world.store, SignInModel(world.store).private("private:missing"))
    # Next on a step with gaps lists them on the step and stays; Next again leaves them.
    app.stepper.next.click()
    assert app.model.step == 0 and app.messages.kind == "warning"
    for item in app.model.dimension.items:
        assert _h.escape(item.text) in app.messages.value
    assert "kit-missing" in next(iter(app.items.values()))._dom_classes
    app.stepper.next.click()
    assert app.model.step == 1 and app.messages.kind == ""
    for _ in range(app.model.n_steps - 2):
        app.stepper.next.click()
        app.stepper.next.click()
    assert app.model.is_last
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


def _journal_app(world):
    visitor = SignInModel(world.store).join(world.created.join_codes["North"], "Writer")
    return JournalApp(world.store, visitor), visitor.participant_id


def test_journal_every_move_saves_and_the_last_prompt_saves(world):
    app, pid = _journal_app(world)
    app._start()
    steps = app.model.exercise.steps
    for n in range(len(steps)):
        app.prompt.text.value = f"answer {n}"
        app.stepper.next.click()
        (entry,) = world.store.list_reflections(pid)
        assert entry.answers == {s.id: f"answer {i}" for i, s in enumerate(steps[: n + 1])}
    # on the last prompt "Save and go on" saved and said so
    assert app.messages.kind == "success" and "Draft saved" in app.messages.text
    app.stepper.back.click()
    assert app.prompt.value == f"answer {len(steps) - 2}"


def test_journal_typing_alone_keeps_a_draft(world):
    app, pid = _journal_app(world)
    app._start()
    app.prompt.text.value = "typed, then the page was closed"
    # saved once typing pauses, or when the page closes and the kernel stops
    # (tests/test_autosave.py checks the timing); here, what either of those runs:
    from kit.apps.autosave import flush_all

    assert app.saver.pending and flush_all() == 1
    (entry,) = world.store.list_reflections(pid)
    assert "typed, then the page was closed" in entry.answers.values() and not entry.finished


def test_journal_starting_again_asks_first_and_keeps_a_draft(world):
    app, pid = _journal_app(world)
    app._start()
    first = app.model.exercise.id
    app.prompt.text.value = "Do not lose me"
    app.start_button.click()
    assert app.confirm.children, "starting again over an open entry must ask first"
    assert app.model.exercise.id == first and app.prompt.value == "Do not lose me"
    (entry,) = world.store.list_reflections(pid)
    assert entry.answers[app.model.current.id] == "Do not lose me" and not entry.finished
    keep = app.confirm.children[0].children[1].children[1]
    keep.click()
    assert not app.confirm.children and app.prompt.value == "Do not lose me"
    app.start_button.click()
    app.confirm.children[0].children[1].children[0].click()  # "Start a new entry"
    assert app.prompt.value == "" and app.model.entry_id is None
    assert [e.answers for e in world.store.list_reflections(pid)] == [entry.answers]


def test_journal_sharing_is_an_explicit_choice_off_by_default(world):
    from kit.content import load_exercises

    app, pid = _journal_app(world)
    ex = next(e for e in load_exercises() if e.shared_step)
    app.choice.value = ex.id
    app._start()
    assert app.share is not None and app.share.value is False
    assert "without your name" in _html(app.area) and "Off unless you tick it" in _html(app.area)
    for step in ex.steps:
        app.prompt.text.value = f"words for {step.id}"
        app.stepper.next.click()
    app.finish_button.click()
    cohort = world.cohort_id
    assert all(p != pid for p, _t in
               world.store.shared_prompt_entries(cohort, ex.id, ex.shared_step))
    app.choice.value = ex.id
    app._start()
    app.share.value = True
    for step in ex.steps:
        app.prompt.text.value = f"shared {step.id}"
        app.stepper.next.click()
    app.finish_button.click()
    mine = [t for p, t in world.store.shared_prompt_entries(cohort, ex.id, ex.shared_step)
            if p == pid]
    assert mine == [f"shared {ex.shared_step}"]


def test_partnership_add_edit_remove(world):
    app = PartnershipApp(world.store, world.visitor)
    assert "&lt;script&gt;" in _no_raw_script(app)
    assert app.save.description == "Add person" and app.remove.disabled
    app.label.value = XSS
    app.sector.value = "Housing"
    app.save.click()
    assert app.messages.kind == "success" and len(app.model.relationships()) == 3
    # the form is ready for someone new: pressing the button again adds, never overwrites
    assert app.pick.value == "__new__" and app.label.value == ""
    rid = next(r.id for r in app.model.relationships() if r.label == XSS)
    app.pick.value = rid
    assert app.save.description == "Save changes" and app.label.value == XSS
    app.strength.value = 1
    app.save.click()
    assert next(r for r in app.model.relationships() if r.id == rid).strength == 1
    assert app.pick.value == "__new__"
    app.pick.value = rid
    app.remove.click()
    assert len(app.model.relationships()) == 2
    _no_raw_script(app)


def test_partnership_says_what_save_will_store_escaped(world):
    """The form says, in words, what Save will store, as the kernel has it (a keyboard user on
    a slow connection can check it before pressing); user text is escaped."""
    app = PartnershipApp(world.store, world.visitor)
    assert app.summary.value == ""
    app.label.value = XSS
    app.organisation.value = "Riverside surgery"
    app.strength.value = 4
    text = app.summary.value
    assert "<script" not in text and "&lt;script&gt;" in text
    assert "Riverside surgery to your map: tie 4 of 5, trust 3 of 5." in text
    app.save.click()
    assert app.summary.value == ""  # the form is ready for someone new
    rid = next(r.id for r in app.model.relationships() if r.label == XSS)
    app.pick.value = rid
    assert "Save keeps" in app.summary.value and "tie 4 of 5" in app.summary.value


def test_partnership_second_person_is_added_not_written_over_the_first(world):
    """Issue 18: after adding someone, typing the next person and pressing the button adds a
    second person; the first is kept as it was."""
    app = PartnershipApp(world.store, world.visitor)
    before = {r.id: r for r in app.model.relationships()}
    for name in ("Ward manager", "Housing officer", "Youth worker"):
        app.label.value = name
        app.organisation.value = f"{name} Org"
        app.save.click()
        assert app.messages.kind == "success", app.messages.text
    after = app.model.relationships()
    assert len(after) == len(before) + 3
    assert [r.label for r in after if r.id not in before] == [
        "Ward manager", "Housing officer", "Youth worker"]
    for r in after:
        if r.id in before:
            assert r == before[r.id]


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


def test_action_plan_review_opens_from_a_button_set_to_the_current_status(world):
    app = ActionPlanApp(world.store, world.visitor, today=world.today)
    c = next(r.commitment for r in app.model.rows() if r.commitment.status == "open")
    world.store.review_commitment(world.pid, c.id, "in_progress", "started")
    app.refresh()
    row = next(box for box in app.list_box.children if "Visit the hub" in box.children[0].value)
    opener = row.children[1]
    button = opener.children[0]
    assert isinstance(button, W.Button) and button.description == "Review"
    button.click()
    status, note, save = opener.children[0].children
    assert status.value == "in_progress" and status.label == "In progress"
    assert note.value == "started"
    status.value = "done"
    save.click()
    assert next(x for x in world.store.list_commitments(world.pid) if x.id == c.id).status == "done"


def test_my_report_offers_a_download(world):
    app = MyReportApp(world.store, world.visitor)
    assert app.make.description == "Download my report"
    app.make.click()
    assert app.messages.kind == "success" and "my-partnering-report.html" in app.messages.text
    assert "download='my-partnering-report.html'" in app.download.value
    # one click: a script clicks the link once; the named link stays as a fallback
    link_id = app.download.value.split("id='", 1)[1].split("'", 1)[0]
    assert link_id.startswith("kit-download-")
    assert len(app.download.sent) == 1 and link_id in app.download.sent[0]
    assert "my-partnering-report.html again" in app.download.value


def test_my_data_download_and_erase(world):
    app = MyDataApp(world.store, world.visitor)
    summary = app.summary.value
    for words in ("group North", "2 self-assessments", "1 entry", "2 commitments",
                  "2 people on your map", "Nothing shared"):
        assert words in summary, words
    app.prepare.click()
    assert "data:application/json;base64," in app.download.value
    app.confirm.value = "erase"
    app.erase.click()
    assert app.erase_messages.kind == "error" and world.store.list_commitments(world.pid)
    app.confirm.value = "ERASE"
    app.erase.click()
    assert app.erase_messages.kind == "success" and app.erase.disabled
    assert "nothing about you" in app.summary.value


# -- issue 12 part 4 and issue 18 parts 2-3: private work, signed in across apps, the menu -----
SERVED = {"VOILA_PREHEAT": "False", "SERVER_SOFTWARE": "voila/0.5"}


def test_private_work_under_kit_serve_is_each_visitors_own(world):
    from kit.apps.identity import served_to_visitors

    assert served_to_visitors(SERVED) and not served_to_visitors({})
    first = SignInModel(world.store).private(environ=SERVED)
    second = SignInModel(world.store).private(environ=SERVED)
    assert first.participant_id != second.participant_id
    assert first.resume_code and second.resume_code and first.resume_code != second.resume_code
    assert first.participant.cohort_id is None
    assert world.store.resume(first.resume_code).id == first.participant_id
    world.store.add_commitment(first.participant_id, "Mine alone", None, None)
    assert world.store.list_commitments(second.participant_id) == []
    assert "private:" not in (first.participant.display_name or "")


def test_private_work_in_jupyterlab_stays_this_computers(world):
    one = SignInModel(world.store).private(environ={})
    two = SignInModel(world.store).private(environ={})
    assert one.participant_id == two.participant_id and one.resume_code is None


def test_private_visitor_is_told_their_resume_code(world, monkeypatch):
    from kit.apps.signin import RememberMe, SignInPanel

    monkeypatch.setenv("VOILA_PREHEAT", "False")
    app = JournalApp(world.store, None)
    panel = next(c for c in app.content.children if isinstance(c, SignInPanel))
    assert "resume code of your own" in _html(panel)
    panel.private_button.click()
    remember = next(c for c in app.content.children if isinstance(c, RememberMe))
    assert app.visitor.resume_code in remember.code_html.value
    assert "come back" in remember.code_html.value


@pytest.mark.parametrize("cls", APPS)
def test_every_app_has_the_menu_with_itself_marked(world, cls):
    from kit.voila.catalogue import APPS as CATALOGUE

    app = cls(world.store, world.visitor)
    menu = app.menu.value
    for entry in CATALOGUE:
        # a participant's menu lists no facilitator apps
        assert (f"href='{entry.notebook}'" in menu) == (entry.audience == "participants")
    assert menu.count("aria-current='page'") == 1
    assert f"href='{cls.notebook}' aria-current='page'" in menu


def test_menu_lists_apps_added_to_the_catalogue(monkeypatch):
    from kit.apps import _nav
    from kit.voila import catalogue

    extra = catalogue.AppEntry("07_health_check.ipynb", "Health check", "d", "participants")
    monkeypatch.setattr(catalogue, "APPS", (*catalogue.APPS, extra))
    html = _nav.menu_html("07_health_check.ipynb")
    assert "href='07_health_check.ipynb' aria-current='page'>Health check<" in html


def test_dashboard_and_set_up_have_the_menu(world):
    from kit.apps.facilitator import FacilitatorDashboard
    from kit.apps.setup import SetupApp

    dash = FacilitatorDashboard(world.store)
    assert "href='10_facilitator_dashboard.ipynb' aria-current='page'" in dash.menu.value
    setup = SetupApp(world.store, environ={})
    assert "href='11_facilitator_setup.ipynb' aria-current='page'" in setup.menu.value
    assert setup.menu.value.count("aria-current") == 1


def test_every_catalogue_app_class_marks_its_own_notebook():
    """An app class that inherits from another (the health check from the self-assessment)
    still marks its own page in the menu."""
    from kit.apps.health_check import HealthCheckApp

    assert HealthCheckApp.notebook == "07_health_check.ipynb"


@pytest.mark.parametrize("cls", APPS)
def test_every_app_says_who_is_signed_in_and_offers_sign_out(world, cls):
    from kit.apps.signin import SignInPanel

    app = cls(world.store, world.visitor)
    button = next(w for w in app.whoami.children if isinstance(w, W.Button))
    assert button.description == "Not you? Sign out"
    button.click()
    assert app.visitor is None
    assert any(isinstance(c, SignInPanel) for c in app.content.children)
    assert "signed out" in app.messages.text
    assert any("Max-Age=0" in js for js in app.scripts.sent)  # the cookie is removed


def test_resuming_sets_a_session_cookie_and_offers_remember_me(world):
    from kit.apps.signin import RememberMe, SignInPanel

    app = ActionPlanApp(world.store, None, today=world.today)
    panel = next(c for c in app.content.children if isinstance(c, SignInPanel))
    panel.resume_code.value = world.visitor.resume_code
    panel.resume_button.click()
    assert any(isinstance(c, RememberMe) for c in app.content.children)
    assert any("kit_resume" in js and "Max-Age" not in js for js in app.scripts.sent)


def test_action_plan_says_the_chosen_due_date_in_words(world):
    """Day and month cannot be mixed up: the chosen date is written out beside the field."""
    app = ActionPlanApp(world.store, world.visitor, today=world.today)
    assert app.due_words.value == ""
    app.due.value = dt.date(2026, 4, 3)
    assert "Friday 3 April 2026" in app.due_words.value
    app.text.value = "Meet the practice manager"
    app._add()
    assert app.messages.kind == "success"
    assert app.due.value is None and app.due_words.value == ""
