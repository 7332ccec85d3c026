"""The facilitator's real-cohort journey (issue 24), in a browser against a real ``kit serve``.

A facilitator sets up a cohort of two groups in the set-up app: Riverside (7 people) and
Hillside (3 people), five partner organisations across them, two from each, so that no
organisation ever has the 5 people (K) a score needs. People join from the join links while
no round is open; the facilitator opens the round explicitly. Two people join on a phone in
the browser and one of them answers there; the others join and answer through the same kit
functions the apps call (``Store.join``, ``SelfAssessmentModel``, ``JournalModel``), for speed.

* The early look: while the round is open (Riverside 5 of 7 answered) the facilitator opens the
  dashboard. Every view, for every group, says truly where the round stands ("Baseline is
  open ... Results appear when the round closes"), never "fewer than 5 responses".
* A late joiner joins Riverside after the round opened: their Start here says they are not
  counted this round; another member's Start here says nothing about late joiners.
* The facilitator closes the round in the dashboard (published once, final), and only then do
  all ten share their "What will I do differently on Monday" answers (one through the browser
  journal): "In their words" shows all ten, a batch that reaches KIT_MIN_COMMENT_SIZE (10).
* At the end every view K allows for the group of 7 is shown, and every empty one gives its
  true reason: the group of 3 "can never reach 5"; the whole cohort is hidden so that the
  group of 3 cannot be worked out from it; no organisation has 5 responses.

Texts on the page are asserted, not screenshots; screenshots are saved under the test's
temporary folder for a person to look at (their paths are printed).
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from browser_support import _CONTENT_HEIGHT_JS, kit_serve, wait_rendered
from playwright.sync_api import expect
from test_real_cohort import _tracebacks, no_errors, rate_every_item, select

pytestmark = pytest.mark.slow

SETUP_KEY = "journey-setup-key-0123456789"
K = 5
MIN_COMMENTS = 10
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}
COHORT = "Autumn 2026"
GROUPS = ("Riverside", "Hillside")
ORGS = ("Northshire NHS Trust", "Northshire County Council", "Northshire Police",
        "Riverside Housing", "Northshire Fire and Rescue")
SECTOR = {ORGS[0]: "NHS and health", ORGS[1]: "Local council", ORGS[2]: "Police and justice",
          ORGS[3]: "Housing", ORGS[4]: "Fire and rescue"}
ROLES = ("Front line", "Team leader", "Middle manager", "Senior manager", "Executive")
#: (group, organisation): seven in Riverside, three in Hillside; two people from each of the
#: five organisations across the cohort. People 0 and 7 join through the browser.
PEOPLE = tuple([("Riverside", ORGS[i]) for i in (0, 0, 1, 1, 2, 2, 3)]
               + [("Hillside", ORGS[i]) for i in (3, 4, 4)])
IN_BROWSER = (0, 7)
#: Riverside people who answer only after the early look (so it happens at 5 of 7).
ANSWER_LATER = (5, 6)
ALL_LABEL = "All groups (whole cohort)"
NEVER = f"a group of 3 can never reach {K}"
PROTECT = "hidden so that no one's answers can be worked out from the other numbers shown"
#: Words that would be a false reason anywhere in this journey.
FALSE_REASONS = ("Nobody has answered yet", "not enough responses yet", "needs more responses",
                 "need more responses", "(no answers yet)", "fewer responses than the minimum")


def monday_text(n: int) -> str:
    return f"On Monday I will walk round the {ORGS[n % 5]} hub with partner number {n}."


@pytest.fixture
def journey_server(tmp_path, chromium_path):
    from kit._paths import notebooks_dir

    root = tmp_path / "notebooks"
    shutil.copytree(notebooks_dir(), root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    data = tmp_path / "data"
    data.mkdir()
    url = f"sqlite:///{data / 'kit.db'}"
    env = dict(os.environ)
    for name in ("KIT_DEMO", "JUPYTERHUB_USER", "KIT_FACILITATORS", "KIT_DATABASE_URL"):
        env.pop(name, None)
    env.update(KIT_DATA_DIR=str(data), KIT_DATABASE_URL=url, KIT_SETUP_KEY=SETUP_KEY,
               KIT_MIN_GROUP_SIZE=str(K), KIT_MIN_COMMENT_SIZE=str(MIN_COMMENTS),
               KIT_TODAY="2026-10-05")
    log = tmp_path / "serve.log"
    with kit_serve(root, env, log, "--pool-size", "0",
                   "--pool", "01_self_assessment.ipynb=1", cwd=tmp_path) as (base, _port, _proc):
        yield base, url, log


# ----------------------------------------------------------------------------- helpers


class Shots:
    """Whole-page screenshots in the test's temporary folder; paths printed at the end."""

    def __init__(self, folder):
        self.folder = folder
        folder.mkdir(exist_ok=True)
        self.taken: list = []

    def __call__(self, page, name: str) -> None:
        path = self.folder / f"{len(self.taken):02d}-{name}.png"
        size = page.viewport_size
        height = min(8000, int(page.evaluate(_CONTENT_HEIGHT_JS)) + 40)
        if size and height > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": height})
            try:
                page.screenshot(path=str(path), full_page=True)
            finally:
                page.set_viewport_size(size)
        else:
            page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        print(f"screenshot: {path}")


