"""The kit's one chart theme: a colour-blind-safe palette and the chart-plus-text pair."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

__all__ = ["ChartWithText", "OKABE_ITO", "BAND_COLOURS", "ROUND_COLOURS", "FONT", "Size",
           "SizePreset", "SIZES", "preset", "size_config", "apply_size", "row_axis",
           "one_axis_title", "row_step", "value_axis", "with_values",
           "stacked_legend"]

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
    #: names *beside* their bars, left of the plot (a wide screen), rather than above them
    #: (a phone keeps its width for the marks)
    beside: bool = False
    #: names beside: the widest a name is drawn, in px (a longer one is cut with an ellipsis;
    #: the words under the chart and the data table give it whole)
    label_px: int = 0
    #: names beside: the height all the rows may take, in px; a name wraps onto a second
    #: line only while every row, two lines high, still fits in it
    rows_px: int = 0


SIZES: dict[str, SizePreset] = {
    "screen": SizePreset("screen", font=13, title_font=13, heading_font=15, row=58, bar=14,
                         point=110, wrap=46, plot_height=320),
    # 1280 x 720 read from the back of a room: one row per area, its name beside its bar,
    # rows low enough that a framework's dozen areas and the questions fit one screen.
    "projector": SizePreset("projector", font=20, title_font=20, heading_font=24, row=34,
                            bar=22, point=200, wrap=36, plot_height=330, beside=True,
                            label_px=400, rows_px=480),
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
    beside = {}
    if p.beside:
        # Names beside the bars take the chart's left: the x axis's title ends at the plot's
        # right edge and the legend starts at the chart's left, so neither runs off the right.
        # Numbers along a narrow plot keep a gap between them (one is left out rather than
        # two touching).
        beside = {"axisX": {"titleAnchor": "end", "titleAlign": "right", "labelOverlap": True,
                            "labelSeparation": 8},
                  "legend": {"titleOrient": "left", "labelFontSize": 18, "titleFontSize": 18,
                             "symbolSize": 150, "columns": 2}}
    config = {
        "font": FONT,
        "view": {"stroke": None},
        "range": {"category": list(OKABE_ITO)},
        "axis": {"labelFontSize": p.font, "titleFontSize": p.title_font, "labelLimit": 0,
                 "titleLimit": 0, "titlePadding": 6},
        "legend": {"labelFontSize": p.font, "titleFontSize": p.title_font, "labelLimit": 0,
                   "titleLimit": 0, "symbolSize": p.point, "orient": "bottom",
                   # a wide screen: a legend's few entries side by side, one line high
                   "direction": "horizontal" if p.beside else "vertical"},
        "title": {"fontSize": p.heading_font, "subtitleFontSize": p.font, "anchor": "start",
                  "limit": 0},
        "header": {"labelFontSize": p.font, "titleFontSize": p.title_font},
        "text": {"fontSize": p.font},
    }
    if beside:
        config["axisX"] = beside["axisX"]
        config["legend"].update(beside["legend"])
    return config


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
    """A y axis of one row per area, its name next to its own bar.

    On a screen or a phone (``"screen"``, ``"phone"``) names are written *above* their row,
    inside the plot, from its left edge: the chart keeps its whole width for the marks.
    On a projector (a preset with ``beside``) names are written *beside* their row, left of
    the plot, on one line (two while every row still fits, see :func:`row_step`) and never
    wider than the preset's ``label_px``; ``display`` is not used there: give the words
    after the name to :func:`value_axis`, which writes them right of the plot.

    Use with ``height=row_step(...)`` (same arguments) and marks no thicker than
    ``preset(size).bar``. ``display`` maps a label to the words shown for it (say, the name
    with its score), ``shorten`` shortens each.
    """
    import json

    import altair as alt

    p = preset(size)
    if p.beside:
        return _beside_axis(labels, p, shorten=shorten, **extra)
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


def _beside_axis(labels, p: SizePreset, *, shorten=None, **extra):
    """The projector's row axis: each name left of its row, centred on it (see
    :func:`row_axis`)."""
    import json

    import altair as alt

    table = _beside_lines(labels, p, shorten=shorten)
    lines = f"({json.dumps(table, ensure_ascii=False)})[datum.label]"
    line_height = round(p.font * 1.2)
    # Vega writes further lines downwards from the first: lift the first by half the others.
    offset = alt.ExprRef(expr=f"-(length({lines} || [1]) - 1) * {line_height / 2}")
    return alt.Axis(labelExpr=f"{lines} || datum.label", labelAlign="right",
                    labelBaseline="middle", labelPadding=8, labelOffset=offset, ticks=False,
                    domain=False, labelLimit=p.label_px, labelLineHeight=line_height,
                    grid=False, title=None, **extra)


def _beside_lines(labels, p: SizePreset, *, shorten=None) -> dict:
    """Each name as the lines it is drawn beside its row: two lines only while every row, two
    lines high, fits the preset's ``rows_px``; otherwise one (cut to ``label_px`` as drawn)."""
    import textwrap

    labels = list(labels)
    words = {str(label): str(shorten(label) if shorten else label) for label in labels}
    two = len(labels) * _beside_row(p, 2) <= p.rows_px
    out = {}
    for label, text in words.items():
        lines = textwrap.wrap(text, width=p.wrap, break_long_words=False) or [text]
        out[label] = [lines[0], " ".join(lines[1:])] if two and len(lines) > 1 else [text]
    return out


