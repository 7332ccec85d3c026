"""Session mode from start to end, and one-click downloads, in a real browser.

* The facilitated session: the labelled switch turns it on from the keyboard; each step says
  "Session: step n of N"; after the last step comes "End of session", whose own button turns
  session mode off again.
* "Download the group report" (HTML or PDF) and "Download my report" save their file in one
  click (no second link to press), and leave a link naming the file on the page as a fallback;
  the group report's file is named after the cohort and dated, not after a round.
"""

from __future__ import annotations

import re

from kit.apps.facilitator_model import SESSION_STEPS

DASHBOARD = "10_facilitator_dashboard.ipynb"
MY_REPORT = "05_my_report.ipynb"


def _open_dashboard(visit, kit_server):
    codes = kit_server.need_codes()
    v = visit(DASHBOARD)
    page = v.page
    page.get_by_label("Facilitator key", exact=True).fill(codes.facilitator_key)
    page.get_by_role("button", name="Open cohort").click()
    page.get_by_label("View", exact=True).wait_for()
    return page


def _step_text(page) -> str:
    return page.locator(".kit-session-step").inner_text()


def test_session_mode_on_through_every_step_to_the_end_and_off(visit, kit_server):
    page = _open_dashboard(visit, kit_server)
    total = len(SESSION_STEPS)
    switch = page.get_by_role("checkbox", name=re.compile(r"^Session mode"))
    assert not switch.is_checked()
    page.get_by_text("Session mode: off").wait_for()
    switch.focus()
    page.keyboard.press("Space")  # the switch works from the keyboard
    page.get_by_text("Session mode: on").wait_for()
    assert switch.is_checked()
    page.locator(".kit-session-step").wait_for()
    assert f"Session: step 1 of {total}" in _step_text(page)
    for n in range(2, total + 1):
        before = _step_text(page)
        page.get_by_role("button", name="Next step").click()
        page.wait_for_function(
            "t => document.querySelector('.kit-session-step')?.innerText !== t", arg=before)
        assert f"Session: step {n} of {total}" in _step_text(page)
    assert "Agree commitments" in _step_text(page)
    page.get_by_role("button", name="End the session").click()
    page.get_by_role("heading", name="End of session").wait_for()
    text = _step_text(page)
    assert "Session: finished" in text and "turn session mode off" in text
    page.get_by_role("heading", name="What to do next").wait_for()
    page.get_by_role("button", name="Turn session mode off").click()
    page.get_by_text("Session mode: off").wait_for()
    assert not switch.is_checked()
    assert page.locator(".kit-session-step").count() == 0
    # every view is open again
    options = page.get_by_label("View", exact=True).locator("option").all_inner_texts()
    assert len(options) >= 9, options


def test_group_report_downloads_in_one_click(visit, kit_server):
    page = _open_dashboard(visit, kit_server)
    button = page.get_by_role("button", name=re.compile(r"^Download the group report: group "))
    scope = button.inner_text().split(": ", 1)[1]
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    with page.expect_download(timeout=120_000) as info:
        button.click()
    download = info.value
    # named after the cohort and group, and dated; never after a round
    assert re.fullmatch(r"[a-z0-9-]+-report-\d{4}-\d{2}-\d{2}\.html", download.suggested_filename)
    body = open(download.path(), encoding="utf-8").read()
    assert body.startswith("<!DOCTYPE html>") and "</html>" in body
    # progress said what it covers; the fallback link names the file
    page.get_by_text(re.compile(rf"The group report for {re.escape(scope)} is ready")).wait_for()
    fallback = page.get_by_role("link", name=f"Download {download.suggested_filename} again")
    assert fallback.get_attribute("download") == download.suggested_filename
    # the click script ran once, though the page is sent it both as HTML and as JavaScript
    assert page.evaluate("Object.keys(window.kitDownloads || {}).length") == 1
    assert len(downloads) == 1


def test_my_report_downloads_in_one_click(visit, kit_server):
    code = kit_server.need_codes().resume_code
    page = visit(MY_REPORT, resume_code=code).page
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Download my report").click()
    download = info.value
    assert download.suggested_filename == "my-partnering-report.html"
    assert "</html>" in open(download.path(), encoding="utf-8").read()
    page.get_by_text("Your report is ready").wait_for()
    page.get_by_role("link", name="Download my-partnering-report.html again").wait_for()


def test_group_report_pdf_downloads_in_one_click(visit, kit_server):
    from kit.report.pdf import pdf_available

    if not pdf_available():
        import pytest

        pytest.skip("PDF output is not available here (WeasyPrint)")
    page = _open_dashboard(visit, kit_server)
    button = page.get_by_role("button", name=re.compile(r"^Download the group report as PDF: "))
    with page.expect_download(timeout=240_000) as info:
        button.click()
    download = info.value
    assert re.fullmatch(r"[a-z0-9-]+-report-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    page.get_by_role("link", name=f"Download {download.suggested_filename} again").wait_for()
