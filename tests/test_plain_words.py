"""Plain words only: no command, setting, library name or programming notation in anything a
participant or facilitator reads on an app page, signed in or not, including the sentences
shown when something is refused."""

from __future__ import annotations

import html
import re

import ipywidgets as W
import pytest
from test_apps_support import world_in

#: What must never reach a page, each with why.
DEVELOPER_WORDS = {
    r"\bkit (serve|cohort|demo|report|export|erase|backup|notebooks|translations|validate|"
    r"store|new)\b": "a command",
    r"\bKIT_[A-Z_]+": "a setting's variable name",
    r"\bJupyter(Hub|Lab)\b": "a server's product name",
    r"\b(ipywidgets|Voil[aà]|SQLAlchemy|pandas|Altair|Vega|traitlets|ipykernel)\b": "a library",
    r"\bTraceback\b|\bException\b|Error:": "a programming error",
    r"\(got ": "programming notation for a value",
    r"`": "a code quote",
    r"\bNone\b|\bTrue\b|\bFalse\b": "a programming value",
}


def _texts(widget) -> list[str]:
    """Every piece of text a widget tree shows: HTML without its tags, labels, tooltips,
    placeholders and the choices of drop-downs."""
    out, stack = [], [widget]
    while stack:
        w = stack.pop()
        stack.extend(getattr(w, "children", ()))
        if isinstance(w, W.HTML):
            text = re.sub(r"<script.*?</script>", " ", w.value, flags=re.S)
            out.append(html.unescape(re.sub(r"<[^>]+>", " ", text)))
        for attr in ("description", "tooltip", "placeholder"):
            value = getattr(w, attr, None)
            if isinstance(value, str) and value:
                out.append(value)
        if isinstance(w, (W.Dropdown, W.Select, W.RadioButtons, W.ToggleButtons)):
            out.extend(str(o[0] if isinstance(o, tuple) else o) for o in w.options)
        if isinstance(w, W.Text) and not isinstance(w, W.Password):
            pass  # what a person typed is theirs
    return out


def assert_plain(widget, where: str) -> None:
    found = []
    for text in _texts(widget):
        for pattern, why in DEVELOPER_WORDS.items():
            m = re.search(pattern, text)
            if m:
                found.append(f"{why} {m.group(0)!r} in {text.strip()[:120]!r}")
    assert not found, f"{where}: " + "; ".join(found)


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_DATA_DIR", str(tmp_path))
    from kit.config import get_settings

    get_settings.cache_clear()
    yield from world_in(tmp_path)
    get_settings.cache_clear()


def _participant_apps():
    from kit.apps.action_plan import ActionPlanApp
    from kit.apps.health_check import HealthCheckApp
    from kit.apps.journal import JournalApp
    from kit.apps.my_data import MyDataApp
    from kit.apps.my_report import MyReportApp
    from kit.apps.partnership import PartnershipApp
    from kit.apps.self_assessment import SelfAssessmentApp
    from kit.apps.start import StartApp

    return [StartApp, SelfAssessmentApp, JournalApp, PartnershipApp, ActionPlanApp,
            MyReportApp, MyDataApp, HealthCheckApp]


@pytest.mark.parametrize("cls", _participant_apps(), ids=lambda c: c.__name__)
def test_participant_apps_use_plain_words(world, cls):
    kwargs = {"today": world.today} if cls.__name__ in ("PartnershipApp", "ActionPlanApp") else {}
    assert_plain(cls(world.store, None, **kwargs), f"{cls.__name__}, signed out")
    app = cls(world.store, world.visitor, **kwargs)
    assert_plain(app, f"{cls.__name__}, signed in")
    # refused sign-ins say so in words
    signed_out = cls(world.store, None, **kwargs)
    from kit.apps.signin import SignInPanel

    panel = next(c for c in signed_out.content.children if isinstance(c, SignInPanel))
    for code in ("", "nonsense!", "AAAA-BBBB-CCCC-DDDD"):
        panel.resume_code.value = code
        panel.resume_button.click()
        assert_plain(signed_out, f"{cls.__name__}, resume code {code!r} refused")
        panel.join_code.value = code
        panel.join_button.click()
        assert_plain(signed_out, f"{cls.__name__}, join code {code!r} refused")


def test_refusals_in_the_participant_forms_use_plain_words(world):
    from kit.apps.action_plan import ActionPlanApp
    from kit.apps.partnership import PartnershipApp

    mapper = PartnershipApp(world.store, world.visitor, today=world.today)
    mapper.save.click()  # nobody named
    assert mapper.messages.kind == "error"
    assert_plain(mapper, "map, nobody named")
    mapper.label.value = "x" * 300
    mapper.save.click()
    assert_plain(mapper, "map, a name too long")
    plan = ActionPlanApp(world.store, world.visitor, today=world.today)
    add = next(w for w in _walk(plan) if isinstance(w, W.Button)
               and w.description == "Add commitment")
    add.click()
    assert plan.messages.kind == "error"
    assert_plain(plan, "action plan, nothing written")


def _walk(widget):
    stack = [widget]
    while stack:
        w = stack.pop()
        yield w
        stack.extend(getattr(w, "children", ()))


def test_set_up_and_dashboard_use_plain_words(world, monkeypatch):
    from kit.apps.facilitator import FacilitatorDashboard
    from kit.apps.setup import SetupApp
    from kit.config import get_settings

    monkeypatch.delenv("KIT_SETUP_KEY", raising=False)
    get_settings.cache_clear()
    setup = SetupApp(world.store, environ={})
    assert_plain(setup, "set-up, locked")
    for key in ("", "wrong"):
        setup.key.value = key
        setup._unlock()
        assert_plain(setup, f"set-up, key {key!r} with no key configured")
    monkeypatch.setenv("KIT_SETUP_KEY", "a-setup-key-long-enough-1234")
    get_settings.cache_clear()
    setup = SetupApp(world.store, environ={})
    for key in ("", "wrong"):
        setup.key.value = key
        setup._unlock()
        assert setup.key_messages.kind == "error"  # beside the key's button
        assert_plain(setup, f"set-up, key {key!r} refused")
    setup.key.value = "a-setup-key-long-enough-1234"
    setup._unlock()
    assert_plain(setup, "set-up, open")
    dash = FacilitatorDashboard(world.store)
    assert_plain(dash, "dashboard, locked")
    dash.key.value = "AAAA-BBBB-CCCC-DDDD"
    dash._open_with_key()
    assert_plain(dash, "dashboard, wrong key")


def test_the_hub_refusals_use_plain_words(world):
    from kit.apps.errors import Refused  # noqa: F401 - the kind of error the models raise
    from kit.apps.facilitator_model import AccessDenied, FacilitatorModel
    from kit.apps.setup_model import SetupDenied, SetupModel

    with pytest.raises(SetupDenied) as denied:
        SetupModel(world.store).unlock_for_hub_user("sam")
    with pytest.raises(AccessDenied) as refused:
        FacilitatorModel().open_for_hub_user(world.store, "sam", ())
    for exc in (denied.value, refused.value):
        for pattern in DEVELOPER_WORDS:
            assert not re.search(pattern, str(exc)), str(exc)


def test_a_store_refusal_reads_as_a_sentence():
    from kit.forms import friendly_message
    from kit.store.errors import InvalidResponse, ResponseProblem

    exc = InvalidResponse([ResponseProblem("name", "", "must not be empty")], context="cohort")
    text = friendly_message(exc)
    assert "name must not be empty" in text and "(got" not in text
    assert "(got ''" in str(exc)  # the command line and the logs keep the exact value
