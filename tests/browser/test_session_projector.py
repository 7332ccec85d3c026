"""Session mode on a projector, at 1280x720, on every step.

* The room's screen holds the step's chart and its questions whole: both inside the first
  1280x720 screen, with no scrolling.
* Every text in the projected chart is at least 18 px as drawn (its font size times the
  scale the SVG is drawn at), so it can be read from the back of a room, and no two of its
  texts overlap (names beside their bars, never over each other).
* The presenter notes are closed and below the room's screen: nothing of them shows.
* A timer with the step's minutes is on the room's screen; started from the keyboard, it
  counts in the browser.
* A reload keeps the step (and the timer carries on).
* The health-check step shows what good and poor look like.
"""

from __future__ import annotations

import re

from browser_support import chart_text_problems, charts_drawn, measure_chart_text, next_frame

from kit.apps.facilitator_model import SESSION_STEPS

DASHBOARD = "10_facilitator_dashboard.ipynb"
WIDTH, HEIGHT = 1280, 720

#: Which of the page's drawn charts (in :func:`browser_support.measure_chart_text`'s order)
#: is the room's.
_ROOM_CHART_JS = """() => [...document.querySelectorAll('.kit-chart, .kit-figure-chart')]
  .filter(c => c.querySelector('svg')).findIndex(c => c.closest('.kit-room .kit-room-chart'))"""

_BOX_JS = """s => { const e = document.querySelector(s); if (!e) return null;
  const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"""


def _open_session(visit, kit_server, codes):
    v = visit(DASHBOARD)
    page = v.page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.get_by_label("Facilitator key", exact=True).fill(codes.facilitator_key)
    page.get_by_role("button", name="Open cohort").click()
    page.get_by_label("View", exact=True).wait_for()
    return v


def _at_step(page, n: int) -> None:
    page.wait_for_function(
        "t => document.querySelector('.kit-room .kit-session-step')?.innerText.includes(t)",
        arg=f"Session: step {n} of {len(SESSION_STEPS)}")
    page.wait_for_function(  # the room's side is redrawn just after the step's heading
        "t => document.querySelector('.kit-room .kit-room-questions')?.innerText.includes(t)",
        arg=SESSION_STEPS[n - 1].room[-1])
    page.locator(".kit-room .kit-room-chart .kit-chart svg").first.wait_for()
    charts_drawn(page)
    next_frame(page)


def _inside(box, what: str) -> None:
    assert box is not None, f"no {what} on the room's screen"
    left, top, right, bottom = box
    assert left >= 0 and top >= 0 and right <= WIDTH + 0.5 and bottom <= HEIGHT + 0.5, (
        f"{what} is not inside the 1280x720 screen: {[round(x) for x in box]}")


def _check_room(page, step) -> None:
    # the room's chart column (its heading, the chart and any numbered key) and the questions
    _inside(page.evaluate(_BOX_JS, ".kit-room .kit-room-chart"), f"{step.id}: chart")
    _inside(page.evaluate(_BOX_JS, ".kit-room .kit-room-chart .kit-chart svg"), f"{step.id}: chart")
    _inside(page.evaluate(_BOX_JS, ".kit-room .kit-room-questions"), f"{step.id}: questions")
    _inside(page.evaluate(_BOX_JS, ".kit-room .kit-timer"), f"{step.id}: timer")
    for q in step.room:
        assert page.locator(".kit-room-questions").get_by_text(q, exact=False).is_visible(), q
    index = page.evaluate(_ROOM_CHART_JS)
    assert index >= 0, f"{step.id}: no chart drawn on the room's screen"
    room = measure_chart_text(page)[index]
    assert room["texts"], f"{step.id}: no text drawn in the chart"
    problems = chart_text_problems([room], min_px=18)
    assert not problems, f"{step.id} on the projector:\n" + "\n".join(problems)
    # the presenter notes are closed, below the room's screen, and their words not shown
    notes = page.locator(".kit-presenter-notes details")
    assert notes.count() == 1 and notes.get_attribute("open") is None
    assert page.evaluate(_BOX_JS, ".kit-presenter-notes")[1] >= HEIGHT - 0.5
    first_words = step.guidance.split(".")[0]
    assert not page.get_by_text(first_words, exact=False).first.is_visible(), step.id
    timer = page.locator(".kit-room .kit-timer-time")
    assert timer.is_visible()
    assert timer.inner_text() in {f"{step.minutes}:00"} or page.locator(
        ".kit-room .kit-timer-running").count(), timer.inner_text()


def test_every_session_step_fits_a_projector_screen(visit, kit_server):
    codes = kit_server.need_codes()
    v = _open_session(visit, kit_server, codes)
    page = v.page
    page.get_by_role("checkbox", name=re.compile(r"^Session mode")).check()
    for n, step in enumerate(SESSION_STEPS, start=1):
        _at_step(page, n)
        page.screenshot(path=str(_shot(f"session-projector-{step.id}")))
        _check_room(page, step)
        if step.id == "health":
            examples = page.locator(".kit-room .kit-health-examples")
            assert examples.get_by_role("heading", name="What good and poor look like").is_visible()
            summaries = examples.locator("summary")
            assert summaries.count() >= 1
            summaries.first.click()  # opens to read out what good and poor look like
            assert examples.locator(".kit-collapsible-body").first.is_visible()
            summaries.first.click()
        if n == 1:
            # the timer counts in the browser once started from the keyboard
            toggle = page.get_by_role("button", name="Start timer")
            toggle.focus()
            page.keyboard.press("Enter")
            page.get_by_role("button", name="Pause timer").wait_for()
            page.wait_for_function(
                "t => document.querySelector('.kit-room .kit-timer-time').innerText !== t",
                arg=f"{step.minutes}:00")
            page.get_by_role("button", name="Pause timer").press("Enter")
            page.get_by_role("button", name="Reset timer").press("Enter")
            page.get_by_role("button", name="Start timer").wait_for()
            assert page.locator(".kit-room .kit-timer-time").inner_text() == f"{step.minutes}:00"
        if n < len(SESSION_STEPS):
            page.locator(".kit-room").get_by_role("button", name="Next step").click()
    page.screenshot(path=str(_shot("session-projector-last-step")))
    v.assert_clean()


def test_a_reload_keeps_the_step_and_the_timer(visit, kit_server):
    codes = kit_server.need_codes()
    v = _open_session(visit, kit_server, codes)
    page = v.page
    page.get_by_role("checkbox", name=re.compile(r"^Session mode")).check()
    _at_step(page, 1)
    for n in (2, 3):
        page.locator(".kit-room").get_by_role("button", name="Next step").click()
        _at_step(page, n)
    page.get_by_role("button", name="Start timer").click()
    page.wait_for_function(
        "t => document.querySelector('.kit-room .kit-timer-time').innerText !== t",
        arg=f"{SESSION_STEPS[2].minutes}:00")
    page.reload()
    from browser_support import wait_rendered

    wait_rendered(page)
    page.get_by_label("Facilitator key", exact=True).fill(codes.facilitator_key)
    page.get_by_role("button", name="Open cohort").click()
    _at_step(page, 3)
    assert SESSION_STEPS[2].title in page.locator(".kit-room .kit-session-step").inner_text()
    # the timer carried on counting through the reload
    page.get_by_role("button", name="Pause timer").wait_for()
    _check_room(page, SESSION_STEPS[2])
    page.screenshot(path=str(_shot("session-projector-after-reload")))
    v.assert_clean()


def _shot(name: str):
    from browser_support import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
