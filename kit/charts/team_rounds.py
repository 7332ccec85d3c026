"""Change over rounds, the partnership health check and the cohort overview."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from kit.charts._theme import (
    BAND_COLOURS,
    ROUND_COLOURS,
    ChartWithText,
    Size,
    preset,
    row_axis,
    row_step,
    with_values,
)
from kit.charts._words import finish, fmt, names, reasons, signed, wrapped_labels
from kit.i18n import N_, _

__all__ = ["change_over_rounds_chart", "health_chart", "overview_chart"]

_ARROWS = {"improving": N_("\u25B2 improving"), "declining": N_("\u25BC declining"),
           "steady": N_("\u25B6 steady")}
#: The trend values (data keys from :func:`kit.analysis.health.trend_word`) in words.
_TRENDS = {"improving": N_("improving"), "declining": N_("declining"), "steady": N_("steady")}


def _round_colours(rounds: list[str]) -> alt.Scale:
    palette = list(ROUND_COLOURS)
    return alt.Scale(domain=rounds, range=palette[: len(rounds)] or palette[:1])


#: The chart's title when none is given (the view's name), translated where drawn.
_TITLE_CHANGE_OVER_ROUNDS = N_("Change over rounds")


def change_over_rounds_chart(table: pd.DataFrame, framework, *,
                             title: str = _TITLE_CHANGE_OVER_ROUNDS,
                             size: Size = "screen") -> ChartWithText:
    """A dumbbell per dimension: each round's mean as a dot, joined by a line, with head counts."""
    title = _(title) if title == _TITLE_CHANGE_OVER_ROUNDS else title
    p = preset(size)
    lo, hi = framework.scale.min, framework.scale.max
    rounds = table.drop_duplicates("round").sort_values("round_position")["round"].tolist()
    order = [d.title for d in framework.dimensions]
    shown = table[table["shown"]]
    y = alt.Y("dimension:N", sort=order, title=None, scale=alt.Scale(domain=order),
              axis=row_axis(order, size))
    xs = alt.Scale(domain=[lo, hi])
    span = shown.groupby("dimension", as_index=False)["mean"].agg(low="min", high="max")
    line = alt.Chart(span).mark_rule(color="#999999", strokeWidth=2).encode(
        y=y, x=alt.X("low:Q", scale=xs, title=_("Lowest round average"), axis=alt.Axis(
            title=_("Group's average rating ({low} to {high})").format(low=lo, high=hi))),
        x2=alt.X2("high:Q", title=_("Highest round average")))
    dots = alt.Chart(shown).mark_circle(size=p.point, opacity=1).encode(
        y=y, x=alt.X("mean:Q", scale=xs, title=None),
        color=alt.Color("round:N", scale=_round_colours(rounds), sort=rounds,
                        legend=alt.Legend(title=_("Round"), orient="bottom")),
        tooltip=[alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("round:N", title=_("Round")),
                 alt.Tooltip("mean:Q", format=".2f", title=_("Average rating")),
                 alt.Tooltip("n:Q", title=_("People"))],
    )
    counts = (table.groupby(["round", "round_position"], as_index=False)["n"].max()
              .sort_values("round_position"))
    withheld = _("withheld")
    subtitle = _("People answering: {counts}").format(counts=", ".join(
        f"{r.round} {int(r.n) if not math.isnan(r.n) else withheld}" for r in counts.itertuples()))
    chart = alt.layer(line, dots).properties(
        width="container", height=row_step(order, size),
        title=alt.TitleParams(title, subtitle=[subtitle]))
    return ChartWithText(finish(chart, size), describe_change(table), title,
                         how_to_read=_("One row per area, a dot for each round's average, so "
                                       "you can see which way each area moved."))


def describe_change(table: pd.DataFrame, who: str | None = None) -> str:
    who = who or _("the group")
    rounds = table.drop_duplicates("round").sort_values("round_position")["round"].tolist()
    shown = table[table["shown"]]
    shown_rounds = [r for r in rounds if r in set(shown["round"])]
    if not shown_rounds:
        why = reasons(table)
        if why:  # the true reason: too small ever, hidden to protect another cell, ...
            return _("No round can be shown for {who}: {reasons}.").format(who=who, reasons=why)
        return _("No round can be shown yet for {who} (fewer responses than the "
                 "minimum).").format(who=who)
    counts = shown.groupby("round")["n"].max()
    count_text = ", ".join(f"{r} {int(counts[r])}" for r in shown_rounds)
    if len(shown_rounds) < 2:
        return _("Only {round} can be shown so far for {who} ({counts} people); change appears "
                 "once a second round has enough responses.").format(
            round=shown_rounds[0], who=who, counts=count_text)
    changes = shown.dropna(subset=["change"])
    last = changes[changes["round"] == shown_rounds[-1]]
    if last.empty:
        return _("People answering: {counts}. The rounds cannot be compared area by "
                 "area.").format(counts=count_text)
    up = last.loc[last["change"].idxmax()]
    down = last.loc[last["change"].idxmin()]
    prev = shown_rounds[-2]
    # Whole sentences for each case, so that every language can order its own words.
    rose, fell = up["change"] >= 0.05, down["change"] <= -0.05
    if rose and fell:
        text = _("From {before} to {after} ({counts} people answering), {up} rose most ({up_by}) "
                 "and {down} fell most ({down_by}).")
    elif rose:
        text = _("From {before} to {after} ({counts} people answering), {up} rose most ({up_by}) "
                 "and no area fell by more than 0.1.")
    elif fell:
        text = _("From {before} to {after} ({counts} people answering), no area rose by more "
                 "than 0.1 and {down} fell most ({down_by}).")
    else:
        text = _("From {before} to {after} ({counts} people answering), no area rose by more "
                 "than 0.1 and no area fell by more than 0.1.")
    text = text.format(before=prev, after=shown_rounds[-1], counts=count_text, up=up.dimension,
                       up_by=signed(up["change"]), down=down.dimension,
                       down_by=signed(down["change"]))
    text += " " + _("Different people may answer in each round, so treat small changes with care.")
    return text


