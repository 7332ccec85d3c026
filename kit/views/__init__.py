"""The registry of facilitator views: one object per view, read by everything that shows one.

Each object (:class:`kit.views._base.FacilitatorView`) holds the view's description (id, title,
blurb, which group and round it reads, what it needs: :mod:`kit.analysis.views`), its tables
and its charts. The dashboard and its session mode, the group report (HTML and PDF) and the
CSV downloads all ask the registry; nothing else decides what a view shows.

Examples
--------
>>> from kit.views import view, VIEWS
>>> view("profile").uses_round, view("change").uses_round
(True, False)
>>> [v.id for v in VIEWS][:3]
['participation', 'profile', 'disagreement']
>>> charts = view("profile").charts(data, group="North", size="projector")  # doctest: +SKIP
>>> tables = view("profile").tables(data, group="North")                    # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from kit.analysis.cohort import CohortData
from kit.analysis.privacy import ALL_GROUPS
from kit.analysis.views import SCORE_ROUND
from kit.analysis.views import VIEWS as _SPECS
from kit.views._base import FacilitatorView, slug
from kit.views.free_text import FreeText
from kit.views.groups import Overview, Participation
from kit.views.health import Health, HealthBreakdown, HealthSpread
from kit.views.scores import Breakdown, Change, Disagreement, Importance, Profile

__all__ = ["VIEWS", "view", "FacilitatorView", "ROUND_VIEWS", "view_charts", "view_tables",
           "all_tables", "slug"]

_KINDS: dict[str, type[FacilitatorView]] = {
    "participation": Participation, "profile": Profile, "disagreement": Disagreement,
    "breakdown": Breakdown, "importance": Importance, "change": Change, "health": Health,
    "health_spread": HealthSpread, "health_breakdown": HealthBreakdown, "overview": Overview,
    "free_text": FreeText,
}

#: Every facilitator view, in the order the dashboard and the report show them.
VIEWS: tuple[FacilitatorView, ...] = tuple(_KINDS[spec.id](spec) for spec in _SPECS)

_BY_ID = {v.id: v for v in VIEWS}

#: The views that show one round of the self-assessment (its latest published by default).
ROUND_VIEWS = frozenset(v.id for v in VIEWS if v.reads_round == SCORE_ROUND)


def view(view_id: str) -> FacilitatorView:
    """The registry's view with this id; ``KeyError`` naming the ids there are."""
    try:
        return _BY_ID[view_id]
    except KeyError:
        raise KeyError(f"no view {view_id!r}; views: {[v.id for v in VIEWS]}") from None


def view_charts(data: CohortData, view_id: str, **choices) -> list:
    """The charts for one view (``view(view_id).charts(data, **choices)``)."""
    return view(view_id).charts(data, **choices)


def view_tables(data: CohortData, view_id: str, **choices) -> dict[str, pd.DataFrame]:
    """The suppressed tables behind one view (``view(view_id).tables(data, **choices)``)."""
    return view(view_id).tables(data, **choices)


def all_tables(data: CohortData, group: str = ALL_GROUPS,
               round: str | None = None) -> dict[str, pd.DataFrame]:
    """Every view's suppressed tables for one scope (and round); for one group, only that
    group's rows of the views about every group."""
    out: dict[str, pd.DataFrame] = {}
    for v in VIEWS:
        out.update(v.tables(data, group=group, round=round, by="all", scoped=True))
    return out
