"""Breakdown heatmap and importance-against-performance charts (suppressed tables only)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.charts._theme import (
    OKABE_ITO,
    ChartWithText,
    Size,
    preset,
    row_axis,
    row_step,
    with_values,
)
from kit.charts._words import finish, fmt, names, numbered, reasons, wrap_words, wrapped_labels
from kit.i18n import N_, _, ngettext

__all__ = ["breakdown_heatmap", "importance_performance_chart"]

_BY_WORDS = {"organisation": N_("organisation"), "sector": N_("sector"),
             "role_level": N_("role level")}
#: Chart titles for each breakdown (whole phrases, so each language can order its words).
_BY_TITLES = {"organisation": N_("By organisation"), "sector": N_("By sector"),
              "role_level": N_("By role level")}
#: The quadrant names (data values from :data:`kit.analysis.importance.QUADRANTS`) in words.
_QUADRANT_WORDS = {"Focus here": N_("Focus here"), "Keep it up": N_("Keep it up"),
                   "Watch": N_("Watch"), "Less pressing": N_("Less pressing")}


def _by_word(by: str) -> str:
    return _(_BY_WORDS[by]) if by in _BY_WORDS else by


def _value_words(value) -> str:
    """A breakdown value as shown: the kit's own words ("Not given", the offered sectors and
    role levels, kept in English in the store) in the reader's language; others as typed."""
    from kit.analysis.privacy import NOT_GIVEN
    from kit.content.choices import ROLE_LEVELS, SECTORS

    if value == NOT_GIVEN or value in SECTORS or value in ROLE_LEVELS:
        return _(value)
    return str(value)


def breakdown_heatmap(
    table: pd.DataFrame, framework, *, by: str, title: str | None = None, size: Size = "screen"
) -> ChartWithText:
    """A grid of mean scores: one row per area (its name above the row), one column per
    organisation (sector, role level). Withheld cells are grey and say so."""
    p = preset(size)
    if not title:
        title = _(_BY_TITLES[by]) if by in _BY_TITLES else _("By {what}").format(what=by)
    lo, hi = framework.scale.min, framework.scale.max
    order = [d.title for d in framework.dimensions]
    # A withheld square shows a dash (the words say what it means; the tooltip and the
    # table say why): "withheld" is wider than a column on a phone.
    withheld = "\u2013"
    data = table.assign(
        value=[_value_words(v) for v in table["value"]],
        text=[fmt(m) if s else withheld for m, s in zip(table["mean"], table["shown"], strict=True)],
        detail=[_("{value}, {area}: mean {mean} (n {n})").format(
                    value=_value_words(v), area=d, mean=fmt(m), n=int(n)) if s
                else _("{value}, {area}: {note}").format(value=_value_words(v), area=d, note=note)
                for v, d, m, n, s, note in zip(table["value"], table["dimension"], table["mean"],
                                               table["n"], table["shown"], table["note"], strict=True)],
    )
    # Areas down (their names above their rows, so a phone keeps its width for the cells),
    # organisations across, numbered over the columns (a dozen names never fit a phone's
    # width): the numbered key under the chart names them.
    values = sorted(data["value"].unique().tolist())
    numbers = {v: str(i) for i, v in enumerate(values, start=1)}
    key = tuple(_("{number}. {name}").format(number=numbers[v], name=v) for v in values)
    y = alt.Y("dimension:N", sort=order, title=None, scale=alt.Scale(domain=order),
              axis=row_axis(order, size))
    if p.beside:  # names beside their rows: each square centred on its row
        step, rise, cell_offset = row_step(order, size).step, 0, 0
    else:
        step = row_step(order, size).step + p.font
        # The first row's name rises above the grid's top edge: the column numbers sit
        # above it.
        first_lines = len(wrap_words(order[0], p.wrap)) if order else 1
        rise = p.bar // 2 + 4 + first_lines * round(p.font * 1.2) - step / 2
        cell_offset = round(p.font * 0.6)
    x = alt.X("value:N", sort=values, title=None, scale=alt.Scale(domain=values),
              axis=alt.Axis(labelAngle=0, labelLimit=0, orient="top", ticks=False,
                            domain=False, labelPadding=4 + max(0, round(rise)),
                            labelFontWeight="bold",
                            labelExpr=wrapped_labels(values, 10, shorten=numbers.get)))
    base = alt.Chart(data).encode(x=x, y=y, tooltip=[
        alt.Tooltip("value:N", title=_(_BY_TITLES[by]) if by in _BY_TITLES else by),
        alt.Tooltip("dimension:N", title=_("Area")), alt.Tooltip("detail:N", title=_("Cell"))])
    # A square sits just under its row's name, clear of the next row's name.
    cell = {"height": min(p.bar + 10, step - 4), "yOffset": cell_offset}
    shown = base.transform_filter("datum.shown").mark_rect(**cell).encode(
        color=alt.Color("mean:Q", title=_("Average rating"), scale=alt.Scale(scheme="blues", domain=[lo, hi]),
                        legend=alt.Legend(title=_("Average rating"), orient="bottom"))
    )
    hidden = base.transform_filter("!datum.shown").mark_rect(color="#EEEEEE", **cell)
    text = base.mark_text(yOffset=cell_offset).encode(
        text=alt.Text("text:N", title=_("Shown")),
        color=alt.condition(f"datum.shown && datum.mean > {(lo + hi) / 2 + 0.75}",
                            alt.value("white"), alt.value("#333333")),
    )
    chart = alt.layer(hidden, shown, text).properties(
        width="container", height=alt.Step(step), title=title)
    return ChartWithText(finish(chart, size), describe_breakdown(table, by), title,
                         how_to_read=_("Each square is the average rating of one part of the "
                                       "cohort in one area; darker is higher. Columns are "
                                       "numbered: the numbered list below the chart names them. "
                                       "A dash marks a square withheld because it has too few "
                                       "people."), key=key)


