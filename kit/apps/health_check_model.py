"""What a member may see of their own group's health check, with no widgets (testable without
a browser).

A member sees their own partnership group's *published* health-check results and nothing
else: the rounds that have closed and been published, read from the same published snapshot
and through the same function as the facilitator dashboard's health-check view for that group
(:func:`kit.analysis.health.health_check`), so they see exactly what the dashboard would show
for their group, withheld cells and their reasons included. Never another group's, never the
whole cohort's, never a round before it is published.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kit.analysis.health import NO_VOTES_NOTE, health_check, trend_votes
from kit.analysis.privacy import Rules

__all__ = ["GroupResults", "group_results", "group_name"]


@dataclass(frozen=True)
class GroupResults:
    """One group's published health check, as its members may see it."""

    group: str
    #: :func:`kit.analysis.health.health_check` for the group: every published round.
    table: pd.DataFrame
    #: :func:`kit.analysis.health.trend_votes` for the group in the latest published round
    #: (None when nobody counted voted there).
    votes: pd.DataFrame | None = None

    @property
    def rounds(self) -> list[str]:
        """Published rounds, first to last."""
        order = self.table.sort_values("round_position", kind="stable")
        return list(dict.fromkeys(order["round"].astype(str)))

    @property
    def anything_shown(self) -> bool:
        return bool(self.table["shown"].astype(bool).any())


def group_name(store, participant) -> str | None:
    """The name of the participant's own partnership group, or None outside any group."""
    if getattr(participant, "group_id", None) is None or participant.cohort_id is None:
        return None
    for g in store.cohort(participant.cohort_id).groups:
        if g.id == participant.group_id:
            return g.name
    return None


def group_results(store, participant, framework, *, rules: Rules | None = None
                  ) -> GroupResults | None:
    """The participant's own group's published health-check results, or None.

    None when the participant is in no group (or no cohort), or when no round of
    ``framework`` has been published for their cohort yet.
    """
    cohort_id = getattr(participant, "cohort_id", None)
    group_id = getattr(participant, "group_id", None)
    if cohort_id is None or group_id is None:
        return None
    from kit.analysis.snapshots import load_published

    info = store.cohort(cohort_id)
    group = next((g.name for g in info.groups if g.id == group_id), None)
    if group is None:
        return None
    published = load_published(store, cohort_id, framework)
    if not published.rounds():
        return None
    table = health_check(published, framework, group=group, rules=rules or Rules.from_settings())
    table = table[table["group"] == group].reset_index(drop=True)  # only ever their own group
    if table.empty:
        return None
    from kit.i18n import _

    votes = trend_votes(published, framework, group=group, round=published.rounds()[-1],
                        rules=rules or Rules.from_settings())
    if not votes["shown"].any() and (votes["note"] == _(NO_VOTES_NOTE)).all():
        votes = None
    return GroupResults(group, table, votes)
