"""Loading, searching and caching content, and the shipped frameworks and exercises."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kit.content as content
from kit import _paths
from kit.config import get_settings
from kit.content import (
    REFLECTION_STAGES,
    ContentError,
    Exercise,
    Framework,
    clear_cache,
    list_frameworks,
    load_exercise,
    load_exercises,
    load_framework,
    search_folders,
    validate_paths,
)
from kit.content._schema import SCHEMA_DIR, load_schema

SHIPPED_FRAMEWORKS = sorted(_paths.frameworks_dir().glob("*.yaml"))
SHIPPED_EXERCISES = sorted(_paths.exercises_dir().glob("*.yaml"))


@pytest.fixture
def content_path(monkeypatch):
    """Set KIT_CONTENT_PATH to the given folders for one test, then restore it."""

    def set_folders(*folders: Path) -> None:
        monkeypatch.setenv("KIT_CONTENT_PATH", os.pathsep.join(str(f) for f in folders))
        get_settings.cache_clear()
        clear_cache()

    yield set_folders
    monkeypatch.undo()
    get_settings.cache_clear()
    clear_cache()


TRAINER_FRAMEWORK = """\
schema_version: 1
id: board-behaviours
title: Board behaviours
description: How a partnership board works together.
lens: team
scale:
  points:
    - {value: 0, label: Never}
    - {value: 1, label: Sometimes}
    - {value: 2, label: Usually}
bands:
  - {id: good, label: Good, min: 1.5}
  - {id: work-on, label: Work on, min: 0}
dimensions:
  - id: candour
    title: Candour
    why: Boards that speak plainly decide better.
    items:
      - {id: candour-a, text: We say what we think in board meetings.}
      - {id: candour-b, text: We avoid hard topics until the end of the agenda., reverse: true}
"""

TRAINER_EXERCISE = """\
schema_version: 1
id: board-debrief
title: Board debrief
model: driscoll
purpose: Look back on the last board meeting.
minutes: 15
framework: board-behaviours
dimensions: [candour]
steps:
  - {id: what, stage: what, prompt: What happened at the board?}
  - {id: so-what, stage: so-what, prompt: What did it show about how we work?}
  - {id: now-what, stage: now-what, prompt: What will you raise next time?}
facilitator_notes: Run straight after a board meeting.
"""


def trainer_folder(root: Path) -> Path:
    """A trainer's folder: a framework in frameworks/, an exercise at the top level."""
    (root / "frameworks").mkdir(parents=True)
    (root / "frameworks" / "board-behaviours.yaml").write_text(TRAINER_FRAMEWORK)
    (root / "board-debrief.yaml").write_text(TRAINER_EXERCISE)
    return root


# ------------------------------------------------------------------------------ shipped content


def test_shipped_content_exists():
    assert [p.stem for p in SHIPPED_FRAMEWORKS] == ["collaboration-behaviours",
                                                     "partnership-health-check"]
    assert len(SHIPPED_EXERCISES) >= 11


@pytest.mark.parametrize("path", SHIPPED_FRAMEWORKS + SHIPPED_EXERCISES, ids=lambda p: p.name)
def test_every_shipped_file_validates(path):
    assert validate_paths([path]) == []


def test_all_shipped_content_validates_together():
    assert validate_paths([_paths.frameworks_dir(), _paths.exercises_dir()]) == []