def new_page(browser, viewport, *, phone: bool = False, resume: str | None = None,
             base: str | None = None):
    context = browser.new_context(viewport=viewport, device_scale_factor=1,
                                  **({"has_touch": True, "is_mobile": True} if phone else {}))
    if resume:
        context.add_cookies([{"name": "kit_resume", "value": resume, "url": base}])
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(240_000)
    return context, page


def open_app(page, base: str, notebook: str) -> None:
    page.goto(f"{base}voila/render/{notebook}")
    wait_rendered(page, timeout=240_000)


def page_text(locator) -> str:
    return " ".join(locator.inner_text().replace("\xa0", " ").split())


def join_in_browser(browser, link: str, person, shots, name: str) -> str:
    """Open the group's join link on a phone and join; return the resume code."""
    group, org = person
    context, page = new_page(browser, PHONE, phone=True)
    try:
        page.goto(link)
        wait_rendered(page, timeout=240_000)
        page.get_by_text(f"You are joining group {group}").wait_for()
        select(page, "Your organisation (optional)", org)
        select(page, "Sector (optional)", SECTOR[org])
        select(page, "Role level (optional)", ROLES[0])
        page.get_by_role("button", name="Join my group").click()
        resume = page.locator(".kit-resume-code strong").inner_text().strip()
        shots(page, name)
        no_errors(page)
        return resume
    finally:
        context.close()


def answer_like_the_app(store, pid: int, framework, round_info, n: int) -> None:
    """Rate every item a person is shown, and how much each area matters, then submit, as the
    self-assessment and the health check do (varied answers, so no area is all one value)."""
    from kit.apps.self_assessment_model import SelfAssessmentModel

    model = SelfAssessmentModel(store, pid, framework, round_info, save_drafts=False)
    scale, importance = framework.scale, framework.importance_scale
    for step, dim in enumerate(framework.dimensions):
        for i, item in enumerate(model.shown_items(dim)):
            model.set_answer(item.id, scale.min + (n + i + step) % (scale.max - scale.min + 1))
        if dim.ask_importance and importance is not None:
            model.set_importance(dim.id, importance.min
                                 + (n + step) % (importance.max - importance.min + 1))
    model.submit()


def share_like_the_journal(store, pid: int, framework, n: int) -> None:
    """Write and finish "What I will do differently on Monday", sharing its last answer, as the
    journal does."""
    from kit.apps.journal_model import JournalModel
    from kit.content import load_exercise

    monday = load_exercise("what-will-i-do-monday")
    model = JournalModel(store, pid, [monday], framework, None)
    model.start(monday.id)
    for step in monday.steps[:-1]:
        model.set_answer(step.id, f"Person {n} on {step.id}.")
    model.set_answer(monday.steps[-1].id, monday_text(n))
    model.set_shared(True)
    model.finish(False)


# The dashboard: pick a view and a group, and wait for the view to be drawn again.

_MARK_OLD = "el => [...el.children].forEach(c => c.setAttribute('data-kit-old', '1'))"
_REDRAWN = ("() => { const el = document.querySelector('.kit-view-content');"
            " return !!el && el.children.length > 0 && !el.querySelector(':scope > [data-kit-old]'); }")
_SAYS = ("([words]) => { const el = document.querySelector('.kit-view-content');"
         " const t = el ? el.innerText.replace(/\\s+/g, ' ') : '';"
         " return words.every(w => t.includes(w)); }")


def open_dashboard(page, base: str, key: str) -> None:
    open_app(page, base, "10_facilitator_dashboard.ipynb")
    page.get_by_label("Facilitator key").fill(key)
    page.get_by_role("button", name="Open cohort").click()
    page.get_by_text(f"Cohort: {COHORT}").wait_for()
    page.locator(".kit-view-content").locator("h2, .kit-chart-title").first.wait_for()


