"""Issue 18 (and issue 12, part 4) in a real browser: nothing typed is lost, people stay
signed in across the apps, every app has the menu, and no label is cut short.

Each data-loss test types, moves on, comes back, reloads the page and finds everything there.
"""

from __future__ import annotations

import re
import time

import pytest
from browser_support import charts_drawn, wait_rendered

from kit.voila.catalogue import APPS

MAP = "03_partnership_map.ipynb"
JOURNAL = "02_reflection_journal.ipynb"
PLAN = "04_action_plan.ipynb"
ASSESS = "01_self_assessment.ipynb"
START = "00_start_here.ipynb"


def _reload(page) -> None:
    page.reload()
    wait_rendered(page)


def _people(kit_server, code):
    with kit_server.store() as store:
        return store.list_relationships(store.resume(code).id)


def _wait_for(page, text: str) -> None:
    page.get_by_text(text).first.wait_for(timeout=60_000)


# -- partnership map ------------------------------------------------------------------------
def test_partnership_map_adds_the_next_person_beside_the_first(visit, kit_server):
    code = kit_server.new_participant("Mapper")
    v = visit(MAP, resume_code=code)
    page = v.page
    names = ["Ward manager, Ward 7", "Housing officer", "Youth worker"]
    for n, name in enumerate(names, start=1):
        # straight after adding, the form is ready for someone new: no need to choose it
        page.get_by_label("Name or role", exact=True).fill(name)
        page.get_by_label("Organisation", exact=True).fill(f"Org {n}")
        page.get_by_role("button", name="Add person", exact=True).click()
        _wait_for(page, f"Added {name} to your map")
        page.get_by_label("Person", exact=True).locator("option").nth(n).wait_for(state="attached")
        assert page.get_by_label("Name or role", exact=True).input_value() == ""
    assert [r.label for r in _people(kit_server, code)] == names

    # come back to the first one: a deliberate choice, and the button says what it does
    page.get_by_label("Person", exact=True).select_option(label=f"{names[0]} (Org 1)")
    page.get_by_role("button", name="Save changes", exact=True).wait_for()
    assert page.get_by_label("Name or role", exact=True).input_value() == names[0]

    _reload(page)
    options = [o.replace("\xa0", " ") for o in
               page.get_by_label("Person", exact=True).locator("option").all_inner_texts()]
    for n, name in enumerate(names, start=1):
        assert f"{name} (Org {n})" in options
    v.assert_clean()


# -- reflection journal ---------------------------------------------------------------------
def _journal_box(page):
    box = page.get_by_label("Your answer", exact=True)
    box.wait_for()
    return box


def _step_title(page) -> str:
    return page.locator(".kit-step-title").inner_text()


def _press(page, name: str) -> None:
    before = _step_title(page)
    page.get_by_role("button", name=name, exact=True).click()
    if name in ("Next", "Back"):
        page.wait_for_function(
            "t => document.querySelector('.kit-step-title')?.innerText !== t", arg=before)


def test_journal_every_move_saves_and_a_reload_finds_it(visit, kit_server):
    code = kit_server.new_participant("Writer")
    v = visit(JOURNAL, resume_code=code)
    page = v.page
    page.get_by_role("button", name="Start this reflection").click()
    _journal_box(page)
    total = int(re.search(r"of (\d+)", _step_title(page)).group(1))
    texts = [f"Answer to prompt {n} of the housing visit" for n in range(1, total + 1)]
    for n, text in enumerate(texts):
        _journal_box(page).fill(text)
        _press(page, "Save and go on" if n == total - 1 else "Next")
    _wait_for(page, "Draft saved")
    # come back one prompt: what was typed is there
    _press(page, "Back")
    assert _journal_box(page).input_value() == texts[-2]

    _reload(page)
    page.get_by_text("(draft)").first.wait_for()
    with kit_server.store() as store:
        (entry,) = store.list_reflections(store.resume(code).id)
    assert sorted(entry.answers.values()) == sorted(texts) and not entry.finished
    page.get_by_role("button", name="Open to edit").first.click()
    _journal_box(page)
    assert _journal_box(page).input_value() in texts
    v.assert_clean()


