"""The learning loop in a real browser: from the journal's last step "Make this a commitment"
opens the action plan with the answer filled in; marking the commitment done offers
"Reviewing a commitment", which opens the journal on that exercise."""

from __future__ import annotations

import re

from axe_support import assert_no_serious
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


def test_the_loop_commit_pass_the_date_review_reassess_and_see_it_on_the_profile(
        visit, kit_server):
    """Issue 25's loop in a real browser: a commitment made in the action plan reaches its date
    (moved there through the store, not by waiting), its review is listed on Start here and
    written in the journal, the next round's self-assessment asks the looking-back question, and
    the profile shows the commitment and the looking-back answer beside the first score."""
    import datetime as dt

    from kit.content import load_framework

    fw = load_framework("collaboration-behaviours")
    # A cohort of its own, so the demo cohort's rounds stay as they are for other tests: the
    # person answered its first round, which has closed; the second round is open.
    with kit_server.store() as store:
        created = store.create_cohort("Loop cohort", groups=["Loop"], rounds=["Before", "After"])
        joined = store.join(created.join_codes["Loop"], display_name="Loop walker")
        before = store.open_round(created.cohort_id, "Before")
        store.submit_response(joined.id, fw, before.id, {i.id: 2 for i in fw.items},
                              {d.id: 3 for d in fw.dimensions if d.ask_importance},
                              key="loop-before")
        store.close_round(created.cohort_id, "Before")
        store.open_round(created.cohort_id, "After")
    code, pid = joined.resume_code, joined.id
    area = fw.dimension("showing-up-in-partners-spaces")
    text = "Go to the housing team's drop-in <b>twice</b>"

    # 1. commit, in the action plan
    v = visit("04_action_plan.ipynb", resume_code=code)
    page = v.page
    page.get_by_label("I will", exact=True).fill(text)
    page.get_by_label("Area it develops", exact=True).select_option(label=area.title)
    page.get_by_label("Due by", exact=True).fill("2026-03-20")  # after the kit's today
    page.get_by_text("Due on Friday 20 March 2026").wait_for()
    page.get_by_role("button", name="Add commitment").click()
    page.get_by_text("Commitment added").wait_for(timeout=LONG)
    v.assert_clean()
    with kit_server.store() as store:
        [commitment] = store.list_commitments(pid)
        assert commitment.text == text and commitment.dimension_id == area.id
        # 2. pass the due date: the commitment moves to a date before the kit's today
        store.change_commitment_due(pid, commitment.id, dt.date(2026, 2, 27))

    # 3. the due review is listed on Start here, and its link opens the review
    v = visit("00_start_here.ipynb", resume_code=code)
    page = v.page
    expect(page.get_by_role("heading", name="Reviews due")).to_be_visible(timeout=LONG)
    due = page.locator(".kit-due-reviews")
    expect(due).to_contain_text(text)  # shown as text, never as markup
    assert due.locator("b").count() == 0
    due.get_by_role("link", name="Review it").click()
    page.wait_for_url(re.compile(rf"exercise=reviewing-a-commitment&commitment={commitment.id}"),
                      timeout=LONG)
    wait_rendered(page)
    expect(page.get_by_text("The commitment you are reviewing")).to_be_visible(timeout=LONG)
    page.get_by_role("button", name="Start this reflection").click()
    review = load_exercise("reviewing-a-commitment")
    for n in range(len(review.steps)):
        box = page.get_by_placeholder(review.steps[n].prompt[:200], exact=True)
        expect(box).to_be_visible(timeout=LONG)
        box.fill(f"Went once; the second visit moved to April ({n + 1}).")
        box.blur()
        if n < len(review.steps) - 1:
            title = page.locator(".kit-step-title").inner_text()
            page.get_by_role("button", name="Next", exact=True).click()
            page.wait_for_function(
                "t => document.querySelector('.kit-step-title')?.innerText !== t", arg=title)
    page.get_by_role("button", name="Finish entry").click()
    page.get_by_text("Entry finished and saved").wait_for(timeout=LONG)
    v.assert_clean()
    with kit_server.store() as store:
        entries = [e for e in store.list_reflections(pid) if e.finished]
        assert [e.commitment_id for e in entries] == [commitment.id]

    # 4. reassess: the second round asks, on every area, how often before the programme
    v = visit("01_self_assessment.ipynb", resume_code=code)
    page = v.page
    looked_back = {}
    for step, dim in enumerate(fw.dimensions):
        title = page.locator(".kit-step-title").inner_text()
        then = page.locator(".kit-then-test")
        expect(then).to_have_count(1, timeout=LONG)
        expect(then).to_contain_text(
            "Looking back, how often did you do this before the programme?")
        if step == 0:  # the new question is a named radio group like the others
            assert_no_serious(page, "self-assessment-looking-back")
        if step < 2:  # optional: answered on the first two areas only
            choice = "Once" if step == 0 else "Not sure"
            then.get_by_role("radio", name=choice, exact=True).check()
            looked_back[dim.id] = choice
        groups = page.locator(".kit-rating")
        for i in range(groups.count()):
            groups.nth(i).get_by_role("radio").nth(3).check()  # "4 times or more"
        importance = page.locator(".kit-importance").get_by_role("radio")
        if importance.count():
            importance.nth(2).check()
        button = page.get_by_role("button", name=re.compile(r"^(Next|Check and submit)$"))
        last = button.inner_text().strip() == "Check and submit"
        button.click()
        if last:
            break
        page.wait_for_function(
            "t => document.querySelector('.kit-step-title')?.innerText !== t", arg=title)
    page.get_by_text("Your self-assessment is saved").wait_for(timeout=LONG)

    # 5. the profile shows the looking-back answers beside the first score, and the commitment
    section = page.locator(".kit-looking-back").last
    expect(section).to_contain_text("Looking back", timeout=LONG)
    first = fw.dimensions[0]
    expect(section).to_contain_text(
        f"{first.title}: Looking back, you rated your starting point \u201cOnce\u201d")
    expect(section).to_contain_text("Your score in Before, your first round, was 2.0")
    expect(section).to_contain_text("you were not sure how often")
    assert_no_serious(page, "profile-looking-back")
    committed = page.locator(".kit-commitments-by-area")
    expect(committed).to_contain_text(area.title)
    expect(committed).to_contain_text(text)
    assert committed.locator("b").count() == 0
    v.assert_clean()
    with kit_server.store() as store:
        after = store.current_round(created.cohort_id)
        sub, _answers, _importance = store.latest_response(pid, fw.id, after.id)
        assert store.submission_then(sub.id) == {fw.dimensions[0].id: 2,
                                                 fw.dimensions[1].id: None}
