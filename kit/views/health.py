"""The partnership health check's views: the check with its trend, where we differ, and
across organisations. Each reads the health check's own rounds."""

from __future__ import annotations

from kit.analysis.health import NO_VOTES_NOTE
from kit.i18n import _
from kit.views._base import Ask, FacilitatorView, slug

__all__ = ["HealthView", "Health", "HealthSpread", "HealthBreakdown"]


class HealthView(FacilitatorView):
    """A view of the health check: its empty reason names a missing or unanswered check."""

    def empty_reason(self, data, round: str | None) -> str:
        rnd = round if self.spec.uses_round else ""
        if data.health_framework is None:
            return (data.content_problems[0] if data.content_problems else
                    _("This cohort has no partnership health check, so there is nothing to "
                      "show here."))
        if rnd and rnd in data.answered_rounds and rnd not in data.health_rounds:
            return _("Nobody counted in {round} answered the health check, so it has no "
                     "results for {round}.").format(round=rnd)
        return super().empty_reason(data, round)


class Health(HealthView):
    """The health check, area by area, with its trend and the members' votes."""

    def _tables(self, data, ask: Ask):
        table = data.health(ask.group)
        if table is None:
            return {}
        out = {f"health-check-{ask.slug}.csv": table}
        votes = data.health_votes(ask.group)
        if votes is not None:
            out[f"health-check-votes-{ask.slug}-{slug(data.health_round(None))}.csv"] = votes
        return out

    def _charts(self, data, ask: Ask):
        from kit.charts.team_health import trend_votes_chart
        from kit.charts.team_rounds import health_chart

        table = data.health(ask.group)
        if table is None or table.empty:
            return []
        charts = [health_chart(table, data.health_framework, size=ask.size,
                               title=_("Partnership health check: {scope}").format(
                                   scope=ask.where))]
        votes = data.health_votes(ask.group)
        if votes is not None and (votes["shown"].any()
                                  or (votes["note"] != _(NO_VOTES_NOTE)).any()):
            charts.append(trend_votes_chart(votes, data.health_framework, scope=ask.where,
                                            round=data.health_round(None), size=ask.size))
        return charts


class HealthSpread(HealthView):
    """Health check, where we differ: the spread of ratings and the members per band."""

    def _tables(self, data, ask: Ask):
        found = data.health_spread(ask.group, ask.round)
        if found is None:
            return {}
        r = slug(data.health_round(ask.round))
        return {f"health-check-spread-{ask.slug}-{r}.csv": found[0],
                f"health-check-bands-{ask.slug}-{r}.csv": found[1].drop(columns=["band"])}

    def _charts(self, data, ask: Ask):
        from kit.charts.team_health import health_spread_charts

        found = data.health_spread(ask.group, ask.round)
        if found is None or found[0].empty:
            return []
        spread, dist = found
        return health_spread_charts(spread, dist, data.health_framework,
                                    data.rules.split_threshold, scope=ask.where,
                                    round=data.health_round(ask.round), size=ask.size)


class HealthBreakdown(HealthView):
    """Health check across organisations: the mean rating per organisation."""

    def _tables(self, data, ask: Ask):
        table = data.health_breakdown(ask.group, ask.round)
        if table is None:
            return {}
        r = slug(data.health_round(ask.round))
        return {f"health-check-by-organisation-{ask.slug}-{r}.csv": table}

    def _charts(self, data, ask: Ask):
        from kit.charts.team_health import health_breakdown_chart

        table = data.health_breakdown(ask.group, ask.round)
        if table is None or table.empty:
            return []
        return [health_breakdown_chart(table, data.health_framework, scope=ask.where,
                                       round=data.health_round(ask.round), size=ask.size)]
