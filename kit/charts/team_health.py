"""The health check's "where we differ" and "across organisations" charts, from suppressed tables.

Both reuse the self-assessment's chart builders (the spread bars, the bands beside the means,
the organisation grid) and add what the health check needs said beside them: why an area's
band counts or an organisation's cells are not shown, in the planner's own words.
"""

from __future__ import annotations

import pandas as pd

from kit.charts._theme import ChartWithText
from kit.charts._words import names
from kit.charts.team_compare import _value_words, breakdown_heatmap, describe_breakdown
from kit.charts.team_profile import disagreement_chart, group_profile_chart
from kit.i18n import _, ngettext

__all__ = ["health_spread_charts", "health_breakdown_chart"]


def _reasons(notes) -> str:
    return "; ".join(sorted({str(n) for n in notes if isinstance(n, str) and n}))


def health_spread_charts(spread: pd.DataFrame, distribution: pd.DataFrame, framework,
                         threshold: float, *, scope: str, round: str) -> list[ChartWithText]:
    """"Where we differ": how far apart ratings are per area, then how many fall in each band.

    Parameters
    ----------
    spread, distribution
        :func:`kit.analysis.health.where_we_differ`.
    """
    title = _("Where we differ: {scope}, {round}").format(scope=scope, round=round)
    bars = disagreement_chart(spread, threshold, title=title)
    bars = ChartWithText(bars.chart, bars.description + " " + _(
        "Differing ratings of a shared partnership are worth talking about: people see it "
        "from different places. Nobody is asked how they rated."), bars.title,
        bars.how_to_read)
    order = {d.id: i for i, d in enumerate(framework.dimensions)}
    in_order = spread.sort_values("dimension_id", key=lambda s: s.map(order)).reset_index(drop=True)
    bands_title = _("How ratings fall across the bands: {scope}, {round}").format(
        scope=scope, round=round)
    profile = group_profile_chart(in_order, framework, distribution, title=bands_title)
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
                           round: str) -> ChartWithText:
    """The health check's mean per area for each organisation, withheld cells grey, with the
    reasons they are withheld said beside the grid."""
    title = _("Health check across organisations: {scope}, {round}").format(
        scope=scope, round=round)
    chart = breakdown_heatmap(table, framework, by="organisation", title=title)
    text = describe_breakdown(table, "organisation")
    hidden = table[~table["shown"].astype(bool)] if len(table) else table
    if len(hidden):
        orgs = sorted({_value_words(v) for v in hidden["value"]})
        text += " " + ngettext(
            "Withheld cells ({n} organisation: {names}) are withheld because: {reasons}.",
            "Withheld cells ({n} organisations: {names}) are withheld because: {reasons}.",
            len(orgs)).format(n=len(orgs), names=names(orgs), reasons=_reasons(hidden["note"]))
    return ChartWithText(chart.chart, text, chart.title, chart.how_to_read)