def test_journal_typing_then_reloading_keeps_the_text(visit, kit_server):
    code = kit_server.new_participant("Quick writer")
    v = visit(JOURNAL, resume_code=code)
    page = v.page
    page.get_by_role("button", name="Start this reflection").click()
    box = _journal_box(page)
    box.fill("Typed, then I left the box")
    box.blur()
    page.get_by_text("(draft)").first.wait_for()
    _reload(page)
    page.get_by_text("Typed, then I left the box").first.wait_for(state="attached")


def test_journal_reload_mid_sentence_without_leaving_the_box_keeps_a_new_entry(visit,
                                                                                 kit_server):
    """A new reflection, never saved by any button or move: typed key by key, and the page
    reloaded while the cursor is still in the box, after the pause that saves it."""
    code = kit_server.new_participant("Mid-sentence writer")
    v = visit(JOURNAL, resume_code=code)
    page = v.page
    page.get_by_role("button", name="Start this reflection").click()
    box = _journal_box(page)
    box.click()
    page.keyboard.type("On the ward visit I noticed that the disch")
    assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
    # Saved a second after typing pauses, the cursor still in the box; then reloaded. (A reload
    # inside that second: tests/browser/test_reload_mid_pause.py.)
    page.locator(".kit-save-status").get_by_text("Saved", exact=True).wait_for()
    _reload(page)
    page.get_by_text("On the ward visit I noticed that the disch").first.wait_for(
        state="attached")
    with kit_server.store() as store:
        (entry,) = store.list_reflections(store.resume(code).id)
    assert list(entry.answers.values()) == ["On the ward visit I noticed that the disch"]
    assert not entry.finished


def test_journal_says_saved_while_the_cursor_is_still_in_the_box(visit, kit_server):
    code = kit_server.new_participant("Pausing writer")
    v = visit(JOURNAL, resume_code=code)
    page = v.page
    page.get_by_role("button", name="Start this reflection").click()
    box = _journal_box(page)
    box.click()
    page.keyboard.type("A pause in the middle of a thought")
    # saved once typing pauses, with no blur, no button and no move
    page.locator(".kit-save-status").get_by_text("Saved", exact=True).wait_for()
    assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
    with kit_server.store() as store:
        (entry,) = store.list_reflections(store.resume(code).id)
    assert list(entry.answers.values()) == ["A pause in the middle of a thought"]
    v.assert_clean()


def test_journal_starting_again_asks_first_and_keeps_a_draft(visit, kit_server):
    code = kit_server.new_participant("Restarter")
    v = visit(JOURNAL, resume_code=code)
    page = v.page
    page.get_by_role("button", name="Start this reflection").click()
    _journal_box(page).fill("Please do not throw this away")
    page.get_by_role("button", name="Start this reflection").click()
    _wait_for(page, "You have an entry open")
    # nothing is discarded: the text is still on screen and kept as a draft
    assert _journal_box(page).input_value() == "Please do not throw this away"
    page.get_by_role("button", name="Keep writing this one").click()
    page.get_by_text("You have an entry open").wait_for(state="detached")
    page.get_by_role("button", name="Start this reflection").click()
    page.get_by_role("button", name="Start a new entry").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('textarea')].some(t => t.value === '')")
    _reload(page)
    page.get_by_text("Please do not throw this away").first.wait_for(state="attached")
    with kit_server.store() as store:
        entries = store.list_reflections(store.resume(code).id)
    assert [list(e.answers.values()) for e in entries] == [["Please do not throw this away"]]


