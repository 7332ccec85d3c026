"""One cohort's data, loaded once, with every facilitator view as a method.

:class:`CohortData` holds the store's frames for a cohort and answers each view of the
facilitator dashboard and the group report through the functions in :mod:`kit.analysis`, so
the confidentiality rules are applied in one place. :data:`VIEWS` (from
:mod:`kit.analysis.views`, re-exported here) lists the views and the options each offers; the
privacy tests walk every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from kit.analysis.cohort_loading import SharedPrompt, load_cohort, membership_note
from kit.analysis.health import (
    across_organisations,
    health_check,
    trend_person_frame,
    trend_votes,
    where_we_differ,
)
from kit.analysis.importance import importance_performance
from kit.analysis.participation import participation_from_responses, participation_table
from kit.analysis.people import item_frame, person_importance, person_scores, round_order
from kit.analysis.privacy import ALL_GROUPS, BREAKDOWNS, Rules
from kit.analysis.team import (
    breakdown,
    change_over_rounds,
    cohort_overview,
    disagreement,
    group_profile,
    item_disagreement,
    score_distribution,
)
from kit.analysis.views import VIEWS, View, view_by_id
from kit.content.models import Framework

__all__ = ["CohortData", "View", "VIEWS", "view_by_id", "SharedPrompt",
           # defined in kit.analysis.cohort_loading since issue 26, still importable from here
           "membership_note"]


@dataclass
class CohortData:
    """Everything the facilitator views need for one cohort, in memory.

    Parameters
    ----------
    name
        The cohort's name.
    framework
        The collaboration framework the profile, disagreement, breakdown, importance, change
        and overview views read.
    responses, importance
        ``Store.responses_frame`` and ``Store.importance_frame`` for ``framework``.
    health_framework, health_responses
        The partnership health check and its responses (optional).
    participation
        ``Store.participation`` (optional: counted from ``responses`` when missing).
    prompts
        Shared prompt answers, already passed through :func:`shared_comments`.
    groups, rounds
        Names in order; taken from the data when not given.
    """

    name: str
    framework: Framework
    responses: pd.DataFrame
    importance: pd.DataFrame | None = None
    health_framework: Framework | None = None
    health_responses: pd.DataFrame | None = None
    #: The health check's "better, the same or worse?" votes (``Store.trend_frame``; optional).
    health_trends: pd.DataFrame | None = None
    participation: pd.DataFrame | None = None
    prompts: tuple[SharedPrompt, ...] = ()
    groups: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()
    rules: Rules = field(default_factory=Rules.from_settings)
    #: The published snapshots the views read (from :meth:`from_store`). Without them the
    #: views summarise the frames given, as one snapshot.
    published: object | None = None
    health_published: object | None = None
    #: One :class:`kit.analysis.rounds.RoundStatus` per round (from :meth:`from_store`):
    #: where it stands, what happens next and who counts.
    update_status: tuple = ()
    #: Acts that changed who counts, in words (imports with the set-up key, rounds taken back
    #: to not open), from the store.
    membership_notes: tuple[str, ...] = ()
    #: Content that exists but could not be loaded (e.g. a health-check framework with a typo):
    #: one sentence each, shown on the dashboard so a missing view is never a mystery.
    content_problems: tuple[str, ...] = ()

    def __post_init__(self):
        if not self.groups:
            self.groups = tuple(sorted(self.responses["group"].dropna().astype(str).unique()))
        if not self.rounds:
            self.rounds = tuple(round_order(self.responses))

    @property
    def _src(self):
        """What the score views summarise: the published snapshots, or the frames given."""
        return self.published if self.published is not None else self.scores

    @property
    def _items_src(self):
        return self.published if self.published is not None else self.items

    @property
    def _importance_src(self):
        return self.published if self.published is not None else self.importance_scores

    # ---------------------------------------------------------------- loading

    @classmethod
    def from_store(
        cls,
        store,
        cohort_id: int,
        *,
        framework: Framework | str | None = None,
        health_framework: Framework | str | None | bool = None,
        rules: Rules | None = None,
    ) -> CohortData:
        """A cohort as its facilitator may see it: the published results of each closed round.

        Read only: nothing is written here (a round's results are published when it closes, and
        shared texts released in batches when sharing changes, both by :mod:`kit.publishing`). With ``rules.hardened`` False (the tests' control runs
        only) the live frames are read instead.

        By default the cohort's own frameworks are read (``CohortInfo.self_framework`` and
        ``team_framework``); give ``framework`` or ``health_framework`` to read others, or
        ``health_framework=False`` to leave the health check out.
        """
        return load_cohort(cls, store, cohort_id, framework=framework,
                           health_framework=health_framework, rules=rules)

    # ---------------------------------------------------------------- per-person frames

    @cached_property
    def scores(self) -> pd.DataFrame:
        return person_scores(self.responses, self.framework)

    @cached_property
    def items(self) -> pd.DataFrame:
        return item_frame(self.responses, self.framework)

    @cached_property
    def importance_scores(self) -> pd.DataFrame:
        if self.importance is None or self.importance.empty:
            return pd.DataFrame(
                columns=["participant_id", "group", "organisation", "sector", "role_level",
                         "round", "round_position", "dimension_id", "importance"]
            )
        return person_importance(self.importance, self.responses)

    @cached_property
    def health_scores(self) -> pd.DataFrame | None:
        if self.health_framework is None or self.health_responses is None:
            return None
        return person_scores(self.health_responses, self.health_framework)

    # ---------------------------------------------------------------- options

    @property
    def scopes(self) -> tuple[str, ...]:
        """Group pickers' choices: every group, then the whole cohort."""
        return (*self.groups, ALL_GROUPS)

    @property
    def answered_rounds(self) -> tuple[str, ...]:
        """Rounds that have results to show (published ones, for a cohort from the store)."""
        if self.published is not None:
            seen = set(self.published.rounds())
        else:
            seen = set(self.responses["round"].astype(str).unique()) if len(self.responses) else set()
        return tuple(r for r in self.rounds if r in seen)

    def unpublished(self, round: str | None):
        """The :class:`~kit.analysis.rounds.RoundStatus` of ``round`` when its results are not
        published (not open yet, open, or publishing unfinished), else None. A view of such a
        round has nothing true to summarise (it would read as "fewer than K responses" from
        people who did answer): it says where the round stands instead."""
        if self.published is None or not round or round in self.answered_rounds:
            return None
        return self.status_for(round)

    def status_for(self, round: str):
        """The :class:`~kit.analysis.snapshots.UpdateStatus` of a round, or None."""
        for s in self.update_status:
            if s.round == round:
                return s
        return None

    def filter_options(self, group: str, round: str) -> list[tuple[str, str]]:
        """``(attribute, value)`` filters with anyone in them in this scope and round."""
        if self.published is not None:
            return self.published.filter_options(group, round)
        frame = self.scores[self.scores["round"] == round]
        if group != ALL_GROUPS:
            frame = frame[frame["group"] == group]
        return [(by, v) for by in BREAKDOWNS for v in sorted(frame[by].unique())]

    # ---------------------------------------------------------------- views

    def profile(self, group=ALL_GROUPS, round=None, *, filter=None, sort="framework"):
        return group_profile(self._src, self.framework, group=group, round=self._r(round),
                             filter=filter, sort=sort, rules=self.rules)

    def distribution(self, group=ALL_GROUPS, round=None, *, filter=None):
        return score_distribution(self._src, self.framework, group=group, round=self._r(round),
                                  filter=filter, rules=self.rules)

    def disagreement(self, group=ALL_GROUPS, round=None):
        return disagreement(self._src, self.framework, group=group, round=self._r(round),
                            rules=self.rules)

    def item_disagreement(self, group=ALL_GROUPS, round=None):
        return item_disagreement(self._items_src, self.framework, group=group, round=self._r(round),
                                 rules=self.rules)

    def breakdown(self, by: str, group=ALL_GROUPS, round=None):
        return breakdown(self._src, self.framework, by=by, group=group, round=self._r(round),
                         rules=self.rules)

    def importance_performance(self, group=ALL_GROUPS, round=None):
        return importance_performance(self._src, self._importance_src, self.framework,
                                      group=group, round=self._r(round), rules=self.rules)

    def change(self, group=ALL_GROUPS):
        return change_over_rounds(self._src, self.framework, group=group, rules=self.rules)

    def health(self, group=ALL_GROUPS):
        if self.health_published is not None:
            return health_check(self.health_published, self.health_framework, group=group,
                                rules=self.rules)
        if self.health_scores is None:
            return None
        return health_check(self.health_scores, self.health_framework, group=group, rules=self.rules)

    @property
    def _health_src(self):
        """What the health-check views summarise: its published snapshots, or the frames."""
        if self.health_published is not None:
            return self.health_published
        return self.health_scores

    @property
    def health_rounds(self) -> tuple[str, ...]:
        """Rounds with health-check results to show (published ones, from the store)."""
        if self.health_framework is None:
            return ()
        if self.health_published is not None:
            seen = set(self.health_published.rounds())
        elif self.health_scores is not None and len(self.health_scores):
            seen = set(self.health_scores["round"].astype(str).unique())
        else:
            seen = set()
        return tuple(r for r in self.rounds if r in seen)

    def health_round(self, round: str | None) -> str | None:
        """``round``, or the latest round with health-check results (None when there is none)."""
        if round is not None:
            return round
        rounds = self.health_rounds
        return rounds[-1] if rounds else None

    def health_spread(self, group=ALL_GROUPS, round=None):
        """"Where we differ" on the health check: ``(spread, distribution)``, or None when
        there is no health check or no round with its results."""
        rnd = self.health_round(round)
        if rnd is None or self._health_src is None:
            return None
        return where_we_differ(self._health_src, self.health_framework, group=group, round=rnd,
                               rules=self.rules)

    @cached_property
    def _trend_people(self) -> pd.DataFrame:
        return trend_person_frame(self.health_trends)

    def health_votes(self, group=ALL_GROUPS, round=None):
        """Per area, how many counted members said better, the same or worse since last time
        (:func:`kit.analysis.health.trend_votes`), or None as :meth:`health_spread`."""
        rnd = self.health_round(round)
        if rnd is None or self.health_framework is None:
            return None
        src = self.health_published if self.health_published is not None else self._trend_people
        return trend_votes(src, self.health_framework, group=group, round=rnd, rules=self.rules)

    def health_breakdown(self, group=ALL_GROUPS, round=None):
        """The health check across organisations, or None (as :meth:`health_spread`)."""
        rnd = self.health_round(round)
        if rnd is None or self._health_src is None:
            return None
        return across_organisations(self._health_src, self.health_framework, group=group,
                                    round=rnd, rules=self.rules)

    def overview(self):
        return cohort_overview(self._src, self.framework, rules=self.rules)

    def participation_table(self):
        part = self.participation
        if part is None or part.empty:
            part = participation_from_responses(self.responses)
        return participation_table(part, rules=self.rules)

    def _r(self, round: str | None) -> str:
        if round is not None:
            return round
        answered = self.answered_rounds
        if answered:
            return answered[-1]
        if self.rounds:
            return self.rounds[0]
        raise ValueError(f"cohort {self.name!r} has no rounds yet")
