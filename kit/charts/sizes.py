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
import json
import re

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


#: The label expression :func:`kit.charts._words.wrapped_labels` writes.
_WRAPPED = re.compile(r"^\((\{.*\})\)\[datum\.label\] \|\| datum\.label$", re.DOTALL)


def _rewrap(expr: str, width: int) -> str:
    """A wrapped-labels expression wrapped again at ``width`` characters (wider lines, so
    the larger text needs fewer lines and rows can stay low)."""
    from kit.charts._words import wrap_words

    table = json.loads(_WRAPPED.match(expr).group(1))
    again = {label: wrap_words(" ".join(lines) if isinstance(lines, list) else str(lines), width)
             for label, lines in table.items()}
    return f"({json.dumps(again, ensure_ascii=False)})[datum.label] || datum.label"


def _walk(node, p: dict[str, int], row_scale: float, panel: bool = False):
    if isinstance(node, list):
        return [_walk(x, p, row_scale, panel) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in FONT_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = max(p["text"], round(value * p["text"] / _BASE))
        elif key == "width" and isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = min(value, p["panel"] if panel else p["width"] if value <= _WIDE
                           else p["wide"])
        elif key == "height" and isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = round(value * row_scale)
        elif key == "labelLimit" and isinstance(value, (int, float)) and value:
            out[key] = round(value * p["text"] / _BASE)
        elif (key == "labelExpr" and isinstance(value, str) and _WRAPPED.match(value)
              and node.get("orient") != "top"):  # column labels stay narrow, turned upright
            out[key] = _rewrap(value, p["wrap"])
        elif key in {"data", "datasets", "values"}:
            out[key] = value  # the data itself is never touched
        else:
            out[key] = _walk(value, p, row_scale, panel or key == "hconcat")
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
    config = out.get("config")
    config = dict(config) if isinstance(config, dict) else {}
    text, title = p["text"], p["title"]

    def merge(name: str, values: dict) -> None:
        block = config.get(name)
        block = dict(block) if isinstance(block, dict) else {}
        for k, v in values.items():
            have = block.get(k)
            numeric = isinstance(have, (int, float)) and not isinstance(have, bool)
            block[k] = (max(v, have) if numeric else v) if k in FONT_KEYS else block.get(k, v)
        config[name] = block

    for name in ("axis", "legend", "header"):
        merge(name, {"labelFontSize": text, "titleFontSize": text})
    merge("legend", {"columns": 1})  # a legend no wider than a panel beside another
    merge("title", {"fontSize": title, "subtitleFontSize": text})
    for name in ("text", "mark"):
        merge(name, {"fontSize": text})
    out["config"] = config
    return out


def sized(item: ChartWithText, preset: str) -> ChartWithText:
    """``item`` with its chart drawn at the named size preset (see :func:`size_spec`)."""
    import altair as alt

    spec = size_spec(item.chart.to_dict(), preset)
    kinds = {"layer": alt.LayerChart, "hconcat": alt.HConcatChart, "vconcat": alt.VConcatChart,
             "concat": alt.ConcatChart, "facet": alt.FacetChart, "repeat": alt.RepeatChart}
    cls = next((kinds[k] for k in kinds if k in spec), alt.Chart)
    chart = cls.from_dict(spec, validate=False)
    if isinstance(spec.get("title"), str):
        chart.title = spec["title"]  # a plain string, as the builders give it
    return dataclasses.replace(item, chart=chart)