def _pick(page, label: str, option: str) -> None:
    picker = page.get_by_label(label, exact=True)
    chosen = picker.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")
    if chosen.replace("\xa0", " ") == option:
        return  # no change, so nothing is drawn again
    page.locator(".kit-view-content").evaluate(_MARK_OLD)
    picker.select_option(label=option)
    page.wait_for_function(_REDRAWN)


def show(page, view: str, group: str | None, says: tuple[str, ...]) -> str:
    """Show ``view`` for ``group`` (None: a view without a group picker); wait until the view
    says each of ``says``; return its text (white space collapsed)."""
    _pick(page, "View", view)
    if group is not None:
        _pick(page, "Group", ALL_LABEL if group == "all" else group)
    try:
        page.wait_for_function(_SAYS, arg=[list(says)], timeout=60_000)
    except Exception:  # noqa: BLE001 - say what the view said instead
        text = page_text(page.locator(".kit-view-content"))
        missing = [w for w in says if w not in text]
        pytest.fail(f"{view}, {group}: never said {missing}; it says:\n{text[:2500]}")
    return page_text(page.locator(".kit-view-content"))


#: Views with a group picker, and those without (the dashboard's own titles).
GROUP_VIEWS = ("Group profile", "How our habits vary", "Across organisations and sectors",
               "Importance and performance", "Change over rounds", "Partnership health check")
COHORT_VIEWS = ("Who has taken part", "Cohort overview", "In their words")


def truthful(text: str, where: str, *, fewer_is_true: bool = False) -> None:
    for words in FALSE_REASONS:
        assert words not in text, f"{where}: false reason {words!r}:\n{text[:1500]}"
    if not fewer_is_true:
        # "fewer than K responses" is the false reason while a round is open; "fewer than K
        # members" (the forecast of views that will be empty) is true and allowed
        for said in (f"fewer than {K} responses", f"fewer than {K} answers"):
            assert said not in text, f"{where}: says {said!r}:\n{text[:1500]}"


# ----------------------------------------------------------------------------- the journey


