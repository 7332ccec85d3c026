"""The views about every group: who has taken part, and the cohort overview.

For one group's report (``scoped``) each keeps only that group's rows.
"""

from __future__ import annotations

import pandas as pd

from kit.views._base import Ask, FacilitatorView

__all__ = ["Participation", "Overview"]


def _only(table: pd.DataFrame, group: str | None) -> pd.DataFrame:
    """The rows of one group (all rows when ``group`` is None)."""
    if group is None or table.empty:
        return table
    return table[table["group"] == group].reset_index(drop=True)


class Participation(FacilitatorView):
    """"Who has taken part": head counts per group and round, always shown."""

    def _tables(self, data, ask: Ask):
        table = data.participation_table()
        if ask.only is not None:
            return {f"participation-{ask.slug}.csv": table[table["group"] == ask.only]
                    .reset_index(drop=True)}
        return {"participation.csv": table}

    def _charts(self, data, ask: Ask):
        from kit.charts.team_participation import participation_chart

        table = _only(data.participation_table(), ask.only)
        return [participation_chart(table, data.rules.min_group_size, size=ask.size)]


class Overview(FacilitatorView):
    """The cohort overview: each group against its own earlier rounds, never ranked."""

    def _tables(self, data, ask: Ask):
        table = data.overview()
        if ask.only is not None:
            return {f"overview-{ask.slug}.csv": _only(table, ask.only)}
        return {"cohort-overview.csv": table}

    def _charts(self, data, ask: Ask):
        from kit.charts.team_rounds import overview_chart

        table = _only(data.overview(), ask.only)
        return [] if table.empty else [overview_chart(table, data.framework, size=ask.size)]