def describe_breakdown(table: pd.DataFrame, by: str) -> str:
    word = _by_word(by)
    if table.empty:
        return _("Nobody has answered yet, so there is no breakdown by {what}.").format(what=word)
    shown = table[table["shown"]]
    values = table["value"].nunique()
    hidden_values = [_value_words(v) for v in sorted(set(table["value"]) - set(shown["value"]))]
    if shown.empty:
        why = reasons(table)
        if why:  # the true reason, from the cells' own notes
            return _("No {what} can be shown on its own: {reasons}. The group's overall profile "
                     "is unaffected.").format(what=word, reasons=why)
        return _("No {what} can be shown on its own: each has too few responses, or showing it "
                 "would let a smaller group be worked out. The group's overall profile is "
                 "unaffected.").format(what=word)
    n_shown = int(shown["value"].nunique())
    if by == "sector":
        text = ngettext("{n} sector of {total} can be shown. ",
                        "{n} sectors of {total} can be shown. ", n_shown)
    elif by == "role_level":
        text = ngettext("{n} role level of {total} can be shown. ",
                        "{n} role levels of {total} can be shown. ", n_shown)
    else:
        text = ngettext("{n} organisation of {total} can be shown. ",
                        "{n} organisations of {total} can be shown. ", n_shown)
    text = text.format(n=n_shown, total=values)
    gaps = shown.groupby("dimension")["mean"].agg(lambda s: s.max() - s.min())
    if shown["value"].nunique() > 1 and len(gaps):
        dim = gaps.idxmax()
        cells = shown[shown["dimension"] == dim]
        hi_row, lo_row = cells.loc[cells["mean"].idxmax()], cells.loc[cells["mean"].idxmin()]
        text += _("The widest gap is on {area}: {high} {high_mean} against {low} "
                  "{low_mean}.").format(area=dim, high=_value_words(hi_row.value),
                                        high_mean=fmt(hi_row["mean"]),
                                        low=_value_words(lo_row.value), low_mean=fmt(lo_row["mean"]))
    else:
        best = shown.loc[shown["mean"].idxmax()]
        text += _("The highest mean is {value} on {area} ({mean}).").format(
            value=_value_words(best.value), area=best.dimension, mean=fmt(best["mean"]))
    if hidden_values:
        text += " " + _("Withheld to protect individuals: {names}.").format(names=names(hidden_values))
    return text


