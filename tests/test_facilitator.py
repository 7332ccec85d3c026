"""The facilitator dashboard, its model and the facilitated session, without a browser."""

from __future__ import annotations

import pytest

from kit.apps.facilitator_model import END_STEP, SESSION_STEPS, AccessDenied, FacilitatorModel
from kit.demo import seed_demo
from kit.store import Store


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fac') / 'kit.db'}"
    store = Store(url)
    codes = seed_demo(store)
    yield store, codes
    store.close()


def test_key_opens_the_cohort(demo):
    store, codes = demo
    m = FacilitatorModel()
    with pytest.raises(AccessDenied, match="Enter the facilitator key"):
        m.open_with_key(store, "  ")
    with pytest.raises(AccessDenied, match="does not open a cohort"):
        m.open_with_key(store, "AAAA-BBBB-CCCC-DDDD")
    assert not m.is_open
    m.open_with_key(store, codes.facilitator_key.lower())
    assert m.cohort_name == "Demo cohort"
    # the demo's Midpoint is open (published when it closes): the latest published is Baseline
    assert m.round == "Baseline" and m.group == "North"


def test_hub_facilitators_only(demo):
    store, _ = demo
    m = FacilitatorModel()
    with pytest.raises(AccessDenied, match="not on the list of facilitators"):
        m.open_for_hub_user(store, "mallory", frozenset({"alice"}))
    m.open_for_hub_user(store, "alice", frozenset({"alice"}))
    assert m.is_open


def test_session_reveals_views_step_by_step(demo):
    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    assert len(m.views) == 11
    m.start_session()
    assert [v.id for v in m.views] == ["participation"]
    m.next_step()
    assert m.view == "health" and [v.id for v in m.views] == [
        "participation", "health", "health_spread", "health_breakdown"]
    m.next_step()
    assert m.view == "profile"
    m.next_step()
    assert m.view == "disagreement"
    questions = m.session_questions()
    assert questions and questions[0][0] == m.data.disagreement(m.group, m.round).iloc[0]["dimension"]
    assert any("what gets in the way from where you sit" in q for q in questions[0][1])
    while m.step < len(SESSION_STEPS) - 1:
        m.next_step()
    assert m.current_step is SESSION_STEPS[-1] and m.view == "importance"
    assert m.next_label() == "End the session"
    m.next_step()  # past the last step: the end step
    assert m.current_step is END_STEP and m.ended and m.view == "importance"
    assert m.session_progress() == "Session: finished" and not m.can_go_on
    m.next_step()  # stays on the end step
    assert m.current_step is END_STEP
    assert isinstance(m.focus_dimensions(), list)
    m.view = "change"
    assert m.charts() == []  # not part of the session: locked until the session ends
    m.end_session()
    assert m.charts()
    m.start_session()  # back on: still at the end step
    assert m.current_step is END_STEP
    m.previous_step()  # from the end step, back to the last step
    assert m.current_step is SESSION_STEPS[-1] and not m.ended
    m.previous_step()
    assert m.step == len(SESSION_STEPS) - 2


def test_session_says_which_step_of_how_many(demo):
    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    total = len(SESSION_STEPS)
    assert m.session_switch_label() == "Session mode: off"
    m.toggle_session(True)
    assert m.session_switch_label() == "Session mode: on"
    seen = [m.session_progress()]
    while m.can_go_on:
        m.next_step()
        seen.append(m.session_progress())
    assert seen == [f"Session: step {n} of {total}" for n in range(1, total + 1)] + ["Session: finished"]
    assert END_STEP.title == "End of session"
    assert "session mode off" in END_STEP.guidance and "Back to step 1" in END_STEP.guidance
    m.restart_session()
    assert m.session_progress() == f"Session: step 1 of {total}" and not m.ended
    m.toggle_session(False)
    assert not m.session and m.session_switch_label() == "Session mode: off"


@pytest.fixture
def pseudo_on_the_fly(monkeypatch):
    """The pseudo-language made on the fly, so new messages show before `make translations`."""
    import kit.i18n
    from kit.i18n.pseudo import PseudoTranslations

    real = kit.i18n._translations
    monkeypatch.setattr(kit.i18n, "_translations",
                        lambda code: PseudoTranslations() if code == "qps" else real(code))


