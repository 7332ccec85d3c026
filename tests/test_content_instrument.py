"""The honesty rules of kit.content.instrument, beyond the broken-file corpus."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kit.content import load_edition, load_framework, validate_paths
from kit.content.instrument import anchor_counts

CASES = Path(__file__).parent / "content_cases"


@pytest.mark.parametrize(("label", "span"), [
    ("Never", (0, 0)), ("Not at all", (0, 0)), ("Once", (1, 1)), ("Twice", (2, 2)),
    ("2–3 times", (2, 3)), ("2-3 times", (2, 3)), ("Two or three times", (2, 3)),
    ("four to six times", (4, 6)), ("4 times or more", (4, math.inf)),
    ("More than 3 times", (4, math.inf)), ("Weekly or more", (4, math.inf)),
    ("Every week", (4, math.inf)), ("Most weeks", (3, math.inf)), ("Daily", (20, math.inf)),
    ("Strongly agree", None), ("Sometimes", None),
])
def test_anchor_counts(label, span):
    assert anchor_counts(label) == span


def test_a_gap_between_anchors_and_a_closed_top_are_refused(tmp_path):
    text = (CASES / "overlapping-anchors.yaml").read_text().replace(
        "id: overlapping-anchors", "id: gappy")
    text = text.replace("Two or three times", "2–3 times").replace(
        "Most weeks}  # <-- problem", "5 times}").replace("Every week", "6 times")
    path = tmp_path / "gappy.yaml"
    path.write_text(text)
    messages = " | ".join(str(p) for p in validate_paths([path]))
    assert "no anchor fits 4 time(s)" in messages
    assert "the highest anchor '6 times' has an upper limit" in messages


def test_rank_bound_wording_tagged_with_its_levels_is_accepted(tmp_path):
    text = (CASES / "untagged-rank-bound-item.yaml").read_text().replace(
        "id: untagged-rank-bound-item", "id: tagged")
    text = text.replace("from above.  # <-- problem",
                        "from above.\n        role_levels: [front-line, team-leader]")
    path = tmp_path / "tagged.yaml"
    path.write_text(text)
    assert validate_paths([path]) == []
    item = load_framework(path).item("second-a")
    assert item.role_levels == ("front-line", "team-leader") and item.scored


def test_the_earlier_edition_is_kept_as_a_record():
    current = load_framework("collaboration-behaviours")
    second = load_edition(current, 2)
    assert second.version == 2 and second.scale.max == 5 and current.version == 3
    assert load_edition(current, current.version) is current
    assert load_edition(current, 1) is None
    # a record, not on the search path: it never shadows the current edition
    assert load_framework("collaboration-behaviours").version == 3
    # no item of the third edition reuses an id of the second: an old answer can never be
    # read on the new scale, even by a reader that ignores editions
    assert not {i.id for i in current.items} & {i.id for i in second.items}
