"""A reload *inside* the pause before a save keeps the last words (issue 28, "Nothing typed is
lost, anywhere"). Typing is saved a second after it pauses; a reload within that second relies
on the page sending what the box holds as the page hides, while the same page asks the server
to shut its kernel down. The server lets the kernel handle what the page sent before it shuts
it down (kit/voila/_room_manager.py), so the words are saved even on a busy machine."""

from __future__ import annotations

from browser_support import wait_rendered

JOURNAL = "02_reflection_journal.ipynb"


def test_journal_reload_at_once_after_typing_keeps_every_word(visit, kit_server):
    code = kit_server.new_participant("Reloads at once")
    v = visit(JOURNAL, resume_code=code)
    page = v.page
    page.get_by_role("button", name="Start this reflection").click()
    box = page.get_by_label("Your answer", exact=True)
    box.click()
    words = "At the discharge meeting I asked the ward what they needed from us"
    page.keyboard.type(words)
    assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
    page.reload()  # no wait for "Saved": inside the pause
    wait_rendered(page)
    page.get_by_text(words).first.wait_for(state="attached")
    with kit_server.store() as store:
        (entry,) = store.list_reflections(store.resume(code).id)
    assert list(entry.answers.values()) == [words]


def test_action_plan_review_note_reload_at_once_keeps_every_word(visit, kit_server):
    code = kit_server.new_participant("Reviews then reloads")
    with kit_server.store() as store:
        pid = store.resume(code).id
        store.add_commitment(pid, "Ring the practice manager", None, None)
    v = visit("04_action_plan.ipynb", resume_code=code)
    page = v.page
    page.get_by_role("button", name="Review", exact=True).first.click()
    note = page.get_by_label("Note (optional)", exact=True).first
    note.click()
    page.keyboard.type("Left a message on Monday")
    page.reload()  # no wait for "Note saved": inside the pause
    wait_rendered(page)
    with kit_server.store() as store:
        (c,) = store.list_commitments(pid)
    assert c.review_note == "Left a message on Monday"
