"""Signed in means signed in: a code works however it is typed, on every page, and the resume
code can be seen again and replaced from My data."""

from __future__ import annotations

import ipywidgets as W
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_apps_support import world_in

from kit.apps.identity import (
    SignInModel,
    remember_me_script,
    resolve_visitor,
    resume_code_from_cookie,
    session_cookie_script,
)
from kit.store.codes import ALPHABET, CODE_LENGTH, canonical, new_code, normalise

CODES = st.text(alphabet=ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH).map(
    lambda raw: "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4)))
#: what people put between, before and after the characters of a code
SEPARATORS = st.sampled_from(["", " ", "-", "  ", " - ", "\t", "--"])


@st.composite
def typed_variants(draw):
    """A code, and the same code as someone might type it: any case, any spacing, hyphens
    anywhere or nowhere."""
    code = draw(CODES)
    chars = normalise(code)
    cases = draw(st.lists(st.booleans(), min_size=len(chars), max_size=len(chars)))
    seps = draw(st.lists(SEPARATORS, min_size=len(chars) + 1, max_size=len(chars) + 1))
    typed = seps[0] + "".join(
        (c.lower() if low else c) + sep for c, low, sep in zip(chars, cases, seps[1:], strict=True))
    return code, typed


@given(typed_variants())
def test_every_spelling_of_a_code_has_one_canonical_form(pair):
    code, typed = pair
    assert canonical(typed) == code
    assert canonical(canonical(typed)) == canonical(typed)


@given(typed_variants())
def test_the_cookie_and_remember_me_keep_the_canonical_code(pair):
    """Whatever was typed, the script writes the canonical code, and a cookie holding any
    spelling (as older releases wrote it, percent-encoded by the browser) reads back as it."""
    from urllib.parse import quote

    code, typed = pair
    for script in (remember_me_script(typed), session_cookie_script(typed)):
        assert f'encodeURIComponent("{code}")' in script
    if typed.strip():
        header = f"a=1; kit_resume={quote(typed.strip())}"
        assert resume_code_from_cookie(header) == code


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)


@pytest.mark.parametrize("case", [str.lower, str.upper, str.swapcase])
@pytest.mark.parametrize("sep", [" ", "", "-", "  ", " - "])
def test_a_resume_code_typed_any_way_signs_in_on_every_page(world, case, sep):
    """Typed on one page with another case and spacing: the cookie that page sets opens the
    same participant on the next page."""
    typed = sep.join(case(world.visitor.resume_code).split("-"))
    visitor = SignInModel(world.store).resume(f"  {typed} ")
    assert visitor.participant_id == world.pid
    assert visitor.resume_code == world.visitor.resume_code
    # the next page: its kernel sees the cookie the first page set
    cookie = f"kit_resume={visitor.resume_code}"
    again = resolve_visitor(world.store, environ={"HTTP_COOKIE": cookie})
    assert again is not None and again.participant_id == world.pid


def test_a_join_code_typed_any_way_joins(world):
    code = world.created.join_codes["North"]
    typed = " ".join(code.lower().split("-"))
    joined = SignInModel(world.store).join(typed, "Bea")
    assert joined.participant.group_id == world.visitor.participant.group_id
    assert joined.resume_code == canonical(joined.resume_code)


def test_new_resume_code_replaces_the_old_one(world):
    from kit.store.errors import CodeError

    old = world.visitor.resume_code
    new = world.store.new_resume_code(world.pid)
    assert new != old and canonical(new) == new
    assert world.store.resume(new).id == world.pid
    with pytest.raises(CodeError):
        world.store.resume(old)


def test_a_participant_without_a_resume_code_gets_none(world):
    from kit.store.errors import CodeError

    me = world.store.private_participant("private:someone")
    assert not world.store.has_resume_code(me.id)
    with pytest.raises(CodeError):
        world.store.new_resume_code(me.id)


def _texts(widget) -> str:
    out, stack = [], [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, W.HTML):
            out.append(w.value)
        stack.extend(getattr(w, "children", ()))
    return "\n".join(out)


@pytest.mark.parametrize("how", ["cookie", "resume", "join", "demo"])
def test_my_data_shows_the_resume_code_again_and_issues_a_new_one(world, how, monkeypatch):
    from dataclasses import replace

    from kit.apps.my_data import MyDataApp
    from kit.store.errors import CodeError

    monkeypatch.setenv("VOILA_PREHEAT", "False")  # served: "remember me" is offered
    app = MyDataApp(world.store, replace(world.visitor, how=how))
    old = world.visitor.resume_code
    assert old in _texts(app.resume_box)
    remember = [w for w in _walk(app.resume_box) if isinstance(w, W.Button)
                and w.description == "Remember me on this browser"]
    assert len(remember) == 1
    app.new_code.click()
    new = app.visitor.resume_code
    assert new != old and new in _texts(app.resume_box) and old not in _texts(app.resume_box)
    assert app.resume_messages.kind == "success"
    assert any(new in js for js in app.scripts.sent)  # this browser keeps the new code
    assert world.store.resume(new).id == world.pid
    with pytest.raises(CodeError):
        world.store.resume(old)


def test_my_data_for_this_computers_private_work_needs_no_code(world):
    from kit.apps.my_data import MyDataApp

    visitor = SignInModel(world.store).private("private:my-data-test")
    app = MyDataApp(world.store, visitor)
    assert "need no resume code" in _texts(app.resume_box)
    assert app.new_code not in list(_walk(app.resume_box))


def test_in_jupyterlab_the_sign_in_message_does_not_promise_other_notebooks(world, monkeypatch):
    """Nothing carries a sign-in from one notebook to the next in JupyterLab, so the page
    says to type the code in each one, and offers no cookie."""
    from kit.apps.signin import RememberMe, SignInPanel
    from kit.apps.start import StartApp

    for var in ("VOILA_PREHEAT", "VOILA_KERNEL_ID", "SERVER_SOFTWARE"):
        monkeypatch.delenv(var, raising=False)
    app = StartApp(world.store, None)
    panel = next(c for c in app.content.children if isinstance(c, SignInPanel))
    panel.resume_code.value = world.visitor.resume_code.lower()
    panel.resume_button.click()
    remember = next(c for c in app.content.children if isinstance(c, RememberMe))
    text = _texts(remember)
    assert "every page" not in text and "each one" in text
    assert remember.remember not in remember.children


def test_served_resume_offers_remember_me_on_every_app(world, monkeypatch):
    from kit.apps.journal import JournalApp
    from kit.apps.signin import RememberMe, SignInPanel

    monkeypatch.setenv("VOILA_PREHEAT", "False")
    app = JournalApp(world.store, None)
    panel = next(c for c in app.content.children if isinstance(c, SignInPanel))
    panel.resume_code.value = " ".join(world.visitor.resume_code.lower().split("-"))
    panel.resume_button.click()
    remember = next(c for c in app.content.children if isinstance(c, RememberMe))
    assert remember.remember in remember.children
    assert "every page" in _texts(remember)
    remember.remember.click()
    assert any(f'"{world.visitor.resume_code}"' in js and "Max-Age=15552000" in js
               for js in remember.out.sent)


def _walk(widget):
    stack = [widget]
    while stack:
        w = stack.pop()
        yield w
        stack.extend(getattr(w, "children", ()))


def test_new_codes_are_already_canonical():
    for _ in range(200):
        code = new_code()
        assert canonical(code) == code
