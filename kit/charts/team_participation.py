"""Participation: how many members of each group have answered, per round (counts only)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.charts._theme import OKABE_ITO, ChartWithText
from kit.charts._words import WIDTH, finish, names

__all__ = ["participation_chart"]


#: The legend's words for a group and round with enough answers to show scores, and without.
ENOUGH = "Enough to show scores"
NOT_ENOUGH = "Not enough yet"


def participation_chart(table: pd.DataFrame, min_group_size: int, *, title: str = "Who has taken part") -> ChartWithText:
    """Bars of responses against members per group and round, with the minimum marked.

    Parameters
    ----------
    table
        :func:`kit.analysis.participation_table`.
    """
    rounds = (table.drop_duplicates("round").sort_values("round_position")["round"].tolist()
              if "round_position" in table.columns else table["round"].unique().tolist())
    data = table.assign(
        label=[f"{r} of {m}" for r, m in zip(table["responded"], table["members"], strict=True)],
        enough_words=[ENOUGH if e else NOT_ENOUGH for e in table["enough"]])
    y = alt.Y("round:N", sort=rounds, title=None)
    xs = alt.Scale(domain=[0, max(int(table["members"].max()) if len(table) else 0, min_group_size) + 1])
    base = alt.Chart().encode(y=y)
    members = base.mark_bar(color="#DDDDDD", size=16).encode(x=alt.X("members:Q", scale=xs, title="People"))
    responded = base.mark_bar(size=16).encode(
        x=alt.X("responded:Q", scale=xs),
        color=alt.Color("enough_words:N", scale=alt.Scale(domain=[ENOUGH, NOT_ENOUGH],
                                                          range=[OKABE_ITO[0], OKABE_ITO[1]]),
                        legend=alt.Legend(title=f"Answers so far (scores need {min_group_size})",
                                          orient="bottom", labelLimit=0, titleLimit=0)),
        tooltip=["group:N", "round:N", "responded:Q", "members:Q"],
    )
    text = base.mark_text(align="left", dx=4).encode(x="members:Q", text="label:N")
    rule = alt.Chart().mark_rule(color=OKABE_ITO[5], strokeDash=[4, 4]).encode(x=alt.datum(min_group_size))
    layer = alt.layer(members, responded, text, rule, data=data).properties(
        width=WIDTH - 100, height=28 * max(1, len(rounds)))
    chart = layer.facet(row=alt.Row("group:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")))
    chart = chart.properties(title=title)
    return ChartWithText(finish(chart), describe_participation(table, min_group_size), title,
                         how_to_read="The grey bar is everyone in the group, the coloured bar "
                         "those who have answered; the dashed line is how many are needed "
                         "before scores are shown.")


def describe_participation(table: pd.DataFrame, k: int) -> str:
    if table.empty:
        return "Nobody has joined yet."
    ordered = table.sort_values("round_position") if "round_position" in table.columns else table
    answered = ordered[ordered["responded"] > 0]
    latest_round = (answered if len(answered) else ordered)["round"].iloc[-1]
    latest = table[table["round"] == latest_round]
    done = ", ".join(f"{r.group} {r.responded} of {r.members}" for r in latest.itertuples())
    text = f"In {latest_round}: {done}."
    short = latest[~latest["enough"]]
    if len(short):
        text += (f" Scores stay hidden until at least {k} have answered, so "
                 f"{names(short['group'].tolist())} {'needs' if len(short) == 1 else 'need'} more responses.")
    else:
        text += f" Every group has at least {k} responses."
    return text