def test_session_words_are_translated(demo, pseudo_on_the_fly):
    from kit.i18n import use_language

    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    m.toggle_session(True)
    with use_language("qps"):
        assert m.session_progress().startswith("[")
        assert m.session_switch_label().startswith("[")
        assert SESSION_STEPS[0].title.startswith("[")


def test_filters_offer_only_cells_that_may_be_shown(demo):
    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    m.group = "All groups"
    choices = m.filter_choices()
    assert choices[0] == ("Everyone", "")
    for _label, value in choices[1:]:
        by, _, v = value.partition("=")
        table = m.data.breakdown(by, m.group, m.round)
        cells = table[table["value"] == v]
        assert cells["shown"].any()  # something to see
        # a filter never shows a cell that its breakdown withholds (areas answered by fewer
        # people, such as those with many "No chance" answers, may be withheld on their own)
        shown_in_breakdown = set(cells[cells["shown"]]["dimension_id"])
        prof = m.data.profile(m.group, m.round, filter=(by, v))
        assert set(prof[prof["shown"]]["dimension_id"]) <= shown_in_breakdown
    m.filter = choices[-1][1]
    m.group = "North"
    assert m.filter == ""  # changing group clears the filter


def test_bad_view_is_refused(demo):
    from kit.apps.errors import Refused

    m = FacilitatorModel()
    with pytest.raises(Refused, match="no view 'nope'"):  # friendly: shown as it is
        m.view = "nope"


def test_dashboard_builds_on_the_demo_cohort(demo):
    from kit.apps.facilitator import FacilitatorDashboard

    store, codes = demo
    app = FacilitatorDashboard(store)
    assert repr(app) == "<Facilitator dashboard: locked>"
    assert app.key.description == "Facilitator key"
    app.key.value = "wrong"
    app._open_with_key()
    assert "does not open a cohort" in app.messages.text
    app.key.value = codes.facilitator_key
    app._open_with_key()
    assert repr(app) == "<Facilitator dashboard: Demo cohort>"
    for view in [o[1] for o in app.view_picker.options]:
        app.view_picker.value = view
        assert app.messages.text == "", view
        assert len(app.content.children) >= 2
    for picker in (app.view_picker, app.group_picker, app.round_picker, app.sort_picker,
                   app.by_picker, app.filter_picker):
        assert picker.description
    app.session_toggle.value = True
    assert [o[1] for o in app.view_picker.options] == ["participation"]
    app.next.click()  # the health check, with its examples of good and poor
    assert app.model.view == "health"
    assert any("What good and poor look like" in getattr(c, "value", "")
               for c in app.content.children)
    app.next.click()
    app.next.click()
    assert "Questions for the most mixed" in app.content.children[-2].value
    # turning session mode off and on again keeps the step
    app.session_toggle.value = False
    assert len(app.view_picker.options) == 11
    app.session_toggle.value = True
    assert app.model.current_step.id == "mixed" and "4. How varied" in app.step_text.value
    app.next.click()
    assert app.model.view == "breakdown" and app.messages.text == ""
    assert f"Session: step 5 of {len(SESSION_STEPS)}" in app.step_text.value
    assert app.session_toggle.description == "Session mode: on"
    while not app.next.disabled and app.next.layout.display != "none":
        app.next.click()
    assert "End of session" in app.step_text.value and "Session: finished" in app.step_text.value
    assert any("What to do next" in getattr(c, "value", "") for c in app.content.children)
    assert app.switch_off.layout.display is None
    app.switch_off.click()  # the end step's own way out
    assert not app.model.session and app.session_toggle.value is False
    assert app.session_toggle.description == "Session mode: off" and app.step_text.value == ""
    assert len(app.view_picker.options) == 11
    app.session_toggle.value = True
    app.restart.click()
    assert app.model.step == 0 and [o[1] for o in app.view_picker.options] == ["participation"]


