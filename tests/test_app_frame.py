"""The one app frame (kit/apps/_frame.py): every app arrives, shows its menu and fails the
same way."""

from __future__ import annotations

import logging

import ipywidgets as W

from kit.apps._frame import AppFrame, error_page


class _Page(AppFrame, W.VBox):
    notebook = "11_facilitator_setup.ipynb"

    def __init__(self, store, **kwargs):
        from kit.forms.messages import MessageArea

        self.store = store
        self.messages = MessageArea()
        super().__init__([self.frame_menu(), self.messages], **kwargs)


def test_a_page_that_cannot_open_shows_the_menu_and_a_sentence_and_logs_it(monkeypatch, caplog):
    class Broken(_Page):
        @classmethod
        def for_visitor(cls, store, **kwargs):
            raise RuntimeError("the database went away")

    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    with caplog.at_level(logging.ERROR):
        page = Broken.from_environment("a store")
    text = " ".join(getattr(w, "value", "") for w in page.children)
    assert "kit-error-page" in page._dom_classes
    assert "aria-current='page'" in page.children[0].value
    assert "Reload the page" in text and "the database went away" not in text
    assert "Broken" in caplog.text and "nothing saved" in caplog.text


def test_a_refusal_for_people_is_shown_in_its_own_words_and_not_logged_as_a_fault(caplog):
    from kit.apps.errors import Refused

    with caplog.at_level(logging.ERROR):
        page = error_page(_Page, Refused("Your cohort is closed."))
    assert "Your cohort is closed." in page.children[-1].value
    assert not caplog.records


def test_the_frame_arrives_before_the_page_is_built(monkeypatch):
    import kit.voila as kv

    events = []

    class Probe(_Page):
        @classmethod
        def warm_up(cls, store):
            events.append("warm")

        @classmethod
        def for_visitor(cls, store, **kwargs):
            events.append("build")
            return cls(store, **kwargs)

    monkeypatch.setattr(kv, "in_preheated_kernel", lambda: True)
    monkeypatch.setattr(kv, "wait_for_visitor", lambda: events.append("wait"))
    page = Probe.from_environment("a store")
    assert events == ["warm", "wait", "build"] and page.store == "a store"


def test_fail_says_it_beside_the_button_and_logs_what_was_not_done(caplog):
    from kit.forms.messages import MessageArea

    page = _Page("a store")
    area = MessageArea()
    with caplog.at_level(logging.ERROR):
        page.fail(KeyError("x"), area, doing="create the cohort", lost="cohort 'Spring'")
    assert "went wrong" in area.value
    assert "could not create the cohort; not done: cohort 'Spring'" in caplog.text
