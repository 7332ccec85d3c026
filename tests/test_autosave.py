"""Nothing typed is lost: text is saved once typing pauses, on every move, and when the
kernel stops (a page closed or reloaded), including a new journal entry never saved before."""

from __future__ import annotations

import ipywidgets as W
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_apps_support import world_in

from kit.apps.autosave import AutoSaver, flush_all


class FakeTime:
    """A clock and a timer list that a test moves on by hand (no sleeping)."""

    def __init__(self):
        self.now = 0.0
        self.timers: list[tuple[float, object]] = []

    def clock(self) -> float:
        return self.now

    def schedule(self, delay, fn):
        self.timers.append((self.now + delay, fn))
        return None

    def run_until(self, t: float) -> None:
        """Move the clock to ``t``, firing each timer that falls due on the way, in order."""
        while True:
            due = sorted((when, i) for i, (when, _fn) in enumerate(self.timers) if when <= t)
            if not due:
                break
            when, i = due[0]
            _when, fn = self.timers.pop(i)
            self.now = when
            fn()
        self.now = t


#: gaps between keys (a gap of exactly the delay is a tie between the timer and the key)
GAPS = st.floats(min_value=0.01, max_value=3.0).filter(lambda g: abs(g - 1.0) > 1e-3)


@given(st.lists(GAPS, min_size=1, max_size=30))
def test_one_save_after_each_pause_of_a_second_and_none_while_typing(gaps):
    """Keys arrive with the given gaps: a save happens exactly once per pause of at least
    the delay, one delay after the key before it, and the last key is always saved."""
    t = FakeTime()
    saved: list[float] = []
    saver = AutoSaver(lambda: saved.append(t.now), clock=t.clock, schedule=t.schedule)
    keys = [0.0]
    for gap in gaps:
        keys.append(keys[-1] + gap)
    for key in keys:
        t.run_until(key)
        saver.changed()
    t.run_until(keys[-1] + 10)
    expected = [k + 1.0 for k, nxt in zip(keys, [*keys[1:], float("inf")], strict=True) if nxt - k >= 1.0]
    assert saved == pytest.approx(expected)
    assert not saver.pending


def test_flush_saves_what_is_waiting_once_and_cancel_forgets_it():
    saved = []
    saver = AutoSaver(lambda: saved.append(1), schedule=lambda d, fn: None)
    assert saver.flush() is False
    saver.changed()
    assert saver.pending and saver.flush() is True and saver.flush() is False
    saver.changed()
    saver.cancel()
    assert flush_all() == 0 and saved == [1]


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)


def _journal(world):
    from kit.apps.journal import JournalApp

    return JournalApp(world.store, world.visitor)


def _entries(world):
    return world.store.list_reflections(world.pid)


def test_a_new_reflection_typed_but_never_saved_survives_the_kernel_stopping(world):
    app = _journal(world)
    before = len(_entries(world))
    app.start_button.click()
    app.prompt.text.value = "Half a sent"  # keys arrive; no move, no button, no blur
    app.prompt.text.value = "Half a sentence about the ward vis"
    assert app.saver.pending and len(_entries(world)) == before
    assert flush_all() == 1  # what atexit runs when closing the page stops the kernel
    new = [e for e in _entries(world) if e.id not in {x.id for x in _entries(world)[:0]}]
    texts = [list(e.answers.values()) for e in new]
    assert ["Half a sentence about the ward vis"] in texts
    assert len(_entries(world)) == before + 1 and "Saved" in app.prompt.status.value


def test_the_journal_saves_once_typing_pauses_and_says_so(world, monkeypatch):
    t = FakeTime()
    app = _journal(world)
    app.saver = AutoSaver(app._autosave, clock=t.clock, schedule=t.schedule)
    app.start_button.click()
    for n, word in enumerate("Met the housing team on Tuesday".split()):
        t.run_until(n * 0.3)
        app.prompt.text.value = (app.prompt.text.value + " " + word).strip()
        assert "Saved" not in app.prompt.status.value
    assert not any("Tuesday" in " ".join(e.answers.values()) for e in _entries(world))
    t.run_until(10)
    (entry,) = [e for e in _entries(world) if "Tuesday" in " ".join(e.answers.values())]
    assert not entry.finished and app.saver.saves == 1
    assert "Saved" in app.prompt.status.value
    # more typing on the same entry updates it, never a second entry
    app.prompt.text.value += " and Thursday"
    t.run_until(20)
    assert [" ".join(e.answers.values()) for e in _entries(world)
            if "Tuesday" in " ".join(e.answers.values())] == [
        "Met the housing team on Tuesday and Thursday"]


def test_moving_on_saves_and_leaves_nothing_waiting(world):
    app = _journal(world)
    app.start_button.click()
    app.prompt.text.value = "First prompt, typed quickly"
    app.stepper.next.click()
    assert not app.saver.pending and flush_all() == 0
    assert any("typed quickly" in " ".join(e.answers.values()) for e in _entries(world))


def test_an_opened_entry_says_it_is_saved(world):
    app = _journal(world)
    app.start_button.click()
    app.prompt.text.value = "Kept"
    app.saver.flush()
    entry_id = app.model.entry_id
    again = _journal(world)
    again._open(entry_id)  # opens on the first prompt still to answer
    assert again.prompt.text.value == "" and "Saved" not in again.prompt.status.value
    again.stepper.back.click()
    assert again.prompt.text.value == "Kept" and "Saved" in again.prompt.status.value


def test_the_page_going_away_sends_the_last_words_and_saves_them(world):
    """The page's script writes what was being typed into the app's hidden field as the page
    is hidden, closed or reloaded; the app takes it and saves at once."""
    import json

    app = _journal(world)
    app.start_button.click()
    app.prompt.text.value = "The last words were still on their"  # the box's own, behind
    app.page_hidden.value = json.dumps({"name": "journal-answer", "n": 1,
                                        "value": "The last words were still on their way"})
    assert not app.saver.pending
    assert any(list(e.answers.values()) == ["The last words were still on their way"]
               for e in _entries(world))
    assert app.prompt.text.value == "The last words were still on their"  # screen untouched
    # nonsense from the page changes nothing and shows no error
    app.page_hidden.value = "not json"
    app.page_hidden.value = json.dumps({"name": "no-such-field", "value": 3})
    assert app.messages.kind != "error"


def test_a_review_note_is_saved_as_it_is_typed_with_the_saved_status(world):
    from kit.apps.action_plan import ActionPlanApp

    t = FakeTime()
    app = ActionPlanApp(world.store, world.visitor, today=world.today)
    c = next(c for c in world.store.list_commitments(world.pid) if c.status == "open")
    opener = next(b for row in app.list_box.children for b in row.children
                  if isinstance(b, W.VBox) and b.children and getattr(b.children[0], "description", "") == "Review")
    opener.children[0].click()
    status, note, _save = opener.children[0].children
    app._note_savers[c.id]._clock = t.clock
    app._note_savers[c.id]._schedule = t.schedule
    status.value = "done"
    note.value = "Went once, "
    note.value = "Went once, will go again"
    t.run_until(5)
    again = next(x for x in world.store.list_commitments(world.pid) if x.id == c.id)
    assert again.review_note == "Went once, will go again" and again.status == c.status
    assert "Note saved" in opener.children[1].value
