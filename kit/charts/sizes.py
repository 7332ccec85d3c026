"""Charts resized for where they are shown, through the named presets in
:data:`kit.charts._theme.SIZE_PRESETS` (for now "projector": session mode on a 1280x720 screen).

A chart builder draws for a laptop page; :func:`sized` takes its finished chart and returns
the same chart with every text at least the preset's size, taller rows and a bounded width,
so one builder serves every place. The chart is rebuilt from its Vega-Lite dictionary, so
what it shows (data, encodings, descriptions) is unchanged.

Examples
--------
>>> import altair as alt
>>> from kit.charts._theme import ChartWithText
>>> item = ChartWithText(alt.Chart({"values": [{"a": 1}]}).mark_text(fontSize=11).encode(
...     text="a:Q"), "One number.")
>>> sized(item, "projector").chart.to_dict()["mark"]["fontSize"]
18
"""

from __future__ import annotations

import dataclasses

from kit.charts._theme import SIZE_PRESETS, ChartWithText

__all__ = ["sized", "size_spec", "FONT_KEYS"]

#: Vega-Lite properties that set a text size, wherever they appear (marks, axes, legends,
#: headers, titles).
FONT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"})
#: Text smaller than this in a builder is scaled up from it, so the order of sizes is kept.
_BASE = 12
#: Plots wider than this are many columns side by side (a heatmap).
_WIDE = 460


def _preset(name: str) -> dict[str, int]:
    try:
        return SIZE_PRESETS[name]
    except KeyError:
        raise ValueError(f"There is no chart size preset {name!r}; choose one of "
                         f"{', '.join(sorted(SIZE_PRESETS))}.") from None


def _walk(node, p: dict[str, int], row_scale: float):
    if isinstance(node, list):
        return [_walk(x, p, row_scale) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in FONT_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = max(p["text"], round(value * p["text"] / _BASE))
        elif key == "width" and isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = min(value, p["width"] if value <= _WIDE else p["wide"])
        elif key == "height" and isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = round(value * row_scale)
        elif key == "labelLimit" and isinstance(value, (int, float)) and value:
            out[key] = round(value * p["text"] / _BASE)
        elif key in {"data", "datasets", "values"}:
            out[key] = value  # the data itself is never touched
        else:
            out[key] = _walk(value, p, row_scale)
    if out.get("orient") == "top" and out.get("labelAngle") == 0:
        # column labels over a wide plot (a heatmap): upright, so wider text fits a column
        out["labelAngle"] = -90
        out["labelAlign"] = "left"
        out["labelBaseline"] = "middle"
    return out


def size_spec(spec: dict, preset: str) -> dict:
    """A Vega-Lite dictionary with the preset's sizes: every text at least the preset's
    ``text`` px (larger ones scaled in proportion), heights scaled for taller rows, widths
    bounded, and the chart-wide defaults (axes, legends, headers, titles, text marks) set."""
    p = _preset(preset)
    row_scale = p["row"] / 34  # the builders' usual row height
    out = _walk(spec, p, row_scale)
    config = dict(out.get("config") or {})
    text, title = p["text"], p["title"]

    def merge(name: str, values: dict) -> None:
        block = dict(config.get(name) or {})
        for k, v in values.items():
            block[k] = max(v, block.get(k, 0)) if k in FONT_KEYS else block.get(k, v)
        config[name] = block

    for name in ("axis", "legend", "header"):
        merge(name, {"labelFontSize": text, "titleFontSize": text})
    merge("title", {"fontSize": title, "subtitleFontSize": text})
    for name in ("text", "mark"):
        merge(name, {"fontSize": text})
    out["config"] = config
    return out


def sized(item: ChartWithText, preset: str) -> ChartWithText:
    """``item`` with its chart drawn at the named size preset (see :func:`size_spec`)."""
    import altair as alt

    spec = size_spec(item.chart.to_dict(), preset)
    for key, cls in (("layer", alt.LayerChart), ("hconcat", alt.HConcatChart),
                     ("vconcat", alt.VConcatChart), ("concat", alt.ConcatChart),
                     ("facet", alt.FacetChart), ("repeat", alt.RepeatChart)):
        if key in spec:
            break
    else:
        cls = alt.Chart
    return dataclasses.replace(item, chart=cls.from_dict(spec, validate=False))