def _beside_row(p: SizePreset, lines: int) -> int:
    """The height of a row whose name, beside it, takes ``lines`` lines."""
    return max(p.row, lines * round(p.font * 1.2) + 8)


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
    longest name's lines above a bar, or (names beside) beside it (``alt.Step``)."""
    import altair as alt

    p = preset(size)
    if p.beside:
        lines = max((len(v) for v in _beside_lines(labels, p, shorten=shorten).values()),
                    default=1)
        return alt.Step(_beside_row(p, lines))
    lines = max((len(v) for v in _row_lines(labels, size, shorten=shorten,
                                            display=display).values()), default=1)
    return alt.Step(p.row + max(0, lines - 2) * round(p.font * 1.2))


def value_axis(values: dict, size: str = "projector", **extra):
    """A y axis on the right of a row chart writing each row's words (its score, trend, or
    why it is withheld) level with its bar: with names beside the bars (a projector), the
    words :func:`row_axis` writes after the name on a screen. ``values`` maps a row's label to
    its words; a row without any shows none."""
    import json

    import altair as alt

    p = preset(size)
    table = {str(k): str(v) for k, v in values.items()}
    return alt.Axis(orient="right", labelExpr=f"({json.dumps(table, ensure_ascii=False)})"
                    "[datum.label] || ''", labelAlign="left", labelBaseline="middle",
                    labelPadding=8, ticks=False, domain=False, grid=False,
                    title=None, labelFontSize=p.font, **{"labelLimit": 240, **extra})


def stacked_legend(size: str = "screen") -> dict:
    """``alt.Legend`` arguments for a legend of long words or under a narrow plot: with names
    beside the bars, its entries one under another (side by side they would run past the
    chart's right edge); elsewhere nothing (the preset's own legend)."""
    if not preset(size).beside:
        return {}
    return {"columns": 1, "direction": "vertical", "titleOrient": "top"}


def with_values(chart, field: str, order, values: dict, size: str):
    """``chart`` (a layer of rows) with :func:`value_axis` on its right when ``size`` draws
    names beside the bars; unchanged otherwise (the words are above the bars, with the name)."""
    import altair as alt

    if not preset(size).beside:
        return chart
    rows = alt.Chart({"values": [{field: str(r)} for r in order]}).mark_point(opacity=0).encode(
        y=alt.Y(f"{field}:N", sort=list(order), scale=alt.Scale(domain=list(order)),
                title=None, axis=value_axis(values, size)))
    return alt.layer(chart, rows).resolve_axis(y="independent")
