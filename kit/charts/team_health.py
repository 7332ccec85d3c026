"""The health check's "where we differ" and "across organisations" charts, from suppressed tables.

Both reuse the self-assessment's chart builders (the spread bars, the bands beside the means,
the organisation grid) and add what the health check needs said beside them: why an area's
band counts or an organisation's cells are not shown, in the planner's own words.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.charts._theme import OKABE_ITO, ChartWithText, Size
from kit.charts._words import finish, names, wrapped_labels
from kit.charts.team_compare import _value_words, breakdown_heatmap, describe_breakdown
from kit.charts.team_profile import disagreement_chart, group_profile_chart
from kit.i18n import N_, _, ngettext

#: The three counted answers, worst first, with their colours (never told by colour alone:
#: each count is written in its segment's tooltip and in the text beside the chart).
_VOTES = (("worse", N_("Worse"), OKABE_ITO[5]), ("same", N_("The same"), "#BBBBBB"),
          ("better", N_("Better"), OKABE_ITO[2]))

__all__ = ["health_spread_charts", "health_breakdown_chart", "trend_votes_chart"]


def _reasons(notes) -> str:
    return "; ".join(sorted({str(n) for n in notes if isinstance(n, str) and n}))


def health_spread_charts(spread: pd.DataFrame, distribution: pd.DataFrame, framework,
                         threshold: float, *, scope: str, round: str,
                         size: Size = "screen") -> list[ChartWithText]:
    """"Where we differ": how far apart ratings are per area, then how many fall in each band.

    Parameters
    ----------
    spread, distribution
        :func:`kit.analysis.health.where_we_differ`.
    """
    title = _("Where we differ: {scope}, {round}").format(scope=scope, round=round)
    bars = disagreement_chart(spread, threshold, title=title, size=size)
    bars = ChartWithText(bars.chart, bars.description + " " + _(
        "Differing ratings of a shared partnership are worth talking about: people see it "
        "from different places. Nobody is asked how they rated."), bars.title,
        bars.how_to_read)
    order = {d.id: i for i, d in enumerate(framework.dimensions)}
    in_order = spread.sort_values("dimension_id", key=lambda s: s.map(order)).reset_index(drop=True)
    bands_title = _("How ratings fall across the bands: {scope}, {round}").format(
        scope=scope, round=round)
    profile = group_profile_chart(in_order, framework, distribution, title=bands_title,
                                  size=size)
    held = spread[spread["shown"].astype(bool) & ~spread["bands_shown"].astype(bool)]
    extra = ""
    if len(held):
        extra = " " + ngettext(
            "The counts per band are not drawn for {n} area ({reasons}): {names}.",
            "The counts per band are not drawn for {n} areas ({reasons}): {names}.",
            len(held)).format(n=len(held), reasons=_reasons(held["bands_note"]),
                              names=names(held["dimension"].tolist()))
    profile = ChartWithText(profile.chart, profile.description + extra, profile.title,
                            profile.how_to_read)
    return [bars, profile]


def health_breakdown_chart(table: pd.DataFrame, framework, *, scope: str,
                           round: str, size: Size = "screen") -> ChartWithText:
    """The health check's mean per area for each organisation, withheld cells grey, with the
    reasons they are withheld said beside the grid."""
    title = _("Health check across organisations: {scope}, {round}").format(
        scope=scope, round=round)
    chart = breakdown_heatmap(table, framework, by="organisation", title=title, size=size)
    text = describe_breakdown(table, "organisation")
    hidden = table[~table["shown"].astype(bool)] if len(table) else table
    if len(hidden):
        orgs = sorted({_value_words(v) for v in hidden["value"]})
        text += " " + ngettext(
            "Withheld cells ({n} organisation: {names}) are withheld because: {reasons}.",
            "Withheld cells ({n} organisations: {names}) are withheld because: {reasons}.",
            len(orgs)).format(n=len(orgs), names=names(orgs), reasons=_reasons(hidden["note"]))
    return ChartWithText(chart.chart, text, chart.title, chart.how_to_read, key=chart.key)


def trend_votes_chart(table: pd.DataFrame, framework, *, scope: str, round: str,
                      size: Size = "screen") -> ChartWithText:
    """How many members said each area is better, the same or worse since last time.

    Parameters
    ----------
    table
        :func:`kit.analysis.health.trend_votes`; withheld areas keep their row and reason.
    """
    title = _("Better, the same or worse since last time? {scope}, {round}").format(
        scope=scope, round=round)
    order = [d.title for d in framework.dimensions]
    words = {band: _(label) for band, label, _c in _VOTES}
    rows = []
    for r in table.itertuples():
        if not r.shown:
            continue
        for pos, (band, _label, _colour) in enumerate(_VOTES):
            rows.append({"dimension": r.dimension, "answer": words[band], "order": pos,
                         "count": int(getattr(r, band) or 0)})
    data = pd.DataFrame(rows, columns=["dimension", "answer", "order", "count"])
    y = alt.Y("dimension:N", sort=order, title=None, scale=alt.Scale(domain=order),
              axis=alt.Axis(labelLimit=0, labelExpr=wrapped_labels(order)))
    bars = alt.Chart(data).mark_bar(size=16).encode(
        y=y,
        x=alt.X("count:Q", stack="zero", title=_("Members who said"), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("answer:N", sort=[words[b] for b, _l, _c in _VOTES],
                        scale=alt.Scale(domain=[words[b] for b, _l, _c in _VOTES],
                                        range=[c for _b, _l, c in _VOTES]),
                        legend=alt.Legend(title=None, orient="bottom")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("answer:N", title=_("Answer")),
                 alt.Tooltip("count:Q", title=_("Members"))],
    )
    hidden = table[~table["shown"].astype(bool)].assign(x=0)
    layers = [bars]
    if len(hidden):
        layers.append(alt.Chart(hidden[["dimension", "note", "x"]]).mark_text(
            align="left", color="#555555", fontStyle="italic").encode(
            y=y, x=alt.X("x:Q"), text=alt.Text("note:N", title=_("Note"))))
    chart = alt.layer(*layers).properties(width="container", height=max(120, 34 * len(order)),
                                          title=title)
    return ChartWithText(finish(chart, size), describe_trend_votes(table), title,
                         how_to_read=_("Each bar counts the members who said an area is worse, "
                                       "the same or better than last time. Those who said "
                                       "\u201cfirst time or don't know\u201d are not counted."))


def describe_trend_votes(table: pd.DataFrame) -> str:
    """The votes in words: each shown area's counts, then the areas withheld and why."""
    shown = table[table["shown"].astype(bool)]
    parts = []
    for r in shown.itertuples():
        parts.append(_("{area}: {better} better, {same} the same, {worse} worse").format(
            area=r.dimension, better=int(r.better or 0), same=int(r.same or 0),
            worse=int(r.worse or 0)))
    text = (_("Members who said: {areas}.").format(areas="; ".join(parts)) if parts else
            _("No area's votes can be shown."))
    hidden = table[~table["shown"].astype(bool)]
    if len(hidden):
        text += " " + ngettext(
            "{n} area is not shown ({reasons}): {names}.",
            "{n} areas are not shown ({reasons}): {names}.", len(hidden)).format(
            n=len(hidden), reasons=_reasons(hidden["note"]),
            names=names(hidden["dimension"].tolist()))
    return text
