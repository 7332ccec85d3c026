"""Set-up a facilitator can trust: one cohort per name, a cleared form, messages beside the
button, and join links made from an address people's phones can open."""

from __future__ import annotations

import ipywidgets as W
import pytest

SETUP_KEY = "a-setup-key-long-enough-1234"
ENVIRON = {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8866",
           "SCRIPT_NAME": "/voila/render/11_facilitator_setup.ipynb"}


def _settings(**overrides):
    from kit.config import get_settings

    return get_settings().__class__(**{**get_settings().__dict__, **overrides})


def _app(store, **settings):
    from kit.apps.setup import SetupApp
    from kit.apps.setup_model import SetupModel

    model = SetupModel(store, _settings(setup_key=SETUP_KEY, **settings))
    app = SetupApp(store, model, environ=ENVIRON)
    app.key.value = SETUP_KEY
    app._unlock()
    return app, model


def _fill(app, name):
    app.name.value, app.groups.value = name, "North\nSouth"


@pytest.mark.parametrize("variant", ["Spring 2026", "spring 2026", " SPRING  2026 ",
                                     "Spring\t2026"])
def test_a_cohort_name_already_used_is_refused_beside_the_button(kit_store, variant):
    app, model = _app(kit_store)
    _fill(app, "Spring 2026")
    app._create()
    assert app.create_messages.kind == "success"
    n = len(kit_store.list_cohorts())
    # the form is cleared, so a second press makes nothing
    assert app.name.value == "" and app.groups.value == ""
    app._create()
    assert len(kit_store.list_cohorts()) == n and app.create_messages.kind == "error"
    _fill(app, variant)
    app._create()
    assert len(kit_store.list_cohorts()) == n
    assert app.create_messages.kind == "error"
    assert "already a cohort called \u201cSpring 2026\u201d" in app.create_messages.text
    assert app.messages.kind == ""  # not off-screen at the top of the page
    # the refused form keeps what was typed, to change the name
    assert app.name.value == variant
    children = list(app.body.children)
    assert children.index(app.create_messages) == children.index(
        next(w for w in children if isinstance(w, W.Button)
             and w.description == "Create cohort")) + 1


def test_a_different_name_is_a_new_cohort(kit_store):
    app, _model = _app(kit_store)
    _fill(app, "Spring 2026")
    app._create()
    _fill(app, "Spring 2026 second intake")
    app._create()
    assert app.create_messages.kind == "success"
    assert {c.name for c in kit_store.list_cohorts()} >= {"Spring 2026",
                                                         "Spring 2026 second intake"}


@pytest.mark.parametrize("address", ["http://127.0.0.1:8866/voila/render/",
                                     "http://localhost/voila/render/",
                                     "http://0.0.0.0:8866/", "https://[::1]/"])
def test_a_loopback_address_warns_before_the_sheet_is_printed(address):
    from kit.apps.setup_model import address_problem

    problem = address_problem(address, resolve=lambda host: None)
    assert problem and "only works on this computer" in problem


def test_an_address_that_cannot_be_found_or_is_not_web_warns():
    from kit.apps.setup_model import address_problem

    def unknown(host):
        raise OSError("no such host")

    assert "cannot find" in address_problem("https://kit.exmaple.org/", resolve=unknown)
    assert "not a web address" in address_problem("kit.example.org", resolve=unknown)
    assert address_problem("https://kit.example.org/voila/render/",
                           resolve=lambda host: None) is None


def test_the_public_address_is_set_once_and_used_for_every_link(kit_store):
    from kit.apps.setup_model import public_address

    s = _settings(public_url="https://kit.example.org")
    assert public_address(ENVIRON, s) == "https://kit.example.org/voila/render/"
    s = _settings(public_url="https://kit.example.org/apps/voila/render/")
    assert public_address(ENVIRON, s) == "https://kit.example.org/apps/voila/render/"
    assert public_address(ENVIRON, _settings(public_url=None)) == (
        "http://127.0.0.1:8866/voila/render/")
    app, _model = _app(kit_store, public_url="https://kit.example.org")
    assert app.address.value == "https://kit.example.org/voila/render/"


