"""What every facilitator view does the same way: the round rule, the scope, the file names.

Each view in the registry (:data:`kit.views.VIEWS`) is a :class:`FacilitatorView`: its
description (:class:`kit.analysis.views.View`: id, words, what it needs, which round it reads)
with its tables and its charts. A subclass writes only ``_tables`` and ``_charts``; the round
rule (which round is read, and nothing shown for one not published) is applied here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kit.analysis.cohort import CohortData
from kit.analysis.privacy import ALL_GROUPS
from kit.analysis.views import SCORE_ROUND, View
from kit.i18n import _

__all__ = ["FacilitatorView", "Ask", "slug", "scope_words"]


def slug(text: str) -> str:
    """``text`` as part of a file name: lower case, words joined by ``-`` (``"all"`` if empty).

    Examples
    --------
    >>> slug("Group 1 (North)")
    'group-1-north'
    """
    keep = "".join(c.lower() if c.isalnum() else "-" for c in str(text))
    return "-".join(p for p in keep.split("-") if p) or "all"


def scope_words(group: str) -> str:
    """The scope in a chart's title: the group's name, or "the whole cohort"."""
    return _("the whole cohort") if group == ALL_GROUPS else group


@dataclass(frozen=True)
class Ask:
    """What a view is asked for, once the round rule has been applied.

    ``round`` is the round the view reads (for a score view, the latest published when none was
    chosen); ``only`` is the one group whose rows the views about every group keep (a scoped
    report), else None.
    """

    group: str = ALL_GROUPS
    round: str | None = None
    sort: str = "framework"
    by: str = "organisation"
    filter: tuple[str, str] | None = None
    show_points: bool = True
    size: str = "screen"
    only: str | None = None

    @property
    def where(self) -> str:
        """The scope in words (for chart titles)."""
        return scope_words(self.group)

    @property
    def slug(self) -> str:
        """The scope as part of a file name."""
        return slug(self.group)


class FacilitatorView:
    """One facilitator view: its description, its tables and its charts.

    The description's fields read through: ``id``, ``title``, ``blurb``, ``label``,
    ``about``, ``uses_group``, ``uses_round``, ``reads_round`` and ``needs``.
    """

    #: The pickers beyond group and round that the view offers, in order: ``"sort"``,
    #: ``"filter"`` (the group profile) or ``"by"`` (the breakdown).
    options: tuple[str, ...] = ()

    def __init__(self, spec: View):
        self.spec = spec

    def __getattr__(self, name: str):
        if name == "spec":
            raise AttributeError(name)
        return getattr(self.spec, name)

    def __repr__(self) -> str:
        return f"<view {self.spec.id}>"

    # ------------------------------------------------------------------ the round rule

    def round_for(self, data: CohortData, round: str | None) -> str | None:
        """The round the view reads: for a view of one self-assessment round, ``round`` or
        the latest published (``ValueError`` for a cohort with no rounds); otherwise
        ``round`` as given (a health-check view finds its own latest round)."""
        if self.spec.reads_round == SCORE_ROUND:
            return data._r(round)
        return round

    def unpublished(self, data: CohortData, round: str | None):
        """The status of the round the view reads when its results are not published (the
        view then shows nothing and says where that round stands), else None."""
        if not self.spec.uses_round:
            return None
        return data.unpublished(self.round_for(data, round))

    def _ask(self, data: CohortData, group: str, round: str | None, scoped: bool,
             **choices) -> Ask | None:
        """The choices with the round rule applied, or None when the round is not published."""
        rnd = self.round_for(data, round)
        if self.spec.uses_round and data.unpublished(rnd) is not None:
            return None
        only = group if scoped and group != ALL_GROUPS else None
        return Ask(group=group, round=rnd, only=only, **choices)

    # ------------------------------------------------------------------ content

    def tables(self, data: CohortData, *, group: str = ALL_GROUPS, round: str | None = None,
               by: str = "organisation", filter: tuple[str, str] | None = None,
               scoped: bool = False) -> dict[str, pd.DataFrame]:
        """The suppressed tables behind the view, keyed by a CSV file name.

        ``scoped`` with a ``group``: the views about every group (participation, the cohort
        overview) keep only that group's rows, as one group's report must.
        """
        ask = self._ask(data, group, round, scoped, by=by, filter=filter)
        return {} if ask is None else self._tables(data, ask)

    def charts(self, data: CohortData, *, group: str = ALL_GROUPS, round: str | None = None,
               sort: str = "framework", by: str = "organisation",
               filter: tuple[str, str] | None = None, show_points: bool = True,
               size: str = "screen", scoped: bool = False) -> list:
        """The view's charts (:class:`kit.charts._theme.ChartWithText`), drawn for ``size``
        (``"screen"``, ``"phone"`` or ``"projector"``); ``[]`` when there is nothing to show.

        ``by``: for the breakdown view, ``"organisation"``, ``"sector"``, ``"role_level"`` or
        ``"all"``. ``scoped``: as for :meth:`tables`.
        """
        ask = self._ask(data, group, round, scoped, sort=sort, by=by, filter=filter,
                        show_points=show_points, size=size)
        return [] if ask is None else self._charts(data, ask)

    def empty_reason(self, data: CohortData, round: str | None) -> str:
        """Why the view has nothing to show, truly: the chosen round's state (not open yet,
        open, closed but not published), else that no round has been published yet."""
        rnd = round if self.spec.uses_round else ""
        if rnd and rnd not in data.answered_rounds:
            status = data.status_for(rnd)
            if status is not None:
                return status.message
        if not data.answered_rounds:
            said = _("No round has been published yet: a round's results appear here when it "
                     "closes.")
            open_now = next((s for s in data.update_status if s.state == "open"), None)
            return said + " " + open_now.message if open_now is not None else said
        return _("Nothing to show for this view yet.")

    def _tables(self, data: CohortData, ask: Ask) -> dict[str, pd.DataFrame]:
        return {}

    def _charts(self, data: CohortData, ask: Ask) -> list:
        return []
