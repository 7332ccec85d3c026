"""Issue 28: each action's message appears right after the button that caused it (announced:
``role="status"`` for success, ``role="alert"`` for errors), in set-up, the facilitator
dashboard's round and download controls, and My data; nothing at the top of the page."""

from __future__ import annotations

import ipywidgets as W
import pytest

from tests.test_apps_support import world_in
from tests.test_setup_trust import _app, _fill


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)


def _after(root, button):
    """The widget right after ``button`` in the tree, or after the row (an HBox) holding it."""
    stack = [root]
    while stack:
        w = stack.pop()
        kids = list(getattr(w, "children", ()))
        for i, c in enumerate(kids):
            if c is button or (isinstance(c, W.HBox) and button in c.children):
                return kids[i + 1] if i + 1 < len(kids) else None
        stack.extend(kids)
    raise AssertionError(f"{button.description!r} is not on the page")


def _button(root, name):
    stack = [root]
    while stack:
        w = stack.pop()
        if isinstance(w, W.Button) and w.description == name:
            return w
        stack.extend(getattr(w, "children", ()))
    raise AssertionError(f"no button {name!r}")


def _announced(area, kind):
    role = "status" if kind == "success" else "alert"
    assert area.kind == kind, (area.kind, area.text)
    assert f"role='{role}'" in area.value


def test_every_set_up_message_sits_right_after_its_button(kit_store):
    from kit.apps.setup import SetupApp
    from kit.apps.setup_model import SetupModel
    from tests.test_setup_trust import ENVIRON, SETUP_KEY, _settings

    locked = SetupApp(kit_store, SetupModel(kit_store, _settings(setup_key=SETUP_KEY)),
                      environ=ENVIRON)
    assert _after(locked, _button(locked, "Open set-up")) is locked.key_messages
    locked.key.value = "wrong"
    locked._unlock()
    _announced(locked.key_messages, "error")

    app, model = _app(kit_store)
    _fill(app, "Spring")
    app._create()
    pairs = {"Create cohort": app.create_messages, "Open this cohort": app.manage_messages,
             "Open round": app.round_messages, "Close round and publish": app.round_messages,
             "Issue a new facilitator key": app.key_recover_messages,
             "Replace this group's join code": app.code_messages,
             "Issue an extra join code for this group": app.extra_messages,
             "Prepare the PDF": getattr(app, "pdf_messages", None)}
    from kit.report.pdf import pdf_available

    if not pdf_available():
        del pairs["Prepare the PDF"]
    for name, area in pairs.items():
        assert _after(app, _button(app, name)) is area, name
    # pressing each puts its message there, announced, and nothing at the top
    app._open_round()
    _announced(app.round_messages, "success")
    app._close_round()  # nobody answered: it goes back to not open
    _announced(app.round_messages, "success")
    app._close_round()
    _announced(app.round_messages, "error")
    app._extra_code()
    _announced(app.extra_messages, "success")
    app._new_code()
    _announced(app.code_messages, "success")
    assert app.extra_messages.kind == ""  # one message at a time, beside the last act
    app._new_key()
    _announced(app.key_recover_messages, "success")
    app.manage_key.value = "nonsense"
    app._manage()
    _announced(app.manage_messages, "error")
    assert app.messages.kind == ""


def test_dashboard_round_and_download_messages_sit_after_their_buttons(kit_store):
    from kit.apps.facilitator import FacilitatorDashboard
    from kit.apps.facilitator_model import FacilitatorModel

    created = kit_store.create_cohort("Dash", groups=["North"], rounds=["Baseline", "End"])
    m = FacilitatorModel()
    m.open_with_key(kit_store, created.facilitator_key)
    app = FacilitatorDashboard(kit_store, m)
    assert _after(app, app.round_button) is app.round_messages
    for b in (app.report_button, app.pdf_button, app.tables_button):
        assert _after(app, b) is app.download_messages
    app.round_button.click()  # close Baseline: nobody answered, so it goes back
    _announced(app.round_messages, "success")
    assert app.messages.kind == ""


def test_my_data_messages_sit_after_their_buttons(world):
    from kit.apps.my_data import MyDataApp

    app = MyDataApp(world.store, world.visitor)
    pairs = {app.save_about: app.about_messages, app.prepare: app.prepare_messages,
             app.erase: app.erase_messages}
    if app.new_code in [w for w in app.resume_box.children]:
        pairs[app.new_code] = app.resume_messages
    for button, area in pairs.items():
        assert _after(app, button) is area, button.description
    app.prepare.click()
    _announced(app.prepare_messages, "success")
    app.save_about.click()
    _announced(app.about_messages, "success")
    app.confirm.value = "erase"
    app.erase.click()
    _announced(app.erase_messages, "error")
    assert app.messages.kind == ""
    app.confirm.value = "ERASE"
    app.erase.click()
    _announced(app.erase_messages, "success")
    assert app.messages.kind == ""


def test_a_named_message_area_is_cleared_then_filled_by_safe_callback():
    from kit.forms import MessageArea
    from kit.forms.callbacks import safe_callback

    class Form:
        def __init__(self):
            self.messages, self.mine = MessageArea(), MessageArea()

        @safe_callback(messages="mine")
        def fails(self, _b=None):
            raise ValueError("boom")

        @safe_callback(messages="mine")
        def works(self, _b=None):
            pass

    f = Form()
    f.fails()
    assert f.mine.kind == "error" and f.messages.kind == ""
    f.works()
    assert f.mine.kind == ""  # the old error is gone once the act succeeds
