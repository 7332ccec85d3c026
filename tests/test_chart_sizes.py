"""Chart sizes (kit/charts/_theme.py SIZES): every facilitator chart drawn by its builder for
the projector (session mode, 1280x720) has every text at least 18 px and names beside its bars;
the screen and phone designs are untouched."""

from __future__ import annotations

import pytest

from kit.charts._theme import SIZES, preset

#: Vega-Lite properties that set a text size, wherever they appear (marks, axes, legends,
#: headers, titles).
FONT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"})
#: The smallest text on a projector step (issue 28).
PROJECTOR_MIN = 18


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


def _axes(node, out=None):
    """Every ``axis`` dictionary in a spec."""
    out = [] if out is None else out
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "axis" and isinstance(v, dict):
                out.append(v)
            elif k not in {"data", "datasets"}:
                _axes(v, out)
    elif isinstance(node, list):
        for x in node:
            _axes(x, out)
    return out


def test_the_projector_preset_is_large_and_beside():
    p = preset("projector")
    assert min(p.font, p.title_font, p.heading_font) >= PROJECTOR_MIN
    assert p.beside and p.label_px > 0 and p.row <= 44
    assert not SIZES["screen"].beside and not SIZES["phone"].beside


def test_an_unknown_size_names_the_ones_there_are():
    with pytest.raises(ValueError, match="projector"):
        preset("cinema")


def test_every_facilitator_chart_is_drawn_for_the_projector(tmp_path, monkeypatch):
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
        screen = view_charts(data, view.id, group=data.groups[0])
        big = view_charts(data, view.id, group=data.groups[0], size="projector")
        assert len(big) == len(screen), view.id
        for item, small in zip(big, screen, strict=True):
            spec = item.chart.to_dict()
            assert all(f >= PROJECTOR_MIN for f in _fonts(spec)), view.id
            assert spec["config"]["axis"]["labelFontSize"] >= PROJECTOR_MIN, view.id
            assert item.title == small.title and item.description == small.description
            assert spec.get("title") == small.chart.to_dict().get("title")
            # a row's name is never written above its bar on a projector
            assert not [a for a in _axes(spec) if a.get("labelBaseline") == "bottom"
                        and a.get("labelAlign") == "left"], view.id
