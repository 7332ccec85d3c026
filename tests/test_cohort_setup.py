"""Issue 13 without a browser: joining says who you are, frameworks per cohort, the team
health check, the facilitator set-up rules (shared by the set-up app and ``kit cohort``), the
join sheet, and the bad-input sentences."""

from __future__ import annotations

import json
import os
import re
import shutil
import textwrap

import pytest

from kit.apps.errors import Refused
from kit.store import ROLE_LEVELS, SECTORS, CodeError, NotFound, RoundStateError

SETUP_KEY = "a-long-enough-setup-key"


@pytest.fixture
def content_path(monkeypatch):
    """Point KIT_CONTENT_PATH at the given folders for one test."""
    from kit.config import get_settings
    from kit.content import clear_cache

    def use(*folders):
        monkeypatch.setenv("KIT_CONTENT_PATH", os.pathsep.join(str(f) for f in folders))
        get_settings.cache_clear()
        clear_cache()

    yield use
    monkeypatch.delenv("KIT_CONTENT_PATH", raising=False)
    get_settings.cache_clear()
    clear_cache()


def _settings(**overrides):
    from kit.config import get_settings

    return get_settings().__class__(**{**get_settings().__dict__, **overrides})


# -- 1. joining says who you are ---------------------------------------------------------------
def test_join_stores_organisation_sector_and_role_and_export_and_erase_follow(kit_store):
    from kit.apps.identity import SignInModel

    created = kit_store.create_cohort("C", ["North"], ["Baseline"],
                                      organisations=["Northshire NHS Trust", "Council"])
    cohort, group = kit_store.cohort_for_join_code(created.join_codes["North"])
    assert cohort.organisations == ("Northshire NHS Trust", "Council") and group.name == "North"
    model = SignInModel(kit_store)
    v = model.join(created.join_codes["North"], None, "Other", "Housing", "Front line",
                   other_organisation="Riverside Homes")
    p = kit_store.participant(v.participant_id)
    assert (p.organisation, p.sector, p.role_level) == ("Riverside Homes", "Housing", "Front line")
    listed = model.join(created.join_codes["North"], None, "Council", "", "")
    assert kit_store.participant(listed.participant_id).organisation == "Council"
    assert kit_store.participant(listed.participant_id).sector is None  # all optional
    exported = kit_store.export_participant(p.id)["participant"]
    assert (exported["organisation"], exported["sector"], exported["role_level"]) == (
        "Riverside Homes", "Housing", "Front line")
    kit_store.erase_participant(p.id)
    frame = kit_store.responses_frame(created.cohort_id, "collaboration-behaviours")
    assert "Riverside Homes" not in frame.to_string()
    with pytest.raises(NotFound):
        kit_store.participant(p.id)


@pytest.mark.parametrize("field, value, words", [
    ("sector", "Space agency", "not one of the sectors"),
    ("role_level", "Boss", "not one of the role levels"),
    ("role_level", ["Executive"], "must be text"),
])
def test_join_refuses_values_off_the_lists(kit_store, field, value, words):
    from kit.apps.identity import SignInModel

    created = kit_store.create_cohort("C", ["North"], ["Baseline"])
    with pytest.raises(Refused, match=words):
        SignInModel(kit_store).join(created.join_codes["North"], **{field: value})
    assert kit_store.participation(created.cohort_id)["members"].sum() == 0


def test_sector_list_is_the_partnership_maps():
    from kit.apps import partnership_model

    assert partnership_model.SECTORS is SECTORS
    assert ROLE_LEVELS == ("Front line", "Team leader", "Middle manager", "Senior manager",
                           "Executive")


def test_join_form_says_who_sees_what_and_offers_the_cohorts_list(kit_store):
    from kit.apps.signin import SignInPanel

    created = kit_store.create_cohort("Spring", ["North"], ["Baseline"], organisations=["A", "B"])
    panel = SignInPanel(kit_store, lambda v: None, query="")
    assert "combined results for groups of" in panel.about.note.value
    assert [v for _l, v in panel.about.organisation.options] == ["", "Other"]
    panel.join_code.value = created.join_codes["North"]  # typed: the cohort's list appears
    assert [v for _l, v in panel.about.organisation.options] == ["", "A", "B", "Other"]
    assert [v for _l, v in panel.about.sector.options][1:] == list(SECTORS)
    assert [v for _l, v in panel.about.role_level.options][1:] == list(ROLE_LEVELS)


