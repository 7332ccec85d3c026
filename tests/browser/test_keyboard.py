"""Keyboard only, with a visible focus indicator; and nothing hidden at 200% zoom or with the
WCAG 1.4.12 text-spacing overrides.

The keyboard tests never click: they move with Tab and Shift+Tab, choose with the arrow keys
and Space, press buttons with Enter, and type text. At every stop the focused element must
show a focus indicator (an outline or a ring of at least 2 px that is not transparent).
"""

from __future__ import annotations

import re

import pytest
from browser_support import charts_drawn, next_frame, wait_rendered

#: What the focused element is, and whether its focus indicator can be seen.
_FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = (node) => {
    const s = getComputedStyle(node);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
      && s.outlineColor !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(s.outlineColor);
    const ring = s.boxShadow && s.boxShadow !== 'none';
    return outline || ring;
  };
  const option = el.closest('.kit-radio-option');
  const group = el.closest('fieldset');
  const checked = group ? !!group.querySelector('input:checked') : null;
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', text: (el.innerText || el.value || '').trim(),
    label: (el.labels && el.labels[0] ? el.labels[0].innerText : '') || el.getAttribute('aria-label') || '',
    // the ring may be drawn on the control's own box (a radio choice, a date field)
    visible: seen(el) || [option, el.closest('.widget-datepicker')].some(b => b && seen(b)),
    inRating: !!el.closest('.kit-rating, .kit-importance'), groupChecked: checked,
    html: el.outerHTML.slice(0, 160),
  };
}"""


class Keys:
    """Press keys on a page and check the focus indicator after every move."""

    def __init__(self, page):
        self.page = page
        self.stops = 0

    def focus(self) -> dict | None:
        return self.page.evaluate(_FOCUS_JS)

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        info = self.focus()
        if info is not None and not info["visible"]:
            # a focus style may fade in (CSS transitions): give it a moment
            try:
                self.page.wait_for_function(f"() => ({_FOCUS_JS})()?.visible", timeout=1500)
            except Exception:  # noqa: BLE001 - the assertion below says what was found
                pass
            info = self.focus()
        if info is not None:
            self.stops += 1
            assert info["visible"], f"no visible focus indicator after {key} on {info['html']}"
        return info

    def tab_to(self, wanted, what: str, *, back: bool = False, limit: int = 250) -> dict:
        """Press Tab (Shift+Tab when ``back``) until ``wanted(info)`` is true."""
        key = "Shift+Tab" if back else "Tab"
        for _ in range(limit):
            info = self.press(key)
            if info is not None and wanted(info):
                return info
        pytest.fail(f"{what} was never reached with {key} ({limit} presses)")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def _type_date(page, keys: Keys, iso: str) -> None:
    """Type a date into the focused date field, by keyboard only, and check it took.

    A date field takes its parts in the order its own locale shows them (day first in en-GB,
    month first in en-US), which need not be the order ``Intl`` reports: try the ``Intl`` order
    first, then the others, reading the field's value after each attempt.
    """
    year, month, day = iso.split("-")
    parts = {"day": day, "month": month, "year": year}
    intl = page.evaluate("""() => new Intl.DateTimeFormat().formatToParts(new Date(2026, 3, 15))
        .map(p => p.type).filter(t => ['day', 'month', 'year'].includes(t))""")
    orders = [intl] + [o for o in (["day", "month", "year"], ["month", "day", "year"],
                                   ["year", "month", "day"]) if o != intl]
    field = page.locator("input[type=date]:focus")
    field.wait_for()
    for order in orders:
        keys.type("".join(parts[p] for p in order))
        if field.input_value() == iso:
            return
        # back to the field's first part: leave it and come back with the keyboard
        while page.evaluate("() => document.activeElement?.type === 'date'"):
            keys.press("Shift+Tab")
        keys.press("Tab")
        field.wait_for()
    pytest.fail(f"the date field never took {iso}; it holds {field.input_value()!r}")


def _button(name):
    pattern = re.compile(name) if isinstance(name, str) else name
    return lambda i: i["tag"] == "button" and bool(pattern.fullmatch(i["text"]))


def _labelled(label: str, tags=("input", "textarea", "select")):
    return lambda i: i["tag"] in tags and i["label"].strip() == label


def _open(browser, kit_server, notebook: str, code: str):
    # the browser's own locale: date fields and Intl then agree on the order of date parts
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_cookies([{"name": "kit_resume", "value": code, "url": kit_server.url}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(kit_server.app_url(notebook))
    wait_rendered(page)
    return context, page


def test_self_assessment_by_keyboard_only(browser, kit_server):
    from kit.content import load_framework

    framework = load_framework("collaboration-behaviours")
    code = kit_server.new_participant("Keyboard rater")
    context, page = _open(browser, kit_server, "01_self_assessment.ipynb", code)
    keys = Keys(page)
    try:
        for step, dimension in enumerate(framework.dimensions):
            title = page.locator(".kit-step-title").inner_text()
            assert f"Step {step + 1} of {len(framework.dimensions)}" in title
            groups = len(dimension.items) + (1 if dimension.ask_importance else 0)
            for n in range(groups):
                keys.tab_to(lambda i: i["inRating"] and i["groupChecked"] is False,
                            f"an unanswered rating on step {step + 1}")
                # Alternate: Space picks the choice that has focus; an arrow key moves to the
                # next choice and picks it.
                keys.press("ArrowRight" if n % 2 else "Space")
                assert keys.focus()["groupChecked"], "the choice was not picked"
            last = step == len(framework.dimensions) - 1
            name = "Check and submit" if last else "Next"
            keys.tab_to(_button(name), f"the {name} button")
            if step == 0:
                # Shift+Tab goes back into the ratings, and Tab returns to the button.
                back = keys.press("Shift+Tab")
                assert back is not None and not _button(name)(back)
                keys.tab_to(_button(name), f"the {name} button again")
            keys.press("Enter")
            if last:
                break
            page.wait_for_function(
                "t => document.querySelector('.kit-step-title')?.innerText !== t", arg=title)
        page.get_by_text("Your self-assessment is saved").wait_for()
        assert keys.stops > 20
    finally:
        context.close()

    with kit_server.store() as store:
        pid = store.resume(code).id
        frame = store.responses_frame(kit_server.codes.cohort_id, framework.id)
        mine = frame[frame["participant_id"] == pid]
        assert set(mine["item_id"]) == {item.id for item in framework.items}


def test_reflection_relationship_and_commitment_by_keyboard_only(browser, kit_server):
    code = kit_server.new_participant("Keyboard writer")

    # A reflection: start it, write, include it in the report, finish.
    context, page = _open(browser, kit_server, "02_reflection_journal.ipynb", code)
    keys = Keys(page)
    keys.tab_to(_button("Start this reflection"), "Start this reflection")
    keys.press("Enter")
    page.locator("textarea").first.wait_for()
    keys.tab_to(lambda i: i["tag"] == "textarea", "the first prompt's answer box")
    keys.type("I visited the housing team's office and listened first.")
    keys.tab_to(lambda i: i["type"] == "checkbox", "Include this entry in my report")
    keys.press("Space")
    assert page.get_by_label("Include this entry in my report").is_checked()
    keys.tab_to(_button("Finish entry"), "Finish entry")
    keys.press("Enter")
    page.get_by_text("Entry finished and saved").wait_for()
    context.close()

    # A relationship: "Someone new" is chosen already; name, organisation, a strength, save.
    context, page = _open(browser, kit_server, "03_partnership_map.ipynb", code)
    keys = Keys(page)
    keys.tab_to(_labelled("Name or role"), "Name or role")
    keys.type("Practice manager, Riverside surgery")
    keys.tab_to(_labelled("Organisation"), "Organisation")
    keys.type("Riverside surgery")
    keys.tab_to(lambda i: i["inRating"] or i["type"] == "radio", "the strength choices")
    keys.press("ArrowRight")  # 3 -> 4
    # the kernel has every field: a click is sent at once, while a field's change waits for
    # the kernel's answer to the one before, so on a busy machine Save could overtake typing
    page.get_by_text("Save adds Practice manager, Riverside surgery, Riverside surgery to your "
                     "map: tie 4 of 5").wait_for()
    keys.tab_to(_button("Save|Add person"), "the add button")
    keys.press("Enter")
    page.get_by_text(re.compile(r"Added .* to your map")).first.wait_for()
    context.close()

    # A commitment: text, due date typed into the date field, add.
    context, page = _open(browser, kit_server, "04_action_plan.ipynb", code)
    keys = Keys(page)
    keys.tab_to(_labelled("I will"), "I will")
    keys.type("Join the surgery's Tuesday huddle once a month.")
    keys.tab_to(_labelled("Due by"), "Due by")
    _type_date(page, keys, "2026-04-15")
    page.get_by_text("Due on Wednesday 15 April 2026").wait_for()  # the kernel has the date
    keys.tab_to(_button("Add commitment"), "Add commitment")
    keys.press("Enter")
    try:
        page.get_by_text("Tuesday huddle").last.wait_for()
    except Exception:  # noqa: BLE001 - say what the page said instead
        said = page.locator(".kit-status, [role=status], [role=alert]").all_inner_texts()
        pytest.fail(f"the commitment was not added; the page said: {said}")
    context.close()

    with kit_server.store() as store:
        pid = store.resume(code).id
        reflections = store.list_reflections(pid)
        relationships = store.list_relationships(pid)
        commitments = store.list_commitments(pid)
    assert len(reflections) == 1 and reflections[0].finished and reflections[0].include_in_report
    assert [(r.label, r.strength) for r in relationships] == [
        ("Practice manager, Riverside surgery", 4)]
    assert [c.text for c in commitments] == ["Join the surgery's Tuesday huddle once a month."]
    assert str(commitments[0].due) == "2026-04-15"


#: WCAG 1.4.12: the spacing a reader may set without losing content.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

#: Elements whose text is cut off: content larger than a box that hides its overflow.
_CLIPPED_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('#kit-main *')) {
    if (!el.childNodes.length || el.closest('svg, .vega-embed, details:not([open])')) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') continue;
    const hides = ['hidden', 'clip'];
    const clipX = hides.includes(s.overflowX) && el.scrollWidth > el.clientWidth + 2;
    const clipY = hides.includes(s.overflowY) && el.scrollHeight > el.clientHeight + 2;
    const ellipsis = s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 2;
    if (clipX || clipY || ellipsis) out.push(el.outerHTML.slice(0, 140));
  }
  return out;
}"""

