"""The self-assessment's views: one round's profile, spread, breakdown and importance, and
the change over every round."""

from __future__ import annotations

from kit.analysis.privacy import BREAKDOWNS
from kit.i18n import N_, _
from kit.views._base import Ask, FacilitatorView, slug

__all__ = ["Profile", "Disagreement", "Breakdown", "Importance", "Change"]

#: The breakdown charts' titles, naming the round (whole phrases, for translation).
_BREAKDOWN_TITLES = {"organisation": N_("By organisation, {round}"),
                     "sector": N_("By sector, {round}"),
                     "role_level": N_("By role level, {round}")}


def _breakdown_title(by: str, rnd: str) -> str | None:
    return _(_BREAKDOWN_TITLES[by]).format(round=rnd) if by in _BREAKDOWN_TITLES else None


def _bys(by: str) -> tuple[str, ...]:
    return BREAKDOWNS if by == "all" else (by,)


class Profile(FacilitatorView):
    """The group profile: members per band on each area, with the mean."""

    options = ("sort", "filter")

    def _tables(self, data, ask: Ask):
        extra = f"-{slug(ask.filter[1])}" if ask.filter else ""
        rnd = slug(ask.round)
        return {
            f"profile-{ask.slug}{extra}-{rnd}.csv":
                data.profile(ask.group, ask.round, filter=ask.filter),
            f"profile-bands-{ask.slug}{extra}-{rnd}.csv":
                data.distribution(ask.group, ask.round, filter=ask.filter).drop(columns=["band"]),
        }

    def _charts(self, data, ask: Ask):
        from kit.charts.team_compare import _value_words
        from kit.charts.team_profile import group_profile_chart

        prof = data.profile(ask.group, ask.round, filter=ask.filter, sort=ask.sort)
        dist = (data.distribution(ask.group, ask.round, filter=ask.filter)
                if ask.show_points else None)
        if ask.filter:
            title = _("Group profile: {scope} ({filter}), {round}").format(
                scope=ask.where, filter=_value_words(ask.filter[1]), round=ask.round)
        else:
            title = _("Group profile: {scope}, {round}").format(scope=ask.where, round=ask.round)
        return [group_profile_chart(prof, data.framework, dist, title=title, size=ask.size)]


class Disagreement(FacilitatorView):
    """How our habits vary: the spread on each area and statement, most mixed first."""

    def _tables(self, data, ask: Ask):
        rnd = slug(ask.round)
        return {
            f"disagreement-{ask.slug}-{rnd}.csv": data.disagreement(ask.group, ask.round),
            f"disagreement-items-{ask.slug}-{rnd}.csv":
                data.item_disagreement(ask.group, ask.round),
        }

    def _charts(self, data, ask: Ask):
        from kit.charts.team_profile import disagreement_chart, item_disagreement_chart

        thr = data.rules.split_threshold
        words = {"scope": ask.where, "round": ask.round}
        return [
            disagreement_chart(data.disagreement(ask.group, ask.round), thr, size=ask.size,
                               title=_("How our habits vary: {scope}, {round}").format(**words)),
            item_disagreement_chart(data.item_disagreement(ask.group, ask.round), thr,
                                    size=ask.size,
                                    title=_("Most mixed statements: {scope}, {round}").format(
                                        **words)),
        ]


class Breakdown(FacilitatorView):
    """Across organisations and sectors: the means per organisation, sector or role level."""

    options = ("by",)

    def _tables(self, data, ask: Ask):
        return {f"by-{b}-{ask.slug}-{slug(ask.round)}.csv": data.breakdown(b, ask.group, ask.round)
                for b in _bys(ask.by)}

    def _charts(self, data, ask: Ask):
        from kit.charts.team_compare import breakdown_heatmap

        return [breakdown_heatmap(data.breakdown(b, ask.group, ask.round), data.framework, by=b,
                                  size=ask.size, title=_breakdown_title(b, ask.round))
                for b in _bys(ask.by)]


class Importance(FacilitatorView):
    """Importance and performance: what matters most, beside how well it is going."""

    def _tables(self, data, ask: Ask):
        return {f"importance-{ask.slug}-{slug(ask.round)}.csv":
                data.importance_performance(ask.group, ask.round)}

    def _charts(self, data, ask: Ask):
        from kit.charts.team_compare import importance_performance_chart

        title = _("Importance and performance: {scope}, {round}").format(scope=ask.where,
                                                                         round=ask.round)
        return [importance_performance_chart(data.importance_performance(ask.group, ask.round),
                                             data.framework, title=title, size=ask.size)]


class Change(FacilitatorView):
    """Change over rounds: each round's mean, with how many answered."""

    def _tables(self, data, ask: Ask):
        return {f"change-{ask.slug}.csv": data.change(ask.group)}

    def _charts(self, data, ask: Ask):
        from kit.charts.team_rounds import change_over_rounds_chart

        table = data.change(ask.group)
        if table.empty:  # no answers yet: the page says there is nothing to show
            return []
        return [change_over_rounds_chart(table, data.framework, size=ask.size,
                                         title=_("Change over rounds: {scope}").format(
                                             scope=ask.where))]