def test_join_link_fills_in_the_code(kit_store):
    from kit.apps.signin import SignInPanel

    created = kit_store.create_cohort("Spring <b>", ["North"], ["Baseline"], organisations=["A"])
    code = created.join_codes["North"]
    panel = SignInPanel(kit_store, lambda v: None, query=f"join={code}")
    assert panel.join_code.value == code
    assert "group <strong>North</strong> of <strong>Spring &lt;b&gt;</strong>" in panel.join_about.value
    assert [v for _l, v in panel.about.organisation.options] == ["", "A", "Other"]


@pytest.mark.parametrize("query", ["join=WRNG-WRNG-WRNG-WRNG", "join=<script>", "join=",
                                   "join=K7QF-2MRX"])
def test_bad_join_link_says_so_and_offers_the_form(kit_store, query):
    from kit.apps.signin import SignInPanel

    kit_store.create_cohort("Spring", ["North"], ["Baseline"])
    panel = SignInPanel(kit_store, lambda v: None, query=query)
    assert "join code in this link was not recognised" in panel.messages.value
    assert "Type the join code from your sheet below" in panel.messages.value
    assert panel.join_code.value == "" and not panel.join_code.disabled
    assert "<script>" not in panel.messages.value


def test_my_data_changes_who_you_are(kit_store):
    from kit.apps.identity import SignInModel
    from kit.apps.my_data import MyDataApp

    created = kit_store.create_cohort("C", ["North"], ["Baseline"], organisations=["A", "B"])
    v = SignInModel(kit_store).join(created.join_codes["North"], None, "A", "Housing",
                                    "Executive")
    app = MyDataApp(kit_store, v)
    assert app.about.raw == {"organisation": "A", "sector": "Housing", "role_level": "Executive",
                             "other_organisation": ""}
    app.about.organisation.value = "Other"
    app.about.other.value = "Riverside Homes"
    app.about.role_level.value = ""
    app._save_about()
    p = kit_store.participant(v.participant_id)
    assert (p.organisation, p.sector, p.role_level) == ("Riverside Homes", "Housing", None)
    with pytest.raises(Refused, match="not one of the sectors"):
        app.model.update_about("A", "Mars", None)


# -- 3. frameworks per cohort ------------------------------------------------------------------
SEVEN_POINT = textwrap.dedent("""\
    schema_version: 1
    id: psych-safety
    title: Psychological safety in our team
    description: Seven statements about how safe it feels to take risks in this team.
    lens: self
    scale:
      points:
        - {value: 1, label: Very inaccurate}
        - {value: 2, label: Inaccurate}
        - {value: 3, label: Somewhat inaccurate}
        - {value: 4, label: Neither}
        - {value: 5, label: Somewhat accurate}
        - {value: 6, label: Accurate}
        - {value: 7, label: Very accurate}
    bands:
      - {id: high, label: High, min: 5.5}
      - {id: middle, label: Middle, min: 3.5}
      - {id: low, label: Low, min: 1.0}
    dimensions:
      - id: speaking-up
        title: Speaking up
        why: People raise problems early when it feels safe to do so.
        items:
          - {id: raise-problems, text: I can bring up problems and tough issues here.}
          - {id: mistakes-held-against, text: If I make a mistake here it is held against me., reverse: true}
          - {id: ask-for-help, text: It is easy for me to ask others here for help.}
      - id: belonging
        title: Belonging
        why: People who feel they belong offer their ideas.
        items:
          - {id: rejected-for-being-different, text: People here sometimes reject others for being different., reverse: true}
          - {id: deliberately-undermine, text: Someone here might deliberately undermine my efforts., reverse: true}
          - {id: skills-valued, text: My skills and talents are valued and used here.}
          - {id: safe-to-take-risk, text: It is safe to take a risk here.}
    """)


