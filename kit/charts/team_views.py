"""Every facilitator view as charts: one call per view, used by the dashboard and the report."""

from __future__ import annotations

from kit.analysis.cohort import CohortData
from kit.analysis.health import NO_VOTES_NOTE
from kit.analysis.privacy import ALL_GROUPS, BREAKDOWNS
from kit.charts._theme import ChartWithText, Size
from kit.charts.team_compare import _value_words, breakdown_heatmap, importance_performance_chart
from kit.charts.team_health import health_breakdown_chart, health_spread_charts, trend_votes_chart
from kit.charts.team_participation import participation_chart
from kit.charts.team_profile import disagreement_chart, group_profile_chart, item_disagreement_chart
from kit.charts.team_rounds import change_over_rounds_chart, health_chart, overview_chart
from kit.i18n import N_, _

__all__ = ["view_charts", "ROUND_VIEWS"]

#: The views that show one round (the round picker applies to them).
ROUND_VIEWS = frozenset({"profile", "disagreement", "breakdown", "importance"})


def _scope_words(group: str) -> str:
    return _("the whole cohort") if group == ALL_GROUPS else group


#: The breakdown charts' titles, naming the round (whole phrases, for translation).
_BREAKDOWN_TITLES = {"organisation": N_("By organisation, {round}"),
                     "sector": N_("By sector, {round}"),
                     "role_level": N_("By role level, {round}")}


def _breakdown_title(by: str, rnd: str) -> str | None:
    return _(_BREAKDOWN_TITLES[by]).format(round=rnd) if by in _BREAKDOWN_TITLES else None


def view_charts(
    data: CohortData,
    view: str,
    *,
    group: str = ALL_GROUPS,
    round: str | None = None,
    sort: str = "framework",
    by: str = "organisation",
    filter: tuple[str, str] | None = None,
    show_points: bool = True,
    size: Size = "screen",
    scoped: bool = False,
) -> list[ChartWithText]:
    """The charts for one view. The free-text view has no chart and returns ``[]``.

    Parameters
    ----------
    view
        One of the ids in :data:`kit.analysis.cohort.VIEWS`.
    size
        Where the charts are shown: ``"screen"`` (laptop or phone) or ``"projector"``
        (:data:`kit.charts._theme.Size`).
    by
        For the breakdown view: ``"organisation"``, ``"sector"``, ``"role_level"`` or ``"all"``.
    scoped
        With a ``group`` (not the whole cohort): the views about every group ("Who has taken
        part", the cohort overview) keep only that group's rows, as one group's report must.
    """
    fw = data.framework
    rnd = data._r(round) if view not in {"change", "health", "health_spread", "health_breakdown",
                                         "overview", "participation", "free_text"} else round
    where = _scope_words(group)
    if view in ROUND_VIEWS and data.unpublished(rnd) is not None:
        return []  # a round not published: the page says where it stands (its status)
    only = group if scoped and group != ALL_GROUPS else None
    if view == "participation":
        table = data.participation_table()
        if only is not None:
            table = table[table["group"] == only].reset_index(drop=True)
        return [participation_chart(table, data.rules.min_group_size, size=size)]
    if view == "profile":
        prof = data.profile(group, rnd, filter=filter, sort=sort)
        dist = data.distribution(group, rnd, filter=filter) if show_points else None
        if filter:
            title = _("Group profile: {scope} ({filter}), {round}").format(
                scope=where, filter=_value_words(filter[1]), round=rnd)
        else:
            title = _("Group profile: {scope}, {round}").format(scope=where, round=rnd)
        return [group_profile_chart(prof, fw, dist, title=title, size=size)]
    if view == "disagreement":
        thr = data.rules.split_threshold
        return [
            disagreement_chart(data.disagreement(group, rnd), thr, title=_("How our habits vary: {scope}, {round}").format(
                                   scope=where, round=rnd), size=size),
            item_disagreement_chart(data.item_disagreement(group, rnd), thr, size=size,
                                    title=_("Most mixed statements: {scope}, {round}").format(
                                        scope=where, round=rnd)),
        ]
    if view == "breakdown":
        bys = BREAKDOWNS if by == "all" else (by,)
        return [breakdown_heatmap(data.breakdown(b, group, rnd), fw, by=b, size=size,
                                  title=_breakdown_title(b, rnd)) for b in bys]
    if view == "importance":
        return [importance_performance_chart(data.importance_performance(group, rnd), fw,
                                             title=_("Importance and performance: {scope}, "
                                                     "{round}").format(scope=where, round=rnd), size=size)]
    if view == "change":
        table = data.change(group)
        if table.empty:  # no answers yet: the page says there is nothing to show
            return []
        return [change_over_rounds_chart(table, fw, title=_("Change over rounds: {scope}").format(
            scope=where), size=size)]
    if view == "health":
        table = data.health(group)
        if table is None or table.empty:
            return []
        charts = [health_chart(table, data.health_framework, title=_("Partnership health check: {scope}").format(
            scope=where), size=size)]
        votes = data.health_votes(group)
        if votes is not None and (votes["shown"].any() or (votes["note"] != _(NO_VOTES_NOTE)).any()):
            charts.append(trend_votes_chart(votes, data.health_framework, scope=where,
                                            round=data.health_round(None), size=size))
        return charts
    if view == "health_spread":
        found = data.health_spread(group, rnd)
        if found is None or found[0].empty:
            return []
        spread, dist = found
        return health_spread_charts(spread, dist, data.health_framework,
                                    data.rules.split_threshold, scope=where,
                                    round=data.health_round(rnd), size=size)
    if view == "health_breakdown":
        table = data.health_breakdown(group, rnd)
        if table is None or table.empty:
            return []
        return [health_breakdown_chart(table, data.health_framework, scope=where,
                                       round=data.health_round(rnd), size=size)]
    if view == "overview":
        table = data.overview()
        if only is not None and not table.empty:
            table = table[table["group"] == only].reset_index(drop=True)
        return [] if table.empty else [overview_chart(table, fw, size=size)]
    if view == "free_text":
        return []
    raise KeyError(f"no view {view!r}")
