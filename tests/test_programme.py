"""The three-session programme (docs/programme.md) names every shipped exercise, names none
that does not exist, and keeps its shape: the health check at the centre of every session
(at least 45 minutes), the self-assessment as a short private pause, timetables that add up.

When a trainer ships a new exercise, this fails until the programme says where it is used.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kit import _paths
from kit.content import load_exercise, load_exercises

DOC = Path(__file__).resolve().parents[1] / "docs" / "programme.md"
TEXT = DOC.read_text(encoding="utf-8")

_ROW = re.compile(r"^\|\s*(\d+):(\d\d)–(\d+):(\d\d)\s*\|\s*([^|]+?)\s*\|\s*([^|]*?)\s*\|\s*$")
_SESSION = re.compile(r"^## Session (\d+): .*\((two|two and a half) hours\)\s*$", re.M)


def _shipped_ids() -> list[str]:
    return sorted(p.stem for p in _paths.exercises_dir().glob("*.yaml"))


def _exercise_table() -> list[tuple[str, str, str]]:
    """Rows of the "Every exercise in the kit" table: (title, id, when)."""
    section = TEXT.split("## Every exercise in the kit", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`"):
            rows.append((cells[0], cells[1].strip("`"), cells[2]))
    return rows


def _sessions() -> dict[int, tuple[int, list[tuple[int, int, str, str]]]]:
    """Session number -> (its stated length in minutes, its timetable rows)."""
    out = {}
    matches = list(_SESSION.finditer(TEXT))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(TEXT)
        rows = []
        for line in TEXT[m.end():end].splitlines():
            r = _ROW.match(line)
            if r:
                h1, m1, h2, m2 = (int(x) for x in r.groups()[:4])
                rows.append((h1 * 60 + m1, h2 * 60 + m2, r.group(5), r.group(6)))
        out[int(m.group(1))] = ({"two": 120, "two and a half": 150}[m.group(2)], rows)
    return out


def test_every_shipped_exercise_is_in_the_programme():
    listed = [ident for _t, ident, _w in _exercise_table()]
    missing = sorted(set(_shipped_ids()) - set(listed))
    assert not missing, f"docs/programme.md does not say where these exercises are used: {missing}"
    assert len(listed) == len(set(listed)), "an exercise is listed twice"


def test_every_exercise_the_programme_names_exists():
    shipped = set(_shipped_ids())
    unknown = [ident for _t, ident, _w in _exercise_table() if ident not in shipped]
    assert not unknown, f"docs/programme.md names exercises that do not exist: {unknown}"
    # any other code span shaped like an id must be a shipped exercise too
    spans = set(re.findall(r"`([a-z0-9][a-z0-9-]*)`", TEXT))
    assert spans <= shipped, spans - shipped


@pytest.mark.parametrize("row", _exercise_table(), ids=lambda r: r[1])
def test_each_exercise_is_named_by_its_title_and_scheduled(row):
    title, ident, when = row
    exercise = load_exercise(ident)
    assert title == exercise.title
    assert when.strip(), ident
    # named in a session or between sessions, not only in the closing table
    body = TEXT.split("## Every exercise in the kit", 1)[0]
    assert title in " ".join(body.split()), f"{title!r} is not scheduled in any session or gap"


def test_three_sessions_with_timetables_that_add_up():
    sessions = _sessions()
    assert sorted(sessions) == [1, 2, 3]
    for number, (length, rows) in sessions.items():
        assert rows, number
        assert rows[0][0] == 0 and rows[-1][1] == length, (number, rows[0], rows[-1])
        for (_s, end, *_), (start, *_rest) in zip(rows, rows[1:], strict=False):
            assert end == start, f"session {number}: a gap or overlap at {end} minutes"
        assert all(e > s for s, e, *_ in rows), number


def test_the_health_check_is_at_the_centre_of_every_session():
    for number, (_length, rows) in _sessions().items():
        minutes = {what: end - start for start, end, what, _ in rows}
        health = minutes.get("Partnership health check", 0)
        assert health >= 45, f"session {number} gives the health check {health} minutes"
        assert health == max(minutes.values()), f"session {number}: something outweighs the health check"


def test_the_self_assessment_is_a_short_private_pause():
    for number, (_length, rows) in _sessions().items():
        pauses = [(end - start, text) for start, end, what, text in rows if what == "Private pause"]
        assert len(pauses) == 1, number
        minutes, text = pauses[0]
        assert minutes <= 10, number
        assert "what did you notice about yourself?" in text and "alone" in text, number
    # the self-assessment is never discussed in the group
    assert "never a group discussion" in TEXT
    assert "Nobody is asked what they noticed or how they scored" in TEXT


def test_between_sessions_carry_the_partner_conversation_commitments_and_reviews():
    gaps = re.findall(r"^## Between sessions (\d) and (\d)", TEXT, re.M)
    assert gaps == [("1", "2"), ("2", "3")]
    first_gap = TEXT.split("## Between sessions 1 and 2", 1)[1].split("## Session 2", 1)[0]
    ask = load_exercise("ask-a-partner")
    assert ask.title in first_gap and "not anonymous" in first_gap and "may say no" in first_gap
    for gap in ("## Between sessions 1 and 2", "## Between sessions 2 and 3"):
        part = TEXT.split(gap, 1)[1].split("## Session", 1)[0].lower()
        assert "commitment" in part, gap
    sessions = _sessions()
    for later in (2, 3):
        first = sessions[later][1][0]
        assert "Reviewing a commitment" in first[3], f"session {later} opens with {first}"


def test_the_table_matches_what_the_journal_offers():
    assert {e.id for e in load_exercises()} >= set(_shipped_ids())