def test_custom_seven_point_framework_is_chosen_answered_and_scored(kit_store, tmp_path,
                                                                     content_path):
    """A trainer's framework on KIT_CONTENT_PATH, chosen in set-up, answered in the app."""
    from kit.analysis.cohort import CohortData
    from kit.analysis.privacy import ALL_GROUPS, Rules
    from kit.apps.identity import SignInModel
    from kit.apps.self_assessment import SelfAssessmentApp
    from kit.apps.setup_model import SetupModel, framework_choices

    folder = tmp_path / "trainer"
    folder.mkdir()
    (folder / "psych-safety.yaml").write_text(SEVEN_POINT, encoding="utf-8")
    content_path(folder)
    choices, problems = framework_choices("self")
    assert ("Psychological safety in our team (psych-safety)", "psych-safety") in choices
    assert problems == []

    setup = SetupModel(kit_store, _settings(setup_key=SETUP_KEY, min_group_size=3))
    setup.unlock_with_key(SETUP_KEY)
    created = setup.create("Safety cohort", "Team", "", "Baseline", "psych-safety",
                           "partnership-health-check")
    assert kit_store.cohort(created.cohort_id).self_framework == "psych-safety"

    raw = [
        {"raise-problems": 7, "mistakes-held-against": 2, "ask-for-help": 6,
         "rejected-for-being-different": 1, "deliberately-undermine": 3, "skills-valued": 5,
         "safe-to-take-risk": 4},
        {"raise-problems": 3, "mistakes-held-against": 6, "ask-for-help": 4,
         "rejected-for-being-different": 7, "deliberately-undermine": 5, "skills-valued": 2,
         "safe-to-take-risk": 1},
        {"raise-problems": 5, "mistakes-held-against": 4, "ask-for-help": 5,
         "rejected-for-being-different": 3, "deliberately-undermine": 2, "skills-valued": 6,
         "safe-to-take-risk": 7},
    ]
    reverse = {"mistakes-held-against", "rejected-for-being-different", "deliberately-undermine"}
    # everyone joins while the round is not open (so is counted), then set-up opens it
    visitors = [SignInModel(kit_store).join(created.join_codes["Team"]) for _ in raw]
    setup.open_round("Baseline")
    for answers, v in zip(raw, visitors, strict=True):
        app = SelfAssessmentApp(kit_store, v)  # no framework given: the cohort's is used
        assert app.framework.id == "psych-safety" and app.framework.scale.max == 7
        for dim in app.framework.dimensions:
            # the buttons offer the 7 points, in order, with their labels
            first = next(iter(app.items.values()))
            assert [label for label, _v in first.buttons.options] == [
                p.label for p in app.framework.scale.points]
            for item in dim.items:
                app.items[item.id].buttons.value = answers[item.id]  # as a click would
            app._next()
        assert "Your self-assessment is saved" in app.messages.value

    def scored(answers, dim_items):
        # check items (reverse-keyed) are never part of the score: the helpful items' mean
        helpful = [i for i in dim_items if i not in reverse]
        return sum(answers[i] for i in helpful) / len(helpful)

    from kit.analysis.people import person_scores
    from kit.analysis.team import DECIMALS

    dims = (("speaking-up", ["raise-problems", "mistakes-held-against", "ask-for-help"]),
            ("belonging", ["rejected-for-being-different", "deliberately-undermine",
                           "skills-valued", "safe-to-take-risk"]))
    fw = app.framework
    live = person_scores(kit_store.responses_frame(created.cohort_id, fw.id), fw)
    per_person = live.pivot_table(index="participant_id", columns="dimension_id", values="score")
    for dim, items in dims:  # each person's score, exactly: the mean of the helpful items
        assert sorted(per_person[dim]) == pytest.approx(sorted(scored(a, items) for a in raw))

    # The dashboard: closing the round publishes its results, once and final.
    setup.close_round("Baseline")
    data = CohortData.from_store(kit_store, created.cohort_id, rules=Rules(min_group_size=3))
    assert data.framework.id == "psych-safety"
    profile = data.profile(ALL_GROUPS, "Baseline").set_index("dimension_id")
    for dim, items in dims:
        want = sum(scored(a, items) for a in raw) / len(raw)
        assert profile.loc[dim, "mean"] == pytest.approx(round(want, DECIMALS))


