"""Every team chart renders to a Vega-Lite spec, small whatever the cohort's size, with words."""

from __future__ import annotations

import json

import pytest

from kit.analysis.cohort import VIEWS, CohortData
from kit.analysis.examples import example_framework
from kit.analysis.privacy import ALL_GROUPS, Rules
from kit.charts._theme import ChartWithText
from kit.demo import synthetic_frames
from kit.views import view_charts

FW = example_framework(dimensions=4, items=3)


def _cohort(n: int, groups: int = 2, rounds: int = 2, seed: int = 0) -> CohortData:
    responses, importance = synthetic_frames(n, groups, rounds, seed, framework=FW)
    return CohortData("Synthetic", FW, responses, importance, health_framework=FW,
                      health_responses=responses, rules=Rules(5, 10, 1.0))


def _render_all(data: CohortData) -> dict[str, int]:
    sizes = {}
    for view in VIEWS:
        for group in (data.groups[0], ALL_GROUPS):
            for item in view_charts(data, view.id, group=group, by="all"):
                assert isinstance(item, ChartWithText)
                spec = item.chart.to_dict()
                assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
                assert item.description.strip().endswith(".")
                assert item.title
                sizes[f"{view.id}/{group}/{item.title}"] = len(json.dumps(spec))
    return sizes


def test_every_view_renders_for_ten_people():
    sizes = _render_all(_cohort(10))
    assert len(sizes) >= 14


def test_profile_description_names_the_findings():
    data = _cohort(60, groups=1, seed=3)
    [item] = view_charts(data, "profile", group="Group 1")
    prof = data.profile("Group 1")
    top = prof.loc[prof["mean"].idxmax(), "dimension"]
    assert f"highest on {top}" in item.description
    [dis, _items] = view_charts(data, "disagreement", group="Group 1")
    table = data.disagreement("Group 1")
    assert f"most mixed on {table.iloc[0]['dimension']}" in dis.description
    assert f"(spread {table.iloc[0]['sd']:.1f})" in dis.description


def test_withheld_cells_are_labelled_in_the_heatmap():
    data = _cohort(12, groups=1, seed=1)
    [heat] = view_charts(data, "breakdown", group="Group 1", by="organisation")
    spec = json.dumps(heat.chart.to_dict())
    assert "\\u2013" in spec or "\u2013" in spec  # a withheld square shows a dash
    assert "Withheld to protect individuals" in heat.description or "No organisation" in heat.description


def test_small_group_charts_say_why_nothing_shows():
    data = _cohort(4, groups=1, rounds=1)
    [item] = view_charts(data, "profile", group="Group 1")
    assert "fewer than 5 responses" in item.description
    assert "fewer than 5 responses" in json.dumps(item.chart.to_dict())


def test_overview_is_never_a_ranking():
    data = _cohort(40, groups=3, seed=2)
    [item] = view_charts(data, "overview")
    assert "only with its own earlier rounds" in item.description
    spec = item.chart.to_dict()
    assert spec["facet"]["sort"] == sorted(data.groups)


@pytest.mark.slow
def test_every_view_renders_for_100k_people_with_small_specs():
    sizes = _render_all(_cohort(100_000, groups=3, seed=5))
    assert max(sizes.values()) < 60_000, sizes


def _text_rows(spec: dict) -> list[dict]:
    datasets = spec.get("datasets", {})
    return [row for layer in spec["layer"] if "data" in layer
            and (layer.get("mark") == "text" or (isinstance(layer.get("mark"), dict)
                                                 and layer["mark"].get("type") == "text"))
            for row in datasets.get(layer["data"].get("name"), [])]


