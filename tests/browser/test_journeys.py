"""The participant's and the facilitator's journeys at the sizes people use (issue 28, "Done
when"): a phone (390x844) and a laptop (1280x900) for participants, a laptop and a projector
(1280x720) for the facilitator. On every page and step: no text over text or over a control,
no text under 12 px (18 px on the projected session), nothing wider than the screen, and no
developer word. Charts are measured in their own scale by tests/browser/test_chart_fit.py."""

from __future__ import annotations

import pytest
from browser_support import charts_drawn, next_frame, self_assessment_steps, wait_rendered
from layout_support import layout_problems

from kit.voila.catalogue import APPS

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
PROJECTOR = {"width": 1280, "height": 720}
PARTICIPANT_APPS = [a for a in APPS if a.audience == "participants"]


def _open(browser, kit_server, notebook, viewport, resume_code=None):
    context = browser.new_context(viewport=viewport)
    if resume_code:
        context.add_cookies([{"name": "kit_resume", "value": resume_code,
                              "url": kit_server.url}])
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(240_000)
    page.goto(kit_server.app_url(notebook))
    wait_rendered(page, timeout=240_000)
    return context, page


def _settle(page):
    charts_drawn(page)
    next_frame(page)
    charts_drawn(page)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP, PROJECTOR],
                         ids=["phone", "laptop", "projector"])
def test_participant_pages(browser, kit_server, viewport):
    code = kit_server.need_codes().resume_code
    problems = []
    for app in PARTICIPANT_APPS:
        context, page = _open(browser, kit_server, app.notebook, viewport, code)
        try:
            _settle(page)
            problems += layout_problems(page, where=f"{app.notebook} at {viewport['width']}")
        finally:
            context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_self_assessment_every_step(browser, kit_server, viewport):
    """A new participant walks every step of the self-assessment and sees their profile."""
    from kit.content import load_framework

    framework = load_framework("collaboration-behaviours")
    code = kit_server.new_participant("Journey walker")
    context, page = _open(browser, kit_server, "01_self_assessment.ipynb", viewport, code)
    problems = []
    try:
        for step, title in self_assessment_steps(page, framework):
            _settle(page)
            problems += layout_problems(page, where=f"step {step + 1} ({title}) at "
                                                    f"{viewport['width']}")
        page.locator(".kit-chart-box").first.wait_for()
        _settle(page)
        problems += layout_problems(page, where=f"the profile at {viewport['width']}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP, PROJECTOR],
                         ids=["phone", "laptop", "projector"])
def test_facilitator_pages(browser, kit_server, viewport):
    """Set-up and every view of the dashboard, at a laptop's and a projector's size."""
    codes = kit_server.need_codes()
    problems = []
    context, page = _open(browser, kit_server, "11_facilitator_setup.ipynb", viewport)
    try:
        problems += layout_problems(page, where=f"set-up at {viewport['height']}")
    finally:
        context.close()
    context, page = _open(browser, kit_server, "10_facilitator_dashboard.ipynb", viewport)
    try:
        page.get_by_label("Facilitator key", exact=True).fill(codes.facilitator_key)
        page.get_by_role("button", name="Open cohort").click()
        picker = page.get_by_label("View", exact=True)
        picker.wait_for()
        for label in picker.locator("option").all_inner_texts():
            if picker.evaluate("s => s.options[s.selectedIndex].text") != label:
                before = page.locator(".kit-app").inner_text()
                picker.select_option(label=label)
                page.wait_for_function(
                    "t => document.querySelector('.kit-app')?.innerText !== t", arg=before)
            _settle(page)
            problems += layout_problems(page, where=f"dashboard {label!r} at "
                                                    f"{viewport['height']}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_landing_and_a_whole_reflection(browser, kit_server, viewport):
    """The landing page, then every prompt of a reflection in the journal, to its end."""
    problems = []
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(kit_server.url)
        page.wait_for_selector(".kit-landing")
        problems += layout_problems(page, where=f"the landing page at {viewport['width']}")
    finally:
        context.close()
    code = kit_server.new_participant("Reflective walker")
    context, page = _open(browser, kit_server, "02_reflection_journal.ipynb", viewport, code)
    try:
        problems += layout_problems(page, where=f"the journal at {viewport['width']}")
        page.get_by_role("button", name="Start this reflection").click()
        for n in range(30):
            box = page.get_by_label("Your answer", exact=True)
            box.wait_for()
            box.fill(f"A few words for prompt {n + 1}")
            title = page.locator(".kit-step-title").inner_text()
            problems += layout_problems(page, where=f"journal {title!r} at {viewport['width']}")
            finish = page.get_by_role("button", name="Save and go on")
            if finish.count() and finish.is_visible():
                finish.click()
                break
            page.get_by_role("button", name="Next", exact=True).click()
            page.wait_for_function(
                "t => document.querySelector('.kit-step-title')?.innerText !== t", arg=title)
        page.get_by_text("Draft saved").first.wait_for()
        problems += layout_problems(page, where=f"the journal's end at {viewport['width']}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
