"""Group profile and disagreement charts, drawn from already-suppressed tables."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.charts._theme import BAND_COLOURS, OKABE_ITO, ChartWithText
from kit.charts._words import WIDTH, finish, fmt, names, plural

__all__ = ["group_profile_chart", "disagreement_chart", "item_disagreement_chart"]


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
    return (f" {plural(len(hidden), 'dimension is', 'dimensions are')} not shown "
            f"({'; '.join(reasons)}): {names(hidden['dimension'].tolist())}.")


def group_profile_chart(
    profile: pd.DataFrame,
    framework,
    distribution: pd.DataFrame | None = None,
    *,
    title: str = "Group profile",
) -> ChartWithText:
    """A box per dimension (middle half of the group), its median and mean, over the bands.

    Parameters
    ----------
    profile
        :func:`kit.analysis.group_profile` (its row order is kept).
    distribution
        :func:`kit.analysis.score_distribution`: adds dots sized by how many people's scores
        round to each scale point. Optional.
    """
    lo, hi = framework.scale.min, framework.scale.max
    order = profile["dimension"].tolist()
    y = alt.Y("dimension:N", sort=order, title=None)
    x_scale = alt.Scale(domain=[lo, hi])
    data = profile.assign(label=[
        f"{r.dimension}: mean {fmt(r.mean)}, middle half {fmt(r.q1)} to {fmt(r.q3)}, n {int(r.n)}"
        if r.shown else f"{r.dimension}: {r.note}" for r in profile.itertuples()
    ])
    layers = []
    if framework.bands:
        bands = _band_rows(framework)
        colours = list(reversed(BAND_COLOURS[: len(bands)]))
        layers.append(
            alt.Chart(bands).mark_rect(opacity=0.12).encode(
                x=alt.X("start:Q", scale=x_scale, title=f"Score ({lo} to {hi})"),
                x2="end:Q",
                color=alt.Color("band:N", scale=alt.Scale(domain=bands["band"].tolist(), range=colours),
                                legend=alt.Legend(title="Band", orient="bottom")),
            )
        )
    shown = data[data["shown"]]
    base = alt.Chart(shown).encode(y=y)
    layers += [
        base.mark_rule(color=OKABE_ITO[7], strokeWidth=1).encode(
            x=alt.X("min:Q", scale=x_scale, title=f"Score ({lo} to {hi})"), x2="max:Q",
            tooltip=[alt.Tooltip("label:N", title="Summary")]),
        base.mark_bar(size=14, color=OKABE_ITO[4], opacity=0.9).encode(
            x=alt.X("q1:Q", scale=x_scale), x2="q3:Q", tooltip=[alt.Tooltip("label:N", title="Summary")]),
        base.mark_tick(color=OKABE_ITO[7], thickness=2, size=14).encode(x="median:Q"),
        base.mark_point(shape="diamond", filled=True, size=90, color=OKABE_ITO[5]).encode(
            x="mean:Q", tooltip=[alt.Tooltip("label:N", title="Summary")]),
    ]
    if distribution is not None and not distribution.empty:
        layers.append(
            alt.Chart(distribution).mark_circle(color=OKABE_ITO[0], opacity=0.5).encode(
                y=y, x=alt.X("value:Q", scale=x_scale), yOffset=alt.value(12),
                size=alt.Size("count:Q", legend=alt.Legend(title="People", orient="bottom"),
                              scale=alt.Scale(range=[20, 300])),
            )
        )
    hidden = data[~data["shown"]].assign(x=(lo + hi) / 2)
    if not hidden.empty:
        layers.append(
            alt.Chart(hidden).mark_text(color="#555555", fontStyle="italic").encode(
                y=y, x=alt.X("x:Q", scale=x_scale), text="note:N")
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=max(120, 34 * len(order)),
                                          title=title)
    return ChartWithText(finish(chart), describe_profile(profile), title)


def describe_profile(profile: pd.DataFrame) -> str:
    shown = profile[profile["shown"]]
    if shown.empty:
        return "No dimension can be shown yet" + (
            f": {profile['note'].iloc[0]}." if len(profile) else ".")
    top = shown.loc[shown["mean"].idxmax()]
    low = shown.loc[shown["mean"].idxmin()]
    n = int(shown["n"].max())
    text = (f"Based on up to {n} people. The group scores highest on {top.dimension} "
            f"(mean {fmt(top['mean'])}) and lowest on {low.dimension} (mean {fmt(low['mean'])}).")
    if len(shown) == 1 or top.dimension == low.dimension:
        text = f"Based on {n} people. {top.dimension} has a mean of {fmt(top['mean'])}."
    widest = shown.loc[shown["sd"].idxmax()]
    text += f" Views are most spread on {widest.dimension} (standard deviation {fmt(widest.sd)})."
    return text + _withheld_sentence(profile)


def disagreement_chart(
    table: pd.DataFrame, threshold: float, *, title: str = "Where we disagree"
) -> ChartWithText:
    """Bars of standard deviation per dimension, most mixed first, with the split line."""
    order = table["dimension"].tolist()
    data = table.assign(
        status=["Split" if s else "Broadly agree" for s in table["split"]],
        # "split" is written beside the bar too: never told by colour alone
        sd_label=[(fmt(v) + ("  split" if sp else "")) if s else n
                  for v, s, n, sp in zip(table["sd"], table["shown"], table["note"], table["split"],
                                         strict=True)],
        zero=0.0,
    )
    shown = data[data["shown"]]
    y = alt.Y("dimension:N", sort=order, title=None)
    top = max(threshold * 1.5, float(shown["sd"].max()) * 1.1 if len(shown) else 0.0, 1.0)
    x_scale = alt.Scale(domain=[0, top])
    bars = alt.Chart(shown).mark_bar(size=16).encode(
        y=y,
        x=alt.X("sd:Q", scale=x_scale, title="Standard deviation (scale points)"),
        color=alt.Color("status:N", scale=alt.Scale(domain=["Broadly agree", "Split"],
                                                    range=[OKABE_ITO[4], OKABE_ITO[1]]),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["dimension:N", alt.Tooltip("sd:Q", format=".2f", title="Standard deviation"),
                 alt.Tooltip("range:Q", format=".1f", title="Range"), alt.Tooltip("n:Q", title="People")],
    )
    labels = alt.Chart(data).mark_text(align="left", dx=4, color="#333333").encode(
        y=y, x=alt.X("sd_value:Q", scale=x_scale), text="sd_label:N"
    ).transform_calculate(sd_value="isValid(datum.sd) ? datum.sd : 0")
    rule = alt.Chart(pd.DataFrame({"threshold": [threshold]})).mark_rule(
        color=OKABE_ITO[5], strokeDash=[4, 4]).encode(x=alt.X("threshold:Q", scale=x_scale))
    chart = alt.layer(bars, labels, rule).properties(
        width=WIDTH, height=max(120, 30 * len(order)), title=title)
    return ChartWithText(finish(chart), describe_disagreement(table, threshold), title)


def describe_disagreement(table: pd.DataFrame, threshold: float) -> str:
    shown = table[table["shown"]]
    if shown.empty:
        return "No dimension can be shown yet." + _withheld_sentence(table)
    most = shown.loc[shown["sd"].idxmax()]
    least = shown.loc[shown["sd"].idxmin()]
    text = (f"Members agree most on {least.dimension} (standard deviation {fmt(least.sd)}) "
            f"and are most split on {most.dimension} (standard deviation {fmt(most.sd)}).")
    split = shown[shown["split"]]
    if len(split):
        text += (f" {plural(len(split), 'dimension is', 'dimensions are')} above the split line "
                 f"({fmt(threshold)}): {names(split['dimension'].tolist())}.")
    else:
        text += f" No dimension is above the split line ({fmt(threshold)})."
    return text + _withheld_sentence(table)


def item_disagreement_chart(
    table: pd.DataFrame, threshold: float, *, top: int = 10, title: str = "Most mixed statements"
) -> ChartWithText:
    """The ``top`` most mixed statements (standard deviation), with the split line."""
    shown = table[table["shown"]].head(top)
    order = shown["item"].tolist()
    y = alt.Y("item:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    bars = alt.Chart(shown.assign(status=["Split" if s else "Broadly agree" for s in shown["split"]])).mark_bar(size=14).encode(
        y=y, x=alt.X("sd:Q", title="Standard deviation (scale points)"),
        color=alt.Color("status:N", scale=alt.Scale(domain=["Broadly agree", "Split"],
                                                    range=[OKABE_ITO[4], OKABE_ITO[1]]),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["item:N", "dimension:N", alt.Tooltip("sd:Q", format=".2f"), alt.Tooltip("range:Q", format=".1f")],
    )
    rule = alt.Chart(pd.DataFrame({"threshold": [threshold]})).mark_rule(
        color=OKABE_ITO[5], strokeDash=[4, 4]).encode(x="threshold:Q")
    chart = alt.layer(bars, rule).properties(width=WIDTH, height=max(100, 26 * len(order)), title=title)
    if shown.empty:
        text = "No statement can be shown yet: " + (table["note"].iloc[0] if len(table) else "no answers") + "."
    else:
        first = shown.iloc[0]
        n_split = int(shown["split"].sum())
        text = (f"The most mixed statement is \u201c{first['item']}\u201d ({first.dimension}, standard "
                f"deviation {fmt(first.sd)}). {plural(n_split, 'statement is', 'statements are')} "
                f"above the split line ({fmt(threshold)}).")
    return ChartWithText(finish(chart), text, title)
