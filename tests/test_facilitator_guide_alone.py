"""What a first-time facilitator running the kit alone needs from the guide (issue 25, item 7):
the scripted opening, a preparation checklist, timings by group size, what to do when most
cells are withheld or one group is below the minimum, the limits of confidentiality and the
support to offer, and how to print the health-check cards. Also holds docs/programme.md to
the kit's one vocabulary.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_vocabulary import _DIMENSION, _OTHER_SPREAD_NAMES, _lines

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "facilitator-guide.md").read_text(encoding="utf-8")
PROGRAMME = (REPO / "docs" / "programme.md").read_text(encoding="utf-8")
SEED = Path("/work/shared/seed/partnership-working-blog.txt")

SECTIONS = ("Opening on the idea (a script)", "Preparation checklist", "Timings by group size",
            "If most cells are withheld", "One group below the minimum in a larger cohort",
            "Limits of confidentiality", "Support to offer", "Printing the health-check cards")


def _section(title: str) -> str:
    part = GUIDE.split(f"\n## {title}\n", 1)[1]
    return " ".join(part.split("\n## ", 1)[0].split())


@pytest.mark.parametrize("title", SECTIONS)
def test_each_section_is_there_once(title):
    assert GUIDE.count(f"\n## {title}\n") == 1, title
    assert len(_section(title).split()) > 60, f"{title} is too thin to run a session from"


def test_the_opening_is_a_script_in_the_kits_own_words():
    script = _section("Opening on the idea (a script)")
    quoted = " ".join(line[1:].strip() for line in GUIDE.split("## Opening on the idea", 1)[1]
                      .split("\n## ", 1)[0].splitlines() if line.startswith(">"))
    words = len(quoted.split())
    assert 200 <= words <= 450, f"the script is {words} words: about four minutes read aloud"
    # the seed's argument: no single service; it is behaviour, not structure; every level;
    # not better people; connection rather than custom and practice; nobody asked for scores
    for idea in ("None of us can meet", "not tell a story about structures",
                 "how things are done more than what is done", "at every level",
                 "not better people", "connected to each other", "nobody is asked how they scored"):
        assert idea in quoted, idea
    assert "Claire and Simon" in script  # attributed


def test_the_script_does_not_copy_the_seed():
    if not SEED.exists():
        pytest.skip("the seed text is not on this machine")
    seed = re.findall(r"[a-z']+", SEED.read_text(encoding="utf-8").lower().replace("’", "'"))
    ours = re.findall(r"[a-z']+", _section("Opening on the idea (a script)").lower())
    runs = {tuple(seed[i:i + 8]) for i in range(len(seed) - 7)}
    copied = [" ".join(ours[i:i + 8]) for i in range(len(ours) - 7) if tuple(ours[i:i + 8]) in runs]
    assert not copied, f"eight words or more copied from the seed: {copied}"


def test_the_checklist_is_ticked_off_in_time_order():
    part = GUIDE.split("## Preparation checklist", 1)[1].split("\n## ", 1)[0]
    boxes = re.findall(r"^- \[ \] ", part, flags=re.M)
    assert len(boxes) >= 10
    order = [part.index(w) for w in ("Two weeks before", "One week before", "Three days before",
                                     "On the day")]
    assert order == sorted(order)
    flat = " ".join(part.split())
    for need in ("facilitator key", "round is open", "health-check cards", "safeguarding",
                 "Support to offer"):
        assert need in flat, need


def test_timings_cover_three_group_sizes_and_keep_the_health_check_central():
    part = _section("Timings by group size")
    for size in ("6–10 people", "11–20 people", "21–40 people"):
        assert size in part, size
    row = re.search(r"\| health check \|([^\n]*)", GUIDE)
    minutes = [sum(int(m) for m in re.findall(r"(\d+) minutes", cell))
               for cell in row.group(1).split("|")[:3]]
    assert all(m >= 45 for m in minutes), minutes
    assert "groups are not ranked" in part


def test_withheld_cells_and_small_groups_never_invite_guessing():
    withheld = _section("If most cells are withheld")
    small = _section("One group below the minimum in a larger cohort")
    assert "Do not guess" in withheld and "cards" in withheld
    assert "whole-cohort total may be hidden" in small
    assert "Never show them another group's results" in small
    assert "never by name" in withheld


def test_limits_of_confidentiality_are_plain():
    part = _section("Limits of confidentiality")
    assert "safeguarding procedure the same day" in part
    assert "may be at risk of harm" in part  # said in the ground rules
    assert "not read, checked or watched by anyone" in part
    assert "Whoever runs the server holds the data" in part
    assert "My data" in part


def test_support_names_real_uk_routes():
    part = _section("Support to offer")
    assert "their own profile" in part
    for route in ("employee assistance programme", "occupational health", "line manager",
                  "Samaritans", "116 123", "NHS 111", "999"):
        assert route in part, route
    # NHS 111 is not the route in Northern Ireland: the guide says what is
    assert "Northern Ireland" in part and "0808 808 8000" in part


def test_new_sections_use_no_developer_words_outside_the_server_note():
    for title in SECTIONS:
        part = _section(title)
        if title == "Printing the health-check cards":
            part = part.split("For them:", 1)[0]  # the one line for whoever runs the server
        assert not re.search(r"`[^`]*`(?!\])", part.replace("[`programme.md`]", "")
                             .replace("[`health-check-cards.html`]", "")), title
        assert not re.search(r"\bKIT_[A-Z_]+|\bnotebook|\.ipynb|\bkernel|\bpython\b", part, re.I), title


def test_the_guide_links_the_programme_and_the_cards():
    assert "[`programme.md`](programme.md)" in GUIDE
    assert "(health-check-cards.html)" in GUIDE
    assert (REPO / "docs" / "health-check-cards.html").exists()


def test_programme_uses_the_one_vocabulary():
    assert not _lines(PROGRAMME, _DIMENSION)
    assert not _lines(PROGRAMME, _OTHER_SPREAD_NAMES)