# -- self-assessment ------------------------------------------------------------------------
def test_self_assessment_choices_survive_a_reload_without_pressing_next(visit, kit_server):
    code = kit_server.new_participant("Rater")
    v = visit(ASSESS, resume_code=code)
    page = v.page
    groups = page.locator(".kit-rating")
    groups.first.wait_for()
    total = groups.count()
    groups.nth(0).locator("input[type=radio]").nth(3).check()
    groups.nth(1).locator("input[type=radio]").nth(1).check()
    _wait_for(page, f"2 of {total + page.locator('.kit-importance').count()} answered")
    # the chosen rating is one checked radio in its group
    assert groups.nth(0).locator("input[type=radio]:checked").count() == 1
    # Next on a step with gaps lists them first; Next again leaves them for later
    page.get_by_role("button", name="Next", exact=True).click()
    _wait_for(page, "Still to answer on this step")
    _press(page, "Next")
    _press(page, "Back")
    assert page.locator(".kit-rating").nth(0).locator("input[type=radio]:checked").count() == 1
    page.locator(".kit-rating").nth(2).locator("input[type=radio]").nth(2).check()
    _wait_for(page, "3 of")
    _reload(page)
    _wait_for(page, "Welcome back")
    assert page.locator(".kit-rating input[type=radio]:checked").count() == 3
    v.assert_clean()


# -- action plan ----------------------------------------------------------------------------
def test_action_plan_commitment_and_review_survive_a_reload(visit, kit_server):
    code = kit_server.new_participant("Planner")
    v = visit(PLAN, resume_code=code)
    page = v.page
    page.get_by_label("I will", exact=True).fill("Visit the locality hub on Tuesdays")
    page.get_by_label("Due by", exact=True).fill("2026-04-15")
    page.get_by_text("Due on Wednesday 15 April 2026").wait_for()
    page.get_by_role("button", name="Add commitment").click()
    _wait_for(page, "Commitment added")
    page.get_by_role("button", name="Review", exact=True).first.click()
    status = page.get_by_label("Status", exact=True).first
    assert status.evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ") == "Not started"
    status.select_option(label="Done")
    page.get_by_label("Note (optional)", exact=True).first.fill("Went twice")
    page.get_by_role("button", name="Save review").first.click()
    _wait_for(page, "Review saved")
    _reload(page)
    _wait_for(page, "Visit the locality hub on Tuesdays")
    _wait_for(page, "Went twice")
    with kit_server.store() as store:
        (c,) = store.list_commitments(store.resume(code).id)
    assert c.status == "done" and c.review_note == "Went twice"


def test_action_plan_reload_mid_sentence_keeps_a_new_commitment_and_a_review_note(visit,
                                                                                   kit_server):
    """Typed and never added or saved: a reload with the cursor still in the box brings the
    new commitment's words back into the form, and the review note is saved as typed."""
    code = kit_server.new_participant("Interrupted planner")
    with kit_server.store() as store:
        pid = store.resume(code).id
        store.add_commitment(pid, "Ring the practice manager", None, None)
    v = visit(PLAN, resume_code=code)
    page = v.page
    box = page.get_by_label("I will", exact=True)
    box.click()
    page.keyboard.type("Spend a morning at the day centre with")
    _reload(page)
    box = page.get_by_label("I will", exact=True)
    page.wait_for_function(
        "() => document.querySelector('.kit-draft-new-commitment textarea')?.value"
        " === 'Spend a morning at the day centre with'")
    # the kernel has it too: adding it now adds these words
    box.click()
    page.keyboard.type(" Jo")
    page.get_by_label("Due by", exact=True).fill("2026-04-15")
    page.get_by_text("Due on Wednesday 15 April 2026").wait_for()
    page.get_by_role("button", name="Add commitment").click()
    _wait_for(page, "Commitment added")
    page.get_by_role("button", name="Review", exact=True).first.click()
    note = page.get_by_label("Note (optional)", exact=True).first
    note.click()
    page.keyboard.type("Left a message")
    page.get_by_text("Note saved", exact=True).wait_for()  # saved once typing paused
    page.keyboard.type(" on Mon")
    # saved again a second after typing pauses, with the cursor still in the box. (A reload
    # inside that second: tests/browser/test_reload_mid_pause.py.)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.kit-app *')].some(e => e.childElementCount === 0"
        " && /Note saved/.test(e.textContent || ''))")
    with kit_server.store() as store:
        deadline = time.monotonic() + 60
        while not any(c.review_note == "Left a message on Mon"
                      for c in store.list_commitments(pid)):  # a database count, not a page
            assert time.monotonic() < deadline, "the note was never saved whole"
            time.sleep(0.25)
    _reload(page)
    _wait_for(page, "Left a message on Mon")
    with kit_server.store() as store:
        texts = {c.text: c for c in store.list_commitments(pid)}
    assert "Spend a morning at the day centre with Jo" in texts
    assert any(c.review_note == "Left a message on Mon" and c.status == "open"
               for c in texts.values())
    # added, so a further reload does not bring the words back into the form
    _reload(page)
    page.get_by_label("I will", exact=True).wait_for()
    assert page.get_by_label("I will", exact=True).input_value() == ""
    v.assert_clean()


