"""One vocabulary: one word for a concept across the apps, the facilitator views and the docs.

* "area", never "dimension", in everything participants and facilitators read (code
  identifiers such as ``dimension_id`` and YAML keys in the authors' docs are not prose);
* one name for the spread view ("How our habits vary") and one for the importance-against-
  performance view ("Importance and performance"), wherever they are named.

When this fails, use the kit's word: the failure names the file, the line and the words.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

SPREAD_VIEW = "How our habits vary"
IMPORTANCE_VIEW = "Importance and performance"

#: Documents written for participants and facilitators (not for developers or authors).
USER_DOCS = ("docs/facilitator-guide.md", "docs/participants.md", "docs/confidentiality.md",
             "docs/session-plan.html", "README.md")
#: Apps whose notebooks' markdown people read above the app.
APP_NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))

_DIMENSION = re.compile(r"\bdimensions?\b", re.I)
#: Second names of the spread view, and of the importance view.
_OTHER_SPREAD_NAMES = re.compile(
    r"\b(spread (view|chart)|disagreement (view|chart)|spread of views|where (members|people|"
    r"views|they) (disagree|differ)|spread and disagreement)\b", re.I)
_IMPORTANCE_NAMES = re.compile(
    r"\bimportance\s*(?:against|vs\.?|versus|and|/|-|&)\s*(?:performance|score|rating)s?\b", re.I)


def _prose(text: str) -> str:
    """Text as people read it: code spans, code blocks, tags and URLs taken out."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", text, flags=re.S)
    return re.sub(r"https?://\S+", " ", text)


def _markdown_cells(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _sources() -> list[tuple[str, str]]:
    out = [(name, (REPO / name).read_text(encoding="utf-8")) for name in USER_DOCS]
    out += [(f"notebooks/{p.name} (markdown)", _markdown_cells(p)) for p in APP_NOTEBOOKS]
    return out


def _lines(text: str, pattern: re.Pattern) -> list[str]:
    return [f"line {n}: {m.group(0)!r}" for n, line in enumerate(_prose(text).splitlines(), 1)
            for m in pattern.finditer(line)]


@pytest.mark.parametrize(("name", "text"), _sources(), ids=lambda x: x if "/" in x or "." in x else "")
def test_user_facing_docs_say_area_not_dimension(name, text):
    found = _lines(text, _DIMENSION)
    assert not found, f"{name} says 'dimension' where people read 'area': {found[:10]}"


@pytest.mark.parametrize(("name", "text"), _sources(), ids=lambda x: x if "/" in x or "." in x else "")
def test_each_view_has_one_name_in_the_docs(name, text):
    spread = _lines(text, _OTHER_SPREAD_NAMES)
    assert not spread, f"{name} names the spread view otherwise than {SPREAD_VIEW!r}: {spread}"
    other = [hit for hit in _lines(text, _IMPORTANCE_NAMES)
             if hit.split(": ", 1)[1].strip("'\"").lower() != IMPORTANCE_VIEW.lower()]
    assert not other, f"{name} names the importance view otherwise than {IMPORTANCE_VIEW!r}: {other}"


def test_view_titles_and_descriptions_use_the_one_vocabulary():
    from kit.analysis.cohort import VIEWS, view_by_id

    assert view_by_id("disagreement").title == SPREAD_VIEW
    assert view_by_id("importance").title == IMPORTANCE_VIEW
    for view in VIEWS:
        words = " ".join(str(getattr(view, f, "")) for f in ("title", "blurb"))
        assert not _DIMENSION.search(words), (view.id, words)
        assert not _OTHER_SPREAD_NAMES.search(words), (view.id, words)


def test_chart_titles_default_to_the_view_names():
    import inspect

    from kit.charts.team_compare import importance_performance_chart
    from kit.charts.team_profile import disagreement_chart

    assert inspect.signature(disagreement_chart).parameters["title"].default == SPREAD_VIEW
    assert inspect.signature(importance_performance_chart).parameters["title"].default == IMPORTANCE_VIEW


def test_dashboard_and_session_words_use_the_one_vocabulary():
    """The dashboard's own words: session steps, the end step, the printed plan's questions."""
    from kit.apps.facilitator_model import END_STEP, SESSION_STEPS, SORT_LABELS, suggested_questions

    texts = [s.title for s in SESSION_STEPS] + [s.guidance for s in SESSION_STEPS]
    texts += [END_STEP.title, END_STEP.guidance, *SORT_LABELS.values(),
              *suggested_questions("Trust", "Why.")]
    for text in texts:
        assert not _DIMENSION.search(text), text
        assert not _OTHER_SPREAD_NAMES.search(text), text


def test_the_checks_find_what_they_look_for():
    assert _lines("Read the dimension's purpose", _DIMENSION)
    assert not _lines("the `dimension_id` column", _DIMENSION)
    assert _lines("open the spread view", _OTHER_SPREAD_NAMES)
    assert _lines("Importance against performance", _IMPORTANCE_NAMES)
    assert _lines("**Importance and performance**", _IMPORTANCE_NAMES) == [
        "line 1: 'Importance and performance'"]