def test_the_facilitators_real_cohort_journey(browser, journey_server, tmp_path):
    from kit.content import load_framework
    from kit.store import Store

    base, url, log = journey_server
    shots = Shots(tmp_path / "screenshots")
    self_fw = load_framework("collaboration-behaviours")
    team_fw = load_framework("partnership-health-check")

    # 1. Set-up, in the browser: the cohort, its groups and organisations; no round opens.
    fac_context, setup = new_page(browser, DESKTOP)
    try:
        open_app(setup, base, "11_facilitator_setup.ipynb")
        setup.get_by_label("Set-up key").fill(SETUP_KEY)
        setup.get_by_role("button", name="Open set-up").click()
        setup.get_by_label("Cohort name").fill(COHORT)
        setup.get_by_label("Partnership groups, one per line").fill("\n".join(GROUPS))
        setup.get_by_label("Partner organisations, one per line (optional)").fill("\n".join(ORGS))
        setup.get_by_role("button", name="Create cohort").click()
        key = setup.locator(".kit-facilitator-key .kit-key-value").inner_text().strip()
        created = page_text(setup.locator(".kit-setup"))
        assert f"Cohort '{COHORT}' is created. No round is open yet" in created, created[:1500]
        assert "first round is open" not in created
        links = {}
        for block in setup.locator(".kit-join-sheet section").all():
            group = re.search(r"group (\w+)", block.locator("h2").inner_text()).group(1)
            links[group] = block.locator(".kit-join-link").inner_text().strip()
        assert set(links) == set(GROUPS)
        rounds = page_text(setup.locator(".kit-rounds"))
        assert "Baseline not open yet" in rounds, rounds
        shots(setup, "setup-created")

        # 2. People join while no round is open: two on a phone, the rest as the app does.
        resumes = {}
        for n in IN_BROWSER:
            resumes[n] = join_in_browser(browser, links[PEOPLE[n][0]], PEOPLE[n], shots,
                                         f"join-phone-{PEOPLE[n][0].lower()}")
        with Store(url) as store:
            cohort = store.cohort_by_facilitator_key(key)
            ids = {n: store.resume(code).id for n, code in resumes.items()}
            for n, (group, org) in enumerate(PEOPLE):
                if n not in ids:
                    code = links[group].rsplit("=", 1)[1]
                    ids[n] = store.join(code, organisation=org, sector=SECTOR[org],
                                        role_level=ROLES[n % len(ROLES)]).id
            assert [g["members"] for g in store.membership_summary(cohort.id)] == [7, 3]

        # 3. The facilitator opens the round, explicitly, in set-up.
        setup.get_by_role("button", name="Open round").click()
        setup.get_by_text("Round 'Baseline' is open for answers. Everyone who had joined is "
                          "counted").wait_for()
        # the rounds table: the state, and the ten counted
        expect(setup.locator(".kit-rounds")).to_contain_text(re.compile(r"Baseline\s*open since"))
        assert re.search(r"Baseline\s*open since [^\n]*?\s10\s", page_text(
            setup.locator(".kit-rounds"))), page_text(setup.locator(".kit-rounds"))
    finally:
        fac_context.close()

    # 4. Person 0 answers on the phone; then everyone but two of Riverside, as the app does.
    context, page = new_page(browser, PHONE, phone=True, resume=resumes[0], base=base)
    try:
        open_app(page, base, "01_self_assessment.ipynb")
        page.locator(".kit-rating").first.wait_for()
        rate_every_item(page, self_fw, 0)
        page.locator(".kit-membership").get_by_text(
            "In Baseline, 7 people are counted in your group").wait_for()
        shots(page, "self-assessment-submitted-phone")
        no_errors(page)
    finally:
        context.close()
    with Store(url) as store:
        baseline = store.current_round(cohort.id)
        for n in range(len(PEOPLE)):
            if n != 0 and n not in ANSWER_LATER:
                answer_like_the_app(store, ids[n], self_fw, baseline, n)

    # 5. The early look: the round is open, Riverside 5 of 7 and Hillside 3 of 3 have answered.
    fac_context, dash = new_page(browser, DESKTOP)
    try:
        open_dashboard(dash, base, key)
        status = page_text(dash.locator("[role=status]").filter(has_text="Results").first)
        assert "Baseline is open: 8 of the 10 people counted have answered" in status, status
        assert "Results appear when the round closes, once and final" in status, status
        open_words = ("Baseline is open: 8 of the 10 people counted have answered",
                      "Results appear when the round closes")
        for view in GROUP_VIEWS:
            for group in (*GROUPS, "all"):
                text = show(dash, view, group, (view, *open_words))
                truthful(text, f"early look, {view}, {group}")
        text = show(dash, "Who has taken part", None, ("Riverside 5 of 7", "Hillside 3 of 3"))
        truthful(text, "early look, participation")
        assert f"Hillside counts 3 people, and {NEVER}" in text, text[:1500]
        shots(dash, "dashboard-early-participation")
        text = show(dash, "Cohort overview", None, open_words)
        truthful(text, "early look, overview")
        text = show(dash, "In their words", None,
                    (f"Answers appear once at least {MIN_COMMENTS} people have shared one "
                     "(0 so far)",))
        truthful(text, "early look, in their words")
        show(dash, "Group profile", "Riverside", open_words)
        shots(dash, "dashboard-early-profile")
        no_errors(dash)

        # 6. The last two of Riverside answer; everyone answers the health check.
        with Store(url) as store:
            for n in ANSWER_LATER:
                answer_like_the_app(store, ids[n], self_fw, baseline, n)
            for n in range(len(PEOPLE)):
                answer_like_the_app(store, ids[n], team_fw, baseline, n)

        # 7. A late joiner, on a phone: not counted this round, and told so; nobody else is
        # told about late joiners.
        late = join_in_browser(browser, links["Riverside"], ("Riverside", ORGS[0]), shots,
                               "join-phone-late")
        for who, code in (("late joiner", late), ("person 0", resumes[0])):
            context, page = new_page(browser, PHONE, phone=True, resume=code, base=base)
            try:
                open_app(page, base, "00_start_here.ipynb")
                member = page.locator(".kit-membership").first
                member.get_by_text("In Baseline, 7 people are counted in your group").wait_for()
                said = page_text(member)
                whole = page_text(page.locator("body"))
                if who == "late joiner":
                    assert ("You joined after Baseline opened: your answers are saved and count "
                            "from the next round.") in said, said
                else:
                    assert "joined after" not in whole.lower(), said
                    assert "late" not in said.lower(), said
                assert not re.search(r"\d+ (people|person) joined after", whole), said
                shots(page, f"start-here-{who.replace(' ', '-')}")
                no_errors(page)
            finally:
                context.close()

        # 8. The facilitator closes the round in the dashboard: published once, final.
        close = dash.get_by_role("button", name="Close Baseline and publish its results")
        close.click()
        dash.get_by_text("Baseline is closed. Its results are published and final").wait_for()
        no_errors(dash)
    finally:
        fac_context.close()

    # 9. After the close, all ten share their Monday answer: person 0 in the browser journal.
    context, page = new_page(browser, PHONE, phone=True, resume=resumes[0], base=base)
    try:
        from kit.content import load_exercise

        monday = load_exercise("what-will-i-do-monday")
        open_app(page, base, "02_reflection_journal.ipynb")
        page.get_by_label("Exercise", exact=True).select_option(
            label=f"{monday.title}, {monday.duration_text()}")
        page.get_by_role("button", name="Start this reflection").click()
        for step in monday.steps[:-1]:
            box = page.get_by_placeholder(step.prompt, exact=True)
            box.fill(f"Person 0 on {step.id}.")
            title = page.locator(".kit-step-title").inner_text()
            page.get_by_role("button", name="Next", exact=True).click()
            page.wait_for_function(
                "t => document.querySelector('.kit-step-title')?.innerText !== t", arg=title)
        box = page.get_by_placeholder(monday.steps[-1].prompt, exact=True)
        box.fill(monday_text(0))
        share = page.get_by_label("Share this answer with the whole cohort, without my name")
        assert not share.is_checked()  # off unless ticked
        note = page_text(page.locator(".kit-share-note"))
        assert f"once at least {MIN_COMMENTS} people in the cohort have shared" in note, note
        share.check()
        page.get_by_role("button", name="Finish entry").click()
        page.get_by_text("Your answer to the shared question may be shown across the whole "
                         "cohort, without your name").wait_for()
        shots(page, "journal-shared-phone")
        no_errors(page)
    finally:
        context.close()
    with Store(url) as store:
        for n in range(1, len(PEOPLE)):
            share_like_the_journal(store, ids[n], self_fw, n)

    # 10. The end: every view K allows for Riverside is shown; every other one says why, truly.
    fac_context, dash = new_page(browser, DESKTOP)
    try:
        open_dashboard(dash, base, key)
        status = page_text(dash.locator("[role=status]").filter(has_text="Results").first)
        assert "Baseline closed on" in status and "published and final" in status, status

        # Riverside (7 people): shown.
        river = {
            "Group profile": ("Group profile: Riverside, Baseline", "Based on", "7 people"),
            "How our habits vary": ("How our habits vary: Riverside, Baseline",),
            "Importance and performance": ("Importance and performance: Riverside, Baseline",),
            "Change over rounds": ("Change over rounds: Riverside",
                                   "Only Baseline can be shown so far for the group (Baseline 7 "
                                   "people)"),
            "Partnership health check": ("Partnership health check: Riverside",
                                         "In Baseline, the partnership rates"),
        }
        for view, says in river.items():
            text = show(dash, view, "Riverside", (*says, "In words:"))
            truthful(text, f"end, {view}, Riverside")
            assert "cannot be shown" not in text and "No area can be shown" not in text, text[:1500]
            shots(dash, f"end-riverside-{view.split()[0].lower()}")
        # Across organisations: two people from each organisation, so none can be shown.
        text = show(dash, "Across organisations and sectors", "Riverside",
                    ("By organisation", "In words:"))
        assert (f"No organisation can be shown on its own: fewer than {K} responses"
                in text), text[:1500]
        truthful(text, "end, breakdown, Riverside", fewer_is_true=True)
        shots(dash, "end-riverside-across-organisations")

        # Hillside (3 people): never, and says so on every view.
        for view in GROUP_VIEWS:
            text = show(dash, view, "Hillside", (NEVER,))
            truthful(text, f"end, {view}, Hillside")
        shots(dash, "end-hillside")
        # The whole cohort: hidden, or Hillside could be worked out from it and Riverside.
        for view in GROUP_VIEWS:
            if view == "Across organisations and sectors":
                text = show(dash, view, "all", (f"fewer than {K} responses",))
                truthful(text, "end, breakdown, whole cohort", fewer_is_true=True)
                continue
            text = show(dash, view, "all", (PROTECT,))
            truthful(text, f"end, {view}, whole cohort")

        text = show(dash, "Who has taken part", None, ("Riverside 7 of 7", "Hillside 3 of 3"))
        assert f"Hillside counts 3 people, and {NEVER}" in text, text[:1500]
        truthful(text, "end, participation")
        text = show(dash, "Cohort overview", None,
                    ("Riverside: one round so far", f"Hillside: {NEVER}"))
        truthful(text, "end, overview")
        shots(dash, "end-overview")

        # In their words: the ten answers shared after the close, all shown.
        text = show(dash, "In their words", None, tuple(monday_text(n) for n in range(10)))
        assert "Answers appear once" not in text and "withdrawn" not in text, text[:1500]
        assert "across the whole cohort, without names" in text
        shots(dash, "end-in-their-words")
        no_errors(dash)
    finally:
        fac_context.close()

    assert _tracebacks(log.read_text(errors="replace")) == []
    print("screenshots:\n" + "\n".join(str(p) for p in shots.taken))
