"""The reusable form pieces: messages, rated items, stepper, prompt, download, safe callbacks."""

from __future__ import annotations

import base64
import logging

from kit.content import load_framework
from kit.forms import (
    GENERIC_PROBLEM,
    DownloadLink,
    ImportanceRating,
    MessageArea,
    PromptArea,
    RatedItem,
    Stepper,
    safe_callback,
)

XSS = "<script>alert(1)</script>"


def test_message_area_escapes_and_uses_roles():
    area = MessageArea()
    area.error(XSS, items=[XSS])
    assert XSS not in area.value and area.value.count("&lt;script&gt;") == 2
    assert "role='alert'" in area.value
    area.success("ok")
    assert "role='status'" in area.value and area.kind == "success"
    area.clear()
    assert area.value == ""


def test_safe_callback_shows_friendly_text_and_logs(caplog):
    from kit.apps.errors import Refused

    class Form:
        def __init__(self):
            self.messages = MessageArea()

        @safe_callback
        def boom(self, _b=None):
            raise RuntimeError("internal detail /etc/passwd")

        @safe_callback
        def refuse(self, _b=None):
            raise Refused("Please choose a date.")

    f = Form()
    with caplog.at_level(logging.ERROR, logger="kit.apps"):
        assert f.boom() is None
    assert f.messages.text == GENERIC_PROBLEM and "passwd" not in f.messages.value
    assert "internal detail" in caplog.text
    f.refuse()
    assert f.messages.text == "Please choose a date."


def test_safe_callback_with_explicit_area():
    area = MessageArea()

    @safe_callback(messages=area)
    def handler():
        raise KeyError("x")

    handler()
    assert area.kind == "error"


def test_rated_item_has_labelled_choices_and_restores():
    fw = load_framework("collaboration-behaviours")
    item = fw.items[0]
    w = RatedItem(item, fw.scale, 3, answer=4)
    labels = [o[0] for o in w.buttons.options]
    assert labels == [p.label for p in fw.scale.points] + [fw.scale.not_applicable]
    # one radio group per statement, named by the statement's own words
    assert w.buttons.description == item.text and w.buttons.number == "3." and w.answer == 4
    w.set_answer(None)
    assert w.answered and w.answer is None
    w.set_answer(42)  # not on the scale: shown as unanswered rather than invented
    assert not w.answered


def test_importance_rating_reports_changes():
    fw = load_framework("collaboration-behaviours")
    dim = fw.dimensions[0]
    seen = []
    w = ImportanceRating(dim, fw.importance_scale, on_change=lambda d, v: seen.append((d, v)))
    w.buttons.value = 5
    assert seen == [(dim.id, 5)] and dim.title.lower() in w.buttons.description


def test_stepper_position_and_buttons():
    calls = []
    s = Stepper(on_back=lambda: calls.append("back"), on_next=lambda: calls.append("next"),
                finish_label="Submit")
    s.set_position(0, 3, XSS)
    assert s.back.disabled and s.next.description == "Next" and XSS not in s.heading.value
    assert s.progress.value == 1 and s.progress.max == 3
    s.set_position(2, 3, "Last")
    assert not s.back.disabled and s.next.description == "Submit"
    s.back.click()
    s.next.click()
    assert calls == ["back", "next"]


def test_prompt_area_is_labelled_and_escaped():
    p = PromptArea(XSS, help=XSS, stage="So what?", value="draft")
    assert p.text.description == "Your answer" and p.value == "draft"
    assert XSS not in p.label.value


def test_download_link_round_trips_bytes():
    d = DownloadLink()
    d.set(b"{\"a\": 1}", "my data<>.json", "application/json", XSS)
    assert XSS not in d.value and "download='my-data-.json'" in d.value
    payload = d.value.split("base64,", 1)[1].split("'", 1)[0]
    assert base64.b64decode(payload) == b"{\"a\": 1}"