def test_collaboration_behaviours_shape():
    """The third edition: counts over four weeks on anchors that cannot overlap, a check item
    in every area, events kept out of the score, and wording that means the same at any level."""
    from kit.content.instrument import RANK_BOUND_PHRASES, SCORING_HINTS, anchor_counts

    fw = load_framework("collaboration-behaviours")
    assert fw.lens == "self" and fw.schema_version == 1 and fw.version == 3
    assert len(fw.dimensions) == 12
    assert fw.scale.values == (1, 2, 3, 4)
    assert [p.label for p in fw.scale.points] == ["Not at all", "Once", "2–3 times",
                                                  "4 times or more"]
    # every count of times fits exactly one anchor
    spans = [anchor_counts(p.label) for p in fw.scale.points]
    for count in range(0, 40):
        assert sum(lo <= count <= hi for lo, hi in spans) == 1, count
    assert fw.scale.not_applicable == "No chance in the last four weeks"
    assert "Not observed" not in fw.description
    assert fw.importance_scale is not None and fw.importance_scale.values == (1, 2, 3, 4, 5)
    assert [(b.id, b.min) for b in fw.bands] == [("strength", 3.5), ("developing", 2.5),
                                                 ("room-to-grow", 1.0)]
    for dim in fw.dimensions:
        assert dim.ask_importance
        assert 3 <= len(dim.items) <= 5
        assert 2 <= dim.why.count(".") <= 4, dim.id  # a `why` of 2-4 sentences
        assert dim.what_it_is_not and len(dim.what_it_is_not) <= 160, dim.id
        assert len(dim.scored_items) >= 2, dim.id  # every area can be scored
        assert dim.watch_items, dim.id  # one check item against flattering answers
        for item in dim.items:
            assert item.text.startswith("In the last four weeks, how many times did you "), item.id
            assert item.text.endswith("?"), item.id
            words = f"{item.text} {item.help or ''}".lower()
            assert not any(p in words for p in RANK_BOUND_PHRASES), item.id
            assert not any(h in words for h in SCORING_HINTS), item.id
            assert not item.role_levels, item.id  # one wording for every level
    assert all(sum(i.reverse for i in d.items) == 1 for d in fw.dimensions)


def test_collaboration_behaviours_covers_the_seed():
    fw = load_framework("collaboration-behaviours")
    ids = [d.id for d in fw.dimensions]
    # split: one idea per dimension
    assert "collaboration-from-the-ground-up" in ids and "leadership-at-every-level" in ids
    assert "leader" not in fw.dimension("collaboration-from-the-ground-up").title.lower()
    assert "ground" not in fw.dimension("leadership-at-every-level").title.lower()
    # what the seed names and the first edition missed
    assert {"convening", "sharing-a-base", "time-on-how-we-work"} <= set(ids)
    assert "same room" in fw.dimension("convening").title.lower()
    assert any("premises" in i.text for i in fw.dimension("sharing-a-base").items)
    # the weak first-edition items are gone
    retired = {"spaces-expected-them-to-come", "conversations-kept-to-agenda",
               "relationships-only-when-needed", "connecting-kept-to-own-team",
               "systems-shared-credit-cost", "people-changed-handoff",
               "spaces-invited-partners-in", "custom-described-beyond-role"}
    assert not retired & {i.id for i in fw.items}


def test_partnership_health_check_shape():
    fw = load_framework("partnership-health-check")
    assert fw.lens == "team"
    assert all(len(d.items) == 3 and not d.ask_importance for d in fw.dimensions)
    assert all(i.text.startswith("We ") or " our " in i.text.lower() or i.text.startswith(("Our", "Front-line", "What "))
               for i in fw.items)
    assert fw.scale.label(1) == "Strongly disagree" and fw.scale.not_applicable
    assert fw.band_for(4.5).id == "healthy" and fw.band_for(1.2).id == "needs-attention"
    # "mixed" means spread everywhere in the kit, so no band is called that
    assert all("mixed" not in (b.id + b.label).lower() for b in fw.bands)
    ids = {d.id for d in fw.dimensions}
    assert {"informal-links", "involvement-at-every-level", "recognised-need"} <= ids
    for d in fw.dimensions:
        assert d.good_looks_like and d.poor_looks_like, d.id
        for item in d.items:
            # single-barrelled: one idea per statement
            assert " and " not in item.text and " or " not in item.text, item.id


def test_health_check_covers_what_it_lacked_against_wilder_and_the_assessment_tool():
    """Issue 25 item 3: self-interest, pace, give and take, the costs of taking part and who
    is missing, each with its own examples of good and poor, in the kit's own words."""
    from kit.report.health_cards import health_cards_html

    fw = load_framework("partnership-health-check")
    added = ["worth-it-for-each-partner", "sustainable-pace", "give-and-take",
             "costs-of-taking-part", "who-is-missing"]
    dims = {d.id: d for d in fw.dimensions}
    assert set(added) <= set(dims)
    cards = health_cards_html(fw)
    for dim_id in added:
        d = dims[dim_id]
        assert d.why and d.good_looks_like and d.poor_looks_like and len(d.items) == 3
        assert d.good_looks_like != d.poor_looks_like
        assert d.title in cards or html.escape(d.title) in cards
    # Copied wording would carry the sources' own phrases; none of them is here.
    borrowed = ("collaboration is seen as in self-interest", "appropriate pace of development",
                "ability to compromise", "appropriate cross section of members",
                "drawbacks of participation", "benefits and drawbacks")
    text = " ".join([d.title + d.why + d.good_looks_like + d.poor_looks_like
                     + " ".join(i.text for i in d.items) for d in fw.dimensions]).lower()
    assert not [b for b in borrowed if b in text]


