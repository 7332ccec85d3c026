"""The kit's one chart theme: a colour-blind-safe palette and the chart-plus-text pair."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

__all__ = ["ChartWithText", "OKABE_ITO", "BAND_COLOURS", "ROUND_COLOURS", "FONT", "Size",
           "SizePreset", "SIZES", "preset", "size_config", "apply_size", "row_axis",
           "one_axis_title", "row_step", "SIZE_PRESETS"]

#: Okabe-Ito palette, safe for the common forms of colour blindness.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Band colours, from strength to priority (blue, sky blue, orange): distinct without red/green.
BAND_COLOURS = ("#0072B2", "#56B4E9", "#E69F00", "#D55E00")

#: Rounds, first to last, in every chart that shows rounds (sky blue, blue, orange, ...).
ROUND_COLOURS = tuple(OKABE_ITO[i] for i in (4, 0, 1, 2, 3, 5, 7))

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

#: Named size presets for where a chart is shown (applied by :mod:`kit.charts.sizes`).
#: "projector": session mode on a 1280x720 screen read from the back of a room; every
#: text at least ``text`` px, titles ``title`` px, labels wrapped at ``wrap`` characters,
#: each row ``row`` px, plots at most ``width`` px wide (``panel`` px side by side), and a
#: wide plot of many columns
#: (a heatmap) at most ``wide`` px, its column labels turned upright.
SIZE_PRESETS: dict[str, dict[str, int]] = {
    "projector": {"text": 18, "title": 20, "row": 31, "wrap": 40, "width": 380,
                  "panel": 130, "wide": 760},
}


@dataclass(frozen=True)
class ChartWithText:
    """An Altair chart and the plain-English description shown beside it."""

    chart: Any  # altair.TopLevelMixin; typed loosely so this module imports without altair
    description: str
    title: str = ""
    #: one line on how to read the chart (what the marks mean), shown above it
    how_to_read: str = ""
    #: a numbered key shown as a list under the chart ("1. Area: ..."), for charts whose
    #: marks carry numbers instead of names (names collide; numbers fit)
    key: tuple = ()

    def to_dict(self) -> dict:
        return self.chart.to_dict()


#: Where a chart is shown: ``"screen"`` (a laptop or a phone: charts fill their container's
#: width, text at least 13 px as drawn), ``"phone"`` (the same design, named for clarity) or
#: ``"projector"`` (1280 x 720 read from the back of a room: text at least 18 px).
Size = Literal["screen", "phone", "projector"]


@dataclass(frozen=True)
class SizePreset:
    """The sizes one chart design is drawn at, in CSS pixels as drawn (charts are never scaled
    down: they take their container's width, ``width="container"``)."""

    name: str
    #: axis labels, legend labels, words on the chart
    font: int
    #: axis and legend titles
    title_font: int
    #: the chart's own title
    heading_font: int
    #: the height of one row (an area): its name above, its bar or dots below
    row: int
    #: bar thickness
    bar: int
    #: point size (area in square pixels)
    point: int
    #: how many characters an area name may take on one line before it wraps
    wrap: int
    #: the height of a chart that has no rows (scatter plots)
    plot_height: int


SIZES: dict[str, SizePreset] = {
    "screen": SizePreset("screen", font=13, title_font=13, heading_font=15, row=58, bar=14,
                         point=110, wrap=46, plot_height=320),
    "projector": SizePreset("projector", font=20, title_font=20, heading_font=24, row=84,
                            bar=22, point=260, wrap=44, plot_height=420),
}
SIZES["phone"] = replace(SIZES["screen"], name="phone")


def preset(size: str = "screen") -> SizePreset:
    """The :class:`SizePreset` for ``size``; a ValueError names the sizes there are."""
    if isinstance(size, SizePreset):
        return size
    try:
        return SIZES[size]
    except KeyError:
        raise ValueError(f"chart size {size!r} is not one of {', '.join(map(repr, SIZES))}; "
                         "use 'screen' (laptop or phone) or 'projector'") from None


def size_config(size: str = "screen") -> dict:
    """Vega-Lite ``config`` for ``size``: the kit's font and every text size (axes, legends,
    titles, text marks)."""
    p = preset(size)
    return {
        "font": FONT,
        "view": {"stroke": None},
        "range": {"category": list(OKABE_ITO)},
        "axis": {"labelFontSize": p.font, "titleFontSize": p.title_font, "labelLimit": 0,
                 "titleLimit": 0, "titlePadding": 6},
        "legend": {"labelFontSize": p.font, "titleFontSize": p.title_font, "labelLimit": 0,
                   "titleLimit": 0, "symbolSize": p.point, "orient": "bottom",
                   "direction": "vertical"},
        "title": {"fontSize": p.heading_font, "subtitleFontSize": p.font, "anchor": "start",
                  "limit": 0},
        "header": {"labelFontSize": p.font, "titleFontSize": p.title_font},
        "text": {"fontSize": p.font},
    }


def apply_size(chart, size: str = "screen"):
    """``chart`` (a top-level Altair chart) with the text sizes of ``size`` in its config;
    the builders call this, and it can be called again on a finished chart."""
    import altair as alt

    out = chart.copy(deep=False)
    old = getattr(out, "config", alt.Undefined)
    config = {} if old is alt.Undefined else old.to_dict()
    for key, value in size_config(size).items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            config[key] = {**config[key], **value}
        else:
            config[key] = value
    out.config = alt.Config.from_dict(config)
    # Fill the container's width (fit: axis labels and titles are inside that width).
    out.autosize = alt.AutoSizeParams(type="fit-x", contains="padding", resize=True)
    return one_axis_title(out)


_AXIS_CHANNELS = ("x", "y")


def _layer_titles(spec: dict) -> None:
    """In place: every layer of each layered view (and each single view) in ``spec`` gives
    each axis one explicit title, the first one a layer states (``axis.title``, else the encoding's
    ``title``), or none when the first says none."""
    for key in ("vconcat", "hconcat", "concat"):
        for sub in spec.get(key) or ():
            _layer_titles(sub)
    if isinstance(spec.get("spec"), dict):
        _layer_titles(spec["spec"])
    layers = spec.get("layer")
    if layers:
        for sub in layers:
            _layer_titles(sub)
    elif isinstance(spec.get("encoding"), dict):
        layers = [spec]  # one view: its x2 (y2) title would be joined to its x (y) title
    else:
        return
    for channel in _AXIS_CHANNELS:
        defs = [sub.get("encoding", {}).get(channel) for sub in layers]
        defs = [d for d in defs if isinstance(d, dict) and d.get("axis", {}) is not None]
        stated = []
        for d in defs:
            axis = d.get("axis") or {}
            if "title" in axis:
                stated.append(axis["title"])
            elif "title" in d:
                stated.append(d["title"])
        if not stated:
            continue
        for d in defs:
            d["axis"] = {**(d.get("axis") or {}), "title": stated[0]}


def one_axis_title(chart):
    """``chart`` with one explicit title per axis in every layered view.

    Vega-Lite joins the titles of a layered chart's layers into one ("Your rating (1 to 5),
    Scale starts at, Score"), and one layer's ``title=None`` removes the axis title for all.
    Here every layer's axis takes the first title a layer states, so each layer can keep a
    descriptive encoding title for its tooltip and data table."""
    spec = chart.to_dict(validate=False)
    _layer_titles(spec)
    return type(chart).from_dict(spec, validate=False)


def row_axis(labels, size: str = "screen", *, shorten=None, display=None, **extra):
    """A y axis of one row per area whose names are written *above* their row, inside the
    plot, from its left edge: the chart keeps its whole width for the marks on a phone, and
    a name is always next to its own bar.

    Use with ``height=alt.Step(preset(size).row)`` and marks no thicker than
    ``preset(size).bar``. ``display`` maps a label to the words shown for it (say, the name
    with its score), ``shorten`` shortens each.
    """
    import json

    import altair as alt

    p = preset(size)
    table = _row_lines(labels, size, shorten=shorten, display=display)
    lines = f"({json.dumps(table, ensure_ascii=False)})[datum.label]"
    expr = f"{lines} || datum.label"
    line_height = round(p.font * 1.2)
    # Vega writes a name's further lines downwards from its first: the first is lifted by
    # the others' height, so the last line sits just above the bar.
    offset = alt.ExprRef(expr=f"-{p.bar // 2 + 4} - (length({lines} || [1]) - 1) * {line_height}")
    return alt.Axis(labelExpr=expr, labelAlign="left", labelBaseline="bottom",
                    labelPadding=0, labelOffset=offset, ticks=False, domain=False,
                    labelLimit=0, labelLineHeight=line_height, grid=False,
                    title=None, **extra)


def _row_lines(labels, size, *, shorten=None, display=None) -> dict:
    """Each label's words as wrapped lines (see :func:`row_axis`)."""
    import textwrap

    p = preset(size)
    display = display or {}
    out = {}
    for label in labels:
        words = display.get(label, label)
        words = shorten(words) if shorten else words
        out[str(label)] = (textwrap.wrap(str(words), width=p.wrap, break_long_words=False)
                           or [str(words)])
    return out


def row_step(labels, size: str = "screen", *, shorten=None, display=None):
    """The height of each row for :func:`row_axis` with the same arguments: room for the
    longest name's lines above a bar (``alt.Step``)."""
    import altair as alt

    p = preset(size)
    lines = max((len(v) for v in _row_lines(labels, size, shorten=shorten,
                                            display=display).values()), default=1)
    return alt.Step(p.row + max(0, lines - 2) * round(p.font * 1.2))
