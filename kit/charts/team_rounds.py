"""Change over rounds, the partnership health check and the cohort overview."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from kit.charts._theme import BAND_COLOURS, ROUND_COLOURS, ChartWithText
from kit.charts._words import WIDTH, finish, fmt, names, signed, wrapped_labels

__all__ = ["change_over_rounds_chart", "health_chart", "overview_chart"]

_ARROWS = {"improving": "\u25B2 improving", "declining": "\u25BC declining", "steady": "\u25B6 steady", "": ""}


def _round_colours(rounds: list[str]) -> alt.Scale:
    palette = list(ROUND_COLOURS)
    return alt.Scale(domain=rounds, range=palette[: len(rounds)] or palette[:1])


def change_over_rounds_chart(table: pd.DataFrame, framework, *, title: str = "Change over rounds") -> ChartWithText:
    """A dumbbell per dimension: each round's mean as a dot, joined by a line, with head counts."""
    lo, hi = framework.scale.min, framework.scale.max
    rounds = table.drop_duplicates("round").sort_values("round_position")["round"].tolist()
    order = [d.title for d in framework.dimensions]
    shown = table[table["shown"]]
    y = alt.Y("dimension:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=0, labelExpr=wrapped_labels(order)))
    xs = alt.Scale(domain=[lo, hi])
    span = shown.groupby("dimension", as_index=False)["mean"].agg(low="min", high="max")
    line = alt.Chart(span).mark_rule(color="#999999", strokeWidth=2).encode(
        y=y, x=alt.X("low:Q", scale=xs, title=f"Group's average rating ({lo} to {hi})"), x2="high:Q")
    dots = alt.Chart(shown).mark_circle(size=110, opacity=1).encode(
        y=y, x=alt.X("mean:Q", scale=xs),
        color=alt.Color("round:N", scale=_round_colours(rounds), sort=rounds,
                        legend=alt.Legend(title="Round", orient="bottom")),
        tooltip=["dimension:N", "round:N", alt.Tooltip("mean:Q", format=".2f"), alt.Tooltip("n:Q", title="People")],
    )
    counts = (table.groupby(["round", "round_position"], as_index=False)["n"].max()
              .sort_values("round_position"))
    subtitle = "People answering: " + ", ".join(
        f"{r.round} {int(r.n) if not math.isnan(r.n) else 'withheld'}" for r in counts.itertuples())
    chart = alt.layer(line, dots).properties(
        width=WIDTH, height=max(120, 34 * len(order)),
        title=alt.TitleParams(title, subtitle=[subtitle]))
    return ChartWithText(finish(chart), describe_change(table), title,
                         how_to_read="One row per area, a dot for each round's average, so you can "
                         "see which way each area moved.")


def describe_change(table: pd.DataFrame, who: str = "the group") -> str:
    rounds = table.drop_duplicates("round").sort_values("round_position")["round"].tolist()
    shown = table[table["shown"]]
    shown_rounds = [r for r in rounds if r in set(shown["round"])]
    if not shown_rounds:
        return f"No round can be shown yet for {who} (fewer responses than the minimum)."
    counts = shown.groupby("round")["n"].max()
    count_text = ", ".join(f"{r} {int(counts[r])}" for r in shown_rounds)
    if len(shown_rounds) < 2:
        return (f"Only {shown_rounds[0]} can be shown so far for {who} ({count_text} people); "
                f"change appears once a second round has enough responses.")
    changes = shown.dropna(subset=["change"])
    last = changes[changes["round"] == shown_rounds[-1]]
    if last.empty:
        return f"People answering: {count_text}. The rounds cannot be compared area by area."
    up = last.loc[last["change"].idxmax()]
    down = last.loc[last["change"].idxmin()]
    prev = shown_rounds[-2]
    text = f"From {prev} to {shown_rounds[-1]} ({count_text} people answering), "
    if up["change"] >= 0.05:
        text += f"{up.dimension} rose most ({signed(up['change'])})"
    else:
        text += "no area rose by more than 0.1"
    if down["change"] <= -0.05:
        text += f" and {down.dimension} fell most ({signed(down['change'])})."
    else:
        text += " and no area fell by more than 0.1."
    text += " Different people may answer in each round, so treat small changes with care."
    return text


def health_chart(table: pd.DataFrame, framework, *, title: str = "Partnership health check") -> ChartWithText:
    """The latest shown round's mean per area, coloured by band, with the trend beside it."""
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
        trend_text=[_ARROWS.get(t, "") if s else n for t, s, n in
                    zip(latest.get("trend", [""] * len(latest)), latest["shown"], latest["note"], strict=True)],
        pos=[m if s else lo for m, s in zip(latest["mean"], latest["shown"], strict=True)],
    )
    # Long area names wrap onto two lines and keep their room; bars start at the scale's
    # lowest point (not at zero, off the left of the scale, over the names).
    y = alt.Y("dimension:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=0, labelExpr=wrapped_labels(order), labelPadding=6))
    xs = alt.Scale(domain=[lo, hi], clamp=True)
    data = data.assign(start=lo)
    bars = alt.Chart(data[data["shown"]]).mark_bar(size=18, clip=True).encode(
        y=y, x=alt.X("start:Q", scale=xs, title=f"Average rating ({lo} = lowest, {hi} = highest)",
                     axis=alt.Axis(tickMinStep=1, format="d")),
        x2="mean:Q",
        color=alt.Color("band:N", scale=alt.Scale(domain=[b.label for b in bands],
                                                  range=list(BAND_COLOURS[: len(bands)])),
                        legend=alt.Legend(title="Band", orient="bottom")),
        tooltip=["dimension:N", "round:N", alt.Tooltip("mean:Q", format=".2f"), "band:N", "trend:N",
                 alt.Tooltip("n:Q", title="People")],
    )
    text = alt.Chart(data).mark_text(align="left", dx=6, color="#333333").encode(
        y=y, x=alt.X("pos:Q", scale=xs), text="trend_text:N")
    round_name = latest["round"].iloc[0] if len(latest) else ""
    chart = alt.layer(bars, text).properties(
        width=WIDTH, height=max(120, 34 * len(order)), title=alt.TitleParams(title, subtitle=[f"Round: {round_name}"]))
    return ChartWithText(finish(chart), describe_health(table), title,
                         how_to_read="Each bar is the partnership's average rating for one area, "
                         "from the lowest point of the scale; the words beside it say which way "
                         "it moved since the last round.")


def describe_health(table: pd.DataFrame) -> str:
    shown = table[table["shown"]]
    if shown.empty:
        return "The health check cannot be shown yet: fewer responses than the minimum."
    last_round = shown.sort_values("round_position")["round"].iloc[-1]
    latest = shown[shown["round"] == last_round]
    best = latest.loc[latest["mean"].idxmax()]
    worst = latest.loc[latest["mean"].idxmin()]
    text = (f"In {last_round}, the partnership rates {best.dimension} highest ({fmt(best['mean'])}, "
            f"{str(best.band).lower()}) and {worst.dimension} lowest ({fmt(worst['mean'])}, "
            f"{str(worst.band).lower()}).")
    if "trend" in latest.columns:
        up = latest[latest["trend"] == "improving"]["dimension"].tolist()
        down = latest[latest["trend"] == "declining"]["dimension"].tolist()
        if up:
            text += f" Improving since the last round: {names(up)}."
        if down:
            text += f" Declining: {names(down)}."
        if not up and not down and latest["trend"].ne("").any():
            text += " Every area is steady since the last round."
    return text


def _inline(frame: pd.DataFrame, columns: list[str]) -> dict:
    """Only the columns a chart encodes, as inline values: a cohort of 200 groups over several
    rounds has more rows than Altair's 5,000-row guard, and the spec carries nothing unused."""
    rows = frame[columns].astype(object).where(frame[columns].notna(), None)
    return {"values": rows.to_dict(orient="records")}


def overview_chart(table: pd.DataFrame, framework, *, title: str = "Cohort overview") -> ChartWithText:
    """Small multiples, one panel per group: each dimension's mean across that group's rounds.

    Panels are in name order and each is read against its own earlier rounds: not a ranking.
    """
    lo, hi = framework.scale.min, framework.scale.max
    rounds = table.drop_duplicates("round").sort_values("round_position")["round"].tolist()
    shown = _inline(table[table["shown"]], ["group", "dimension", "round", "mean", "n"])
    order = [d.title for d in framework.dimensions]
    base = alt.Chart(shown).encode(
        x=alt.X("round:N", sort=rounds, title=None),
        y=alt.Y("mean:Q", scale=alt.Scale(domain=[lo, hi]), title="Average rating"),
        color=alt.Color("dimension:N", sort=order, legend=alt.Legend(title="Area", orient="bottom",
                                                                     columns=2, labelLimit=0)),
        tooltip=["group:N", "dimension:N", "round:N", alt.Tooltip("mean:Q", format=".2f"),
                 alt.Tooltip("n:Q", title="People")],
    )
    layer = alt.layer(base.mark_line(), base.mark_point(filled=True, size=50)).properties(width=180, height=180)
    groups = sorted(table["group"].unique().tolist())
    chart = layer.facet(column=alt.Column("group:N", sort=groups, title=None)).properties(title=title)
    return ChartWithText(finish(chart), describe_overview(table), title,
                         how_to_read="Each line is one group's average rating over the rounds.")


def describe_overview(table: pd.DataFrame) -> str:
    groups = sorted(table["group"].unique().tolist())
    by_group = dict(iter(table.groupby("group", sort=False, observed=True)))
    parts = []
    for g in groups:
        sub = by_group[g]
        shown = sub[sub["shown"]]
        if shown.empty:
            parts.append(f"{g}: not enough responses yet.")
            continue
        changes = shown.dropna(subset=["change"])
        if changes.empty:
            parts.append(f"{g}: one round so far.")
            continue
        last_pos = changes["round_position"].max()
        last = changes[changes["round_position"] == last_pos]
        big = last.loc[last["change"].abs().idxmax()]
        parts.append(f"{g}: biggest change in {big['round']} is {big.dimension} ({signed(big.change)}).")
    return "Each group is compared only with its own earlier rounds. " + " ".join(parts)