def test_shipped_exercises():
    exercises = load_exercises()
    assert len(exercises) >= 8
    assert {e.model for e in exercises} == {"driscoll", "gibbs"}
    dimension_ids = {d.id for d in load_framework("collaboration-behaviours").dimensions}
    for ex in exercises:
        assert isinstance(ex, Exercise)
        assert ex.dimensions and set(ex.dimensions) <= dimension_ids
        assert ex.minutes > 0 and ex.purpose and ex.facilitator_notes
        stages = [s.stage for s in ex.steps]
        assert set(stages) == {s for s, _ in REFLECTION_STAGES[ex.model]}
    shared = [e for e in exercises if e.shareable]
    assert [e.id for e in shared] == ["what-will-i-do-monday"]
    monday = load_exercise("what-will-i-do-monday")
    assert monday.step(monday.shared_step).stage == "now-what"
    assert monday.stage_label("so-what") == "So what?"


@pytest.mark.parametrize("ex", load_exercises(), ids=lambda e: e.id)
def test_every_exercise_follows_its_model(ex):
    """Gibbs: all six stages in order; Driscoll: What? So what? Now what? in order."""
    order = [s for s, _ in REFLECTION_STAGES[ex.model]]
    assert len(order) == {"gibbs": 6, "driscoll": 3}[ex.model]
    stages = [s.stage for s in ex.steps]
    # every stage appears, and the steps never go back to an earlier stage
    assert sorted(set(stages), key=order.index) == order
    assert [order.index(s) for s in stages] == sorted(order.index(s) for s in stages)
    if ex.has_short_path:
        short = [s.stage for s in ex.short_steps]
        assert short[0] == order[0] and short[-1] == order[-1]
        assert [order.index(s) for s in short] == sorted(order.index(s) for s in short)


def test_gibbs_exercises_offer_a_ten_minute_short_path():
    gibbs = [e for e in load_exercises() if e.model == "gibbs"]
    assert len(gibbs) >= 5
    for ex in gibbs:
        assert ex.short_minutes == 10 and ex.has_short_path, ex.id
        assert 0 < len(ex.short_steps) < len(ex.steps), ex.id
        assert all(s.essential for s in ex.short_steps)
        assert ex.duration_text() == f"about {ex.minutes} minutes, or 10 on the short path"


def test_gibbs_feelings_and_analysis_steps_do_their_job():
    for ex in (e for e in load_exercises() if e.model == "gibbs"):
        for step in ex.steps:
            words = (step.prompt + " " + (step.help or "")).lower()
            if step.stage == "feelings":
                assert "feel" in words, (ex.id, step.id)
        # at least one analysis step brings in an idea from outside the experience:
        # the seed's argument or someone else's view
        outside = [s for s in ex.steps if s.stage == "analysis"
                   and any(w in (s.prompt + " " + (s.help or "")).lower()
                           for w in ("idea", "integration works", "colleague", "partner would"))]
        assert outside, ex.id


def test_new_and_revised_exercises():
    journey = load_exercise("service-user-journey")
    mine = [s for s in journey.steps if s.stage == "so-what" and "your part" in s.prompt.lower()]
    assert mine, "a personal 'so what' step about my part in the journey"
    together = load_exercise("service-user-journey-together")
    assert together.model == "driscoll" and "group" in together.purpose.lower()
    avoided = load_exercise("difficult-conversation-i-avoided")
    why = " ".join(s.prompt for s in avoided.steps).lower()
    assert "why did you hold back" in why
    assert all(w in why for w in ("power", "relationship", "norms"))
    review = load_exercise("reviewing-a-commitment")
    assert review.model == "driscoll"
    assert [s.stage for s in review.steps][0] == "what" and review.steps[-1].stage == "now-what"
    day = load_exercise("a-day-on-their-ground")
    assert "sharing-a-base" in day.dimensions


def test_every_dimension_has_an_exercise():
    covered = {d for e in load_exercises() for d in e.dimensions}
    assert covered == {d.id for d in load_framework("collaboration-behaviours").dimensions}


# ---------------------------------------------------------------------------------- the loader


