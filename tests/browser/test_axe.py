"""axe-core on every page the kit serves: zero "serious" or "critical" violations.

Pages: the landing page; every app before and after signing in; each step of the
self-assessment and the profile after submitting; every view of the facilitator dashboard and
each step of session mode; the standalone personal and group reports. Lesser ("moderate",
"minor") findings are allowed only when docs/accessibility.md names their rule.
"""

from __future__ import annotations

import re

import pytest
from axe_support import assert_no_serious
from browser_support import (
    REPO,
    charts_drawn,
    next_frame,
    self_assessment_steps,
    wait_rendered,
    whole_page_screenshot,
)

from kit.voila.catalogue import APPS

DASHBOARD = "10_facilitator_dashboard.ipynb"
PARTICIPANT_APPS = [a for a in APPS if a.audience == "participants"]


def _stem(notebook: str) -> str:
    return re.sub(r"^\d+_", "", notebook.removesuffix(".ipynb"))


def _documented(violations: list[dict], page: str) -> None:
    """Every lesser violation's rule is listed in docs/accessibility.md with its reason."""
    statement = (REPO / "docs" / "accessibility.md").read_text(encoding="utf-8")
    missing = sorted({v["id"] for v in violations if f"`{v['id']}`" not in statement})
    assert not missing, (
        f"axe-core rules found on {page} but not explained in docs/accessibility.md: {missing}"
    )


def test_landing_page(browser, kit_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(kit_server.url)
    page.wait_for_selector(".kit-landing")
    _documented(assert_no_serious(page, "landing"), "the landing page")
    context.close()


@pytest.mark.parametrize("app", PARTICIPANT_APPS, ids=lambda a: _stem(a.notebook))
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_participant_app(visit, kit_server, app, signed_in):
    code = kit_server.need_codes().resume_code if signed_in else None
    v = visit(app.notebook, resume_code=code)
    _settled(v.page)
    name = f"{_stem(app.notebook)}-{'in' if signed_in else 'out'}"
    _documented(assert_no_serious(v.page, name), name)


def test_every_self_assessment_step_and_the_profile(visit, kit_server):
    from kit.content import load_framework

    framework = load_framework("collaboration-behaviours")
    code = kit_server.new_participant("Axe walker")
    v = visit("01_self_assessment.ipynb", resume_code=code)
    page = v.page
    seen = []
    for _step, title in self_assessment_steps(page, framework, choice=lambda i, step: 2):
        seen.append(title)
        _documented(assert_no_serious(page, f"self-assessment-step-{len(seen)}"), title)
    assert len(seen) == len(framework.dimensions)
    page.wait_for_selector(".kit-chart svg")
    _documented(assert_no_serious(page, "self-assessment-profile"), "the profile")


def _open_dashboard(visit, kit_server):
    codes = kit_server.need_codes()
    v = visit(DASHBOARD)
    _documented(assert_no_serious(v.page, "dashboard-locked"), "the dashboard before the key")
    v.page.get_by_label("Facilitator key", exact=True).fill(codes.facilitator_key)
    v.page.get_by_role("button", name="Open cohort").click()
    v.page.get_by_label("View", exact=True).wait_for()
    return v


def _settled(page) -> None:
    """Wait until every chart on the page has drawn its SVG and kit-a11y.js has named it, and
    still is a frame later (a view that changes redraws its charts once more)."""
    charts_drawn(page)
    next_frame(page)
    charts_drawn(page)


def test_every_dashboard_view(visit, kit_server):
    v = _open_dashboard(visit, kit_server)
    page = v.page
    picker = page.get_by_label("View", exact=True)
    options = picker.locator("option").all_inner_texts()
    assert len(options) >= 5, options
    for label in options:
        if picker.evaluate("s => s.options[s.selectedIndex].text") != label:
            before = page.locator(".kit-app").inner_text()
            picker.select_option(label=label)
            page.wait_for_function(
                "t => document.querySelector('.kit-app')?.innerText !== t", arg=before)
        _settled(page)
        _documented(assert_no_serious(page, f"dashboard-{label}"), f"dashboard view {label}")
        # the README shows every view (make screenshots copies these into docs/screenshots)
        slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
        whole_page_screenshot(page, f"dashboard_{slug}")


def test_session_mode(visit, kit_server):
    v = _open_dashboard(visit, kit_server)
    page = v.page
    page.get_by_role("checkbox", name=re.compile(r"^Session mode")).check()
    # "Next step", then "End the session" on the last step; the end step has neither
    nxt = page.locator("button.kit-session-next")
    nxt.wait_for()
    for step in range(12):
        page.locator(".kit-session-step").wait_for()
        _settled(page)
        _documented(assert_no_serious(page, f"session-step-{step + 1}"), f"session step {step + 1}")
        before = page.locator(".kit-session-step").inner_text()
        if "Session: finished" in before:
            break
        nxt.click()
        page.wait_for_function(
            "t => document.querySelector('.kit-session-step')?.innerText !== t", arg=before
        )
    else:
        pytest.fail("session mode never reached its last step")


def _report_page(browser, html_text: str, name: str, tmp_path):
    path = tmp_path / f"{name}.html"
    path.write_text(html_text, encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => [...document.querySelectorAll('.kit-figure .kit-figure-chart')]"
        ".every(c => c.querySelector('svg'))",
        timeout=60_000,
    )
    _documented(assert_no_serious(page, name), f"the {name}")
    context.close()


def test_standalone_reports(browser, kit_server, tmp_path):
    from kit.report.group import group_report_html
    from kit.report.personal import personal_report_html

    codes = kit_server.need_codes()
    with kit_server.store() as store:
        pid = store.resume(codes.resume_code).id
        personal = personal_report_html(store, pid)
        group = group_report_html(store, codes.cohort_id)
    _report_page(browser, personal, "personal-report", tmp_path)
    _report_page(browser, group, "group-report", tmp_path)


def test_start_here_right_after_joining(visit, kit_server):
    """The page a person sees right after joining: the resume code to keep, the apps."""
    codes = kit_server.need_codes()
    v = visit("00_start_here.ipynb")
    page = v.page
    page.get_by_label("Join code", exact=True).fill(codes.join_code)
    page.get_by_role("button", name="Join my group").click()
    page.get_by_role("button", name=re.compile("Remember me")).wait_for()
    wait_rendered(page)
    _documented(assert_no_serious(page, "start-here-just-joined"), "Start here after joining")
