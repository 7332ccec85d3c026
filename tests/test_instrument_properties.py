"""What the kit tells a person about themselves is true, for every answer pattern of every area
of every shipped framework (exhaustive: at most 5 items of at most 6 choices each).

* an area whose helpful answers are all at the lowest point is in the lowest band;
* no area reaches the top band unless a helpful item is at the top of the scale;
* nothing in the top band is called a gap ("Where to focus"), whatever its importance;
* check items (reverse-keyed) and events never raise or lower the area's score.
"""

from __future__ import annotations

import itertools

import pytest

from kit.analysis.personal import profile_from_answers
from kit.analysis.scoring import MIN_ANSWERED, dimension_readings
from kit.content import list_frameworks

SHIPPED = [fw for fw in list_frameworks()
           if fw.source is not None and "data/frameworks" in fw.source.as_posix()]
CASES = [(fw, dim) for fw in SHIPPED for dim in fw.dimensions]


def test_every_shipped_framework_is_covered():
    assert {fw.id for fw in SHIPPED} == {"collaboration-behaviours", "partnership-health-check"}


def _patterns(fw, dim):
    choices = [None, *fw.scale.values] if fw.scale.not_applicable else list(fw.scale.values)
    for values in itertools.product(choices, repeat=len(dim.items)):
        yield dict(zip([i.id for i in dim.items], values, strict=True))


@pytest.mark.parametrize(("fw", "dim"), CASES, ids=[f"{f.id}:{d.id}" for f, d in CASES])
def test_bands_tell_the_truth_for_every_answer_pattern(fw, dim):
    top, lowest = fw.top_band, fw.lowest_band
    helpful = [i.id for i in dim.scored_items]
    iscale = fw.importance_scale or fw.scale
    importances = list(iscale.values) if dim.ask_importance else [None]
    seen_top = seen_lowest = 0
    for answers in _patterns(fw, dim):
        given = [answers[i] for i in helpful if answers[i] is not None]
        reading = dimension_readings(fw, answers)[dim.id]
        if len(given) < MIN_ANSWERED:
            assert reading.score is None
            continue
        band = fw.band_for(reading.score)
        if all(v == fw.scale.min for v in given):
            assert band.id == lowest.id, answers
            seen_lowest += 1
        if band.id == top.id:
            assert fw.scale.max in given, answers
            seen_top += 1
        for imp in importances:
            profile = profile_from_answers(fw, answers, {dim.id: imp} if imp else {})
            result = profile.result(dim.id)
            assert result.band.id == band.id
            if result.band.id == top.id:
                assert result not in profile.priorities, (answers, imp)
                assert result.last_time_prompt  # the private counterweight
            else:
                assert not result.last_time_prompt
    assert seen_lowest and seen_top  # both ends of the scale are reachable


@pytest.mark.parametrize(("fw", "dim"), CASES, ids=[f"{f.id}:{d.id}" for f, d in CASES])
def test_check_items_and_events_never_move_the_score(fw, dim):
    others = [i.id for i in dim.items if not i.scored]
    helpful = [i.id for i in dim.scored_items]
    choices = [None, *fw.scale.values]
    for values in itertools.product(choices, repeat=len(helpful)):
        base = dict(zip(helpful, values, strict=True))
        scores = {dimension_readings(fw, base | dict(zip(others, rest, strict=True)))[dim.id].score
                  for rest in itertools.product(choices, repeat=len(others))}
        assert len(scores) == 1, (base, scores)


def test_the_self_assessment_has_a_check_item_in_every_area():
    fw = next(f for f in SHIPPED if f.lens == "self")
    assert all(d.watch_items for d in fw.dimensions)
