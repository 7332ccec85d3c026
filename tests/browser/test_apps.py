"""Each app in a real browser: it renders fully and offline, the main flows store what was
entered, user text comes back as text (never as markup), and the facilitator dashboard draws
its charts. Screenshots go to test-artifacts/screenshots/<app>.png."""

from __future__ import annotations

import re

import pytest
from browser_support import charts_drawn, rate_every_item_and_submit, wait_rendered
from playwright.sync_api import expect

from kit.voila.catalogue import APPS

PARTICIPANT_APPS = [a for a in APPS if a.audience == "participants"]
DASHBOARD = "10_facilitator_dashboard.ipynb"

XSS_PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    '"><svg onload=window.__xss=1>',
    "<a href=javascript:window.__xss=1>click</a>",
]


def _require(kit_server, notebook: str) -> None:
    if not (kit_server.root / notebook).is_file():
        import os

        message = f"{notebook} is listed in kit/voila/catalogue.py but missing from notebooks/"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)


def _no_xss(page) -> None:
    assert page.evaluate("() => window.__xss") is None, "a payload ran as code"


def _stem(notebook: str) -> str:
    return re.sub(r"^\d+_", "", notebook.removesuffix(".ipynb"))


@pytest.mark.parametrize("app", PARTICIPANT_APPS, ids=lambda a: _stem(a.notebook))
def test_participant_app_renders_offline(visit, kit_server, app):
    _require(kit_server, app.notebook)
    codes = kit_server.need_codes()
    v = visit(app.notebook, resume_code=codes.resume_code)
    charts_drawn(v.page)  # late charts painted before the screenshot
    v.assert_clean()
    assert app.title.split()[0].lower() in v.text().lower()
    # sources stripped: no editor, no code text
    assert not v.page.query_selector(".jp-InputArea-editor, .jp-CodeMirrorEditor")
    assert "from_environment" not in v.page.content()
    v.screenshot(_stem(app.notebook))


def test_unknown_visitor_is_asked_to_sign_in(visit, kit_server):
    _require(kit_server, "01_self_assessment.ipynb")
    v = visit("01_self_assessment.ipynb")
    v.page.get_by_role("button", name="Join my group").wait_for()
    v.assert_clean()


def test_facilitator_dashboard_opens_with_the_key_and_draws_charts(visit, kit_server):
    _require(kit_server, DASHBOARD)
    codes = kit_server.need_codes()
    v = visit(DASHBOARD)
    v.page.get_by_label("Facilitator key", exact=True).fill(codes.facilitator_key)
    v.page.get_by_role("button", name="Open cohort").click()
    v.page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=60_000)
    charts_drawn(v.page)
    v.assert_clean()
    assert "In words" in v.text()  # every chart has its description
    v.screenshot("facilitator_dashboard")


def test_self_assessment_rate_every_item_and_submit(visit, kit_server):
    _require(kit_server, "01_self_assessment.ipynb")
    from kit.content import load_framework

    framework = load_framework("collaboration-behaviours")
    code = kit_server.new_participant("Browser rater")
    v = visit("01_self_assessment.ipynb", resume_code=code)
    page = v.page
    rate_every_item_and_submit(page, framework)
    page.get_by_text("Your self-assessment is saved").wait_for()
    page.wait_for_selector(".kit-chart svg, .kit-chart canvas, .vega-embed svg")
    v.assert_clean()

    with kit_server.store() as store:
        pid = store.resume(code).id
        frame = store.responses_frame(kit_server.codes.cohort_id, framework.id)
        mine = frame[frame["participant_id"] == pid]
        assert set(mine["item_id"]) == {item.id for item in framework.items}


def _start_reflection(page, text: str, *, include: bool) -> None:
    page.get_by_role("button", name="Start this reflection").click()
    box = page.locator("textarea").first
    box.wait_for()
    box.fill(text)
    box.blur()
    if include:
        page.get_by_label("Include this entry in my report").check()
    page.get_by_role("button", name="Finish entry").click()
    page.get_by_text("Entry finished and saved").wait_for()


def test_reflection_write_and_finish(visit, kit_server):
    _require(kit_server, "02_reflection_journal.ipynb")
    code = kit_server.new_participant()
    v = visit("02_reflection_journal.ipynb", resume_code=code)
    _start_reflection(v.page, "I met the housing lead at her office for the first time.",
                      include=False)
    v.assert_clean()
    with kit_server.store() as store:
        entries = store.list_reflections(store.resume(code).id)
    assert len(entries) == 1 and entries[0].finished
    assert "housing lead" in " ".join(entries[0].answers.values())


def test_add_a_relationship(visit, kit_server):
    _require(kit_server, "03_partnership_map.ipynb")
    code = kit_server.new_participant()
    v = visit("03_partnership_map.ipynb", resume_code=code)
    _add_relationship(v.page, "Ward manager, Ward 7", "City Hospital")
    # "Added ... to your map" is said once saved ("Save adds ... to your map" says what Save
    # will store, before it is pressed, so it is not a sign of saving).
    v.page.get_by_text("Added Ward manager, Ward 7 to your map").first.wait_for()
    v.assert_clean()
    with kit_server.store() as store:
        rels = store.list_relationships(store.resume(code).id)
    assert [r.label for r in rels] == ["Ward manager, Ward 7"]


