"""Issue 28: on a phone (390 x 844), what a button says appears right after that button and
inside the screen, announced: set-up (the key, creating a cohort, a round, an extra join code),
the dashboard's round button and My data. Nothing lands at the top of the page, off-screen."""

from __future__ import annotations

import os
import re
import uuid

PHONE = {"width": 390, "height": 844}
SETUP = "11_facilitator_setup.ipynb"
DASHBOARD = "10_facilitator_dashboard.ipynb"
MY_DATA = "06_my_data.ipynb"

#: The message's area follows the button (or the row holding it), is polite live region
#: (set by kit-a11y.js) and the message itself lies inside the viewport.
_BESIDE_AND_IN_VIEW = """([el, name]) => {
  const area = el.closest('.kit-messages');
  if (!area) return 'not in a message area';
  const prev = area.previousElementSibling;
  const button = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === name);
  if (!button) return 'no button ' + name;
  if (!(prev === button || (prev && prev.contains(button)))) return 'not right after ' + name;
  if (area.getAttribute('aria-live') !== 'polite') return 'not announced';
  const r = el.getBoundingClientRect();
  if (!(r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight))
    return `out of view: top ${Math.round(r.top)}, bottom ${Math.round(r.bottom)}`;
  return '';
}"""


def _press_and_see(page, button: str, said, role: str = "status", *, now: str = "") -> None:
    """Press ``button``; wait until a message matching ``said`` is beside it and in view
    (``now``: the button's name once pressed, when pressing renames it)."""
    page.get_by_role("button", name=button, exact=True).click()
    message = page.locator(f".kit-messages [role='{role}']").filter(has_text=said).first
    message.wait_for()
    handle = message.element_handle()
    try:
        page.wait_for_function(f"a => !({_BESIDE_AND_IN_VIEW})(a)",
                               arg=[handle, now or button], timeout=20_000)
    except Exception:  # noqa: BLE001 - say what is wrong
        problem = page.evaluate(f"a => ({_BESIDE_AND_IN_VIEW})(a)", [handle, now or button])
        raise AssertionError(f"after {button!r}: {problem}") from None


def _setup_key(kit_server) -> str:
    key = os.environ.get("KIT_SETUP_KEY", "").strip()
    if key:
        return key
    found = re.search(r"Facilitator set-up key for this run: (\S+)", kit_server.log.read_text())
    assert found, "kit serve did not print a set-up key"
    return found.group(1)


def test_set_up_messages_appear_beside_their_buttons_on_a_phone(visit, kit_server):
    page = visit(SETUP).page
    page.set_viewport_size(PHONE)
    page.get_by_label("Set-up key").fill("not-the-key")
    _press_and_see(page, "Open set-up", "not right", role="alert")
    page.get_by_label("Set-up key").fill(_setup_key(kit_server))
    page.get_by_role("button", name="Open set-up").click()
    page.get_by_label("Cohort name").fill(f"Phone cohort {uuid.uuid4().hex[:6]}")
    page.get_by_label("Partnership groups, one per line").fill("North\nSouth")
    _press_and_see(page, "Create cohort", "is created")
    page.locator(".kit-rounds").wait_for()
    _press_and_see(page, "Open round", "is open for answers")
    page.locator(".kit-rounds", has_text="open since").wait_for()
    _press_and_see(page, "Issue an extra join code for this group", "extra join code")
    page.locator(".kit-code-history", has_text="2 join codes work").wait_for()


def test_dashboard_round_message_appears_beside_its_button_on_a_phone(visit, kit_server):
    with kit_server.store() as store:
        created = store.create_cohort(f"Dash phone {uuid.uuid4().hex[:6]}", groups=["North"],
                                      rounds=["Baseline", "End"])
    page = visit(DASHBOARD).page
    page.set_viewport_size(PHONE)
    page.get_by_label("Facilitator key", exact=True).fill(created.facilitator_key)
    page.get_by_role("button", name="Open cohort").click()
    page.get_by_label("View", exact=True).wait_for()
    _press_and_see(page, "Open Baseline", "Baseline",
                   now="Close Baseline and publish its results")


def test_my_data_messages_appear_beside_their_buttons_on_a_phone(visit, kit_server):
    page = visit(MY_DATA, resume_code=kit_server.new_participant("Phone")).page
    page.set_viewport_size(PHONE)
    _press_and_see(page, "Save these details", "Saved")
    _press_and_see(page, "Prepare my download", "Your file is ready")
    page.get_by_label(re.compile(r"^Type \w+ to confirm")).fill("nope")
    _press_and_see(page, "Erase all my data", re.compile("."), role="alert")