def test_importance_chart_numbers_every_area_and_names_each_quadrant_where_it_is():
    """Issues 18 and 28: every mark carries its number and the key under the chart names
    every area; quadrant names sit in their own corner; one legend covers colour and shape."""
    import pandas as pd

    from kit.charts.team_compare import importance_performance_chart
    from kit.content import load_framework

    fw = load_framework("collaboration-behaviours")
    table = pd.DataFrame({
        "dimension": ["Low and vital", "High and vital", "Low and minor", "High and minor"],
        "performance": [2.0, 4.5, 2.0, 4.5], "importance": [4.5, 4.5, 1.5, 1.5],
        "quadrant": ["Focus here", "Keep it up", "Watch", "Less pressing"],
        "shown": [True] * 4, "note": [""] * 4,
    })
    item = importance_performance_chart(table, fw)
    spec = item.chart.to_dict()
    rows = _text_rows(spec)
    labels = sorted(r["label"] for r in rows if "label" in r)
    assert labels == ["1", "2", "3", "4"]
    assert len(item.key) == 4
    for name in table["dimension"]:
        assert sum(name in k for k in item.key) == 1, (name, item.key)
    corners = {row["text"]: (row["x"], row["y"]) for row in rows if "text" in row}
    lo, hi = fw.scale.min, fw.scale.max
    assert corners["Focus here"][0] == lo and corners["Keep it up"][0] == hi
    assert corners["Watch"][0] == lo and corners["Less pressing"][0] == hi
    assert corners["Focus here"][1] > corners["Watch"][1]
    points = next(layer for layer in spec["layer"] if "shape" in layer.get("encoding", {}))
    assert points["encoding"]["shape"]["legend"] == points["encoding"]["color"]["legend"]


def test_importance_chart_labels_never_print_on_top_of_each_other():
    """Issues 18 and 28: marks close together share one label ("1, 2, 3"), every number is
    in some label once, and the axes keep one title each."""
    import pandas as pd

    from kit.charts._theme import preset
    from kit.charts.team_compare import importance_performance_chart
    from kit.content import load_framework

    fw = load_framework("collaboration-behaviours")
    n = 10
    table = pd.DataFrame({
        "dimension": [f"Area {i}" for i in range(n)],
        "performance": [3.0 + 0.02 * i for i in range(n)],
        "importance": [4.0 + 0.03 * i for i in range(n)],
        "quadrant": ["Focus here"] * n, "shown": [True] * n, "note": [""] * n,
    })
    spec = importance_performance_chart(table, fw).chart.to_dict()
    placed = [r for r in _text_rows(spec) if r.get("label")]
    numbers = sorted(int(x) for r in placed for x in r["label"].split(", "))
    assert numbers == list(range(1, n + 1))
    p = preset("screen")
    y_gap = (fw.importance_scale.max - fw.importance_scale.min) * p.font * 1.5 / p.plot_height
    char = (fw.scale.max - fw.scale.min) * p.font * 0.6 / 300
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            left, right = sorted((a, b), key=lambda r: r["performance"])
            apart = right["performance"] - left["performance"]
            assert (abs(a["importance"] - b["importance"]) >= y_gap
                    or apart >= (len(left["label"]) + 1) * char), (a, b)
    for axis in ("x", "y"):
        titles = {layer["encoding"][axis].get("title") for layer in spec["layer"]
                  if axis in layer.get("encoding", {}) and layer["encoding"][axis].get("title")}
        assert len(titles) == 1, titles


def _y_domains(spec: dict) -> list[list[str]]:
    """Every explicit y-scale domain in a (possibly nested) Vega-Lite spec."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            y = node.get("encoding", {}).get("y") if isinstance(node.get("encoding"), dict) else None
            if isinstance(y, dict):
                found.append((y.get("scale") or {}).get("domain"))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found


@pytest.mark.parametrize("withheld", [(), (0,), (1, 2), (0, 3), (0, 1, 2)])
def test_band_bars_stay_beside_their_own_areas_when_areas_are_withheld(withheld):
    """Every layer of the profile chart draws over the profile's full list of areas, in order,
    so a withheld area keeps its row and the band bars never slide onto another label."""
    import pandas as pd

    from kit.charts.team_profile import group_profile_chart

    dims = [d.title for d in FW.dimensions]
    profile = pd.DataFrame({
        "dimension_id": [d.id for d in FW.dimensions], "dimension": dims,
        "n": [7] * len(dims), "mean": [3.2] * len(dims), "sd": [0.8] * len(dims),
        "shown": [i not in withheld for i in range(len(dims))],
        "note": ["withheld: everyone gave the same value" if i in withheld else ""
                 for i in range(len(dims))],
    })
    bands = sorted(FW.bands, key=lambda b: b.min)
    distribution = pd.DataFrame([
        {"dimension_id": d.id, "dimension": d.title, "band": b.id, "band_label": b.label,
         "order": pos, "count": 1 + pos}
        for i, d in enumerate(FW.dimensions) if i not in withheld
        for pos, b in enumerate(bands)])
    spec = group_profile_chart(profile, FW, distribution).chart.to_dict()
    domains = _y_domains(spec)
    assert domains, "the chart has no y encoding"
    assert all(d == dims for d in domains), domains
