"""Every facilitator view as charts: one call per view, used by the dashboard and the report."""

from __future__ import annotations

from kit.analysis.cohort import CohortData
from kit.analysis.privacy import ALL_GROUPS, BREAKDOWNS
from kit.charts._theme import ChartWithText
from kit.charts.team_compare import _value_words, breakdown_heatmap, importance_performance_chart
from kit.charts.team_participation import participation_chart
from kit.charts.team_profile import disagreement_chart, group_profile_chart, item_disagreement_chart
from kit.charts.team_rounds import change_over_rounds_chart, health_chart, overview_chart
from kit.i18n import _

__all__ = ["view_charts", "ROUND_VIEWS"]

#: The views that show one round (the round picker applies to them).
ROUND_VIEWS = frozenset({"profile", "disagreement", "breakdown", "importance"})


def _scope_words(group: str) -> str:
    return _("the whole cohort") if group == ALL_GROUPS else group


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
    scoped: bool = False,
) -> list[ChartWithText]:
    """The charts for one view. The free-text view has no chart and returns ``[]``.

    Parameters
    ----------
    view
        One of the ids in :data:`kit.analysis.cohort.VIEWS`.
    by
        For the breakdown view: ``"organisation"``, ``"sector"``, ``"role_level"`` or ``"all"``.
    scoped
        With a ``group`` (not the whole cohort): the views about every group ("Who has taken
        part", the cohort overview) keep only that group's rows, as one group's report must.
    """
    fw = data.framework
    rnd = data._r(round) if view not in {"change", "health", "overview", "participation", "free_text"} else round
    where = _scope_words(group)
    if view in ROUND_VIEWS and data.unpublished(rnd) is not None:
        return []  # a round not published: the page says where it stands (its status)
    only = group if scoped and group != ALL_GROUPS else None
    if view == "participation":
        table = data.participation_table()
        if only is not None:
            table = table[table["group"] == only].reset_index(drop=True)
        return [participation_chart(table, data.rules.min_group_size)]
    if view == "profile":
        prof = data.profile(group, rnd, filter=filter, sort=sort)
        dist = data.distribution(group, rnd, filter=filter) if show_points else None
        if filter:
            title = _("Group profile: {scope} ({filter}), {round}").format(
                scope=where, filter=_value_words(filter[1]), round=rnd)
        else:
            title = _("Group profile: {scope}, {round}").format(scope=where, round=rnd)
        return [group_profile_chart(prof, fw, dist, title=title)]
    if view == "disagreement":
        thr = data.rules.split_threshold
        return [
            disagreement_chart(data.disagreement(group, rnd), thr, title=_("How our habits vary: {scope}, {round}").format(
                                   scope=where, round=rnd)),
            item_disagreement_chart(data.item_disagreement(group, rnd), thr),
        ]
    if view == "breakdown":
        bys = BREAKDOWNS if by == "all" else (by,)
        return [breakdown_heatmap(data.breakdown(b, group, rnd), fw, by=b) for b in bys]
    if view == "importance":
        return [importance_performance_chart(data.importance_performance(group, rnd), fw,
                                             title=_("Importance and performance: {scope}, "
                                                     "{round}").format(scope=where, round=rnd))]
    if view == "change":
        table = data.change(group)
        if table.empty:  # no answers yet: the page says there is nothing to show
            return []
        return [change_over_rounds_chart(table, fw, title=_("Change over rounds: {scope}").format(
            scope=where))]
    if view == "health":
        table = data.health(group)
        if table is None or table.empty:
            return []
        return [health_chart(table, data.health_framework, title=_("Partnership health check: {scope}").format(
            scope=where))]
    if view == "overview":
        table = data.overview()
        if only is not None and not table.empty:
            table = table[table["group"] == only].reset_index(drop=True)
        return [] if table.empty else [overview_chart(table, fw)]
    if view == "free_text":
        return []
    raise KeyError(f"no view {view!r}")
