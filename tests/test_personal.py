"""One person's profile, change over rounds, partnership figures, and their charts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kit.analysis.personal import (
    dimension_priority_order,
    history_from_scores,
    network_figures,
    profile_from_answers,
    profile_from_history,
)
from kit.charts.network import network_chart, network_layout
from kit.charts.personal import change_chart, importance_chart, profile_chart
from kit.content import load_framework

FW = load_framework("collaboration-behaviours")
DIMS = [d.id for d in FW.dimensions]


def _answers(by_dim: dict[str, int], default: int = 3) -> dict:
    """Answers giving each dimension the stated score (reverse items answered to match)."""
    out = {}
    for d in FW.dimensions:
        v = by_dim.get(d.id, default)
        for i in d.items:
            out[i.id] = (FW.scale.max + FW.scale.min - v) if i.reverse else v
    return out


def test_profile_strongest_weakest_and_bands():
    p = profile_from_answers(FW, _answers({DIMS[0]: 4, DIMS[1]: 1}), round_name="Baseline")
    assert [d.dimension_id for d in p.strongest] == [DIMS[0]]
    assert [d.dimension_id for d in p.weakest] == [DIMS[1]]
    assert p.result(DIMS[0]).band.id == "strength" and p.result(DIMS[1]).band.id == "room-to-grow"
    # the top band carries the private "when was the last time?" line; no other band does
    assert p.result(DIMS[0]).last_time_prompt.startswith("When was the last time?")
    assert not any(p.result(d).last_time_prompt for d in DIMS[1:])
    assert p.result(DIMS[2]).band.id == "developing"


def test_where_to_focus_matters_a_lot_and_is_below_the_top_band():
    imp = {d: 3 for d in DIMS}
    imp.update({DIMS[2]: 4, DIMS[3]: 5, DIMS[4]: 1, DIMS[5]: 5})
    p = profile_from_answers(FW, _answers({DIMS[2]: 2, DIMS[3]: 3, DIMS[4]: 1, DIMS[5]: 4}), imp)
    # DIMS[5] matters most but is a strength: never called a gap
    assert [d.dimension_id for d in p.priorities] == [DIMS[3], DIMS[2]]
    order = dimension_priority_order(FW, p)
    assert order[:3] == [DIMS[3], DIMS[2], DIMS[4]] and sorted(order) == sorted(DIMS)


def test_not_observed_everywhere_leaves_a_dimension_unscored():
    ans = _answers({})
    for i in FW.dimensions[0].items:
        ans[i.id] = None
    p = profile_from_answers(FW, ans)
    assert p.result(DIMS[0]).score is None and p.result(DIMS[0]).band_label == "Not enough answers"
    assert len(p.scored) == len(DIMS) - 1


def _long(round_name, pos, answers):
    return [{"round_id": pos + 1, "round": round_name, "round_position": pos, "item_id": k,
             "value": float("nan") if v is None else v} for k, v in answers.items()]


def test_history_and_change_between_rounds():
    frame = pd.DataFrame(_long("Baseline", 0, _answers({DIMS[0]: 2, DIMS[1]: 4}))
                         + _long("End", 1, _answers({DIMS[0]: 4, DIMS[1]: 2})))
    history = history_from_scores(FW, frame)
    assert list(history.columns) == ["round_id", "round", "round_position", "dimension_id", "score",
                                     "forward_answered", "version", "answered", "watch_happened",
                                     "watch_answered", "events_happened", "events_answered"]
    assert len(history) == 2 * len(DIMS)
    p = profile_from_history(FW, history)
    assert p.round_name == "End"
    moves = {c.dimension_id: c for c in p.changes}
    assert moves[DIMS[0]].direction == "up" and moves[DIMS[0]].delta == 2
    assert moves[DIMS[1]].direction == "down" and moves[DIMS[2]].direction == "steady"
    desc = change_chart(history, p).description
    assert "From Baseline to End" in desc and FW.dimensions[0].title in desc


def test_history_accepts_dimension_level_frames_and_empty():
    assert profile_from_history(FW, history_from_scores(FW, pd.DataFrame())) is None
    frame = pd.DataFrame({"round": ["R"], "round_position": [0], "round_id": [1],
                          "dimension_id": [DIMS[0]], "score": [4.5]})
    assert history_from_scores(FW, frame)["score"].tolist() == [4.5]
    with pytest.raises(ValueError, match="item_id and value"):
        history_from_scores(FW, pd.DataFrame({"x": [1]}))


def test_profile_charts_describe_their_findings():
    imp = {d: 3 for d in DIMS}
    imp[DIMS[5]] = 5
    p = profile_from_answers(FW, _answers({DIMS[0]: 4, DIMS[5]: 1}), imp, "Baseline")
    main = profile_chart(p, FW)
    assert FW.dimensions[0].title in main.description and FW.dimensions[5].title in main.description
    assert main.chart.to_dict()["layer"]
    imp_chart = importance_chart(p)
    assert "First among them: " + FW.dimensions[5].title in imp_chart.description
    imp_chart.chart.to_dict()
    one_round = change_chart(history_from_scores(FW, pd.DataFrame(_long("B", 0, _answers({})))), p)
    assert "one round so far" in one_round.description


RELS = [
    {"id": 1, "label": "Sam", "organisation": "Council", "sector": "Local council",
     "contact": "rarely", "strength": 2, "trust": 3},
    {"id": 2, "label": "Priya", "organisation": "Trust", "sector": "NHS and health",
     "contact": "weekly", "strength": 5, "trust": 5, "last_contact": dt.date(2025, 10, 1)},
    {"id": 3, "label": "Lee", "organisation": "Trust", "sector": "NHS and health",
     "contact": "monthly", "strength": 1, "trust": 2},
]


def test_network_figures():
    f = network_figures(RELS, dt.date(2026, 3, 2))
    assert (f.people, f.sectors, f.weak_ties) == (3, 2, 2)
    assert f.weak_share == pytest.approx(2 / 3)
    assert f.quiet == ("Sam", "Priya")  # rarely; last contact over 90 days ago
    assert "2 of them (67%)" in " ".join(f.sentences())
    empty = network_figures([])
    assert empty.weak_share is None and "empty" in empty.sentences()[0]


def test_network_layout_is_deterministic_with_you_in_the_middle():
    a, b = network_layout(RELS), network_layout(list(reversed(RELS)))
    assert a["you"] == (0.0, 0.0)
    assert all(a[k] == pytest.approx(b[k]) for k in a)
    chart = network_chart(RELS, figures=network_figures(RELS))
    spec = chart.chart.to_dict()
    assert "Sam" in str(spec) and "3 people" in chart.description
    assert network_chart([]).description


def test_rounds_of_an_earlier_edition_are_scored_under_it_and_never_compared():
    from kit.content import load_edition

    second = load_edition(FW, 2)
    old = [{"round_id": 1, "round": "Baseline", "round_position": 0, "item_id": i.id,
            "value": 5, "framework_version": 2} for i in second.items]
    new = [{"round_id": 2, "round": "End", "round_position": 1, "item_id": k, "value": v,
            "framework_version": 3} for k, v in _answers({}, default=2).items()]
    history = history_from_scores(FW, pd.DataFrame(old + new))
    assert set(history["version"]) == {2, 3}
    base = history[history["round"] == "Baseline"]
    assert set(base["score"]) == {5.0}  # on the five-point scale it was answered on
    p = profile_from_history(FW, history)
    assert p.round_name == "End" and not p.earlier_edition
    assert p.changes == ()  # 5.0 on one scale against 2.0 on another is no change at all
    assert p.other_editions == (("Baseline", 2),)
    assert "Baseline (edition 2)" in p.edition_note
    chart = change_chart(history, p)
    assert chart.description == p.edition_note


# -- the then-test ("looking back, how often did you do this before the programme?") ----------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_THEN = st.dictionaries(st.sampled_from(DIMS + ["not-an-area"]),
                        st.none() | st.integers(-1, 6) | st.booleans() | st.text(max_size=2),
                        max_size=len(DIMS) + 1)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(then=_THEN)
def test_then_test_is_accepted_exactly_when_every_answer_is_on_the_scale_or_not_sure(then):
    from kit.store.validation import then_problems

    def fits(k, v):
        return k in DIMS and (v is None or (type(v) is int and v in FW.scale.values))

    problems = then_problems(FW, then)
    assert (problems == []) == all(fits(k, v) for k, v in then.items())
    # every problem names the area and what would be valid
    for p in problems:
        assert p.field.startswith("then[") and ("area" in p.message or "Not sure" in p.message)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(then=_THEN)
def test_looking_back_keeps_each_answered_area_in_order_beside_its_first_score(then):
    from kit.analysis.personal import looking_back

    history = history_from_scores(FW, pd.DataFrame(
        [{"round": r, "round_position": n, "dimension_id": d, "score": 1.5 + n}
         for n, r in enumerate(["Baseline", "Midpoint"]) for d in DIMS]))
    rows = looking_back(FW, then, history, latest_round="Midpoint")
    valid = [d for d in DIMS if d in then
             and (then[d] is None or (type(then[d]) is int and then[d] in FW.scale.values))]
    assert [b.dimension_id for b in rows] == valid
    for b in rows:
        assert b.earlier_round == "Baseline" and b.earlier_score == 1.5
        assert b.label == ("Not sure" if b.value is None else FW.scale.label(b.value))
        assert "Looking back" in b.text and "Baseline" in b.text
    # with no earlier round, the sentence has no score in it
    for b in looking_back(FW, then, None):
        assert b.earlier_score is None and "first round" not in b.text
