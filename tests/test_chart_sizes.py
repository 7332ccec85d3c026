"""Chart size presets (kit/charts/sizes.py): the projector preset on every facilitator chart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.charts._theme import SIZE_PRESETS
from kit.charts.sizes import FONT_KEYS, size_spec, sized

P = SIZE_PRESETS["projector"]


def _fonts(node, out=None):
    out = [] if out is None else out
    if isinstance(node, dict):
        for k, v in node.items():
            if k in FONT_KEYS and isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(v)
            elif k not in {"data", "datasets"}:
                _fonts(v, out)
    elif isinstance(node, list):
        for x in node:
            _fonts(x, out)
    return out


_leaf = st.one_of(st.integers(1, 40), st.text(max_size=5), st.booleans())
_specs = st.recursive(
    st.dictionaries(st.sampled_from(["fontSize", "labelFontSize", "titleFontSize", "width",
                                     "height", "mark", "axis", "x", "y"]), _leaf, max_size=5),
    lambda inner: st.dictionaries(st.sampled_from(["layer", "encoding", "axis", "mark", "spec",
                                                   "config", "hconcat"]),
                                  st.one_of(inner, st.lists(inner, max_size=3)), max_size=3),
    max_leaves=20)


@settings(max_examples=100, deadline=None)
@given(spec=_specs)
def test_every_text_size_reaches_the_preset_and_keeps_its_order(spec):
    out = size_spec(spec, "projector")
    assert all(f >= P["text"] for f in _fonts(out))
    for name in ("axis", "legend", "header"):
        assert out["config"][name]["labelFontSize"] >= P["text"]
    before = _fonts({k: v for k, v in spec.items() if k != "config"})
    after = _fonts({k: v for k, v in out.items() if k != "config"})
    assert len(before) == len(after)
    for i in range(len(before)):  # a larger text stays at least as large as a smaller one
        for j in range(len(before)):
            if before[i] <= before[j]:
                assert after[i] <= after[j]


def test_the_data_is_never_touched():
    spec = {"data": {"values": [{"fontSize": 3, "width": 999}]}, "mark": {"fontSize": 11}}
    out = size_spec(spec, "projector")
    assert out["data"] == spec["data"] and out["mark"]["fontSize"] == P["text"]


def test_an_unknown_preset_names_the_ones_there_are():
    with pytest.raises(ValueError, match="projector"):
        size_spec({}, "cinema")


def test_every_facilitator_chart_sizes_for_the_projector(tmp_path, monkeypatch):
    from kit.analysis.cohort import VIEWS, CohortData
    from kit.config import get_settings
    from kit.demo import seed_demo
    from kit.store import Store
    from kit.views import view_charts

    monkeypatch.setenv("KIT_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        with Store(f"sqlite:///{tmp_path / 'kit.db'}") as store:
            codes = seed_demo(store)
            data = CohortData.from_store(store, codes.cohort_id)
    finally:
        get_settings.cache_clear()
    for view in VIEWS:
        for item in view_charts(data, view.id, group=data.groups[0]):
            big = sized(item, "projector")
            spec = big.chart.to_dict()
            assert all(f >= P["text"] for f in _fonts(spec)), view.id
            assert big.title == item.title and big.description == item.description
            assert spec.get("title") == item.chart.to_dict().get("title")