def test_the_setting_is_checked():
    from kit.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="KIT_PUBLIC_URL"):
        load_settings({"KIT_PUBLIC_URL": "kit.example.org"})
    assert load_settings({"KIT_PUBLIC_URL": "https://kit.example.org/"}).public_url == (
        "https://kit.example.org/")


def test_the_sheet_warns_and_follows_a_corrected_address(kit_store):
    import json

    app, model = _app(kit_store)
    assert app.address_note.kind == "warning"  # 127.0.0.1, from the request
    _fill(app, "Autumn")
    app._create()

    def shown():
        out, stack = [], [app.created_area]
        while stack:
            w = stack.pop()
            out.append(getattr(w, "value", ""))
            stack.extend(getattr(w, "children", ()))
        return json.dumps(out)

    assert "only works on this computer" in shown() and "127.0.0.1" in shown()
    app.address.value = "http://192.0.2.10:8866/voila/render/"
    assert app.address_note.kind == ""
    assert "only works on this computer" not in shown()
    assert "http://192.0.2.10:8866/voila/render/01_self_assessment.ipynb?join=" in shown()
    assert "127.0.0.1" not in shown()


def test_a_lost_facilitator_key_and_join_sheet_are_replaced_with_the_set_up_key(kit_store):
    import json

    from kit.apps.identity import SignInModel
    from kit.store.errors import CodeError

    app, model = _app(kit_store)
    _fill(app, "Winter")
    app._create()
    created = model.created
    member = SignInModel(kit_store).join(created.join_codes["North"], "Ann")
    app.address.value = "http://192.0.2.10:8866/voila/render/"
    assert app.recover_cohort.label == "Winter"
    assert list(app.recover_group.options) == ["North", "South"]

    app._new_key()
    assert app.recover_messages.kind == "success"
    shown = json.dumps([getattr(w, "value", "") for w in app.recover_area.children])
    new_key = next(k for k in [created.facilitator_key] + shown.split("kit-key-value")[1:]
                   if k != created.facilitator_key)
    with pytest.raises(CodeError):
        kit_store.cohort_by_facilitator_key(created.facilitator_key)
    key = new_key.split(">", 1)[1].split("<", 1)[0]
    assert kit_store.cohort_by_facilitator_key(key).name == "Winter"

    app.recover_group.value = "North"
    app._new_code()
    assert app.recover_messages.kind == "success"
    page = json.dumps([getattr(w, "value", "") for w in app.recover_area.children])
    assert "http://192.0.2.10:8866/voila/render/01_self_assessment.ipynb?join=" in page
    with pytest.raises(CodeError):
        kit_store.cohort_for_join_code(created.join_codes["North"])
    code = page.split("?join=", 1)[1][:19]
    cohort, group = kit_store.cohort_for_join_code(code)
    assert (cohort.name, group.name) == ("Winter", "North")
    # the member who joined with the old code is still in the group
    assert kit_store.participant(member.participant_id).group_id == group.id
    # South's code is untouched
    assert kit_store.cohort_for_join_code(created.join_codes["South"])[1].name == "South"


def test_recovery_needs_the_set_up_key(kit_store):
    from kit.apps.setup_model import SetupDenied, SetupModel

    model = SetupModel(kit_store, _settings(setup_key=SETUP_KEY))
    kit_store.create_cohort("Locked", groups=["A"], rounds=["R1"])
    with pytest.raises(SetupDenied):
        model.new_facilitator_key(kit_store.list_cohorts()[0].id)
    with pytest.raises(SetupDenied):
        model.new_join_code(kit_store.list_cohorts()[0].id, "A", "https://x.org/")
