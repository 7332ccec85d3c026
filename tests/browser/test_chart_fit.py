"""Charts fit where they are shown, measured in the browser (not by eye): at phone size
(390 x 844) every chart of the participant's profile and of each facilitator view has text
of at least 12 px as drawn, no two texts on top of each other, no text outside its chart and
no chart wider than the screen. The measuring is :func:`browser_support.measure_chart_text`,
which session mode's tests reuse for 18 px at 1280 x 720."""

from __future__ import annotations

import pytest
from browser_support import (
    chart_text_problems,
    charts_drawn,
    measure_chart_text,
    next_frame,
    wait_rendered,
    whole_page_screenshot,
)

PHONE = {"width": 390, "height": 844}
DASHBOARD = "10_facilitator_dashboard.ipynb"
#: Every facilitator view that draws charts, by the name in the View list.
VIEWS = ["Who has taken part", "Group profile", "How our habits vary",
         "Across organisations and sectors", "Importance and performance", "Change over rounds",
         "Partnership health check", "Cohort overview"]


def _open(browser, kit_server, notebook: str, resume_code: str | None = None):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    if resume_code:
        context.add_cookies([{"name": "kit_resume", "value": resume_code, "url": kit_server.url}])
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(240_000)
    page.goto(kit_server.app_url(notebook))
    wait_rendered(page, timeout=240_000)
    return context, page


def _measured(page) -> list[dict]:
    charts_drawn(page)
    next_frame(page)
    charts = measure_chart_text(page)
    assert charts, "no chart was drawn"
    return charts


def test_profile_charts_fit_a_phone(browser, kit_server):
    codes = kit_server.need_codes()
    context, page = _open(browser, kit_server, "01_self_assessment.ipynb", codes.resume_code)
    try:
        page.wait_for_selector(".kit-chart svg", timeout=120_000)
        charts = _measured(page)
        assert len(charts) >= 2, [c["title"] for c in charts]
        whole_page_screenshot(page, "chart_fit_profile_phone")
        problems = chart_text_problems(charts, min_px=12)
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("view", VIEWS)
def test_dashboard_charts_fit_a_phone(browser, kit_server, view):
    codes = kit_server.need_codes()
    context, page = _open(browser, kit_server, DASHBOARD)
    try:
        page.get_by_label("Facilitator key", exact=True).fill(codes.facilitator_key)
        page.get_by_role("button", name="Open cohort").click()
        page.get_by_label("View", exact=True).wait_for()
        page.get_by_label("View", exact=True).select_option(label=view)
        content = page.locator(".kit-view-content")
        # the picked view's heading (the view's name, or its one chart's title that starts
        # with it), then its charts: not the charts of the view shown before
        content.locator("h2", has_text=view).first.wait_for(timeout=120_000)
        content.locator(".kit-chart svg").first.wait_for(timeout=120_000)
        charts = _measured(page)
        whole_page_screenshot(page, "chart_fit_dashboard_phone_" + view.lower().replace(" ", "_"))
        problems = chart_text_problems(charts, min_px=12)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
