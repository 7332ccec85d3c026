"""The scoring rules: a score rests on at least two answered helpful acts; check items (habits
to watch) and events are never part of it; "based on N of M statements" beside every score;
"Where to focus" has one rule."""

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
    matters_a_lot,
    needs_focus,
)
from kit.content import load_framework
from kit.content.models import Dimension, Framework, Item


def _framework(items: int = 4, reverse: tuple[int, ...] = (3, 4),
               events: tuple[int, ...] = ()) -> Framework:
    """One dimension ``d`` of ``items`` items (``i1``...): those in ``reverse`` are check
    items, those in ``events`` events."""
    base = example_framework(dimensions=1, items=2)
    its = tuple(Item(f"i{n}", f"Statement {n}", reverse=n in reverse, event=n in events)
                for n in range(1, items + 1))
    dim = Dimension("d", "Area", "Why.", its, ask_importance=True)
    return Framework("f", "F", "", "self", base.scale, base.bands, (dim,),
                     importance_scale=base.importance_scale)


def test_minimum_is_two():
    assert MIN_ANSWERED == 2
    assert NOT_ENOUGH_ANSWERS.lower() == "not enough answers"


@pytest.mark.parametrize("answers", [
    {},                                             # nothing answered
    {"i1": 5},                                      # one helpful act answered
    {"i1": 5, "i2": None, "i3": None, "i4": None},  # one answer, the rest "no chance"
    {"i1": None, "i2": None, "i3": None, "i4": None},
    {"i3": 1, "i4": 1},                             # check items only
    {"i1": 5, "i3": 1, "i4": 1},                    # one helpful act and the check items
])
def test_fewer_than_two_helpful_answers_is_not_enough(answers):
    fw = _framework()
    assert dimension_scores(fw, answers)["d"] is None
    result = profile_from_answers(fw, answers).result("d")
    assert result.score is None and result.band is None
    assert result.band_label == NOT_ENOUGH_ANSWERS
    helpful = sum(answers.get(k) is not None for k in ("i1", "i2"))
    assert result.based_on == f"based on {helpful} of 2 statements"


def test_every_count_of_answers_follows_the_minimum():
    fw = _framework(items=4, reverse=())
    for n in range(0, 5):
        answers = {f"i{k}": 4 for k in range(1, n + 1)} | {f"i{k}": None for k in range(n + 1, 5)}
        reading = dimension_readings(fw, answers)["d"]
        assert reading.answered == n and reading.total == 4
        assert (reading.score is None) == (n < MIN_ANSWERED)
        if n >= MIN_ANSWERED:
            assert reading.score == 4.0


def test_check_items_and_events_never_move_the_score_for_any_answer_pattern():
    """Every pattern of answers on a five-item area (2 helpful, 2 check items, 1 event)."""
    fw = _framework(items=5, reverse=(3, 4), events=(5,))
    choices = [None, 1, 2, 3, 4, 5]
    for helpful in itertools.product(choices, repeat=2):
        base = dict(zip(["i1", "i2"], helpful, strict=True))
        expected = [v for v in helpful if v is not None]
        want = sum(expected) / len(expected) if len(expected) >= 2 else None
        for others in itertools.product(choices, repeat=3):
            answers = base | dict(zip(["i3", "i4", "i5"], others, strict=True))
            reading = dimension_readings(fw, answers)["d"]
            assert reading.score == want
            assert reading.watch_happened == sum(1 for v in others[:2] if v is not None and v > 1)
            assert reading.events_happened == int(others[2] is not None and others[2] > 1)


def test_the_old_false_reading_is_gone():
    """Issue 25: one helpful act "Two or three times" plus a habit "Never" read "A strength";
    never doing the helpful act read "Developing". Now neither can happen."""
    fw = load_framework("collaboration-behaviours")
    for dim in fw.dimensions:
        helpful, habit = dim.scored_items, dim.watch_items[0]
        never = {i.id: fw.scale.min for i in helpful} | {habit.id: fw.scale.min}
        r = profile_from_answers(fw, never).result(dim.id)
        assert r.band.id == fw.lowest_band.id
        middling = {i.id: fw.scale.min + 2 for i in helpful} | {habit.id: fw.scale.min}
        assert profile_from_answers(fw, middling).result(dim.id).band.id != fw.top_band.id


def test_band_for_reading():
    fw = _framework()
    assert band_for_reading(fw, 2.0).id == "room-to-grow"
    assert band_for_reading(fw, 3.5).id == "developing"
    assert band_for_reading(fw, 4.5).id == "strength"
    assert band_for_reading(fw, None) is None


def test_based_on_wording():
    assert based_on(3, 4) == "based on 3 of 4 statements"
    assert based_on(2, 3) == "based on 2 of 3 statements"
    fw = load_framework("collaboration-behaviours")
    answers = {i.id: 3 for i in fw.items}
    first = fw.dimensions[0]
    answers[first.scored_items[0].id] = None
    p = profile_from_answers(fw, answers)
    n = len(first.scored_items)
    assert p.result(first.id).based_on == f"based on {n - 1} of {n} statements"
    for d in fw.dimensions[1:]:
        n = len(d.scored_items)
        assert p.result(d.id).based_on == f"based on {n} of {n} statements"


def test_history_carries_counts_to_the_profile():
    fw = _framework(items=4, reverse=(3, 4))
    rows = []
    for rnd, pos, answers in (("Baseline", 1, {"i1": 4, "i2": 4, "i3": 2, "i4": 2}),
                              ("Midpoint", 2, {"i1": 2, "i2": 3, "i3": 1, "i4": 3})):
        for item, value in answers.items():
            rows.append({"round_id": pos, "round": rnd, "round_position": pos, "item_id": item,
                         "value": value})
    history = history_from_scores(fw, pd.DataFrame(rows))
    p = profile_from_history(fw, history)
    d = p.result("d")
    assert p.round_name == "Midpoint"
    assert d.based_on == "based on 2 of 2 statements"
    assert d.score == 2.5 and d.band.id == "room-to-grow"  # check items play no part
    assert d.watch_text == "Habits to watch: 1 of 2 happened at least once"


@pytest.mark.parametrize("imp", [None, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("score", [1.0, 2.0, 3.0, 3.49, 3.5, 4.0])
def test_where_to_focus_has_one_rule(imp, score):
    focus = needs_focus(imp, score, (1, 5), 3.5)
    assert focus == (imp is not None and imp >= 4 and score < 3.5)
    assert matters_a_lot(imp, (1, 5)) == (imp is not None and imp >= 4)