def test_session_steps_include_the_breakdown_and_the_health_check():
    ids = [s.id for s in SESSION_STEPS]
    assert ids[0] == "checkin" and ids[-1] == "commitments"
    assert "breakdown" in ids and ids.index("mixed") < ids.index("breakdown")
    assert any("breakdown" in s.views for s in SESSION_STEPS)
    assert any("health" in s.views for s in SESSION_STEPS)
    # the shared health check is the centre: at least 45 minutes, before the private parts
    health = next(s for s in SESSION_STEPS if s.id == "health")
    assert health.minutes >= 45 and ids.index("health") < ids.index("pause") < ids.index("mixed")
    assert max(s.minutes for s in SESSION_STEPS) == health.minutes
    # each step reveals what the one before it did, plus its own view
    for before, after in zip(SESSION_STEPS, SESSION_STEPS[1:], strict=False):
        assert set(before.views) < set(after.views)
    # about two hours with a ten-minute break
    assert 100 <= sum(s.minutes for s in SESSION_STEPS) <= 115
    assert "confidential" in SESSION_STEPS[0].guidance.lower() or "stays in the room" in SESSION_STEPS[0].guidance
    assert "Reviewing a commitment" in SESSION_STEPS[0].guidance
    assert "What I will do differently on Monday" in SESSION_STEPS[-1].guidance


def test_questions_never_ask_how_someone_scored():
    from kit.apps.facilitator_model import suggested_questions

    qs = suggested_questions("Conversations that change things", "Why it matters.")
    assert "What have you seen that makes this work, and what gets in the way from where you sit?" in qs
    assert not [q for q in qs if "scored" in q or "score" in q.lower()]


def test_toggling_session_mode_keeps_the_step_for_any_path(demo):
    """Any sequence of next/back/off/on keeps the session's place across toggles."""
    import random

    from kit.analysis.cohort import VIEWS

    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    for path in range(60):
        rng = random.Random(path)
        m.restart_session()
        for _ in range(12):
            action = rng.choice(["next", "back", "toggle", "view"])
            before = (m.step, m.ended)
            if action == "next":
                m.next_step()
            elif action == "back":
                m.previous_step()
            elif action == "view" and not m.session:
                m.view = rng.choice(["profile", "health", "change", "participation"])
            elif action == "toggle":
                if m.session:
                    m.end_session()
                else:
                    m.start_session()
                    assert m.view == m.current_step.views[-1]
                assert (m.step, m.ended) == before
            if m.session:
                allowed = m.current_step.views
                assert [v.id for v in m.views] == [v.id for v in VIEWS if v.id in allowed]


def test_group_report_names_its_scope_and_downloads_in_one_click(demo):
    from kit.apps.facilitator import FacilitatorDashboard

    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    app = FacilitatorDashboard(store, m)
    assert app.report_button.description == f"Download the group report: group {m.group}, {m.round}"
    app.report_button.click()
    assert app.messages.text == ""
    import datetime as dt

    from kit.report.group import _slug

    # named after the cohort and group, and dated; not after a round (it covers every round)
    name = f"{_slug(m.cohort_name)}-{_slug(m.group)}-report-{dt.date.today().isoformat()}.html"
    assert f"download='{name}'" in app.report_link.value
    assert f"{name} again" in app.report_link.value  # the named fallback link stays
    assert len(app.report_link.sent) == 1  # the script that starts the download, once
    assert app.report_progress.value == app.report_progress.max == 3
    assert f"group {m.group}, {m.round}" in app.report_status.value and "ready" in app.report_status.value
    app.tables_button.click()
    assert f"download='{name[:-5].replace('-report-', '-tables-')}.zip'" in app.csv_link.value
    app.pdf_button.click()
    from kit.report.pdf import pdf_available

    if pdf_available():
        assert f"download='{name[:-5]}.pdf'" in app.pdf_link.value
        import base64

        data = base64.b64decode(app.pdf_link.value.split("base64,", 1)[1].split("'", 1)[0])
        assert data.startswith(b"%PDF")
    assert app.messages.text == "" and app.download_messages.text == ""
    # another group: the files made for the first one are no longer offered
    app.group_picker.value = "All groups"
    assert app.report_link.value == "" and app.csv_link.value == "" and app.pdf_link.value == ""
    assert app.report_button.description == f"Download the group report: the whole cohort, {m.round}"