#: The chart's title when none is given (the view's name), translated where drawn.
_TITLE_IMPORTANCE_PERFORMANCE = N_("Importance and performance")


def importance_performance_chart(table: pd.DataFrame, framework, *,
                                 title: str = _TITLE_IMPORTANCE_PERFORMANCE,
                                 size: Size = "screen") -> ChartWithText:
    """Each dimension placed by mean importance (up) and mean score (across), with quadrant lines
    where the rule draws them (:func:`kit.analysis.importance.quadrant_lines`): the start of the
    top band across, "Matters a lot" up. A mark's colour, its quadrant and the words agree."""
    from kit.analysis.importance import quadrant_lines

    title = _(title) if title == _TITLE_IMPORTANCE_PERFORMANCE else title
    p = preset(size)
    perf_line, imp_line = quadrant_lines(framework)
    lo, hi = framework.scale.min, framework.scale.max
    iscale = framework.importance_scale or framework.scale
    ilo, ihi = iscale.min, iscale.max
    shown = table[table["shown"]]
    shown = shown.assign(quadrant_words=[_(_QUADRANT_WORDS.get(q, q)) for q in shown["quadrant"]])
    if p.beside:
        return _importance_rows(table, shown, framework, title=title, size=size)
    # Each mark carries a number (marks close together share one label, "2, 5"); the key
    # under the chart names every area.
    # Labels (on a plot about 300 px wide on a phone) must not meet: marks whose labels
    # would share one.
    y_gap = (ihi - ilo) * p.font * 1.5 / p.plot_height
    char = (hi - lo) * p.font * 0.6 / 300
    shown = (numbered(shown, "performance", "importance", char, y_gap) if len(shown)
             else shown.assign(number=[], label=[]))
    xs = alt.Scale(domain=[lo, hi])
    ys = alt.Scale(domain=[ilo, ihi])
    # One legend for colour and shape together, so its symbols are the marks' own.
    order = [_(q) for q in ("Focus here", "Keep it up", "Watch", "Less pressing")]
    suggests = _("What it suggests")
    legend = alt.Legend(title=suggests, orient="bottom", labelLimit=200)
    x_title = _("Group's average rating ({low} to {high})").format(low=lo, high=hi)
    y_title = _("How important the group says it is ({low} to {high})").format(low=ilo, high=ihi)
    points = alt.Chart(shown).mark_point(filled=True, size=130, opacity=1).encode(
        x=alt.X("performance:Q", scale=xs, title=x_title),
        y=alt.Y("importance:Q", scale=ys, title=y_title),
        color=alt.Color("quadrant_words:N", scale=alt.Scale(
            domain=order, range=[OKABE_ITO[5], OKABE_ITO[0], OKABE_ITO[1], "#7F7F7F"]),
            legend=legend),
        shape=alt.Shape("quadrant_words:N", scale=alt.Scale(
            domain=order, range=["triangle-up", "circle", "diamond", "square"]), legend=legend),
        tooltip=[alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("performance:Q", format=".1f", title=_("Average rating")),
                 alt.Tooltip("importance:Q", format=".1f", title=_("Importance")),
                 alt.Tooltip("quadrant_words:N", title=suggests)],
    )
    # A label that would run past the right edge is written left of its mark.
    # A long shared label is written four numbers to a line.
    lines = [[", ".join(n[i:i + 4]) for i in range(0, len(n), 4)] if n else [""]
             for n in (t.split(", ") if t else [] for t in shown["label"])]
    shown = shown.assign(lines=lines, flip=[
        x + (max(map(len, ls)) + 1) * char > hi and x - (max(map(len, ls)) + 1) * char >= lo
        for x, ls in zip(shown["performance"], lines, strict=True)])
    d = round(p.font * 0.7)
    labels = alt.Chart(shown[shown["label"] != ""]).mark_text(
        align=alt.ExprRef(expr="datum.flip ? 'right' : 'left'"), baseline="middle",
        dx=alt.ExprRef(expr=f"datum.flip ? {-d} : {d}"), fontWeight="bold").encode(
        x=alt.X("performance:Q", scale=xs, title=None),
        y=alt.Y("importance:Q", scale=ys, title=None), text=alt.Text("lines:N", title=_("Number")))
    names_layer = _corner_names(xs, ys, (lo, hi), (ilo, ihi))
    rules = [
        alt.Chart(pd.DataFrame({"v": [perf_line]})).mark_rule(color="#999999", strokeDash=[3, 3]).encode(x=alt.X("v:Q", scale=xs, title=None)),
        alt.Chart(pd.DataFrame({"v": [imp_line]})).mark_rule(color="#999999", strokeDash=[3, 3]).encode(y=alt.Y("v:Q", scale=ys, title=None)),
    ]
    # The points come first: the axes take their one title each from them.
    chart = alt.layer(points, *rules, *names_layer, labels).properties(
        width="container", height=p.plot_height, title=title)
    key = tuple(_("{number}. {area}: importance {importance}, rating {rating} ({quadrant})").format(
        number=r.number, area=r.dimension, importance=fmt(r.importance),
        rating=fmt(r.performance), quadrant=r.quadrant_words) for r in shown.itertuples())
    return ChartWithText(finish(chart, size), describe_importance(table), title,
                         how_to_read=_("Each numbered mark is an area: further right is rated "
                                       "higher, further up matters more. The dashed lines are "
                                       "where the top band starts and where an area matters a "
                                       "lot; areas in the top left (focus here) need action. The "
                                       "numbered list below the chart names each area."),
                         key=key)


