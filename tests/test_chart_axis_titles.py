"""Issue 28: every chart has one explicit title per axis (never Vega-Lite's join of its
layers' titles, such as "Your rating (1 to 5), Scale starts at, Score"), fills its container
at every size, and names the round where a view is about one round."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.analysis.cohort import VIEWS, CohortData
from kit.analysis.personal import history_from_scores, profile_from_answers
from kit.analysis.privacy import Rules
from kit.charts._theme import SIZES, preset, size_config
from kit.charts.personal import change_chart, importance_chart, profile_chart
from kit.content import load_framework
from kit.demo import synthetic_frames
from kit.views import view_charts

FW = load_framework("collaboration-behaviours")


def _strings(node, key: str) -> set:
    """Every value of ``key`` anywhere in a nested spec."""
    found = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, str):
                found.add(v)
            found |= _strings(v, key)
    elif isinstance(node, list):
        for v in node:
            found |= _strings(v, key)
    return found


def _axes(node) -> list[dict]:
    """Every axis in a compiled Vega spec (top level and inside groups)."""
    found = []
    if isinstance(node, dict):
        found += [a for a in node.get("axes", []) if isinstance(a, dict)]
        for v in node.get("marks", []):
            found += _axes(v)
    return found


def _check(item, *, titled: bool = True) -> None:
    """The compiled chart's axis titles are each one title the builder wrote, never a join,
    and (``titled``) the chart has at least one axis title."""
    import vl_convert as vlc
    from altair.utils._importers import vl_version_for_vl_convert

    spec = item.chart.to_dict()
    written = _strings(spec, "title")
    vega = vlc.vegalite_to_vega(spec, vl_version=vl_version_for_vl_convert())
    titles = [a.get("title") for a in _axes(vega) if a.get("title")]
    assert titles or not titled, (item.title, "no axis title")
    for t in titles:
        assert isinstance(t, str) and t in written, (item.title, t)


def _cohort() -> CohortData:
    responses, importance = synthetic_frames(40, 3, 2, 1, framework=FW)
    return CohortData("Synthetic", FW, responses, importance, health_framework=FW,
                      health_responses=responses, rules=Rules(5, 10, 1.0))


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("view", [v.id for v in VIEWS if v.id != "free_text"])
def test_every_facilitator_chart_has_one_title_per_axis(view, size):
    data = _cohort()
    items = view_charts(data, view, by="all", size=size)
    assert items, view
    for item in items:
        # a grid's rows and columns are named
        _check(item, titled=view not in {"breakdown", "health_breakdown"})
        config = item.chart.to_dict()["config"]
        assert config["axis"]["labelFontSize"] == preset(size).font


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_personal_chart_has_one_title_per_axis_and_fills_its_container(size):
    dims = [d.id for d in FW.dimensions]
    answers = {i.id: 2 + (n % 3) for n, i in enumerate(FW.items)}
    imp = {d: 1 + (n % 5) for n, d in enumerate(dims)}
    profile = profile_from_answers(FW, answers, imp, "Baseline")
    long = pd.DataFrame([{"round": r, "round_position": p, "dimension_id": d, "score": 3.0 + p}
                         for p, r in enumerate(["Baseline", "Midpoint"]) for d in dims])
    history = history_from_scores(FW, long)
    for item in (profile_chart(profile, FW, size=size), importance_chart(profile, size=size),
                 change_chart(history, profile, size=size)):
        _check(item)
        spec = item.chart.to_dict()
        assert spec["width"] == "container", item.title
        assert spec["config"]["axis"]["labelFontSize"] >= (18 if size == "projector" else 12)
    assert "Baseline" in profile_chart(profile, FW).title


def test_the_importance_key_names_every_area_once_and_the_words_say_below():
    dims = [d.id for d in FW.dimensions]
    answers = {i.id: 3 for i in FW.items}  # every area on the same few spots
    imp = {d: 4 for d in dims}
    item = importance_chart(profile_from_answers(FW, answers, imp, "Baseline"))
    assert len(item.key) == len(FW.dimensions)
    for d in FW.dimensions:
        assert sum(k.split(". ", 1)[1].startswith(d.title + ":") for k in item.key) == 1
    assert "below" in item.how_to_read and "beside" not in item.how_to_read


def test_an_unknown_size_is_refused_with_the_sizes_there_are():
    with pytest.raises(ValueError, match="'screen'.*'projector'"):
        size_config("cinema")
    assert size_config("projector")["axis"]["labelFontSize"] >= 18
