"""The scoring rules: at least two answered items, no "A strength" from reverse-keyed items
alone, and "based on N of M statements" beside every score."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from kit.analysis.examples import example_framework
from kit.analysis.personal import history_from_scores, profile_from_answers, profile_from_history
from kit.analysis.scoring import (
    MIN_ANSWERED,
    NOT_ENOUGH_ANSWERS,
    band_for_reading,
    based_on,
    dimension_readings,
    dimension_scores,
)
from kit.content import load_framework
from kit.content.models import Dimension, Framework, Item


def _framework(items: int = 4, reverse: tuple[int, ...] = (3, 4)) -> Framework:
    """One dimension ``d`` of ``items`` items (``i1``...), those in ``reverse`` reverse-keyed."""
    base = example_framework(dimensions=1, items=2)
    its = tuple(Item(f"i{n}", f"Statement {n}", reverse=n in reverse) for n in range(1, items + 1))
    dim = Dimension("d", "Area", "Why.", its, ask_importance=True)
    return Framework("f", "F", "", "self", base.scale, base.bands, (dim,),
                     importance_scale=base.importance_scale)


def test_minimum_is_two():
    assert MIN_ANSWERED == 2
    assert NOT_ENOUGH_ANSWERS.lower() == "not enough answers"


@pytest.mark.parametrize("answers", [
    {},                                             # nothing answered
    {"i1": 5},                                      # one item answered
    {"i1": 5, "i2": None, "i3": None, "i4": None},  # one answer, the rest "no chance"
    {"i1": None, "i2": None, "i3": None, "i4": None},
    {"i3": 1},                                      # one reverse-keyed item
])
def test_fewer_than_two_answers_is_not_enough(answers):
    fw = _framework()
    assert dimension_scores(fw, answers)["d"] is None
    result = profile_from_answers(fw, answers).result("d")
    assert result.score is None and result.band is None
    assert result.band_label == NOT_ENOUGH_ANSWERS
    answered = sum(v is not None for v in answers.values())
    assert result.based_on == f"based on {answered} of 4 statements"


def test_every_count_of_answers_follows_the_minimum():
    fw = _framework(items=4, reverse=())
    for n in range(0, 5):
        answers = {f"i{k}": 4 for k in range(1, n + 1)} | {f"i{k}": None for k in range(n + 1, 5)}
        reading = dimension_readings(fw, answers)["d"]
        assert reading.answered == n and reading.total == 4
        assert (reading.score is None) == (n < MIN_ANSWERED)
        if n >= MIN_ANSWERED:
            assert reading.score == 4.0


def test_reverse_keyed_items_alone_never_make_a_strength():
    fw = _framework(items=4, reverse=(3, 4))
    top = max(fw.bands, key=lambda b: b.min)
    # "never" on both reverse-keyed items flips to the top of the scale
    result = profile_from_answers(fw, {"i1": None, "i2": None, "i3": 1, "i4": 1}).result("d")
    assert result.score == 5.0
    assert result.band is not None and result.band.id != top.id
    assert result.band.id == "developing"
    # with a forward-keyed answer as well, the same high score is a strength
    both = profile_from_answers(fw, {"i1": 5, "i2": None, "i3": 1, "i4": 1}).result("d")
    assert both.band.id == top.id


def test_reverse_only_rule_for_every_answer_pattern():
    fw = _framework(items=4, reverse=(3, 4))
    top = max(fw.bands, key=lambda b: b.min).id
    for values in itertools.product([None, 1, 2, 3, 4, 5], repeat=4):
        answers = dict(zip(["i1", "i2", "i3", "i4"], values, strict=True))
        reading = dimension_readings(fw, answers)["d"]
        band = profile_from_answers(fw, answers).result("d").band
        if reading.answered < 2:
            assert band is None
        elif reading.forward_answered == 0:
            assert band.id != top
        else:
            assert band == fw.band_for(reading.score)


def test_band_for_reading_keeps_lower_bands():
    fw = _framework()
    assert band_for_reading(fw, 2.0, forward_answered=0).id == "priority"
    assert band_for_reading(fw, 3.5, forward_answered=0).id == "developing"
    assert band_for_reading(fw, 4.5, forward_answered=0).id == "developing"
    assert band_for_reading(fw, 4.5, forward_answered=1).id == "strength"
    assert band_for_reading(fw, None, forward_answered=2) is None


def test_based_on_wording():
    assert based_on(3, 4) == "based on 3 of 4 statements"
    assert based_on(2, 3) == "based on 2 of 3 statements"
    fw = load_framework("collaboration-behaviours")
    answers = {i.id: 3 for i in fw.items}
    first = fw.dimensions[0]
    answers[first.items[0].id] = None
    p = profile_from_answers(fw, answers)
    assert p.result(first.id).based_on == f"based on {len(first.items) - 1} of {len(first.items)} statements"
    for d in fw.dimensions[1:]:
        assert p.result(d.id).based_on == f"based on {len(d.items)} of {len(d.items)} statements"


def test_history_carries_counts_to_the_profile():
    fw = _framework(items=4, reverse=(3, 4))
    rows = []
    for rnd, pos, answers in (("Baseline", 1, {"i1": 4, "i2": 4, "i3": 2, "i4": 2}),
                              ("Midpoint", 2, {"i1": None, "i2": None, "i3": 1, "i4": 1})):
        for item, value in answers.items():
            rows.append({"round_id": pos, "round": rnd, "round_position": pos, "item_id": item,
                         "value": value})
    history = history_from_scores(fw, pd.DataFrame(rows))
    p = profile_from_history(fw, history)
    d = p.result("d")
    assert p.round_name == "Midpoint"
    assert d.based_on == "based on 2 of 4 statements"
    assert d.score == 5.0 and d.band.id == "developing"  # reverse-keyed only: not a strength