def _english_words(texts, data) -> list[str]:
    """Words in ``texts`` not in the pseudo-language, once the ``data`` strings are removed."""
    import re

    from kit.i18n.pseudo import is_pseudo

    found = []
    for text in texts:
        text = re.sub(r"<[^>]+>", " ", text or "")
        for value in sorted({d for d in data if d}, key=len, reverse=True):
            text = text.replace(value, " ")
        found += [w for w in text.split() if re.search(r"[A-Za-z]{2,}", w) and not is_pseudo(w)]
    return found


#: The dashboard's own HTML blocks (charts, their "how to read this" and the status lines of
#: published results come from kit/charts and kit/analysis, checked with those modules).
_OWN_BLOCKS = ("kit-questions", "kit-commitments", "kit-session-end", "kit-session-step",
               "kit-download-note", "Cohort:", "[Ćöĥöŕţ:")


def _widget_texts(widget) -> list[str]:
    import ipywidgets as W

    out = []
    for attr in ("description", "tooltip", "placeholder"):
        out.append(getattr(widget, attr, "") or "")
    if isinstance(widget, W.Dropdown):
        out += [label for label, _value in widget.options]
    if isinstance(widget, W.HTML) and any(mark in widget.value for mark in _OWN_BLOCKS):
        out.append(widget.value)
    for child in getattr(widget, "children", ()):
        out += _widget_texts(child)
    return out


def test_dashboard_words_all_go_through_the_translation_layer(demo, pseudo_on_the_fly):
    """In the pseudo-language, every word the dashboard itself shows is transformed (the
    charts, drawn by kit/charts, are checked on their own)."""
    import re

    from kit.apps.facilitator import FacilitatorDashboard
    from kit.i18n import use_language

    store, codes = demo
    with use_language("qps"):
        app = FacilitatorDashboard(store)
        texts = _widget_texts(app.body)  # the menu is kit/apps/_nav.py's
        app.key.value = codes.facilitator_key
        app._open_with_key()
        m = app.model
        data = [m.cohort_name, *m.data.groups, *m.data.rounds, "All groups", codes.facilitator_key,
                "XXXX-XXXX-XXXX-XXXX", "KIT_FACILITATORS", "(CSV,"]
        data += [d.title for d in m.data.framework.dimensions]
        data += [name for name in (t for t in m.tables())]
        app.session_toggle.value = True
        while True:
            texts += _widget_texts(app.body)
            if not app.model.can_go_on:
                break
            app.next.click()
        app.session_toggle.value = False
        app.report_button.click()
        texts += _widget_texts(app.body)
    assert app.messages.text == ""
    texts += [app.step_text.value, app.report_status.value]
    texts = [re.sub(r"[\w.-]+\.(html|zip|csv)\b", " ", t) for t in texts]  # file names
    words = _english_words(texts, data)
    assert not words, f"English left unwrapped on the dashboard: {sorted(set(words))[:30]}"


def test_my_report_words_all_go_through_the_translation_layer(demo, pseudo_on_the_fly, monkeypatch):
    from kit.apps.identity import Visitor
    from kit.apps.my_report import MyReportApp
    from kit.i18n import use_language

    store, codes = demo
    p = store.resume(codes.resume_code)
    monkeypatch.setenv("KIT_LANGUAGE", "qps")  # the app sets the visitor's language itself
    with use_language("qps"):
        app = MyReportApp(store, Visitor(participant=p, how="resume"), pdf=False)
        app.make.click()
        texts = [app.make.description, app.make.tooltip, app.summary.value, app.download.value,
                 app.messages.text]
    words = _english_words(texts, ["my-partnering-report.html"])
    assert not words, f"English left unwrapped in My report: {sorted(set(words))[:30]}"


# -- the group's agreed steps ---------------------------------------------------------------
def _all_html(widget) -> str:
    import ipywidgets as W

    out, stack = [], [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, W.HTML):
            out.append(w.value)
        stack.extend(getattr(w, "children", ()))
    return "\n".join(out)


def _button(widget, name):
    import ipywidgets as W

    stack = [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, W.Button) and w.description == name:
            return w
        stack.extend(getattr(w, "children", ()))
    raise AssertionError(f"no button {name!r}")