def test_partnership_map_reload_mid_word_keeps_someone_new(visit, kit_server):
    code = kit_server.new_participant("Interrupted mapper")
    v = visit(MAP, resume_code=code)
    page = v.page
    page.get_by_label("Name or role", exact=True).fill("Discharge co-ordinator")
    page.get_by_label("Organisation", exact=True).click()
    page.keyboard.type("Riverside Hosp")
    _reload(page)
    page.wait_for_function(
        "() => document.querySelector('.kit-draft-new-person-organisation input')?.value"
        " === 'Riverside Hosp'")
    assert page.get_by_label("Name or role", exact=True).input_value() == "Discharge co-ordinator"
    # the kernel has both: adding now adds them
    page.get_by_text("Save adds Discharge co-ordinator, Riverside Hosp").wait_for()
    page.get_by_role("button", name="Add person", exact=True).click()
    _wait_for(page, "Added Discharge co-ordinator to your map")
    assert [(r.label, r.organisation) for r in _people(kit_server, code)] == [
        ("Discharge co-ordinator", "Riverside Hosp")]
    _reload(page)
    page.get_by_label("Name or role", exact=True).wait_for()
    assert page.get_by_label("Name or role", exact=True).input_value() == ""
    v.assert_clean()


# -- signed in across the apps --------------------------------------------------------------
def test_resume_on_start_here_then_a_link_keeps_you_signed_in(browser, kit_server):
    code = kit_server.new_participant("Traveller")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(kit_server.app_url(START))
    wait_rendered(page)
    page.get_by_label("Resume code", exact=True).fill(code)
    page.get_by_role("button", name="Carry on").click()
    page.get_by_role("button", name="Remember me on this browser").wait_for()
    page.get_by_role("button", name="Not you? Sign out").wait_for()
    page.locator("a[href='04_action_plan.ipynb']").first.click()
    wait_rendered(page)
    page.get_by_role("button", name="Add commitment").wait_for()
    assert page.get_by_role("button", name="Join my group").count() == 0
    assert "Traveller" in page.inner_text("body")
    # signing out on one app signs out of the next
    page.get_by_role("button", name="Not you? Sign out").click()
    page.get_by_role("button", name="Join my group").wait_for()
    page.wait_for_function("() => !document.cookie.includes('kit_resume=')")
    page.goto(kit_server.app_url(MAP))
    wait_rendered(page)
    page.get_by_role("button", name="Join my group").wait_for()
    context.close()


@pytest.mark.parametrize("app", [a for a in APPS], ids=lambda a: a.notebook)
def test_every_app_has_the_menu_with_itself_marked(visit, kit_server, app):
    code = kit_server.new_participant("Menu reader")
    v = visit(app.notebook, resume_code=code)
    nav = v.page.locator("nav.kit-nav")
    nav.first.wait_for()
    links = nav.first.locator("a")
    # a participant's menu lists only the participants' apps; a facilitator's, every app
    shown = [a for a in APPS if a.audience == "participants" or app.audience != "participants"]
    assert links.count() == len(shown)
    current = nav.first.locator("a[aria-current='page']")
    assert current.count() == 1 and current.inner_text() == app.title
    # links look like links and take the keyboard focus
    first = links.nth(0)
    assert "underline" in first.evaluate("a => getComputedStyle(a).textDecorationLine") or \
        app.notebook == APPS[0].notebook
    first.focus()
    assert v.page.evaluate("() => document.activeElement.tagName") == "A"