#: The chart's title when none is given (the view's name), translated where drawn.
_TITLE_HEALTH = N_("Partnership health check")


def health_chart(table: pd.DataFrame, framework, *, title: str = _TITLE_HEALTH,
                 size: Size = "screen") -> ChartWithText:
    """The latest shown round's mean per area, coloured by band, with the trend beside it."""
    title = _(title) if title == _TITLE_HEALTH else title
    p = preset(size)
    lo, hi = framework.scale.min, framework.scale.max
    shown = table[table["shown"]]
    order = [d.title for d in framework.dimensions]
    if shown.empty:
        latest = table.sort_values("round_position").drop_duplicates("dimension_id", keep="last")
    else:
        last_round = shown.sort_values("round_position")["round"].iloc[-1]
        latest = table[table["round"] == last_round]
    bands = sorted(framework.bands, key=lambda b: b.min, reverse=True)
    data = latest.assign(
        trend_text=[(_(_ARROWS[t]) if t in _ARROWS else "") if s else n for t, s, n in
                    zip(latest.get("trend", [""] * len(latest)), latest["shown"], latest["note"], strict=True)],
        pos=[m if s else lo for m, s in zip(latest["mean"], latest["shown"], strict=True)],
    )
    # Long area names wrap onto two lines and keep their room; bars start at the scale's
    # lowest point (not at zero, off the left of the scale, over the names).
    # The trend (or why an area is withheld) is written with its name, above its bar.
    said = {d: (_("{area}: {trend}").format(area=d, trend=t) if t else d)
            for d, t in zip(data["dimension"], data["trend_text"], strict=True)}
    y = alt.Y("dimension:N", sort=order, title=None, scale=alt.Scale(domain=order),
              axis=row_axis(order, size, display=said))
    xs = alt.Scale(domain=[lo, hi], clamp=True)
    data = data.assign(start=lo, trend_words=[
        _(_TRENDS[t]) if t in _TRENDS else "" for t in data.get("trend", [""] * len(data))])
    bars = alt.Chart(data[data["shown"]]).mark_bar(size=p.bar, clip=True).encode(
        y=y, x=alt.X("start:Q", scale=xs,
                     title=_("Average rating ({low} = lowest, {high} = highest)").format(low=lo, high=hi),
                     axis=alt.Axis(tickMinStep=1, format="d")),
        x2=alt.X2("mean:Q", title=_("Average rating")),
        color=alt.Color("band:N", scale=alt.Scale(domain=[b.label for b in bands],
                                                  range=list(BAND_COLOURS[: len(bands)])),
                        legend=alt.Legend(title=_("Band"), orient="bottom")),
        tooltip=[alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("round:N", title=_("Round")),
                 alt.Tooltip("mean:Q", format=".2f", title=_("Average rating")),
                 alt.Tooltip("band:N", title=_("Band")),
                 alt.Tooltip("trend_words:N", title=_("Trend")),
                 alt.Tooltip("n:Q", title=_("People"))],
    )
    round_name = latest["round"].iloc[0] if len(latest) else ""
    # A single layer: its axis has exactly one title.
    trends = dict(zip(data["dimension"], data["trend_text"], strict=True))
    chart = with_values(bars, "dimension", order, trends, size).properties(
        width="container", height=row_step(order, size, display=said),
        title=alt.TitleParams(title, subtitle=[_("Round: {round}").format(round=round_name)]))
    return ChartWithText(finish(chart, size), describe_health(table), title,
                         how_to_read=_("Each bar is the partnership's average rating for one "
                                       "area, from the lowest point of the scale; the words "
                                       "above it say which way it moved since the last round."))