def test_the_dashboard_records_agreed_steps_and_the_next_session_opens_with_them(tmp_path):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kit.apps.errors import Refused
    from kit.apps.facilitator import FacilitatorDashboard
    from kit.store import MAX_GROUP_STEP, InvalidResponse

    xss = "<script>alert(1)</script>"
    store = Store(f"sqlite:///{tmp_path / 'kit.db'}")
    try:
        codes = seed_demo(store)
        m = FacilitatorModel()
        m.open_with_key(store, codes.facilitator_key)
        assert (m.group, m.round) == ("North", "Baseline")
        app = FacilitatorDashboard(store, m)
        # recorded at the "Agree commitments" step, for the group and round on the dashboard
        m.start_session()
        while m.current_step.id != "commitments":
            m.next_step()
        app.render()
        assert "The group&#x27;s agreed steps" in _all_html(app)
        app.step_box.value = f"  Share the referral form with the housing team {xss} "
        _button(app, "Record agreed step").click()
        assert "Agreed step recorded for North, Baseline" in app.messages.text
        page = _all_html(app)
        assert "Share the referral form with the housing team &lt;script&gt;" in page
        assert xss not in page
        # an empty or long step is refused with what to do; nothing is kept
        for bad in ("", " \u200b ", "x" * (MAX_GROUP_STEP + 1)):
            app.step_box.value = bad
            _button(app, "Record agreed step").click()
            assert app.messages.kind == "error" or app.messages.kind == "warning"
            assert "agreed step" in app.messages.text
        assert [s.text for s in m.agreed_steps()] == [
            f"Share the referral form with the housing team {xss}"]
        m.add_agreed_step("Meet at the community hub once a month")
        # every group's steps are its own; the whole cohort has none to record
        m.group = "South"
        assert m.agreed_steps() == []
        m.group = "All groups"
        with pytest.raises(Refused, match="one group"):
            m.add_agreed_step("Something")
        m.group = "North"
        # the next session (on the next round) opens with them, each with "What happened?"
        m.end_session()
        m.round = "Midpoint"
        assert m.previous_agreed_steps()[0] == "Baseline"
        assert len(m.previous_agreed_steps()[1]) == 2
        app.render()  # the dashboard's opening
        opening = _all_html(app)
        assert "What the group agreed last time" in opening and "What happened?" in opening
        assert xss not in opening and "Meet at the community hub once a month" in opening
        m.restart_session()
        app.render()
        assert m.current_step.id == "checkin"
        assert "What the group agreed last time" in _all_html(app)
        m.next_step()
        app.render()
        assert "What the group agreed last time" not in _all_html(app)
        # another group sees none of North's steps
        m.group = "South"
        assert m.previous_agreed_steps() == ("", [])
        # removing one of this group's steps; another group's id is refused
        m.group, m.round = "North", "Baseline"
        first = m.agreed_steps()[0]
        with pytest.raises(Refused):
            m.remove_agreed_step(10_000)
        m.remove_agreed_step(first.id)
        assert [s.text for s in m.agreed_steps()] == ["Meet at the community hub once a month"]

        # the store accepts exactly the visible texts of 1 to MAX_GROUP_STEP characters
        info = store.cohort(codes.cohort_id)
        group, rnd = info.groups[1], info.rounds[0]

        @settings(max_examples=60, deadline=None)
        @given(text=st.text(max_size=MAX_GROUP_STEP + 20))
        def accepted_when_short_and_visible(text):
            from kit._text import visible_text

            clean = visible_text(text).strip()
            try:
                sid = store.add_group_step(codes.cohort_id, group.id, rnd.id, text)
            except InvalidResponse as exc:
                assert not clean or len(clean) > MAX_GROUP_STEP
                assert "agreed step" in exc.plain()
            else:
                assert clean and len(clean) <= MAX_GROUP_STEP
                assert store.group_steps(codes.cohort_id, rnd.id, group.id)[-1].text == clean
                store.remove_group_step(codes.cohort_id, sid)

        accepted_when_short_and_visible()
    finally:
        store.close()