def _corner_names(xs, ys, x_range, y_range) -> list:
    """The quadrants' names, short, in the plot's corners (the words under the chart explain
    them), as text layers on the scales ``xs`` and ``ys``."""
    (lo, hi), (ilo, ihi) = x_range, y_range
    corners = pd.DataFrame({
        "x": [lo, hi, hi, lo],
        "y": [ihi, ihi, ilo, ilo],
        "align": ["left", "right", "right", "left"],
        "baseline": ["top", "top", "bottom", "bottom"],
        "text": [_("Focus here"), _("Keep it up"), _("Less pressing"), _("Watch")],
    })
    return [
        alt.Chart(corners[(corners["align"] == a) & (corners["baseline"] == b)]).mark_text(
            align=a, baseline=b, dx=(4 if a == "left" else -4), dy=(4 if b == "top" else -4),
            color="#505a5f", fontStyle="italic").encode(
            x=alt.X("x:Q", scale=xs, title=None), y=alt.Y("y:Q", scale=ys, title=None),
            text="text:N")
        for a in ("left", "right") for b in ("top", "bottom")
    ]


#: The quadrants, most pressing first (the projector's rows are in this order).
_QUADRANT_ORDER = ("Focus here", "Keep it up", "Watch", "Less pressing")


def _importance_rows(table: pd.DataFrame, shown: pd.DataFrame, framework, *, title: str,
                     size: Size) -> ChartWithText:
    """Importance and performance for a projector: one row per area, its name beside it
    (numbers and a key would not fit a 1280x720 screen with the room's questions). Each
    row's mark is the group's average rating, its colour and shape what it suggests; right of
    the row, in words, what it suggests and how important the group says it is. Rows go from
    "Focus here" to "Less pressing", most important first."""
    from kit.analysis.importance import quadrant_lines

    p = preset(size)
    perf_line, _imp_line = quadrant_lines(framework)
    lo, hi = framework.scale.min, framework.scale.max
    rank = {q: i for i, q in enumerate(_QUADRANT_ORDER)}
    shown = shown.assign(_rank=[rank.get(q, len(rank)) for q in shown["quadrant"]]).sort_values(
        ["_rank", "importance"], ascending=[True, False], kind="stable")
    hidden = table[~table["shown"]]
    order = shown["dimension"].tolist() + hidden["dimension"].tolist()
    words = {r.dimension: _("{quadrant}, importance {importance}").format(
        quadrant=r.quadrant_words, importance=fmt(r.importance)) for r in shown.itertuples()}
    words.update({r.dimension: str(r.note) for r in hidden.itertuples()})
    names_order = [_(q) for q in _QUADRANT_ORDER]
    suggests = _("What it suggests")
    # No title (the words right of each row say it): two short columns fit under the plot.
    legend = alt.Legend(title=None, orient="bottom")
    y = alt.Y("dimension:N", sort=order, title=None, scale=alt.Scale(domain=order),
              axis=row_axis(order, size))
    xs = alt.Scale(domain=[lo, hi])
    points = alt.Chart(shown.drop(columns="_rank")).mark_point(
        filled=True, size=p.point, opacity=1).encode(
        y=y, x=alt.X("performance:Q", scale=xs, title=_(
            "Group's average rating ({low} to {high})").format(low=lo, high=hi)),
        color=alt.Color("quadrant_words:N", scale=alt.Scale(
            domain=names_order, range=[OKABE_ITO[5], OKABE_ITO[0], OKABE_ITO[1], "#7F7F7F"]),
            legend=legend),
        shape=alt.Shape("quadrant_words:N", scale=alt.Scale(
            domain=names_order, range=["triangle-up", "circle", "diamond", "square"]),
            legend=legend),
        tooltip=[alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("performance:Q", format=".1f", title=_("Average rating")),
                 alt.Tooltip("importance:Q", format=".1f", title=_("Importance")),
                 alt.Tooltip("quadrant_words:N", title=suggests)])
    rule = alt.Chart(pd.DataFrame({"v": [perf_line]})).mark_rule(
        color="#999999", strokeDash=[3, 3]).encode(x=alt.X("v:Q", scale=xs, title=None))
    chart = with_values(alt.layer(points, rule), "dimension", order, words, size).properties(
        width="container", height=row_step(order, size), title=title)
    return ChartWithText(finish(chart, size), describe_importance(table), title,
                         how_to_read=_("One row per area: the mark is the group's average "
                                       "rating (further right is higher), the dashed line "
                                       "where the top band starts; the words right of each "
                                       "row say what it suggests and how important the group "
                                       "says it is. Areas to focus on come first."))


