"""Group profile and disagreement charts, drawn from already-suppressed tables."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.charts._theme import (
    BAND_COLOURS,
    OKABE_ITO,
    ChartWithText,
    Size,
    preset,
    row_axis,
    row_step,
    stacked_legend,
    with_values,
)
from kit.charts._words import finish, fmt, names, short_statement
from kit.i18n import N_, _, ngettext

__all__ = ["group_profile_chart", "disagreement_chart", "item_disagreement_chart"]


#: The spread axis in plain words (the tooltip and the text give the standard deviation).
SPREAD_AXIS = N_("How far apart answers are (0 = everyone agrees)")
#: The legend's words for a split area and for one where the group broadly agrees.
MIXED = N_("Mixed")
AGREE = N_("Broadly agree")


def _band_rows(framework) -> pd.DataFrame:
    lo, hi = framework.scale.min, framework.scale.max
    bands = sorted(framework.bands, key=lambda b: b.min)
    rows = []
    for i, b in enumerate(bands):
        start = max(lo, b.min) if i else lo
        end = bands[i + 1].min if i + 1 < len(bands) else hi
        rows.append({"band": b.label, "start": start, "end": end})
    return pd.DataFrame(rows)


def _withheld_sentence(table: pd.DataFrame) -> str:
    hidden = table[~table["shown"]]
    if hidden.empty:
        return ""
    reasons = sorted(set(hidden["note"]))
    return " " + ngettext("{n} area is not shown ({reasons}): {names}.",
                          "{n} areas are not shown ({reasons}): {names}.", len(hidden)).format(
        n=len(hidden), reasons="; ".join(reasons), names=names(hidden["dimension"].tolist()))


def _beside(means, counts, profile: pd.DataFrame, size: Size):
    """A projector's group profile: each area's row once, its name left, the mean over the
    bands then the share in each band beside it, and the mean (or why the area is withheld)
    right of the row. One legend: the shares' (the means' bands are the same, paler)."""
    p = preset(size)
    said = {r.dimension: (_("mean {mean}").format(mean=fmt(r.mean)) if r.shown else str(r.note))
            for r in profile.itertuples()}
    means = means.properties(width=130, title="")
    order = profile["dimension"].tolist()
    # The legend's title ("People in each band") says what the shares are: no axis title,
    # which would be wider than the plot.
    counts = counts.encode(
        y=alt.Y("dimension:N", sort=order, title=None, axis=None, scale=alt.Scale(domain=order)),
        x=alt.X("count:Q", stack="normalize", title=None, axis=alt.Axis(format="%", tickCount=2)),
    ).properties(title="")
    counts = with_values(counts, "dimension", order, said, size).properties(width=170)
    return alt.hconcat(means, counts, spacing=p.font).resolve_scale(color="independent")


def _band_backgrounds(framework, x_scale, axis_title: str, *, legend: bool = True) -> list:
    """The framework's bands as pale backgrounds across the means' plot (one layer, or none
    for a framework without bands), with their legend unless ``legend`` is false."""
    if not framework.bands:
        return []
    bands = _band_rows(framework)
    colours = list(reversed(BAND_COLOURS[: len(bands)]))
    return [alt.Chart(bands).mark_rect(opacity=0.12).encode(
        x=alt.X("start:Q", scale=x_scale, title=axis_title),
        x2="end:Q",
        color=alt.Color("band:N", title=_("Band"),
                        scale=alt.Scale(domain=bands["band"].tolist(), range=colours),
                        legend=alt.Legend(title=_("Band"), orient="bottom") if legend else None),
    )]


def _band_counts(distribution: pd.DataFrame, order: list, rows, height, size: Size):
    """The group profile's second half: for each area (its row in ``rows``), the share of
    people in each band, a bar stacked to 100%."""
    p = preset(size)
    labels = (distribution.sort_values("order")["band_label"].drop_duplicates().tolist())
    colours = list(reversed(BAND_COLOURS[: len(labels)])) if len(labels) <= len(BAND_COLOURS) \
        else list(OKABE_ITO[: len(labels)])
    return alt.Chart(distribution.drop(columns=["band"], errors="ignore")).mark_bar(size=p.bar).encode(
        y=alt.Y("dimension:N", sort=order, title=None, axis=row_axis(order, size), scale=rows),
        x=alt.X("count:Q", stack="normalize", title=_("Share of people in each band"),
                axis=alt.Axis(format="%")),
        color=alt.Color("band_label:N", sort=labels,
                        scale=alt.Scale(domain=labels, range=colours),
                        legend=alt.Legend(title=_("People in each band"), orient="bottom",
                                          **stacked_legend(size))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("band_label:N", title=_("Band")),
                 alt.Tooltip("count:Q", title=_("People"))],
    ).properties(width="container", height=height, title=_("How many people in each band"))


#: The chart's title when none is given (the view's name), translated where drawn.
_TITLE_GROUP_PROFILE = N_("Group profile")


def group_profile_chart(
    profile: pd.DataFrame,
    framework,
    distribution: pd.DataFrame | None = None,
    *,
    title: str = _TITLE_GROUP_PROFILE,
    size: Size = "screen",
) -> ChartWithText:
    """Each dimension's mean over the bands, and how many people fall in each band.

    No individual score, minimum, maximum or quantile is drawn: for a small group those would
    be people's own answers (see :mod:`kit.analysis.team`).

    Parameters
    ----------
    profile
        :func:`kit.analysis.group_profile` (its row order is kept).
    distribution
        :func:`kit.analysis.score_distribution`: how many people are in each band, drawn as
        a stacked bar beside the means. Optional.
    """
    title = _(title) if title == _TITLE_GROUP_PROFILE else title
    p = preset(size)
    lo, hi = framework.scale.min, framework.scale.max
    order = profile["dimension"].tolist()
    axis_title = _("Mean score ({low} to {high})").format(low=lo, high=hi)
    # Both halves of the chart share one explicit list of rows, so a withheld area keeps its
    # row (with its reason) and every bar stays beside its own label.
    rows = alt.Scale(domain=order)
    # The mean (or why an area is withheld) is written with the area's name, above its row.
    said = {r.dimension: (_("{area}: mean {mean}").format(area=r.dimension, mean=fmt(r.mean))
                          if r.shown else _("{area}: {note}").format(area=r.dimension,
                                                                      note=r.note))
            for r in profile.itertuples()}
    y = alt.Y("dimension:N", sort=order, title=None, scale=rows,
              axis=row_axis(order, size, display=said))
    x_scale = alt.Scale(domain=[lo, hi])
    data = profile.assign(
        label=[ngettext("{area}: mean {mean}, {n} person", "{area}: mean {mean}, {n} people",
                        int(r.n)).format(area=r.dimension, mean=fmt(r.mean), n=int(r.n)) if r.shown
               else _("{area}: {note}").format(area=r.dimension, note=r.note)
               for r in profile.itertuples()],
        mean_text=[fmt(m) if s else "" for m, s in zip(profile["mean"], profile["shown"], strict=True)],
    )
    # Side by side on a projector, the shares' legend names the same bands: one legend.
    layers = _band_backgrounds(framework, x_scale, axis_title,
                               legend=not (p.beside and distribution is not None))
    shown = data[data["shown"]]
    base = alt.Chart(shown).encode(y=y)
    layers += [
        base.mark_point(shape="diamond", filled=True, size=p.point, color=OKABE_ITO[5]).encode(
            x=alt.X("mean:Q", scale=x_scale, title=None if layers else axis_title),
            tooltip=[alt.Tooltip("label:N", title=_("Summary"))]),
    ]
    height = row_step(order, size, display=said)
    means = alt.layer(*layers).properties(width="container", height=height, title=_("Mean"))
    chart = means
    if distribution is not None and not distribution.empty:
        counts = _band_counts(distribution, order, rows, height, size)
        if p.beside:
            chart = _beside(means, counts, profile, size)
        else:
            # One above the other, each the container's width, so both read on a phone.
            chart = alt.vconcat(means, counts).resolve_scale(color="independent")
    chart = finish(chart.properties(title=title), size)
    if isinstance(chart, alt.HConcatChart):  # side by side: fixed widths (cannot fit-x)
        chart.autosize = alt.AutoSizeParams(type="pad")
    return ChartWithText(chart, describe_profile(profile, distribution), title,
                         how_to_read=_("For each area the orange diamond is the group's mean "
                                       "(the average) over the coloured bands; the bars below "
                                       "show what share of people fall in each band. No one's "
                                       "own score is drawn."))


def describe_profile(profile: pd.DataFrame, distribution: pd.DataFrame | None = None) -> str:
    shown = profile[profile["shown"]]
    if shown.empty:
        if len(profile):
            return _("No area can be shown yet: {reason}.").format(reason=profile["note"].iloc[0])
        return _("No area can be shown yet.")
    top = shown.loc[shown["mean"].idxmax()]
    low = shown.loc[shown["mean"].idxmin()]
    n = int(shown["n"].max())
    text = ngettext("Based on up to {n} person. The group scores highest on {high} (mean "
                    "{high_mean}) and lowest on {low} (mean {low_mean}).",
                    "Based on up to {n} people. The group scores highest on {high} (mean "
                    "{high_mean}) and lowest on {low} (mean {low_mean}).", n).format(
        n=n, high=top.dimension, high_mean=fmt(top["mean"]), low=low.dimension,
        low_mean=fmt(low["mean"]))
    if len(shown) == 1 or top.dimension == low.dimension:
        text = ngettext("Based on {n} person. {area} has a mean of {mean}.",
                        "Based on {n} people. {area} has a mean of {mean}.", n).format(
            n=n, area=top.dimension, mean=fmt(top["mean"]))
    if shown["sd"].notna().any():
        widest = shown.loc[shown["sd"].idxmax()]
        text += " " + _("Answers are furthest apart on {area} (spread {spread} scale "
                        "points).").format(area=widest.dimension, spread=fmt(widest.sd))
    return text + _withheld_sentence(profile)


#: The chart's title when none is given (the view's name), translated where drawn.
_TITLE_DISAGREEMENT = N_("How our habits vary")


def disagreement_chart(
    table: pd.DataFrame, threshold: float, *, title: str = _TITLE_DISAGREEMENT,
    size: Size = "screen",
) -> ChartWithText:
    """Bars of standard deviation per dimension, most mixed first, with the split line."""
    title = _(title) if title == _TITLE_DISAGREEMENT else title
    p = preset(size)
    mixed, agree = _(MIXED), _(AGREE)
    order = table["dimension"].tolist()
    data = table.assign(
        status=[mixed if s else agree for s in table["split"]],
        # "mixed" is written beside the bar too: never told by colour alone
        sd_label=[(_("{spread}  mixed").format(spread=fmt(v)) if sp else fmt(v)) if s else n
                  for v, s, n, sp in zip(table["sd"], table["shown"], table["note"], table["split"],
                                         strict=True)],
        zero=0.0,
    )
    shown = data[data["shown"]]
    # The spread (and "mixed") is written with the area's name above its bar.
    said = {d: (_("{area}: {spread}").format(area=d, spread=lab) if lab else d)
            for d, lab in zip(data["dimension"], data["sd_label"], strict=True)}
    y = alt.Y("dimension:N", sort=order, title=None, scale=alt.Scale(domain=order),
              axis=row_axis(order, size, display=said))
    top = max(threshold * 1.5, float(shown["sd"].max()) * 1.1 if len(shown) else 0.0, 1.0)
    x_scale = alt.Scale(domain=[0, top])
    bars = alt.Chart(shown).mark_bar(size=p.bar).encode(
        y=y,
        x=alt.X("sd:Q", scale=x_scale, title=_(SPREAD_AXIS), axis=alt.Axis(tickCount=5)),
        color=alt.Color("status:N", title=_("Views"), scale=alt.Scale(domain=[agree, mixed],
                                                    range=[OKABE_ITO[4], OKABE_ITO[1]]),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("sd:Q", format=".1f", title=_("How far apart")),
                 alt.Tooltip("n:Q", title=_("People"))],
    )
    rule = alt.Chart(pd.DataFrame({"threshold": [threshold]})).mark_rule(
        color=OKABE_ITO[5], strokeDash=[4, 4]).encode(
        x=alt.X("threshold:Q", scale=x_scale, title=None))
    spreads = dict(zip(data["dimension"], data["sd_label"], strict=True))
    chart = with_values(alt.layer(bars, rule), "dimension", order, spreads, size).properties(
        width="container", height=row_step(order, size, display=said), title=title)
    return ChartWithText(finish(chart, size), describe_disagreement(table, threshold), title,
                         how_to_read=_("Longer bars mean answers further apart; bars past the "
                                       "dashed line are areas where the group is split."))


def describe_disagreement(table: pd.DataFrame, threshold: float) -> str:
    shown = table[table["shown"]]
    if shown.empty:
        return _("No area can be shown yet.") + _withheld_sentence(table)
    most = shown.loc[shown["sd"].idxmax()]
    least = shown.loc[shown["sd"].idxmin()]
    text = _("Members agree most on {least} (spread {least_spread}) and are most mixed on "
             "{most} (spread {most_spread}).").format(
        least=least.dimension, least_spread=fmt(least.sd), most=most.dimension,
        most_spread=fmt(most.sd))
    split = shown[shown["split"]]
    if len(split):
        text += " " + ngettext(
            "{n} area is above the line for mixed views ({threshold}): {names}.",
            "{n} areas are above the line for mixed views ({threshold}): {names}.",
            len(split)).format(n=len(split), threshold=fmt(threshold),
                               names=names(split["dimension"].tolist()))
    else:
        text += " " + _("No area is above the split line ({threshold}).").format(
            threshold=fmt(threshold))
    return text + _withheld_sentence(table)


#: The chart's title when none is given (the view's name), translated where drawn.
_TITLE_ITEM_DISAGREEMENT = N_("Most mixed statements")


def item_disagreement_chart(
    table: pd.DataFrame, threshold: float, *, top: int = 10, title: str = _TITLE_ITEM_DISAGREEMENT,
    size: Size = "screen",
) -> ChartWithText:
    """The ``top`` most mixed statements (standard deviation), with the split line."""
    title = _(title) if title == _TITLE_ITEM_DISAGREEMENT else title
    p = preset(size)
    mixed, agree = _(MIXED), _(AGREE)
    shown = table[table["shown"]].head(top)
    order = shown["item"].tolist()
    y = alt.Y("item:N", sort=order, title=None, scale=alt.Scale(domain=order),
              axis=row_axis(order, size, shorten=short_statement))
    bars = alt.Chart(shown.assign(status=[mixed if s else agree for s in shown["split"]])).mark_bar(size=p.bar).encode(
        y=y, x=alt.X("sd:Q", title=_(SPREAD_AXIS), axis=alt.Axis(tickCount=5)),
        color=alt.Color("status:N", title=_("Views"), scale=alt.Scale(domain=[agree, mixed],
                                                    range=[OKABE_ITO[4], OKABE_ITO[1]]),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("item:N", title=_("Statement")),
                 alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("sd:Q", format=".1f", title=_("How far apart"))],
    )
    rule = alt.Chart(pd.DataFrame({"threshold": [threshold]})).mark_rule(
        color=OKABE_ITO[5], strokeDash=[4, 4]).encode(x=alt.X("threshold:Q", title=None))
    chart = alt.layer(bars, rule).properties(width="container",
                                             height=row_step(order, size, shorten=short_statement),
                                             title=title)
    if shown.empty:
        reason = table["note"].iloc[0] if len(table) else _("no answers")
        text = _("No statement can be shown yet: {reason}.").format(reason=reason)
    else:
        first = shown.iloc[0]
        n_split = int(shown["split"].sum())
        text = _("The most mixed statement is \u201c{statement}\u201d ({area}, spread "
                 "{spread}).").format(statement=first["item"], area=first.dimension,
                                      spread=fmt(first.sd))
        text += " " + ngettext("{n} statement is above the split line ({threshold}).",
                               "{n} statements are above the split line ({threshold}).",
                               n_split).format(n=n_split, threshold=fmt(threshold))
    return ChartWithText(finish(chart, size), text, title,
                         how_to_read=_("Longer bars mean answers further apart; statements past "
                                       "the dashed line split the group."))
