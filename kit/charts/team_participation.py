"""Participation: how many members of each group have answered, per round (counts only)."""

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
    stacked_legend,
    with_values,
)
from kit.charts._words import finish, names
from kit.i18n import N_, _, ngettext

__all__ = ["participation_chart"]


#: The legend's words for a group and round with enough answers to show scores, and without.
ENOUGH = N_("Enough to show scores")
NOT_ENOUGH = N_("Not enough yet")
#: ... and for a group with fewer members than the minimum: more answers would never be enough.
NEVER_ENOUGH = N_("Too few members ever to show scores")


#: The chart's title when none is given (the view's name), translated where drawn.
_TITLE_PARTICIPATION = N_("Who has taken part")


def participation_chart(table: pd.DataFrame, min_group_size: int, *,
                        title: str = _TITLE_PARTICIPATION, size: Size = "screen") -> ChartWithText:
    """Bars of responses against members per group and round, with the minimum marked.

    Parameters
    ----------
    table
        :func:`kit.analysis.participation_table`.
    """
    title = _(title) if title == _TITLE_PARTICIPATION else title
    p = preset(size)
    enough, not_enough, never = _(ENOUGH), _(NOT_ENOUGH), _(NEVER_ENOUGH)
    rounds = (table.drop_duplicates("round").sort_values("round_position")["round"].tolist()
              if "round_position" in table.columns else table["round"].unique().tolist())
    # One row per group and round, named above its bars with the count ("North, Baseline:
    # 3 of 5"): a single chart that takes its container's width (a facet cannot).
    order_rounds = {r: i for i, r in enumerate(rounds)}
    table = table.assign(_o=[order_rounds.get(r, 0) for r in table["round"]]).sort_values(
        ["group", "_o"], kind="stable")
    data = table.assign(
        row=[_("{group}, {round}").format(group=g, round=r)
             for g, r in zip(table["group"], table["round"], strict=True)],
        label=[_("{responded} of {members}").format(responded=r, members=m)
               for r, m in zip(table["responded"], table["members"], strict=True)],
        enough_words=[enough if e else never if m < min_group_size else not_enough
                      for e, m in zip(table["enough"], table["members"], strict=True)],
    ).drop(columns="_o")
    order = data["row"].tolist()
    said = {r: _("{row}: {count}").format(row=r, count=c)
            for r, c in zip(data["row"], data["label"], strict=True)}
    y = alt.Y("row:N", sort=order, title=_("Group and round"), scale=alt.Scale(domain=order),
              axis=row_axis(order, size, display=said))
    xs = alt.Scale(domain=[0, max(int(table["members"].max()) if len(table) else 0, min_group_size) + 1])
    base = alt.Chart().encode(y=y)
    members = base.mark_bar(color="#DDDDDD", size=p.bar).encode(
        x=alt.X("members:Q", scale=xs, title=_("People"), axis=alt.Axis(tickMinStep=1)))
    responded = base.mark_bar(size=p.bar).encode(
        x=alt.X("responded:Q", scale=xs, title=None),
        color=alt.Color("enough_words:N", title=_("Enough to show scores?"), scale=alt.Scale(domain=[enough, not_enough, never],
                                                          range=[OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[3]]),
                        legend=alt.Legend(title=_("Answers so far (scores need {n})").format(n=min_group_size),
                                          orient="bottom", labelLimit=0, titleLimit=0,
                                          **stacked_legend(size))),
        tooltip=[alt.Tooltip("group:N", title=_("Group")), alt.Tooltip("round:N", title=_("Round")),
                 alt.Tooltip("responded:Q", title=_("Answered")),
                 alt.Tooltip("members:Q", title=_("Members"))],
    )
    rule = alt.Chart().mark_rule(color=OKABE_ITO[5], strokeDash=[4, 4]).encode(
        x=alt.X(datum=min_group_size, scale=xs, title=None))
    counts = dict(zip(data["row"], data["label"], strict=True))
    chart = with_values(alt.layer(members, responded, rule, data=data), "row", order, counts,
                        size).properties(
        width="container", height=row_step(order, size, display=said), title=title)
    return ChartWithText(finish(chart, size), describe_participation(table, min_group_size), title,
                         how_to_read=_("The grey bar is everyone in the group, the coloured "
                                       "bar those who have answered; the dashed line is how many "
                                       "are needed before scores are shown."))


def describe_participation(table: pd.DataFrame, k: int) -> str:
    if table.empty:
        return _("Nobody has joined yet.")
    ordered = table.sort_values("round_position") if "round_position" in table.columns else table
    answered = ordered[ordered["responded"] > 0]
    latest_round = (answered if len(answered) else ordered)["round"].iloc[-1]
    latest = table[table["round"] == latest_round]
    done = ", ".join(_("{group} {responded} of {members}").format(
        group=r.group, responded=r.responded, members=r.members) for r in latest.itertuples())
    text = _("In {round}: {counts}.").format(round=latest_round, counts=done)
    short = latest[~latest["enough"]]
    small = short[short["members"] < k]  # can never reach k: more answers would not help
    waiting = short[short["members"] >= k]
    for r in small.itertuples():
        text += " " + ngettext(
            "{group} counts {members} person, and a group of {members} can never reach {k}: "
            "its own scores stay hidden, and its members count in the whole cohort's.",
            "{group} counts {members} people, and a group of {members} can never reach {k}: "
            "its own scores stay hidden, and its members count in the whole cohort's.",
            r.members).format(group=r.group, members=r.members, k=k)
    if len(waiting):
        text += " " + ngettext(
            "Scores stay hidden until at least {k} have answered, so {names} needs more responses.",
            "Scores stay hidden until at least {k} have answered, so {names} need more responses.",
            len(waiting)).format(k=k, names=names(waiting["group"].tolist()))
    if not len(short):
        text += " " + _("Every group has at least {k} responses.").format(k=k)
    return text