PAGES = ["00_start_here.ipynb", "01_self_assessment.ipynb", "02_reflection_journal.ipynb",
         "03_partnership_map.ipynb", "04_action_plan.ipynb", "05_my_report.ipynb",
         "06_my_data.ipynb"]


@pytest.mark.parametrize("notebook", PAGES, ids=lambda n: n.split("_", 1)[1][:-6])
def test_zoom_and_text_spacing_hide_nothing(browser, kit_server, notebook):
    """At 200% zoom (a 1280 px window zoomed: 640 CSS px wide) with text spacing overridden."""
    code = kit_server.need_codes().resume_code
    context = browser.new_context(viewport={"width": 640, "height": 450},
                                  device_scale_factor=2)
    context.add_cookies([{"name": "kit_resume", "value": code, "url": kit_server.url}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(kit_server.app_url(notebook))
        wait_rendered(page)
        charts_drawn(page)
        page.add_style_tag(content=TEXT_SPACING_CSS)
        next_frame(page)  # laid out again with the wider spacing
        clipped = page.evaluate(_CLIPPED_JS)
        assert not clipped, f"text cut off on {notebook}:\n" + "\n".join(clipped[:10])
    finally:
        context.close()


def test_after_next_the_new_step_heading_is_at_the_top_and_focused(browser, kit_server):
    """On a phone, Next shows the new step from its heading, which takes the focus (so a
    second Enter does nothing); a double tap moves one step, never two."""
    from kit.content import load_framework

    framework = load_framework("collaboration-behaviours")
    code = kit_server.new_participant("Phone stepper")
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    context.add_cookies([{"name": "kit_resume", "value": code, "url": kit_server.url}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(kit_server.app_url("01_self_assessment.ipynb"))
        wait_rendered(page)

        def answer_step():
            groups = page.locator(".kit-rating, .kit-importance")
            groups.first.wait_for()
            for n in range(groups.count()):
                groups.nth(n).locator("input[type=radio]").nth(2).check()
            page.get_by_text(re.compile(r"(\d+) of \1 answered on this step")).wait_for()

        def title():
            return page.locator(".kit-step-title").inner_text()

        answer_step()
        before = title()
        page.get_by_role("button", name="Next", exact=True).dblclick()
        page.wait_for_function(
            "t => document.querySelector('.kit-step-title')?.innerText !== t", arg=before)
        page.wait_for_function(
            "() => document.activeElement?.classList.contains('kit-step-title')")
        assert f"Step 2 of {len(framework.dimensions)}" in title()
        top = page.evaluate(
            "() => document.querySelector('.kit-step-title').getBoundingClientRect().top")
        assert 0 <= top < 60, f"the step heading is {top} px from the top of the screen"
        # a second Enter lands on the heading, not on Next: still step 2
        page.keyboard.press("Enter")
        page.get_by_text(re.compile(r"0 of \d+ answered on this step")).wait_for()
        assert f"Step 2 of {len(framework.dimensions)}" in title()
    finally:
        context.close()


def test_collapsible_sections_open_from_the_keyboard(browser, kit_server):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(kit_server.app_url("00_start_here.ipynb"))
        wait_rendered(page)
        keys = Keys(page)
        info = keys.tab_to(lambda i: i["tag"] == "summary"
                           and i["text"] == "The idea behind the kit", "The idea behind the kit")
        assert info["visible"]
        details = page.locator("details.kit-collapsible").first
        assert details.evaluate("d => d.open") is False
        keys.press("Enter")
        page.wait_for_function("() => document.querySelector('details.kit-collapsible').open")
        # every area of the tour is a button of its own
        keys.tab_to(lambda i: i["tag"] == "summary" and i["text"] != "The idea behind the kit",
                    "an area of the tour")
        keys.press("Space")
        assert page.locator(".kit-tour details[open]").count() == 1
    finally:
        context.close()