def describe_health(table: pd.DataFrame) -> str:
    shown = table[table["shown"]]
    if shown.empty:
        why = reasons(table)
        if why:
            return _("The health check cannot be shown: {reasons}.").format(reasons=why)
        return _("The health check cannot be shown yet: fewer responses than the minimum.")
    last_round = shown.sort_values("round_position")["round"].iloc[-1]
    latest = shown[shown["round"] == last_round]
    best = latest.loc[latest["mean"].idxmax()]
    worst = latest.loc[latest["mean"].idxmin()]
    text = _("In {round}, the partnership rates {best} highest ({best_mean}, {best_band}) and "
             "{worst} lowest ({worst_mean}, {worst_band}).").format(
        round=last_round, best=best.dimension, best_mean=fmt(best["mean"]),
        best_band=str(best.band).lower(), worst=worst.dimension, worst_mean=fmt(worst["mean"]),
        worst_band=str(worst.band).lower())
    if "trend" in latest.columns:
        up = latest[latest["trend"] == "improving"]["dimension"].tolist()
        down = latest[latest["trend"] == "declining"]["dimension"].tolist()
        if up:
            text += " " + _("Improving since the last round: {names}.").format(names=names(up))
        if down:
            text += " " + _("Declining: {names}.").format(names=names(down))
        if not up and not down and latest["trend"].ne("").any():
            text += " " + _("Every area is steady since the last round.")
    return text


#: The chart's title when none is given (the view's name), translated where drawn.
_TITLE_OVERVIEW = N_("Cohort overview")


def _inline(frame: pd.DataFrame, columns: list[str]) -> dict:
    """Only the columns a chart encodes, as inline values: a cohort of 200 groups over several
    rounds has more rows than Altair's 5,000-row guard, and the spec carries nothing unused."""
    rows = frame[columns].astype(object).where(frame[columns].notna(), None)
    return {"values": rows.to_dict(orient="records")}


def overview_chart(table: pd.DataFrame, framework, *, title: str = _TITLE_OVERVIEW,
                   size: Size = "screen") -> ChartWithText:
    """Small multiples, one panel per group: each dimension's mean across that group's rounds.

    Panels are in name order and each is read against its own earlier rounds: not a ranking.
    """
    title = _(title) if title == _TITLE_OVERVIEW else title
    p = preset(size)
    lo, hi = framework.scale.min, framework.scale.max
    rounds = table.drop_duplicates("round").sort_values("round_position")["round"].tolist()
    shown = _inline(table[table["shown"]], ["group", "dimension", "round", "mean", "n"])
    order = [d.title for d in framework.dimensions]
    base = alt.Chart(shown).encode(
        x=alt.X("round:N", sort=rounds, title=None),
        y=alt.Y("mean:Q", scale=alt.Scale(domain=[lo, hi]), title=_("Average rating")),
        color=alt.Color("dimension:N", sort=order, legend=alt.Legend(title=_("Area"), orient="bottom",
                                                                     columns=1, labelLimit=0,
                                                                     labelExpr=wrapped_labels(order, 30))),
        tooltip=[alt.Tooltip("group:N", title=_("Group")),
                 alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("round:N", title=_("Round")),
                 alt.Tooltip("mean:Q", format=".2f", title=_("Average rating")),
                 alt.Tooltip("n:Q", title=_("People"))],
    )
    # Panels of a fixed width (a facet cannot take its container's width) that wrap: one
    # to a row on a phone is the narrowest that still fits 390 px.
    panel = 230 if p.name != "projector" else 300
    layer = alt.layer(base.mark_line(), base.mark_point(filled=True, size=p.point // 2)).properties(
        width=panel, height=panel)
    groups = sorted(table["group"].unique().tolist())
    chart = layer.facet(facet=alt.Facet("group:N", sort=groups, title=None,
                                        header=alt.Header(labelFontSize=p.font)),
                        columns=1 if p.name != "projector" else 3).properties(title=title)
    chart = finish(chart, size)
    chart.autosize = alt.AutoSizeParams(type="pad")
    return ChartWithText(chart, describe_overview(table), title,
                         how_to_read=_("Each line is one group's average rating over the rounds."))


def describe_overview(table: pd.DataFrame) -> str:
    groups = sorted(table["group"].unique().tolist())
    by_group = dict(iter(table.groupby("group", sort=False, observed=True)))
    parts = []
    for g in groups:
        sub = by_group[g]
        shown = sub[sub["shown"]]
        if shown.empty:
            why = reasons(sub)
            parts.append(_("{group}: {reasons}.").format(group=g, reasons=why) if why else
                         _("{group}: not enough responses yet.").format(group=g))
            continue
        changes = shown.dropna(subset=["change"])
        if changes.empty:
            parts.append(_("{group}: one round so far.").format(group=g))
            continue
        last_pos = changes["round_position"].max()
        last = changes[changes["round_position"] == last_pos]
        big = last.loc[last["change"].abs().idxmax()]
        parts.append(_("{group}: biggest change in {round} is {area} ({change}).").format(
            group=g, round=big["round"], area=big.dimension, change=signed(big.change)))
    return " ".join([_("Each group is compared only with its own earlier rounds."), *parts])