def test_public_door():
    names = {"load_framework", "list_frameworks", "load_exercises", "load_exercise",
             "validate_paths", "Framework", "Dimension", "Item", "Scale", "ScalePoint", "Band",
             "Exercise", "ExerciseStep", "ContentError", "Problem"}
    assert names <= set(content.__all__)
    assert all(hasattr(content, n) for n in content.__all__)


def test_import_is_light():
    code = ("import sys, kit.content; "
            "print(sorted(m for m in ('yaml', 'jsonschema', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_by_id_and_by_path_agree():
    by_id = load_framework("collaboration-behaviours")
    by_path = load_framework(_paths.frameworks_dir() / "collaboration-behaviours.yaml")
    by_text = load_framework(str(_paths.frameworks_dir() / "collaboration-behaviours.yaml"))
    assert by_id == by_path == by_text
    assert by_id.source == _paths.frameworks_dir() / "collaboration-behaviours.yaml"
    assert load_framework(by_id) is by_id


def test_framework_helpers():
    fw = load_framework("collaboration-behaviours")
    item = fw.items[0]
    assert fw.item(item.id) is item
    assert fw.dimension_of(item.id) is fw.dimensions[0]
    assert len({i.id for i in fw.items}) == len(fw.items)
    assert fw.band_for(3.4).id == "developing" and fw.band_for(3.5).id == "strength"


def test_list_frameworks():
    assert [f.id for f in list_frameworks()] == ["collaboration-behaviours",
                                                 "partnership-health-check"]


def test_unknown_id_suggests_the_closest():
    with pytest.raises(ContentError) as info:
        load_framework("colaboration-behaviours")
    message = str(info.value)
    assert "no framework with the id 'colaboration-behaviours'" in message
    assert "did you mean 'collaboration-behaviours'?" in message
    with pytest.raises(ContentError, match="no exercise with the id 'nope'"):
        load_exercise("nope")


def test_wrong_kind_is_explained():
    with pytest.raises(ContentError, match="is an exercise, not a framework"):
        load_framework(_paths.exercises_dir() / "who-i-have-not-met.yaml")
    with pytest.raises(ContentError, match="is a framework, not an exercise"):
        load_exercise(_paths.frameworks_dir() / "partnership-health-check.yaml")


def test_loading_is_cached_until_the_file_changes(tmp_path):
    path = tmp_path / "board-behaviours.yaml"
    path.write_text(TRAINER_FRAMEWORK)
    first = load_framework(path)
    assert load_framework(path) is first
    path.write_text(TRAINER_FRAMEWORK.replace("Board behaviours", "Board habits"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    second = load_framework(path)
    assert second.title == "Board habits"
    clear_cache()
    assert load_framework(path) is not second


# ------------------------------------------------------------------------------ the search path


def test_search_path_order(content_path, tmp_path):
    content_path(tmp_path)
    folders = search_folders()
    assert folders[:2] == [_paths.frameworks_dir(), _paths.exercises_dir()]
    assert folders[2:] == [tmp_path]


def test_trainer_folder_on_content_path_is_picked_up(content_path, tmp_path):
    folder = trainer_folder(tmp_path / "trainer")
    with pytest.raises(ContentError):
        load_framework("board-behaviours")
    content_path(folder)
    fw = load_framework("board-behaviours")
    assert fw.lens == "team" and fw.scale.values == (0, 1, 2)
    assert fw.item("candour-b").reverse
    assert "board-behaviours" in [f.id for f in list_frameworks()]
    ex = load_exercise("board-debrief")
    assert ex.framework == "board-behaviours" and ex.dimensions == ("candour",)
    assert "board-debrief" in [e.id for e in load_exercises()]
    assert validate_paths(search_folders()) == []


def test_trainer_folder_validates_without_the_content_path(tmp_path):
    folder = trainer_folder(tmp_path / "trainer")
    assert validate_paths([folder]) == []
    assert [e.id for e in load_exercises(folder)] == ["board-debrief"]


def test_broken_trainer_file_stops_listing_with_every_problem(content_path, tmp_path):
    folder = trainer_folder(tmp_path / "trainer")
    bad = TRAINER_EXERCISE.replace("dimensions: [candour]", "dimensions: [candor, trust]")
    (folder / "board-debrief.yaml").write_text(bad)
    content_path(folder)
    with pytest.raises(ContentError) as info:
        load_exercises()
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 2
    assert "did you mean 'candour'?" in messages[0]
    assert "'trust' is not a dimension of the framework 'board-behaviours'" in messages[1]


def test_same_id_twice_is_a_problem(tmp_path):
    for name in ("one", "two"):
        (tmp_path / name / "frameworks").mkdir(parents=True)
        (tmp_path / name / "frameworks" / "board-behaviours.yaml").write_text(TRAINER_FRAMEWORK)
    problems = validate_paths([tmp_path / "one", tmp_path / "two"])
    assert len(problems) == 1
    assert "the framework id 'board-behaviours' is also used by" in problems[0].message


def test_file_that_is_neither_kind(tmp_path):
    path = tmp_path / "notes.yaml"
    path.write_text("id: notes\ntitle: Just notes\n")
    (problem,) = validate_paths([path])
    assert "cannot tell whether this file is a framework or an exercise" in problem.message


def test_bad_paths_are_problems_not_crashes(tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    problems = validate_paths([tmp_path / "missing.yaml", tmp_path / "readme.txt"])
    assert [p.message.split(";")[0] for p in problems] == [
        "no such file or folder", "kit content files end in .yaml or .yml"]


def test_copying_a_shipped_framework_is_the_documented_start(tmp_path):
    """docs/content.md suggests copying a shipped file and changing its id."""
    src = _paths.frameworks_dir() / "partnership-health-check.yaml"
    dst = tmp_path / "my-health-check.yaml"
    shutil.copy(src, dst)
    (problem,) = validate_paths([dst])
    assert "does not match the file name" in problem.message
    dst.write_text(src.read_text().replace("id: partnership-health-check", "id: my-health-check"))
    assert validate_paths([dst]) == []


# ---------------------------------------------------------------------------------- the schemas


@pytest.mark.parametrize("kind", ["framework", "exercise"])
def test_schemas_are_valid_draft_2020_12(kind):
    from jsonschema import Draft202012Validator

    schema = load_schema(kind, 1)
    Draft202012Validator.check_schema(schema)
    assert (SCHEMA_DIR / f"{kind}.v1.json").is_file()
    assert schema["properties"]["schema_version"] == {"const": 1,
                                                      "description": "Always 1 for this format."}


def test_yaml_line_map():
    from kit.content._yaml import read_yaml

    doc = read_yaml("x.yaml", text=textwrap.dedent("""\
        id: x
        dimensions:
          - id: a
            items:
              - id: a1
              - id: a2
        """))
    assert doc.line(("dimensions", 0, "items", 1)) == 6
    assert doc.line(("dimensions", 0, "items", 1, "missing")) == 6
    assert doc.context(("dimensions", 0, "items", 1, "id")) == "a2"
    assert doc.problems == []


def test_problem_formats():
    from kit.content import Problem

    p = Problem("/x/collaboration-behaviours.yaml", 42, "dimensions[2].items[3]", 6,
                "band cut-off 6 is outside the scale 1-5; use a value from 1 to 5",
                context="relationships")
    assert str(p) == ("collaboration-behaviours.yaml, line 42, dimensions[2].items[3] "
                      "('relationships'): band cut-off 6 is outside the scale 1-5; use a value "
                      "from 1 to 5")
    assert p.compact().startswith("/x/collaboration-behaviours.yaml:42: dimensions[2].items[3]")
    assert str(Problem(None, None, "", None, "plain")) == "plain"


def test_framework_type_is_the_models_one():
    assert isinstance(load_framework("partnership-health-check"), Framework)


def test_exercise_linked_to_a_broken_framework_points_at_it(tmp_path, content_path):
    folder = trainer_folder(tmp_path / "trainer")
    fw_file = folder / "frameworks" / "board-behaviours.yaml"
    fw_file.write_text(TRAINER_FRAMEWORK.replace("min: 1.5", "min: 7"))
    problems = validate_paths([folder])
    assert [p.file for p in problems] == [str(fw_file), str(folder / "board-debrief.yaml")]
    assert "has problems of its own" in problems[1].message
    assert str(fw_file) in problems[1].message
    content_path(folder)  # the same through the loader
    with pytest.raises(ContentError, match="has problems of its own"):
        load_exercise("board-debrief")


def test_quoted_schema_version_is_explained(tmp_path):
    path = tmp_path / "board-behaviours.yaml"
    path.write_text(TRAINER_FRAMEWORK.replace("schema_version: 1", 'schema_version: "1"'))
    (problem,) = validate_paths([path])
    assert problem.line == 1
    assert "write it as a number without quotes" in problem.message
