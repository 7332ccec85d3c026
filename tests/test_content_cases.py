"""Every broken file in tests/content_cases/ gives the problem a trainer needs to see.

Each case file marks the line the problem should point at with ``# <-- problem``; the table
below gives the words the message must contain. Files are checked one at a time through
``validate_paths`` and together through ``kit validate``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.content import ContentError, Problem, load_exercise, load_framework, validate_paths

CASES_DIR = Path(__file__).parent / "content_cases"
MARK = "# <-- problem"

#: file name -> fragments that must appear in one problem's text (message and location)
EXPECTED: dict[str, tuple[str, ...]] = {
    "band-outside-scale.yaml": (
        "bands[0].min ('high')", "band cut-off 6 is outside the scale 1-5",
        "use a value from 1 to 5"),
    "lowest-band-above-scale-min.yaml": ("no band starts at the bottom of the scale",
                                         "cut-off to 1"),
    "duplicate-band-id.yaml": ("band id 'high' is used twice", "first at bands[0], line 16"),
    "duplicate-item-id.yaml": ("dimensions[1].items[1].id", "item id 'first-a' is used twice"),
    "duplicate-dimension-id.yaml": ("dimension id 'first' is used twice",),
    "scale-not-consecutive.yaml": ("not consecutive", "3 missing"),
    "scale-duplicate-value.yaml": ("scale value '3' is used twice",),
    "scale-missing-label.yaml": ("scale.points[1]", "missing 'label'"),
    "scale-too-few-points.yaml": ("'points' has 2 entries", "give 3 to 10"),
    "unknown-key-typo.yaml": ("unknown key 'titel'", "did you mean 'title'?"),
    "unknown-item-key.yaml": ("('first-b')", "unknown key 'revers'", "did you mean 'reverse'?"),
    "wrong-schema-version.yaml": ("schema_version 2 is not one this kit can read",
                                  "schema_version: 1"),
    "missing-schema-version.yaml": ("missing 'schema_version'", "schema_version: 1"),
    "bad-lens.yaml": ("'tem' is not a valid 'lens'", "did you mean 'team'?"),
    "id-does-not-match-file.yaml": ("does not match the file name",
                                    "rename the file to 'some-other-name.yaml'"),
    "bad-item-id.yaml": ("'First B' is not a usable id", "such as 'first-b'"),
    "unquoted-yes-label.yaml": ("should be text", "put the text in quotes"),
    "too-many-items.yaml": ("'items' has 6 entries", "give 2 to 5"),
    "repeated-yaml-key.yaml": ("the key 'title' appears twice",),
    "yaml-syntax-error.yaml": ("YAML syntax error", "indentation"),
    "missing-required-text.yaml": ("dimensions[0] ('first')", "missing 'why'"),
    "empty-file.yaml": ("the file is empty",),
    "not-a-mapping.yaml": ("mapping of keys",),
    "exercise-unknown-dimension.yaml": (
        "'getting-to-know-peple' is not a dimension of the framework 'collaboration-behaviours'",
        "did you mean 'getting-to-know-people'?"),
    "exercise-duplicate-step-id.yaml": ("step id 'what' is used twice",),
    "exercise-wrong-stage.yaml": ("'so what' is not a stage of the driscoll model",
                                  "did you mean 'so-what'?"),
    "exercise-stages-out-of-order.yaml": ("comes after", "what, so-what, now-what"),
    "exercise-missing-stage.yaml": ("needs a step for every stage", "'now-what'"),
    "exercise-bad-shared-step.yaml": ("shared_step 'monday' is not one of this exercise's steps",),
    "exercise-bad-model.yaml": ("'driscol' is not a valid 'model'", "did you mean 'driscoll'?"),
    "exercise-minutes-not-number.yaml": ("'minutes' should be a whole number",
                                         "the text 'ten'"),
    "exercise-short-path-without-minutes.yaml": ("steps are marked essential",
                                                 "add 'short_minutes: N'"),
    "exercise-short-path-skips-last-stage.yaml": ("short path", "'action-plan'"),
    "exercise-short-path-too-long.yaml": ("short_minutes (10) must be less than minutes (10)",),
    "band-frequency-claim.yaml": ("bands[0].description ('high')", "claims a frequency",
                                  "'most weeks'", "without saying how often"),
    "area-only-reverse-items.yaml": ("dimensions[1].items ('second')", "no helpful item to score",
                                     "Add at least two helpful items"),
    "untagged-rank-bound-item.yaml": ("dimensions[1].items[0].text ('second-a')",
                                      "assumes one position in the hierarchy", "'from above'",
                                      "role_levels"),
    "scoring-hint-in-help.yaml": ("dimensions[0].items[1].help ('first-b')",
                                  "how the answer is scored", "say only what to count"),
    "overlapping-anchors.yaml": ("scale.points[3].label", "'Two or three times' and 'Most weeks' overlap",
                                 "cannot overlap"),
    "exercise-unknown-framework.yaml": ("'colaboration-behaviours'",
                                        "did you mean 'collaboration-behaviours'?"),
}


def marked_line(path: Path) -> int | None:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if MARK in line:
            return number
    return None


def test_the_corpus_and_the_table_agree():
    files = {p.name for p in CASES_DIR.glob("*.yaml")}
    assert files == set(EXPECTED)
    assert len(files) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_reports_its_problem(name):
    path = CASES_DIR / name
    problems = validate_paths([path])
    assert problems, f"{name} should not validate"
    assert all(isinstance(p, Problem) for p in problems)
    texts = [str(p) for p in problems]
    matching = [p for p, t in zip(problems, texts, strict=True)
                if all(fragment in t for fragment in EXPECTED[name])]
    assert matching, f"no problem in {name} contains {EXPECTED[name]}; got:\n" + "\n".join(texts)
    problem = matching[0]
    assert problem.file == str(path)
    assert str(problem).startswith(name)  # the message names the file
    line = marked_line(path)
    if line is not None:
        assert problem.line == line, f"{name}: expected line {line}, got {problem.line}"
        assert f"line {line}" in str(problem)
        assert f"{path}:{line}:" in problem.compact()


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    text = (CASES_DIR / "band-outside-scale.yaml").read_text()
    text = text.replace("id: band-outside-scale", "id: several-problems")
    text = text.replace("title: Small test framework", "titel: Small test framework")
    text = text.replace("lens: self", "lens: tem")
    path = tmp_path / "several-problems.yaml"
    path.write_text(text)
    messages = " | ".join(str(p) for p in validate_paths([path]))
    for fragment in ("band cut-off 6", "unknown key 'titel'", "'tem' is not a valid 'lens'"):
        assert fragment in messages
    with pytest.raises(ContentError) as info:
        load_framework(path)
    assert len(info.value.problems) == 3
    assert "3 problems" in str(info.value)
    assert "several-problems.yaml, line 18, bands[0].min ('high')" in str(info.value)


def test_loading_a_broken_file_raises_content_error_with_the_same_problems():
    path = CASES_DIR / "exercise-wrong-stage.yaml"
    with pytest.raises(ContentError) as info:
        load_exercise(path)
    assert isinstance(info.value, ValueError)
    assert [str(p) for p in info.value.problems] == [str(p) for p in validate_paths([path])]