# -- issue 12, part 4 -----------------------------------------------------------------------
def test_two_private_visitors_of_one_server_do_not_see_each_others_work(browser, kit_server):
    def private_visitor():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(kit_server.app_url(PLAN))
        wait_rendered(page)
        page.get_by_role("button", name="Work privately on this computer").click()
        page.get_by_text("Your resume code is").wait_for()
        assert "come back" in page.inner_text("body")
        page.get_by_role("button", name="Add commitment").wait_for()
        return context, page

    first_ctx, first = private_visitor()
    first.get_by_label("I will", exact=True).fill("First visitor's private plan")
    first.get_by_label("Due by", exact=True).fill("2026-04-15")
    first.get_by_text("Due on Wednesday 15 April 2026").wait_for()
    first.get_by_role("button", name="Add commitment").click()
    _wait_for(first, "Commitment added")
    first_code = first.locator(".kit-resume-code strong").inner_text().strip()

    second_ctx, second = private_visitor()
    second_code = second.locator(".kit-resume-code strong").inner_text().strip()
    assert first_code != second_code
    assert "First visitor's private plan" not in second.inner_text("body")
    second.get_by_text("No commitments yet").wait_for()
    # and on another app, in a fresh page for the second visitor
    second.goto(kit_server.app_url(PLAN))
    wait_rendered(second)
    second.get_by_text("No commitments yet").wait_for()
    assert "First visitor's private plan" not in second.inner_text("body")
    with kit_server.store() as store:
        a, b = store.resume(first_code), store.resume(second_code)
        assert a.id != b.id and a.cohort_id is None and b.cohort_id is None
        assert [c.text for c in store.list_commitments(a.id)] == ["First visitor's private plan"]
        assert store.list_commitments(b.id) == []
    first_ctx.close()
    second_ctx.close()


# -- no label cut short ---------------------------------------------------------------------
CUT_LABELS = """() => {
  const bad = [];
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el)) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent)
      .join('').trim();
    if (own && /(\\.\\.\\.|\\u2026)$/.test(own)) bad.push(own);
    const s = getComputedStyle(el);
    if (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 &&
        el.innerText && el.innerText.trim()) bad.push('cut short: ' + el.innerText.trim());
  }
  return bad;
}"""


@pytest.mark.parametrize("app", [a for a in APPS if a.audience == "participants"],
                         ids=lambda a: a.notebook)
def test_no_visible_label_ends_in_an_ellipsis_at_1280px(browser, kit_server, app):
    for signed_in in (False, True):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        if signed_in:
            context.add_cookies([{"name": "kit_resume", "value": kit_server.need_codes().resume_code,
                                  "url": kit_server.url}])
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(kit_server.app_url(app.notebook))
        wait_rendered(page)
        charts_drawn(page)  # charts paint after the widgets
        bad = page.evaluate(CUT_LABELS)
        context.close()
        assert bad == [], (app.notebook, signed_in, bad)


def test_no_visible_label_in_the_dashboard_ends_in_an_ellipsis_at_1280px(browser, kit_server):
    codes = kit_server.need_codes()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(kit_server.app_url("10_facilitator_dashboard.ipynb"))
    wait_rendered(page)
    page.get_by_label("Facilitator key", exact=True).fill(codes.facilitator_key)
    page.get_by_role("button", name="Open cohort").click()
    page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=240_000)
    charts_drawn(page, timeout=240_000)
    bad = page.evaluate(CUT_LABELS)
    context.close()
    assert bad == [], bad