def describe_importance(table: pd.DataFrame) -> str:
    shown = table[table["shown"]]
    if shown.empty:
        if table.empty:
            return _("Importance was not asked for any area.")
        return _("Importance cannot be shown yet: {reason}.").format(reason=table["note"].iloc[0])
    parts = []
    focus = shown[shown["quadrant"] == "Focus here"]
    keep = shown[shown["quadrant"] == "Keep it up"]
    if len(focus):
        parts.append(_("Matters a lot to the group and below the top band, so worth focusing "
                       "on: {names}.").format(names=names(focus["dimension"].tolist())))
    elif len(shown) == len(table):
        parts.append(_("No area both matters a lot to the group and sits below the top band."))
    else:
        parts.append(_("Of the areas that can be shown, none both matters a lot to the group "
                       "and sits below the top band."))
    if len(keep):
        parts.append(_("Important and going well: {names}.").format(
            names=names(keep["dimension"].tolist())))
    top = shown.loc[shown["importance"].idxmax()]
    parts.append(_("The group rates {area} as most important (mean {mean}).").format(
        area=top.dimension, mean=fmt(top.importance)))
    hidden = table[~table["shown"]]
    if len(hidden):
        parts.append(_("Not shown: {names} ({reason}).").format(
            names=names(hidden["dimension"].tolist()), reason=hidden["note"].iloc[0]))
    return " ".join(parts)
