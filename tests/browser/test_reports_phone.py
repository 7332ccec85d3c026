"""The downloaded reports read on a phone: at 390 px nothing makes the page scroll sideways
(wide charts and tables scroll inside their own box, which the keyboard can reach)."""

from __future__ import annotations

import pytest

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from kit.demo import seed_demo
    from kit.report.group import group_report_html
    from kit.report.personal import personal_report_html
    from kit.store import Store

    folder = tmp_path_factory.mktemp("reports")
    with Store(f"sqlite:///{folder / 'kit.db'}") as store:
        codes = seed_demo(store)
        cohort = store.cohort_by_facilitator_key(codes.facilitator_key)
        personal = folder / "personal.html"
        personal.write_text(personal_report_html(store, codes.participant_id), encoding="utf-8")
        group = folder / "group.html"
        group.write_text(group_report_html(store, cohort.id), encoding="utf-8")
    return {"personal": personal, "group": group}


@pytest.mark.parametrize("which", ["personal", "group"])
def test_report_fits_a_phone_without_sideways_scrolling(browser, reports, which):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(reports[which].as_uri())
        expect(page.locator(".kit-figure-chart svg").first).to_be_visible(timeout=60_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # every box that scrolls sideways can be reached by the keyboard
        unreachable = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.scrollWidth > e.clientWidth + 1
                     && getComputedStyle(e).overflowX === 'auto'
                     && e.tabIndex < 0 && !e.querySelector('[tabindex="0"], a, button, summary'))
            .map(e => e.className)""")
        assert unreachable == [], unreachable
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_join_sheet_qr_code_fills_its_box(browser, tmp_path, width):
    """The QR code is drawn over its whole box: no blank gap under or beside it."""
    from kit.apps.setup_model import JoinSheetGroup
    from kit.report.join_sheet import join_sheet_html

    sheet = tmp_path / "sheet.html"
    sheet.write_text(join_sheet_html("Spring", [JoinSheetGroup(
        "North", "K7QF-2MRX-9WZD-HT4P",
        "http://kit.example.org:8866/voila/render/00_start_here.ipynb?join=K7QF-2MRX-9WZD-HT4P")]),
        encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(sheet.as_uri())
        box, drawn = page.evaluate("""() => {
            const svg = document.querySelector('.kit-join-qr svg');
            const r = svg.getBoundingClientRect(), d = svg.querySelector('path').getBoundingClientRect();
            return [[r.width, r.height], [d.width, d.height]]; }""")
        assert box[0] > 100 and abs(box[0] - box[1]) < 1, box
        # the modules cover the box but for the two-module quiet zone on each side
        assert drawn[0] >= 0.85 * box[0] and drawn[1] >= 0.85 * box[1], (box, drawn)
    finally:
        context.close()
