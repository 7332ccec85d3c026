"""Group profile and disagreement charts, drawn from already-suppressed tables."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.charts._theme import BAND_COLOURS, OKABE_ITO, ChartWithText
from kit.charts._words import WIDTH, finish, fmt, names, plural, short_statement, wrapped_labels

__all__ = ["group_profile_chart", "disagreement_chart", "item_disagreement_chart"]


#: The spread axis in plain words (the tooltip and the text give the standard deviation).
SPREAD_AXIS = "How far apart answers are (0 = everyone agrees)"


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
    return (f" {plural(len(hidden), 'area is', 'areas are')} not shown "
            f"({'; '.join(reasons)}): {names(hidden['dimension'].tolist())}.")


def group_profile_chart(
    profile: pd.DataFrame,
    framework,
    distribution: pd.DataFrame | None = None,
    *,
    title: str = "Group profile",
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
    lo, hi = framework.scale.min, framework.scale.max
    order = profile["dimension"].tolist()
    y = alt.Y("dimension:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=0, labelExpr=wrapped_labels(order)))
    x_scale = alt.Scale(domain=[lo, hi])
    data = profile.assign(
        label=[f"{r.dimension}: mean {fmt(r.mean)}, {int(r.n)} people" if r.shown
               else f"{r.dimension}: {r.note}" for r in profile.itertuples()],
        mean_text=[fmt(m) if s else "" for m, s in zip(profile["mean"], profile["shown"], strict=True)],
    )
    layers = []
    if framework.bands:
        bands = _band_rows(framework)
        colours = list(reversed(BAND_COLOURS[: len(bands)]))
        layers.append(
            alt.Chart(bands).mark_rect(opacity=0.12).encode(
                x=alt.X("start:Q", scale=x_scale, title=f"Mean score ({lo} to {hi})"),
                x2="end:Q",
                color=alt.Color("band:N", scale=alt.Scale(domain=bands["band"].tolist(), range=colours),
                                legend=alt.Legend(title="Band", orient="bottom")),
            )
        )
    shown = data[data["shown"]]
    base = alt.Chart(shown).encode(y=y)
    layers += [
        base.mark_point(shape="diamond", filled=True, size=110, color=OKABE_ITO[5]).encode(
            x=alt.X("mean:Q", scale=x_scale, title=f"Mean score ({lo} to {hi})"),
            tooltip=[alt.Tooltip("label:N", title="Summary")]),
        base.mark_text(align="left", dx=9, color="#222222").encode(
            x=alt.X("mean:Q", scale=x_scale), text="mean_text:N"),
    ]
    hidden = data[~data["shown"]].assign(x=(lo + hi) / 2)
    if not hidden.empty:
        layers.append(
            alt.Chart(hidden).mark_text(color="#555555", fontStyle="italic").encode(
                y=y, x=alt.X("x:Q", scale=x_scale), text="note:N")
        )
    height = max(120, 34 * len(order))
    means = alt.layer(*layers).properties(width=WIDTH // 2, height=height, title="Mean")
    chart = means
    if distribution is not None and not distribution.empty:
        labels = (distribution.sort_values("order")["band_label"].drop_duplicates().tolist())
        colours = list(reversed(BAND_COLOURS[: len(labels)])) if len(labels) <= len(BAND_COLOURS) \
            else list(OKABE_ITO[: len(labels)])
        counts = alt.Chart(distribution).mark_bar(size=16).encode(
            y=alt.Y("dimension:N", sort=order, title=None, axis=None),
            x=alt.X("count:Q", stack="normalize", title="Share of people in each band",
                    axis=alt.Axis(format="%")),
            color=alt.Color("band_label:N", sort=labels,
                            scale=alt.Scale(domain=labels, range=colours),
                            legend=alt.Legend(title="People in each band", orient="bottom")),
            order=alt.Order("order:Q"),
            tooltip=["dimension:N", alt.Tooltip("band_label:N", title="Band"),
                     alt.Tooltip("count:Q", title="People")],
        ).properties(width=WIDTH // 2, height=height, title="How many people in each band")
        chart = alt.hconcat(means, counts).resolve_scale(color="independent")
    chart = chart.properties(title=title)
    return ChartWithText(finish(chart), describe_profile(profile, distribution), title,
                         how_to_read="For each area the orange diamond is the group's mean (the "
                         "average) over the coloured bands; the bar beside it shows what share of "
                         "people fall in each band. No one's own score is drawn.")


def describe_profile(profile: pd.DataFrame, distribution: pd.DataFrame | None = None) -> str:
    shown = profile[profile["shown"]]
    if shown.empty:
        return "No area can be shown yet" + (
            f": {profile['note'].iloc[0]}." if len(profile) else ".")
    top = shown.loc[shown["mean"].idxmax()]
    low = shown.loc[shown["mean"].idxmin()]
    n = int(shown["n"].max())
    text = (f"Based on up to {n} people. The group scores highest on {top.dimension} "
            f"(mean {fmt(top['mean'])}) and lowest on {low.dimension} (mean {fmt(low['mean'])}).")
    if len(shown) == 1 or top.dimension == low.dimension:
        text = f"Based on {n} people. {top.dimension} has a mean of {fmt(top['mean'])}."
    if shown["sd"].notna().any():
        widest = shown.loc[shown["sd"].idxmax()]
        text += (f" Answers are furthest apart on {widest.dimension} (spread "
                 f"{fmt(widest.sd)} scale points).")
    return text + _withheld_sentence(profile)


def disagreement_chart(
    table: pd.DataFrame, threshold: float, *, title: str = "Where we disagree"
) -> ChartWithText:
    """Bars of standard deviation per dimension, most mixed first, with the split line."""
    order = table["dimension"].tolist()
    data = table.assign(
        status=["Mixed" if s else "Broadly agree" for s in table["split"]],
        # "mixed" is written beside the bar too: never told by colour alone
        sd_label=[(fmt(v) + ("  mixed" if sp else "")) if s else n
                  for v, s, n, sp in zip(table["sd"], table["shown"], table["note"], table["split"],
                                         strict=True)],
        zero=0.0,
    )
    shown = data[data["shown"]]
    y = alt.Y("dimension:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=0, labelExpr=wrapped_labels(order)))
    top = max(threshold * 1.5, float(shown["sd"].max()) * 1.1 if len(shown) else 0.0, 1.0)
    x_scale = alt.Scale(domain=[0, top])
    bars = alt.Chart(shown).mark_bar(size=16).encode(
        y=y,
        x=alt.X("sd:Q", scale=x_scale, title=SPREAD_AXIS, axis=alt.Axis(tickCount=5)),
        color=alt.Color("status:N", scale=alt.Scale(domain=["Broadly agree", "Mixed"],
                                                    range=[OKABE_ITO[4], OKABE_ITO[1]]),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["dimension:N", alt.Tooltip("sd:Q", format=".1f", title="How far apart"),
                 alt.Tooltip("n:Q", title="People")],
    )
    labels = alt.Chart(data).mark_text(align="left", dx=4, color="#333333").encode(
        y=y, x=alt.X("sd_value:Q", scale=x_scale), text="sd_label:N"
    ).transform_calculate(sd_value="isValid(datum.sd) ? datum.sd : 0")
    rule = alt.Chart(pd.DataFrame({"threshold": [threshold]})).mark_rule(
        color=OKABE_ITO[5], strokeDash=[4, 4]).encode(x=alt.X("threshold:Q", scale=x_scale))
    chart = alt.layer(bars, labels, rule).properties(
        width=WIDTH, height=max(120, 36 * len(order)), title=title)
    return ChartWithText(finish(chart), describe_disagreement(table, threshold), title,
                         how_to_read="Longer bars mean answers further apart; bars past the "
                         "dashed line are areas where the group is split.")


def describe_disagreement(table: pd.DataFrame, threshold: float) -> str:
    shown = table[table["shown"]]
    if shown.empty:
        return "No area can be shown yet." + _withheld_sentence(table)
    most = shown.loc[shown["sd"].idxmax()]
    least = shown.loc[shown["sd"].idxmin()]
    text = (f"Members agree most on {least.dimension} (spread {fmt(least.sd)}) "
            f"and are most mixed on {most.dimension} (spread {fmt(most.sd)}).")
    split = shown[shown["split"]]
    if len(split):
        text += (f" {plural(len(split), 'area is', 'areas are')} above the line for mixed views "
                 f"({fmt(threshold)}): {names(split['dimension'].tolist())}.")
    else:
        text += f" No area is above the split line ({fmt(threshold)})."
    return text + _withheld_sentence(table)


def item_disagreement_chart(
    table: pd.DataFrame, threshold: float, *, top: int = 10, title: str = "Most mixed statements"
) -> ChartWithText:
    """The ``top`` most mixed statements (standard deviation), with the split line."""
    shown = table[table["shown"]].head(top)
    order = shown["item"].tolist()
    y = alt.Y("item:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=0, labelExpr=wrapped_labels(
                  order, 40, shorten=short_statement)))
    bars = alt.Chart(shown.assign(status=["Mixed" if s else "Broadly agree" for s in shown["split"]])).mark_bar(size=14).encode(
        y=y, x=alt.X("sd:Q", title=SPREAD_AXIS, axis=alt.Axis(tickCount=5)),
        color=alt.Color("status:N", scale=alt.Scale(domain=["Broadly agree", "Mixed"],
                                                    range=[OKABE_ITO[4], OKABE_ITO[1]]),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["item:N", "dimension:N", alt.Tooltip("sd:Q", format=".1f", title="How far apart")],
    )
    rule = alt.Chart(pd.DataFrame({"threshold": [threshold]})).mark_rule(
        color=OKABE_ITO[5], strokeDash=[4, 4]).encode(x="threshold:Q")
    chart = alt.layer(bars, rule).properties(width=WIDTH, height=max(100, 40 * len(order)), title=title)
    if shown.empty:
        text = "No statement can be shown yet: " + (table["note"].iloc[0] if len(table) else "no answers") + "."
    else:
        first = shown.iloc[0]
        n_split = int(shown["split"].sum())
        text = (f"The most mixed statement is \u201c{first['item']}\u201d ({first.dimension}, spread "
                f"{fmt(first.sd)}). {plural(n_split, 'statement is', 'statements are')} "
                f"above the split line ({fmt(threshold)}).")
    return ChartWithText(finish(chart), text, title,
                         how_to_read="Longer bars mean answers further apart; statements past "
                         "the dashed line split the group.")