def test_cohort_with_a_framework_that_does_not_validate_is_refused(kit_store, tmp_path,
                                                                   content_path):
    from kit.apps.setup_model import create_cohort, framework_choices

    folder = tmp_path / "trainer"
    folder.mkdir()
    broken = SEVEN_POINT.replace("min: 5.5", "min: 9").replace("psych-safety", "broken-fw")
    (folder / "broken-fw.yaml").write_text(broken, encoding="utf-8")
    content_path(folder)
    with pytest.raises(Refused) as err:
        create_cohort(kit_store, "C", ["North"], ["Baseline"], self_framework="broken-fw")
    message = str(err.value)
    assert "does not pass validation" in message and "band cut-off 9 is outside the scale" in message
    assert kit_store.list_cohorts() == []  # nothing written
    choices, problems = framework_choices("self")
    assert "broken-fw" not in [v for _l, v in choices] and any("broken-fw" in p for p in problems)
    with pytest.raises(Refused, match="no framework with the id 'nope'"):
        create_cohort(kit_store, "C", ["North"], ["Baseline"], team_framework="nope")
    with pytest.raises(Refused, match="is a team health check .* not a self-assessment"):
        create_cohort(kit_store, "C", ["North"], ["Baseline"],
                      self_framework="partnership-health-check")
    assert kit_store.list_cohorts() == []


