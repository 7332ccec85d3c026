"""What each facilitator view is, as data: its id, its words and what it needs.

The analysis needs this much (the forecast of empty views in :mod:`kit.analysis.planning`, the
privacy tests walking every view); the tables and charts of each view are built by the
registry in :mod:`kit.views`, which holds one object per view around these descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.i18n import N_, _

__all__ = ["View", "VIEWS", "view_by_id", "SCORE_ROUND", "HEALTH_ROUND"]

#: ``View.reads_round``: one round of the self-assessment (the latest published by default).
SCORE_ROUND = "scores"
#: ``View.reads_round``: one round of the health check (the latest with its results by default).
HEALTH_ROUND = "health"


@dataclass(frozen=True)
class View:
    """One view of the dashboard: its id, title and which pickers apply to it.

    ``title`` and ``blurb`` are the English text, marked for translation: show them with
    ``_(view.title)`` and ``_(view.blurb)`` (or :attr:`label` and :attr:`about`).
    """

    id: str
    title: str
    uses_group: bool = True
    #: The round rule, read by every caller (the round picker, the dashboard, the report, the
    #: downloads): which round the view reads, :data:`SCORE_ROUND` or :data:`HEALTH_ROUND`,
    #: or ``""`` for a view of every round at once (no round picker). A view that reads one
    #: round shows nothing for a round whose results are not published; it says where that
    #: round stands instead.
    reads_round: str = SCORE_ROUND
    blurb: str = ""
    #: What the view needs to show anything (read by :func:`kit.analysis.planning.plan_views`):
    #: ``"counts"`` (head counts only, always shown), ``"group"`` (a scope's summary of at
    #: least K people), ``"breakdown"`` (an organisation, sector or role level of at least K
    #: within the scope), ``"groups"`` (at least one group's summary) or ``"texts"`` (enough
    #: members of the cohort sharing an answer).
    needs: str = "group"

    @property
    def uses_round(self) -> bool:
        """Whether the view reads one round (the round picker applies to it)."""
        return bool(self.reads_round)

    @property
    def label(self) -> str:
        """The title in the current language."""
        return _(self.title)

    @property
    def about(self) -> str:
        """The blurb in the current language."""
        return _(self.blurb) if self.blurb else ""


VIEWS: tuple[View, ...] = (
    View("participation", N_("Who has taken part"), False, "",
         N_("How many members of each group have completed their private assessment."),
         needs="counts"),
    View("profile", N_("Group profile"), True, SCORE_ROUND,
         N_("How many members fall in each band on each area, with the group's mean.")),
    View("disagreement", N_("How our habits vary"), True, SCORE_ROUND,
         N_("How far apart members are on each area and statement, most mixed first.")),
    View("breakdown", N_("Across organisations and sectors"), True, SCORE_ROUND,
         N_("Mean scores for each partner organisation, sector or role level."),
         needs="breakdown"),
    View("importance", N_("Importance and performance"), True, SCORE_ROUND,
         N_("What members rate as most important, beside how well it is going.")),
    View("change", N_("Change over rounds"), True, "",
         N_("Each round's group mean, with how many people answered.")),
    View("health", N_("Partnership health check"), True, "",
         N_("The partnership's own health check, area by area, with its trend.")),
    View("health_spread", N_("Health check: where we differ"), True, HEALTH_ROUND,
         N_("How far apart members' ratings of the partnership are, area by area, and how "
            "many fall in each band.")),
    View("health_breakdown", N_("Health check: across organisations"), True, HEALTH_ROUND,
         N_("The health check's average rating for each partner organisation, where enough "
            "of its members answered.")),
    View("overview", N_("Cohort overview"), False, "",
         N_("Each group against its own earlier rounds. Groups are never ranked."),
         needs="groups"),
    View("free_text", N_("In their words"), False, "",
         N_("Finished answers to the shared prompt, shuffled and unattributed."),
         needs="texts"),
)


def view_by_id(view_id: str) -> View:
    """The view with this id; ``KeyError`` naming the ids there are."""
    for v in VIEWS:
        if v.id == view_id:
            return v
    raise KeyError(f"no view {view_id!r}; views: {[v.id for v in VIEWS]}")
