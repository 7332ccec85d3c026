"""Breakdown heatmap and importance-against-performance charts (suppressed tables only)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.charts._theme import OKABE_ITO, ChartWithText
from kit.charts._words import WIDTH, finish, fmt, names, plural, wrapped_labels

__all__ = ["breakdown_heatmap", "importance_performance_chart"]

_BY_WORDS = {"organisation": "organisation", "sector": "sector", "role_level": "role level"}


def breakdown_heatmap(
    table: pd.DataFrame, framework, *, by: str, title: str | None = None
) -> ChartWithText:
    """A grid of mean scores: one row per organisation (sector, role level), one column per
    dimension. Withheld cells are grey and say so."""
    title = title or f"By {_BY_WORDS.get(by, by)}"
    lo, hi = framework.scale.min, framework.scale.max
    order = [d.title for d in framework.dimensions]
    data = table.assign(
        text=[fmt(m) if s else "withheld" for m, s in zip(table["mean"], table["shown"], strict=True)],
        detail=[f"{v}, {d}: mean {fmt(m)} (n {int(n)})" if s else f"{v}, {d}: {note}"
                for v, d, m, n, s, note in zip(table["value"], table["dimension"], table["mean"],
                                               table["n"], table["shown"], table["note"], strict=True)],
    )
    x = alt.X("dimension:N", sort=order, title=None,
              axis=alt.Axis(labelAngle=0, labelLimit=0, labelExpr=wrapped_labels(order, 14),
                            orient="top"))
    y = alt.Y("value:N", title=None)
    base = alt.Chart(data).encode(x=x, y=y, tooltip=[alt.Tooltip("detail:N", title="Cell")])
    shown = base.transform_filter("datum.shown").mark_rect().encode(
        color=alt.Color("mean:Q", scale=alt.Scale(scheme="blues", domain=[lo, hi]),
                        legend=alt.Legend(title="Average rating", orient="bottom"))
    )
    hidden = base.transform_filter("!datum.shown").mark_rect(color="#EEEEEE")
    text = base.mark_text(fontSize=11).encode(
        text="text:N",
        color=alt.condition(f"datum.shown && datum.mean > {(lo + hi) / 2 + 0.75}",
                            alt.value("white"), alt.value("#333333")),
    )
    n_rows = max(1, data["value"].nunique())
    chart = alt.layer(hidden, shown, text).properties(
        width=max(WIDTH, 92 * len(order)), height=max(80, 32 * n_rows), title=title)
    return ChartWithText(finish(chart), describe_breakdown(table, by), title,
                         how_to_read="Each square is the average rating of one part of the "
                         "cohort in one area; darker is higher. Empty squares have too few people.")


def describe_breakdown(table: pd.DataFrame, by: str) -> str:
    word = _BY_WORDS.get(by, by)
    if table.empty:
        return f"Nobody has answered yet, so there is no breakdown by {word}."
    shown = table[table["shown"]]
    values = table["value"].nunique()
    hidden_values = sorted(set(table["value"]) - set(shown["value"]))
    if shown.empty:
        return (f"No {word} can be shown on its own: each has too few responses, or showing it "
                f"would let a smaller group be worked out. The group's overall profile is unaffected.")
    text = (f"{plural(shown['value'].nunique(), word)} of {values} can be shown. ")
    gaps = shown.groupby("dimension")["mean"].agg(lambda s: s.max() - s.min())
    if shown["value"].nunique() > 1 and len(gaps):
        dim = gaps.idxmax()
        cells = shown[shown["dimension"] == dim]
        hi_row, lo_row = cells.loc[cells["mean"].idxmax()], cells.loc[cells["mean"].idxmin()]
        text += (f"The widest gap is on {dim}: {hi_row.value} {fmt(hi_row['mean'])} against "
                 f"{lo_row.value} {fmt(lo_row['mean'])}.")
    else:
        best = shown.loc[shown["mean"].idxmax()]
        text += f"The highest mean is {best.value} on {best.dimension} ({fmt(best['mean'])})."
    if hidden_values:
        text += f" Withheld to protect individuals: {names(hidden_values)}."
    return text


def importance_performance_chart(table: pd.DataFrame, framework, *, title: str = "Importance and performance") -> ChartWithText:
    """Each dimension placed by mean importance (up) and mean score (across), with quadrant lines
    at the middle of each scale."""
    lo, hi = framework.scale.min, framework.scale.max
    iscale = framework.importance_scale or framework.scale
    ilo, ihi = iscale.min, iscale.max
    shown = table[table["shown"]]
    xs = alt.Scale(domain=[lo, hi])
    ys = alt.Scale(domain=[ilo, ihi])
    # One legend for colour and shape together, so its symbols are the marks' own.
    order = ["Focus here", "Keep it up", "Watch", "Less pressing"]
    legend = alt.Legend(title="What it suggests", orient="bottom", labelLimit=200)
    points = alt.Chart(shown).mark_point(filled=True, size=130, opacity=1).encode(
        x=alt.X("performance:Q", scale=xs, title=f"Group's average rating ({lo} to {hi})"),
        y=alt.Y("importance:Q", scale=ys, title=f"How important the group says it is ({ilo} to {ihi})"),
        color=alt.Color("quadrant:N", scale=alt.Scale(
            domain=order, range=[OKABE_ITO[5], OKABE_ITO[0], OKABE_ITO[1], "#7F7F7F"]),
            legend=legend),
        shape=alt.Shape("quadrant:N", scale=alt.Scale(
            domain=order, range=["triangle-up", "circle", "diamond", "square"]), legend=legend),
        tooltip=[alt.Tooltip("dimension:N", title="Area"),
                 alt.Tooltip("performance:Q", format=".1f", title="Average rating"),
                 alt.Tooltip("importance:Q", format=".1f", title="Importance"),
                 alt.Tooltip("quadrant:N", title="What it suggests")],
    )
    # Only the areas that need action are named on the chart; the rest are in the tooltip,
    # the description and the table, so names never print on top of each other.
    focus = shown[shown["quadrant"] == "Focus here"]
    labels = alt.Chart(focus).mark_text(align="left", dx=9, fontSize=11).encode(
        x=alt.X("performance:Q", scale=xs), y=alt.Y("importance:Q", scale=ys), text="dimension:N")
    corners = pd.DataFrame({
        "x": [lo, hi, hi, lo],
        "y": [ihi - 0.06 * (ihi - ilo)] * 2 + [ilo + 0.06 * (ihi - ilo)] * 2,
        "align": ["left", "right", "right", "left"],
        "text": ["Focus here: important, rated lower", "Keep it up: important, rated well",
                 "Less pressing: less important, rated well", "Watch: less important, rated lower"],
    })
    names_layer = [
        alt.Chart(corners[corners["align"] == a]).mark_text(
            align=a, baseline="middle", dx=(4 if a == "left" else -4), fontSize=11,
            color="#505a5f", fontStyle="italic").encode(
            x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys), text="text:N")
        for a in ("left", "right")
    ]
    rules = [
        alt.Chart(pd.DataFrame({"v": [(lo + hi) / 2]})).mark_rule(color="#999999", strokeDash=[3, 3]).encode(x=alt.X("v:Q", scale=xs)),
        alt.Chart(pd.DataFrame({"v": [(ilo + ihi) / 2]})).mark_rule(color="#999999", strokeDash=[3, 3]).encode(y=alt.Y("v:Q", scale=ys)),
    ]
    chart = alt.layer(*rules, *names_layer, points, labels).properties(
        width=WIDTH, height=340, title=title)
    return ChartWithText(finish(chart), describe_importance(table), title,
                         how_to_read="Each mark is an area: further right is rated higher, further "
                         "up matters more. Areas in the top left need action and are named.")


def describe_importance(table: pd.DataFrame) -> str:
    shown = table[table["shown"]]
    if shown.empty:
        if table.empty:
            return "Importance was not asked for any area."
        return f"Importance cannot be shown yet: {table['note'].iloc[0]}."
    parts = []
    focus = shown[shown["quadrant"] == "Focus here"]
    keep = shown[shown["quadrant"] == "Keep it up"]
    if len(focus):
        parts.append(f"Rated important but scoring lower, so worth focusing on: {names(focus['dimension'].tolist())}.")
    else:
        parts.append("No area is both rated important and scoring below the middle of the scale.")
    if len(keep):
        parts.append(f"Important and going well: {names(keep['dimension'].tolist())}.")
    top = shown.loc[shown["importance"].idxmax()]
    parts.append(f"The group rates {top.dimension} as most important (mean {fmt(top.importance)}).")
    hidden = table[~table["shown"]]
    if len(hidden):
        parts.append(f"Not shown: {names(hidden['dimension'].tolist())} ({hidden['note'].iloc[0]}).")
    return " ".join(parts)