def test_who_has_taken_part_warns_which_views_will_be_empty(kit_store):
    """"Who has taken part" says, with the groups and members as they are, which views will be
    empty at close and why (escaped), in the guide's words."""
    from kit.apps.facilitator import FacilitatorDashboard

    created = kit_store.create_cohort("C", ["North", "South <b>"], ["Baseline", "End"],
                                      organisations=["Trust", "Council"])
    for org in ["Trust"] * 3 + ["Council"] * 4:
        kit_store.join(created.join_codes["North"], organisation=org)
    for _ in range(3):
        kit_store.join(created.join_codes["South <b>"], organisation="Trust")
    app = FacilitatorDashboard(kit_store)
    app.key.value = created.facilitator_key
    app._open_with_key()
    app.view_picker.value = "participation"
    shown = " ".join(getattr(c, "value", "") for c in app.content.children)
    assert "Before the day: views that will be empty" in shown
    assert "Baseline is not open yet. With the 10 members who have joined so far" in shown
    assert ("South &lt;b&gt; has 3 members so far, fewer than the minimum of 5: unless 2 more "
            "join before the round opens") in shown and "<b>" not in shown
    assert "no organisation in North has 5 or more members" in shown
    app.view_picker.value = "profile"
    shown = " ".join(getattr(c, "value", "") for c in app.content.children)
    assert "Before the day" not in shown


def test_health_check_views_where_we_differ_and_across_organisations(demo):
    """Issue 25 item 3: the health check's spread and organisation views, each chart with its
    words beside it, and the trend votes under the health check; true reasons when withheld."""
    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    m.view = "health_spread"
    charts = m.charts()
    assert [c.title for c in charts] == ["Where we differ: North, Baseline",
                                         "How ratings fall across the bands: North, Baseline"]
    assert all(c.description and c.how_to_read for c in charts)
    spread, dist = m.data.health_spread("North", "Baseline")
    # the same rows as the self-assessment's "how our habits vary" path, on the health check
    from kit.analysis.team import disagreement

    same = disagreement(m.data.health_published, m.data.health_framework, group="North",
                        round="Baseline", rules=m.data.rules)
    assert spread[same.columns].equals(same)
    for dim in spread.loc[spread["shown"] & ~spread["bands_shown"], "dimension"]:
        assert dim in charts[1].description  # counts not drawn: said, with the reason
    assert set(m.tables()) == {"health-check-spread-north-baseline.csv",
                               "health-check-bands-north-baseline.csv"}
    m.view = "health_breakdown"
    (grid,) = m.charts()
    table = m.data.health_breakdown("North", "Baseline")
    for note in set(table.loc[~table["shown"], "note"]):
        assert note in grid.description  # every reason for a withheld cell is said
    assert set(table.loc[table["shown"], "n"].dropna()) <= set(range(m.data.rules.min_group_size, 1000))
    m.view = "health"
    titles = [c.title for c in m.charts()]
    assert titles[1] == "Better, the same or worse since last time? North, Baseline"
    votes = m.data.health_votes("North")
    shown = votes[votes["shown"]]
    assert len(shown) and (shown["n"] >= m.data.rules.min_group_size).all()
    assert ((shown["better"] + shown["same"] + shown["worse"]) == shown["n"]).all()
    assert any(name.startswith("health-check-votes-") for name in m.tables())


def test_health_views_say_why_when_there_is_no_health_check(demo):
    store, _ = demo
    m = FacilitatorModel()
    m.open_demo(store)
    from kit.analysis.cohort import CohortData

    m.open_data(CohortData.from_store(store, m.cohort_id, health_framework=False), m.cohort_id,
                store)
    for view in ("health", "health_spread", "health_breakdown"):
        m.view = view
        assert m.charts() == []
        assert "no partnership health check" in m.empty_reason()


def test_the_dashboard_draws_the_health_views(demo):
    from kit.apps.facilitator import FacilitatorDashboard

    store, codes = demo
    app = FacilitatorDashboard(store)
    app.model.open_with_key(store, codes.facilitator_key)
    for view in ("health_spread", "health_breakdown"):
        app.view_picker.value = view
        assert app.messages.text == ""
        assert app.round_picker.layout.display is None  # these views pick a round
        assert len(app.content.children) >= 2