def _eventually(check, what: str, timeout: float = 30.0):
    """Poll ``check()`` until it returns something truthy (the server works asynchronously)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.2)


def _count(kit_server, code: str, what: str) -> int:
    with kit_server.store() as store:
        pid = store.resume(code).id
        return len(getattr(store, f"list_{what}")(pid))


def _add_commitment(page, text: str) -> None:
    box = page.get_by_label("I will", exact=True)
    box.fill(text)
    box.blur()
    page.get_by_label("Due by", exact=True).fill("2026-04-15")
    page.get_by_text("Due on Wednesday 15 April 2026").wait_for()
    page.get_by_role("button", name="Add commitment").click()


def _saved(page, message: str) -> None:
    """Wait until ``message`` shows, then hide it, so the next save's message is a new one."""
    shown = page.get_by_text(message, exact=False).last
    expect(shown).to_be_visible(timeout=120_000)
    shown.evaluate("node => node.textContent = ''")


def _add_relationship(page, label: str, organisation: str = "") -> None:
    page.get_by_label("Person", exact=True).select_option(label="Someone new")
    page.get_by_label("Name or role", exact=True).fill(label)
    page.get_by_label("Organisation", exact=True).fill(organisation)
    page.get_by_role("button", name="Add person", exact=True).click()


def test_add_a_commitment(visit, kit_server):
    _require(kit_server, "04_action_plan.ipynb")
    code = kit_server.new_participant()
    v = visit("04_action_plan.ipynb", resume_code=code)
    _add_commitment(v.page, "Spend Tuesday morning at the council's locality hub.")
    v.page.get_by_text("locality hub").last.wait_for()
    v.assert_clean()
    with kit_server.store() as store:
        commitments = store.list_commitments(store.resume(code).id)
    assert [c.text for c in commitments] == ["Spend Tuesday morning at the council's locality hub."]


def test_user_text_is_shown_as_text_never_run(visit, kit_server):
    """XSS payloads typed as a reflection, a relationship label and a commitment."""
    for notebook in ("02_reflection_journal.ipynb", "03_partnership_map.ipynb",
                     "04_action_plan.ipynb", "05_my_report.ipynb"):
        _require(kit_server, notebook)
    code = kit_server.new_participant()
    payload_text = " ".join(XSS_PAYLOADS)

    v = visit("02_reflection_journal.ipynb", resume_code=code)
    _start_reflection(v.page, payload_text, include=True)
    _no_xss(v.page)

    v = visit("03_partnership_map.ipynb", resume_code=code)
    for n, payload in enumerate(XSS_PAYLOADS, start=1):
        _add_relationship(v.page, payload)
        # The save is finished (form, chart and figures redrawn) when its message shows; only
        # then is the form ready for the next person. Waiting for the new option alone raced
        # the form's reset on a busy machine and typed the next name into the old entry.
        _saved(v.page, "to your map. The form is ready for someone new.")
        expect(v.page.get_by_label("Person", exact=True).locator("option")).to_have_count(n + 1)
    _no_xss(v.page)

    v = visit("04_action_plan.ipynb", resume_code=code)
    for _n, payload in enumerate(XSS_PAYLOADS, start=1):
        _add_commitment(v.page, payload)
        _saved(v.page, "Commitment added.")
        expect(v.page.get_by_text(payload, exact=False).last).to_be_attached()
    _no_xss(v.page)
    assert _count(kit_server, code, "relationships") == len(XSS_PAYLOADS)
    assert _count(kit_server, code, "commitments") == len(XSS_PAYLOADS)

    # Shown back on fresh pages: the lists, the map and the report. First what each page draws
    # from the hostile data must be there (the map's people and the plan's commitments, as
    # text; My report's summary of them, its report being a download), and every chart drawn;
    # only then does "no payload ran" say anything.
    for notebook in ("03_partnership_map.ipynb", "04_action_plan.ipynb", "05_my_report.ipynb"):
        v = visit(notebook, resume_code=code)
        if notebook == "05_my_report.ipynb":
            expect(v.page.locator("body")).to_contain_text(f"{len(XSS_PAYLOADS)} commitments")
        else:
            for payload in XSS_PAYLOADS:
                expect(v.page.locator("body")).to_contain_text(payload)
        charts_drawn(v.page)
        _no_xss(v.page)
        assert not v.page.query_selector("img[src='x'], svg[onload], a[href^='javascript']")
        text = v.text()
        if notebook == "04_action_plan.ipynb":
            for payload in XSS_PAYLOADS:
                assert payload in text, (notebook, payload)
        v.assert_clean()

    with kit_server.store() as store:
        pid = store.resume(code).id
        assert sorted(r.label for r in store.list_relationships(pid)) == sorted(XSS_PAYLOADS)
        assert sorted(c.text for c in store.list_commitments(pid)) == sorted(XSS_PAYLOADS)


def test_reload_keeps_the_visitor(browser, kit_server):
    """A second page in the same browser knows the visitor from the cookie alone."""
    _require(kit_server, "04_action_plan.ipynb")
    code = kit_server.new_participant("Cookie Person")
    context = browser.new_context()
    context.add_cookies([{"name": "kit_resume", "value": code, "url": kit_server.url}])
    page = context.new_page()
    for _ in range(2):
        page.goto(kit_server.app_url("04_action_plan.ipynb"))
        wait_rendered(page)
        assert page.get_by_role("button", name="Add commitment").count() == 1
    context.close()