def test_docs_content_steps_bring_a_trainers_framework_to_the_apps(tmp_path, monkeypatch,
                                                                   content_path, capsys):
    """Follow docs/content.md's worked example, command by command, to the apps."""
    from kit._paths import REPO_ROOT, frameworks_dir
    from kit.apps.facilitator_model import FacilitatorModel
    from kit.apps.health_check import HealthCheckApp
    from kit.apps.identity import SignInModel
    from kit.commands.main import main
    from kit.store import Store

    doc = (REPO_ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    steps = doc.split("## Worked example", 1)[1].split("\n## ", 1)[0]
    for command in ("cp data/frameworks/partnership-health-check.yaml",
                    "export KIT_CONTENT_PATH=~/board-kit", "kit validate",
                    "kit cohort create", "--team-framework board-behaviours",
                    "11_facilitator_setup.ipynb"):
        assert command in steps, f"docs/content.md no longer says {command!r}"

    home = tmp_path / "home"
    (home / "board-kit" / "frameworks").mkdir(parents=True)
    target = home / "board-kit" / "frameworks" / "board-behaviours.yaml"
    shutil.copy(frameworks_dir() / "partnership-health-check.yaml", target)  # step 1
    text = target.read_text(encoding="utf-8")  # step 2: a new id and title
    text = re.sub(r"(?m)^id: .*$", "id: board-behaviours", text)
    text = re.sub(r"(?m)^title: .*$", "title: Board behaviours", text)
    target.write_text(text, encoding="utf-8")
    content_path(home / "board-kit")  # step 5: export KIT_CONTENT_PATH
    assert main(["validate"]) == 0
    assert "All good" in capsys.readouterr().out

    url = f"sqlite:///{tmp_path / 'kit.db'}"
    assert main(["cohort", "create", "Board programme", "--groups", "Board", "--rounds",
                 "Baseline", "--team-framework", "board-behaviours", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "board-behaviours (team health check)" in out
    code = re.search(r"Board\s+(\S{4}-\S{4}-\S{4}-\S{4})", out).group(1)
    key = re.search(r"Facilitator key \(keep it private\): (\S+)", out).group(1)
    with Store(url) as store:
        v = SignInModel(store).join(code)
        app = HealthCheckApp(store, v)  # no notebook edit: the cohort's framework opens
        assert app.framework.id == "board-behaviours" and app.framework.title == "Board behaviours"
        model = FacilitatorModel()
        model.open_with_key(store, key)
        assert model.data.health_framework.id == "board-behaviours"


# -- 2. the team health check ------------------------------------------------------------------
def test_health_check_app_answers_the_cohorts_team_framework_for_the_group(kit_store):
    from kit.analysis.cohort import CohortData
    from kit.analysis.privacy import Rules
    from kit.apps.health_check import HealthCheckApp
    from kit.apps.identity import SignInModel

    created = kit_store.create_cohort("C", ["North", "South"], ["Baseline", "End"])
    visitors = [SignInModel(kit_store).join(created.join_codes["North"]) for _ in range(3)]
    kit_store.open_round(created.cohort_id, "Baseline")  # all three joined first: all counted
    for n, v in enumerate(visitors):
        app = HealthCheckApp(kit_store, v)
        assert "<strong>North</strong>" in app.intro.value
        first = next(iter(app.items.values()))
        assert first.buttons.options[-1][0] == "Don't know"
        for step, dim in enumerate(app.framework.dimensions):
            for i, item in enumerate(dim.items):
                value = "n/a" if (n + step + i) % 4 == 0 else 1 + (n + i) % 5
                app.items[item.id].buttons.value = value
            app._next()
        assert "Thank you: your answers are saved" in app.area.children[0].value
    from kit.publishing import close_round

    close_round(kit_store, created.cohort_id, "Baseline", rules=Rules(min_group_size=3))
    data = CohortData.from_store(kit_store, created.cohort_id, rules=Rules(min_group_size=3))
    health = data.health("North")
    assert health["shown"].all() and set(health["round"]) == {"Baseline"}
    stored = kit_store.responses_frame(created.cohort_id, "partnership-health-check")
    assert len(stored) == 3 * len(app.framework.items)
    assert stored["value"].isna().any()  # "don't know" kept as no answer


def test_health_check_shows_good_and_poor_examples_beside_the_question(kit_store):
    from kit.apps.health_check import HealthCheckApp, examples_html
    from kit.apps.identity import SignInModel
    from kit.content import load_framework
    from kit.content.build import build_framework, framework_to_data

    data = framework_to_data(load_framework("partnership-health-check"))
    data["dimensions"][0]["good_looks_like"] = "We <all> name the same purpose."
    data["dimensions"][0]["poor_looks_like"] = "Each partner describes a different goal."
    fw = build_framework(data)
    assert build_framework(framework_to_data(fw)) == fw  # round trip keeps the examples
    created = kit_store.create_cohort("C", ["North"], ["Baseline"])
    visitor = SignInModel(kit_store).join(created.join_codes["North"])
    kit_store.open_round(created.cohort_id, "Baseline")
    app = HealthCheckApp(kit_store, visitor, framework=fw)
    body = app.stepper.body.children if hasattr(app.stepper, "body") else ()
    panel = examples_html(fw.dimensions[0])
    assert "What good looks like" in panel and "We &lt;all&gt; name" in panel
    assert "What poor looks like" in panel
    assert examples_html(fw.dimensions[1]) == "" or fw.dimensions[1].good_looks_like
    rendered = json.dumps([getattr(w, "value", "") for w in _walk(app)])
    assert "What good looks like" in rendered
    assert body is not None


def test_framework_schema_takes_the_optional_examples(tmp_path):
    from kit.content import validate_paths

    path = tmp_path / "board.yaml"
    text = SEVEN_POINT.replace("psych-safety", "board").replace(
        "    why: People raise problems early when it feels safe to do so.\n",
        "    why: People raise problems early when it feels safe to do so.\n"
        "    good_looks_like: Problems are raised in the meeting, not after it.\n"
        "    poor_looks_like: Problems surface only in the car park.\n")
    path.write_text(text, encoding="utf-8")
    assert validate_paths([path]) == []
    path.write_text(text.replace("good_looks_like", "good_look_like"), encoding="utf-8")
    problems = validate_paths([path])
    assert problems and "good_looks_like" in str(problems[0])


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


# -- 4. facilitator set-up ---------------------------------------------------------------------
def test_setup_needs_the_key_or_a_listed_hub_user(kit_store):
    from kit.apps.setup_model import SetupDenied, SetupModel

    closed = SetupModel(kit_store, _settings(setup_key=None))
    with pytest.raises(SetupDenied, match="it has no set-up key"):
        closed.unlock_with_key("anything at all")
    m = SetupModel(kit_store, _settings(setup_key=SETUP_KEY, facilitators=frozenset({"ann"})))
    for wrong in ("", "nope", SETUP_KEY + "x", None):
        with pytest.raises(SetupDenied):
            m.unlock_with_key(wrong)
    with pytest.raises(SetupDenied, match="Open set-up with the set-up key first"):
        m.create("C", "North", "", "Baseline", None, None)
    with pytest.raises(SetupDenied, match="not on the list of facilitators"):
        m.unlock_for_hub_user("bob")
    m.unlock_for_hub_user("ann")
    assert m.unlocked
    m2 = SetupModel(kit_store, _settings(setup_key=SETUP_KEY))
    m2.unlock_with_key(f"  {SETUP_KEY} ")
    assert m2.unlocked


def test_setup_creates_a_cohort_and_manages_its_rounds(kit_store):
    from kit.apps.setup_model import SetupModel

    m = SetupModel(kit_store, _settings(setup_key=SETUP_KEY))
    m.unlock_with_key(SETUP_KEY)
    created = m.create("Spring", "North\nSouth\n", "A Trust\nB Council", "Baseline\nEnd",
                       "collaboration-behaviours", "partnership-health-check")
    info = kit_store.cohort(created.cohort_id)
    assert [g.name for g in info.groups] == ["North", "South"]
    assert info.organisations == ("A Trust", "B Council")
    # rounds start not open: people join first, then set-up opens the first round
    assert [(r.name, r.state) for r in info.rounds] == [("Baseline", "not open"),
                                                        ("End", "not open")]
    m.open_round("Baseline")
    with pytest.raises(RoundStateError, match="'Baseline' is still open. Close it first"):
        m.open_round("End")
    assert m.close_round("Baseline").taken_back  # nobody had answered: back to not open
    with pytest.raises(RoundStateError, match="'Baseline' is not open yet, so it cannot be "
                                              "closed"):
        m.close_round("Baseline")
    m.open_round("End")
    with pytest.raises(Refused, match="no round 'Finale'"):
        m.open_round("Finale")
    groups = m.join_sheet_groups("http://kit.example.org/voila/render")
    assert [g.link for g in groups] == [
        f"http://kit.example.org/voila/render/01_self_assessment.ipynb?join={created.join_codes[n]}"
        for n in ("North", "South")]
    other = SetupModel(kit_store, _settings(setup_key=SETUP_KEY))
    other.unlock_with_key(SETUP_KEY)
    other.open_cohort_with_key(created.facilitator_key)
    assert other.cohort.name == "Spring"
    with pytest.raises(Refused, match="Join codes are shown only when the cohort is created"):
        other.join_sheet_groups("http://x/")
    with pytest.raises(Refused, match="facilitator key"):
        other.open_cohort_with_key("WRNG-WRNG-WRNG-WRNG")


def test_setup_app_shows_the_key_once_and_the_join_sheet(kit_store):
    from kit.apps.setup import SetupApp
    from kit.apps.setup_model import SetupModel

    model = SetupModel(kit_store, _settings(setup_key=SETUP_KEY))
    app = SetupApp(kit_store, model, environ={"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8866",
                                              "SCRIPT_NAME": "/voila/render/11_facilitator_setup.ipynb"})
    app.key.value = "wrong"
    app._unlock()
    assert "not right" in app.key_messages.value and not model.unlocked
    assert app.messages.value == ""  # beside the key's button, not at the top of the page
    app.key.value = SETUP_KEY
    app._unlock()
    assert app.address.value == "http://127.0.0.1:8866/voila/render/"
    app.name.value, app.groups.value = "Spring <i>", "North\nSouth <b>"
    app.rounds.value = "Baseline\nEnd"
    app._create()
    shown = json.dumps([getattr(w, "value", "") for w in _walk(app.created_area)])
    assert model.created.facilitator_key in shown
    assert "South &lt;b&gt;" in shown and "<b>" not in shown.replace("<b>'", "")
    assert shown.count("<svg") == 2  # one QR code per group
    app._open_round()  # Baseline, the first round not open yet
    said = app.round_messages
    assert "Baseline" in said.value and "is open for answers" in said.value
    app._close_round()  # nobody answered: back to not open
    assert "Nobody counted in Baseline had answered" in said.value
    app._close_round()
    assert "not open yet, so it cannot be closed" in said.value and said.kind == "error"
    assert app.messages.value == ""


def test_join_sheet_is_offline_html_with_a_qr_code_per_group():
    from kit.apps.setup_model import JoinSheetGroup, join_link
    from kit.report.join_sheet import join_sheet_html, qr_svg

    link = join_link("http://kit.example.org:8866/voila/render/", "K7QF-2MRX-9WZD-HT4P")
    page = join_sheet_html("Spring <2026>", [JoinSheetGroup("North & co", "K7QF-2MRX-9WZD-HT4P",
                                                            link)])
    assert "Spring &lt;2026&gt;" in page and "North &amp; co" in page
    assert "K7QF-2MRX-9WZD-HT4P" in page and html_unescape_has(page, link)
    assert not re.search(r"(src|href)=['\"]https?:", page)  # nothing fetched
    svg = qr_svg(link)
    assert svg.startswith("<svg") and "<path" in svg
    # it scales to its box: a viewBox and no fixed size (a fixed size left a blank gap)
    opening = svg[: svg.index(">")]
    assert "viewBox=" in opening and " width=" not in opening and " height=" not in opening


def html_unescape_has(page: str, text: str) -> bool:
    import html

    return text in html.unescape(page)


def test_join_sheet_pdf_where_weasyprint_exists():
    from kit.apps.setup_model import JoinSheetGroup
    from kit.report.join_sheet import join_sheet_pdf
    from kit.report.pdf import pdf_available

    if not pdf_available():
        pytest.skip("WeasyPrint is not installed here")
    data = join_sheet_pdf("Spring", [JoinSheetGroup("North", "K7QF-2MRX-9WZD-HT4P",
                                                    "http://x/01_self_assessment.ipynb?join=K")])
    assert data.startswith(b"%PDF")


def test_cli_create_shares_the_set_up_rules_and_writes_the_join_sheet(tmp_path, capsys):
    from kit.commands.main import main

    url = f"sqlite:///{tmp_path / 'kit.db'}"
    sheet = tmp_path / "sheet.html"
    assert main(["cohort", "create", "Spring", "--groups", "North", "South", "--rounds",
                 "Baseline", "End", "--organisations", "A Trust", "B Council", "--database", url,
                 "--join-sheet", str(sheet), "--url", "http://kit.example.org/voila/render/"]) == 0
    out = capsys.readouterr().out
    assert "Organisations offered when joining: A Trust, B Council" in out
    page = sheet.read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "01_self_assessment.ipynb?join=" in page
    key = re.search(r"Facilitator key \(keep it private\): (\S+)", out).group(1)
    assert main(["cohort", "round", "open", "Baseline", "--key", key, "--database", url]) == 0
    assert main(["cohort", "round", "open", "End", "--key", key, "--database", url]) == 1
    assert "'Baseline' is still open. Close it first" in capsys.readouterr().err
    assert main(["cohort", "round", "close", "Baseline", "--key", key, "--database", url]) == 0
    assert main(["cohort", "round", "close", "Baseline", "--key", key, "--database", url]) == 1
    assert "not open yet, so it cannot be closed" in capsys.readouterr().err
    assert main(["cohort", "create", "X", "--groups", "N", "--rounds", "B", "--self-framework",
                 "partnership-health-check", "--database", url]) == 1
    assert "not a self-assessment" in capsys.readouterr().err


def test_kit_serve_makes_and_prints_a_setup_key_unless_one_is_set():
    from kit.commands.serve import setup_key_note
    from kit.config import ConfigError, load_settings

    env: dict[str, str] = {}
    note = setup_key_note(env)
    assert env["KIT_SETUP_KEY"] in note and len(env["KIT_SETUP_KEY"]) >= 16
    kept = {"KIT_SETUP_KEY": SETUP_KEY}
    assert SETUP_KEY not in setup_key_note(kept) and kept["KIT_SETUP_KEY"] == SETUP_KEY
    with pytest.raises(ConfigError, match="KIT_SETUP_KEY") as err:
        load_settings({"KIT_SETUP_KEY": "short"})
    assert "short" not in str(err.value)  # the secret is not echoed
    assert SETUP_KEY not in repr(load_settings({"KIT_SETUP_KEY": SETUP_KEY}))


def test_join_code_wrong_code_in_store_preview(kit_store):
    with pytest.raises(CodeError, match="not recognised"):
        kit_store.cohort_for_join_code("WRNG-WRNG-WRNG-WRNG")
    with pytest.raises(CodeError, match="not in the right form"):
        kit_store.cohort_for_join_code("abc")


def test_working_privately_uses_the_default_or_a_chooser(kit_store, tmp_path, content_path):
    from kit.apps.health_check import HealthCheckApp
    from kit.apps.identity import SignInModel
    from kit.apps.self_assessment import SelfAssessmentApp

    private = SignInModel(kit_store).private("private:tester")
    app = SelfAssessmentApp(kit_store, private)
    assert app.framework.id == "collaboration-behaviours"
    assert not hasattr(app, "framework_picker")  # only one self-assessment: no chooser
    assert HealthCheckApp(kit_store, private).framework.id == "partnership-health-check"

    folder = tmp_path / "trainer"
    folder.mkdir()
    (folder / "psych-safety.yaml").write_text(SEVEN_POINT, encoding="utf-8")
    content_path(folder)
    app = SelfAssessmentApp(kit_store, private)
    assert app.framework.id == "collaboration-behaviours"  # the default first
    assert "psych-safety" in [v for _l, v in app.framework_picker.options]
    app.framework_picker.value = "psych-safety"
    assert app.framework.id == "psych-safety" and app.model.framework.id == "psych-safety"
    assert set(app.items) <= {i.id for i in app.framework.items}


def test_closing_a_round_in_the_setup_app_publishes_its_results(kit_store):
    """The set-up app's Close works out the confidentiality plan then, so the dashboard's first
    open does not wait for it."""
    from kit.apps.setup_model import SetupModel
    from kit.content import load_framework

    fw = load_framework("collaboration-behaviours")
    m = SetupModel(kit_store, _settings(setup_key=SETUP_KEY))
    m.unlock_with_key(SETUP_KEY)
    created = m.create("Spring", "North\nSouth\n", "", "Baseline\nEnd",
                       "collaboration-behaviours", "partnership-health-check")
    cid = created.cohort_id
    people = [kit_store.join(created.join_codes[g]).id for g in ("North", "South")
              for _ in range(7)]
    rid = m.open_round("Baseline").id  # everyone has joined: all counted
    for n, pid in enumerate(people):
        answers = {i.id: fw.scale.min + (n + j) % len(fw.scale.values) for j, i in enumerate(fw.items)}
        importance = {d.id: 1 + n % 5 for d in fw.dimensions if d.ask_importance}
        kit_store.submit_response(pid, fw.id, rid, answers, importance, key=f"k{n}")
    assert kit_store.snapshot_heads(cid, fw.id) == []
    m.close_round("Baseline")
    assert kit_store.snapshot_heads(cid, fw.id), "closing the round published it"


def test_setup_warns_before_the_day_which_views_will_be_empty(kit_store):
    """Groups of 7 (four organisations) and 3: set-up says, from the members as they are,
    which facilitator views will be empty at close and why, in the guide's words."""
    from kit.apps.identity import SignInModel
    from kit.apps.setup import SetupApp
    from kit.apps.setup_model import SetupModel

    model = SetupModel(kit_store, _settings(setup_key=SETUP_KEY, min_group_size=5,
                                            min_comment_size=10))
    model.unlock_with_key(SETUP_KEY)
    created = model.create("Forecast", "North\nSouth", "Trust\nCouncil\nPolice\nCharity\nSchool",
                           "Baseline\nEnd", "collaboration-behaviours", None)
    intro, said = model.view_forecast()
    assert intro.startswith("Baseline is not open yet") and any(
        s.startswith("North has no members yet") for s in said)
    joiner = SignInModel(kit_store)
    for org in ["Trust", "Trust", "Council", "Council", "Police", "Charity", "Charity"]:
        joiner.join(created.join_codes["North"], None, org, "", "")
    for _ in range(3):
        joiner.join(created.join_codes["South"], None, "School", "", "")
    intro, said = model.view_forecast()
    text = " ".join(said)
    assert "With the 10 members who have joined so far" in intro
    assert ("South has 3 members so far, fewer than the minimum of 5: unless 2 more join "
            "before the round opens") in text
    assert "no organisation in North has 5 or more members" in text
    model.open_round("Baseline")
    joiner.join(created.join_codes["South"], None, "School", "", "")  # counts from End
    intro, said = model.view_forecast()
    assert intro.startswith("Baseline is open, so who counts is fixed")
    assert any(s.startswith("South has 3 counted members and can never reach the minimum of 5")
               for s in said)
    app = SetupApp(kit_store, model, environ={})
    shown = json.dumps([getattr(w, "value", "") for w in _walk(app)])
    assert "Before the day: views that will be empty" in shown
    assert "can never reach the minimum of 5" in shown
