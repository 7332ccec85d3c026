"""The learning loop in a real browser: from the journal's last step "Make this a commitment"
opens the action plan with the answer filled in; marking the commitment done offers
"Reviewing a commitment", which opens the journal on that exercise."""

from __future__ import annotations

import re

from browser_support import wait_rendered
from playwright.sync_api import expect

from kit.content import load_exercise

LONG = 90_000


def test_journal_to_action_plan_and_back(visit, kit_server):
    for notebook in ("02_reflection_journal.ipynb", "04_action_plan.ipynb"):
        assert (kit_server.root / notebook).is_file(), notebook
    code = kit_server.new_participant("Loop closer")
    v = visit("02_reflection_journal.ipynb", resume_code=code)
    page = v.page
    monday = load_exercise("what-will-i-do-monday")
    page.get_by_label("Exercise", exact=True).select_option(
        label=f"{monday.title}, {monday.duration_text()}")
    page.get_by_role("button", name="Start this reflection").click()
    for _ in range(len(monday.steps) - 1):
        page.locator("textarea").first.fill("A joint visit to the hub.")
        title = page.locator(".kit-step-title").inner_text()
        page.get_by_role("button", name="Next", exact=True).click()
        # a press of Next while the step is still changing is ignored (a double tap moves
        # one step): wait for the step to change before the next press
        page.wait_for_function(
            "t => document.querySelector('.kit-step-title')?.innerText !== t", arg=title)
    last_prompt = page.locator(".kit-prompt").get_by_text(monday.steps[-1].prompt.split(".")[0])
    expect(last_prompt).to_be_visible(timeout=LONG)
    text = "Ring the housing officer on Monday and book a walk-round."
    box = page.get_by_placeholder(monday.steps[-1].prompt, exact=True)  # the last step's own box
    expect(box).to_be_visible(timeout=LONG)
    box.fill(text)
    expect(box).to_have_value(text)
    box.blur()
    page.get_by_role("button", name="Make this a commitment").click()
    link = page.get_by_role("link", name="Open your action plan with this filled in")
    expect(link).to_be_visible(timeout=LONG)
    assert re.search(r"04_action_plan\.ipynb\?from_entry=\d+$", link.get_attribute("href"))
    link.click()
    page.wait_for_url(re.compile(r"04_action_plan\.ipynb\?from_entry=\d+"), timeout=LONG)
    wait_rendered(page)
    expect(page.get_by_label("I will", exact=True)).to_have_value(text, timeout=LONG)
    page.get_by_label("Due by", exact=True).fill("2026-04-15")
    page.get_by_text("Due on Wednesday 15 April 2026").wait_for()
    page.get_by_role("button", name="Add commitment").click()
    page.get_by_text("Commitment added").wait_for(timeout=LONG)

    page.get_by_role("button", name="Review", exact=True).first.click()
    page.get_by_label("Status", exact=True).select_option(label="Done")
    page.get_by_role("button", name="Save review").click()
    review = page.get_by_role("link", name=re.compile("Reflect on it"))
    expect(review).to_be_visible(timeout=LONG)
    review.click()
    page.wait_for_url(re.compile(r"exercise=reviewing-a-commitment&commitment=\d+"), timeout=LONG)
    wait_rendered(page)
    expect(page.get_by_text("The commitment you are reviewing")).to_be_visible(timeout=LONG)
    chosen = page.get_by_label("Exercise", exact=True).evaluate(
        "s => s.options[s.selectedIndex].text")
    assert chosen.replace("\xa0", " ").startswith("Reviewing a commitment")
    v.assert_clean()
    with kit_server.store() as store:
        pid = store.resume(code).id
        [commitment] = store.list_commitments(pid)
    assert commitment.text == text and commitment.status == "done"
