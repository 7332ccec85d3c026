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
from kit.charts.team_views import view_charts
from kit.content import load_framework
from kit.demo import synthetic_frames

FW = load_framework("collaboration-behaviours")
AXES = {"x": ("x", "x2"), "y": ("y", "y2")}


def _titles(node: dict, axis: str) -> set[str]:
    """The titles the layers of one layered view give ``axis`` (None is no title)."""
    found = set()
    for layer in node.get("layer", []):
        enc = layer.get("encoding", {})
        for ch in AXES[axis]:
            d = enc.get(ch)
            if not isinstance(d, dict):
                continue
            title = d.get("title", (d.get("axis") or {}).get("title") if d.get("axis") else None)
            if title is None and "title" not in d and ch == axis and d.get("field"):
                found.add(f"<field {d['field']}>")  # an untitled field would add its name
            elif title:
                found.add(title)
        found |= _titles(layer, axis)
    return found


def _views(spec: dict):
    """Every layered view in a (possibly concatenated or faceted) spec."""
    if "layer" in spec:
        yield spec
    for key in ("vconcat", "hconcat", "concat"):
        for sub in spec.get(key, []):
            yield from _views(sub)
    if "spec" in spec:
        yield from _views(spec["spec"])


def _check(item) -> None:
    spec = item.chart.to_dict()
    for view in _views(spec):
        for axis in AXES:
            titles = _titles(view, axis)
            assert len(titles) <= 1, (item.title, axis, titles)


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
        _check(item)
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
