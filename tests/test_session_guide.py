"""The facilitator guide and the one-page session plan say what a facilitator running a
session alone needs, and agree with the dashboard's session steps."""

from __future__ import annotations

import re
from pathlib import Path

from kit.apps.facilitator_model import SESSION_STEPS
from kit.apps.session_plan import BREAK_MINUTES, session_plan_html, timetable

DOCS = Path(__file__).resolve().parents[1] / "docs"
GUIDE = (DOCS / "facilitator-guide.md").read_text()


def test_printed_plan_is_up_to_date():
    """Refresh with: python -m kit.apps.session_plan > docs/session-plan.html"""
    assert (DOCS / "session-plan.html").read_text() == session_plan_html()


def test_plan_lists_every_step_in_order_within_two_hours():
    rows = timetable()
    titles = [t for _w, t, _g in rows]
    assert [t for t in titles if t != "Break"] == [s.title for s in SESSION_STEPS]
    assert titles.count("Break") == 1
    assert rows[-1][0].endswith("2:00")
    total = sum(s.minutes for s in SESSION_STEPS) + BREAK_MINUTES
    assert total == 120
    page = session_plan_html()
    positions = [page.index(s.title) for s in SESSION_STEPS]
    assert positions == sorted(positions)
    assert "5. Across organisations" in page and "2. Our partnership health check" in page


def test_plan_is_one_short_offline_page():
    page = session_plan_html(min_group_size=7)
    assert "@page { size: A4" in page and "below the minimum (7 people)" in page
    assert not re.search(r"(src|href)=['\"]?https?:", page)  # nothing fetched from outside
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    assert len(text.split()) < 700  # fits one printed page


def test_guide_covers_what_the_session_needs():
    lower = GUIDE.lower()
    # a ten-minute check-in in mixed-organisation pairs
    assert "check-in in mixed-organisation pairs" in lower and "0:00–0:10" in GUIDE
    # ground rules including confidentiality of what is said in the room
    assert "what is said in the room stays in the room" in lower
    # seniority and power, dominant voices, someone becoming upset
    for topic in ("seniority and power", "dominant voices", "someone becomes upset"):
        assert topic in lower, topic
    # materials: screen, flipchart, devices and resume codes, printed join sheet
    for thing in ("screen", "flipchart", "own device", "resume code", "printed join sheet"):
        assert thing in lower, thing
    # the small-group variant: exercises and conversation only, no scores
    assert "below the anonymity minimum" in lower
    assert "exercises and conversation only, no scores" in lower
    # health check for the group conversation; self-assessment private; close and reopen
    assert "self-assessment stays private" in lower and "partnership health check" in lower
    assert "what i will do differently on monday" in lower
    assert "in a later session" in lower and "reviewing a commitment" in lower
    # the one-page plan is linked
    assert "session-plan.html" in GUIDE


def test_guide_never_asks_people_how_they_scored():
    flat = " ".join(GUIDE.split())
    assert "What have you seen that makes this work, and what gets in the way from where you sit?" in flat
    assert "Those who scored it higher" not in GUIDE and "Those who scored it lower" not in GUIDE
    for line in GUIDE.splitlines():
        if "scored" in line and "ask" in line.lower():
            assert re.search(r"nobody is asked|do not ask|not ask", line, re.I), line


def test_guide_timetable_matches_the_session_steps():
    for step in SESSION_STEPS:
        assert f"| {step.title} |" in GUIDE, step.title
        assert f"## Step {step.title.split('.')[0]}. {step.title.split('. ', 1)[1]} ({step.minutes} minutes)" in GUIDE
    assert "breakdown" in {s.id for s in SESSION_STEPS}


def test_guide_says_what_the_projector_screen_does():
    """The session section names what session mode shows, in the dashboard's own words."""
    from kit.forms.timer import StepTimer

    flat = " ".join(GUIDE.split())
    minutes = ", ".join(str(s.minutes) for s in SESSION_STEPS[:-1])
    assert f"({minutes} and {SESSION_STEPS[-1].minutes})" in flat
    words = StepTimer.timer_words()
    for word in ("start", "pause", "resume", "reset"):
        assert f"**{words[word]}**" in flat, words[word]
    for phrase in ("**Presenter notes (not for the room)**", "*Questions for the room*",
                   "*What good and poor look like*", "A reload keeps the step",
                   "*Session: step 2 of 6, about 50 minutes*", "1280 by 720"):
        assert phrase in flat, phrase
