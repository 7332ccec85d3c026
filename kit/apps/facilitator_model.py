"""The facilitator dashboard's state and rules, with no widgets (testable without a browser).

Who may open a cohort, which view is showing with which group, round and options, and the
facilitated session: steps that reveal the views one at a time (see SESSION_STEPS).
"""

from __future__ import annotations

import logging
import os

import traitlets as T

from kit.analysis.cohort import CohortData
from kit.analysis.privacy import ALL_GROUPS, BREAKDOWN_LABELS, BREAKDOWNS
from kit.apps.errors import Refused, is_choice
from kit.apps.facilitator_session import (
    END_STEP,
    SESSION_STEPS,
    SessionMode,
    SessionStep,
    suggested_questions,
)
from kit.i18n import N_, _, ngettext
from kit.views import VIEWS, FacilitatorView, view

__all__ = [
    "FacilitatorModel",
    "AccessDenied",
    "SessionStep",
    "SESSION_STEPS",
    "END_STEP",
    "suggested_questions",
    "SORT_LABELS",
]

log = logging.getLogger(__name__)

#: Orders of the group profile (English; shown through ``_()``).
SORT_LABELS = {
    "framework": N_("Framework order"),
    "mean": N_("Highest mean first"),
    "disagreement": N_("Most mixed first"),
}


class AccessDenied(Exception):
    """The key or user cannot open a cohort. The message is safe to show as it is."""

    friendly = True

class FacilitatorModel(SessionMode, T.HasTraits):
    """The dashboard's state. Set ``data`` (via one of the ``open_*`` methods) to unlock it."""

    cohort_name = T.Unicode("")
    view = T.Unicode("participation")
    group = T.Unicode(ALL_GROUPS)
    round = T.Unicode("")
    sort = T.Unicode("framework")
    by = T.Unicode("organisation")
    filter = T.Unicode("")            # "attribute=value" or "" for everyone
    session = T.Bool(False)
    step = T.Int(0)
    ended = T.Bool(False)             # past the last step: the "End of session" step
    message = T.Unicode("")

    def __init__(self, **kw):
        super().__init__(**kw)
        self.data: CohortData | None = None
        self.cohort_id: int | None = None
        self.store = None

    # ------------------------------------------------------------------ access

    @property
    def is_open(self) -> bool:
        return self.data is not None

    def open_data(self, data: CohortData, cohort_id: int | None = None, store=None) -> None:
        """Unlock the dashboard on already-loaded data."""
        self.data = data
        self.cohort_id = cohort_id
        self.store = store
        self.round = data.answered_rounds[-1] if data.answered_rounds else (data.rounds[0] if data.rounds else "")
        self.group = data.groups[0] if data.groups else ALL_GROUPS
        self.message = ""
        self.cohort_name = data.name  # last: observers see a complete state

    def open_with_key(self, store, key: str) -> None:
        """Open the cohort whose facilitator key is ``key``; :class:`AccessDenied` if none."""
        key = (key or "").strip()
        if not key:
            raise AccessDenied(_("Enter the facilitator key you were given when the cohort was "
                                 "created."))
        from kit.store.errors import CodeError, NotFound

        try:
            info = store.cohort_by_facilitator_key(key)
        except (CodeError, NotFound) as exc:  # a busy or unreachable database is not a bad key
            log.info("facilitator key refused: %s", type(exc).__name__)
            raise AccessDenied(_(
                "That key does not open a cohort. Check it against the one you were given "
                "(letters and digits in groups of four)."
            )) from None
        self.open_data(CohortData.from_store(store, info.id), info.id, store)

    def open_for_hub_user(self, store, user: str, facilitators, cohort_id: int | None = None) -> None:
        """Open a cohort for a JupyterHub user listed in ``KIT_FACILITATORS``.

        Without ``cohort_id``, the most recently created cohort opens.
        """
        if not user or user not in facilitators:
            raise AccessDenied(_("Your account {user} is not on the list of facilitators. "
                                 "Ask whoever runs the kit to add you.").format(user=repr(user)))
        cohorts = store.list_cohorts()
        if not cohorts:
            raise AccessDenied(_("There are no cohorts yet. Create one on the set-up page."))
        if cohort_id is None:
            cohort_id = max(cohorts, key=lambda c: (c.created_at, c.id)).id
        self.open_data(CohortData.from_store(store, cohort_id), cohort_id, store)

    def open_demo(self, store) -> None:
        """Seed the demo cohort if needed and open it."""
        from kit.demo import seed_demo

        codes = seed_demo(store)
        self.open_data(CohortData.from_store(store, codes.cohort_id), codes.cohort_id, store)

    # ------------------------------------------------------------------ choices

    def _need(self) -> CohortData:
        if self.data is None:
            raise AccessDenied(_("Open a cohort first."))
        return self.data

    @property
    def views(self):
        """Views unlocked now: all of them, or in a facilitated session those of the step so far."""
        if not self.session:
            return VIEWS
        allowed = self.current_step.views
        return tuple(v for v in VIEWS if v.id in allowed)

    def group_choices(self) -> list[tuple[str, str]]:
        d = self._need()
        return [(g if g != ALL_GROUPS else _("All groups (whole cohort)"), g) for g in d.scopes]

    def round_choices(self) -> list[tuple[str, str]]:
        d = self._need()
        answered = set(d.answered_rounds)
        states = {s.round: s.state for s in d.update_status}
        words = {"open": N_("{round} (open: results appear when it closes)"),
                 "not open": N_("{round} (not open yet)"),
                 "closed": N_("{round} (closed, not published yet)")}
        return [(r if r in answered else _(words.get(states.get(r), N_("{round} (not published "
                                                                        "yet)"))).format(round=r), r)
                for r in d.rounds]

    def by_choices(self) -> list[tuple[str, str]]:
        return [(_(BREAKDOWN_LABELS[b]), b) for b in BREAKDOWNS] + [(_("All three"), "all")]

    def filter_choices(self) -> list[tuple[str, str]]:
        """Everyone, plus each organisation/sector/role level that may be shown on its own."""
        d = self._need()
        out = [(_("Everyone"), "")]
        if not self.round:
            return out
        for by, value in d.filter_options(self.group, self.round):
            table = d.breakdown(by, self.group, self.round)
            if table[(table["value"] == value) & table["shown"]].empty:
                continue  # only filters whose cell may be shown
            out.append((_("{breakdown}: {value}").format(breakdown=_(BREAKDOWN_LABELS[by]), value=value),
                        f"{by}={value}"))
        return out

    @property
    def filter_pair(self) -> tuple[str, str] | None:
        if not self.filter:
            return None
        by, _, value = self.filter.partition("=")
        return (by, value)

    @T.validate("view")
    def _check_view(self, proposal):
        value = proposal["value"]
        if not is_choice(value, {v.id for v in VIEWS}):
            raise Refused(_("There is no view {view}; choose one of {views}.").format(
                view=repr(value), views=", ".join(v.id for v in VIEWS)))
        return value

    @T.validate("sort")
    def _check_sort(self, proposal):
        if not is_choice(proposal["value"], SORT_LABELS):
            raise Refused(_("The order {order} is not one of {orders}.").format(
                order=repr(proposal["value"]), orders=", ".join(SORT_LABELS)))
        return proposal["value"]

    # Picker values arrive over the widget channel, so each is checked against the choices
    # the dashboard offers (a forged filter must not reach a cell the rules withhold).
    @T.validate("group")
    def _check_group(self, proposal):
        value = proposal["value"]
        if self.data is not None and not is_choice(value, self.data.scopes):
            raise Refused(_("There is no group {group} in this cohort; choose one from the "
                            "list.").format(group=repr(value)))
        return value

    @T.validate("round")
    def _check_round(self, proposal):
        value = proposal["value"]
        if self.data is not None and value != "" and not is_choice(value, self.data.rounds):
            raise Refused(_("There is no round {round} in this cohort; choose one from the "
                            "list.").format(round=repr(value)))
        return value

    @T.validate("by")
    def _check_by(self, proposal):
        value = proposal["value"]
        if not is_choice(value, {b for _label, b in self.by_choices()}):
            raise Refused(_("Scores cannot be broken down by {by}; choose one from the "
                            "list.").format(by=repr(value)))
        return value

    @T.validate("filter")
    def _check_filter(self, proposal):
        value = proposal["value"]
        if value == "":
            return value
        if self.data is None or not is_choice(value, {v for _l, v in self.filter_choices()}):
            raise Refused(_("That filter is not one of the choices offered (too few people to "
                            "show on their own, or not in this group); choose one from the list."))
        return value

    @T.validate("step")
    def _check_step(self, proposal):
        return max(0, min(len(SESSION_STEPS) - 1, proposal["value"]))

    @T.observe("group", "round")
    def _reset_filter(self, _change):
        self.filter = ""

    # ------------------------------------------------------------------ content

    @property
    def current_view(self) -> FacilitatorView:
        """The registry's object for the view showing (:mod:`kit.views`): its words, what it
        reads, its tables and its charts."""
        return view(self.view)

    def charts(self, size: str = "screen"):
        """ChartWithText items for the current view and choices, drawn for ``size``
        ("screen", "phone" or "projector": session mode's room screen), from the registry."""
        d = self._need()
        if self.view not in {v.id for v in self.views} or self._unpublished_round():
            return []
        return self.current_view.charts(d, group=self.group, round=self.round or None,
                                        sort=self.sort, by=self.by, filter=self.filter_pair,
                                        size=size)

    def tables(self) -> dict[str, object]:
        """Suppressed tables behind the current view, by file name (for CSV downloads)."""
        d = self._need()
        if self._unpublished_round():
            return {}
        return self.current_view.tables(d, group=self.group, round=self.round or None,
                                        by=self.by, filter=self.filter_pair)

    def _unpublished_round(self) -> bool:
        """True when the view reads one round and the chosen round has no results yet (not
        open, open, or closed but not published): it then shows :meth:`empty_reason`, which
        says where the round stands, never "fewer than K responses"."""
        d = self._need()
        return bool(self.current_view.uses_round and self.round
                    and self.round not in d.answered_rounds)

    def view_title(self) -> str:
        return self.current_view.label

    # ------------------------------------------------------------------ published results

    def status_lines(self) -> list[str]:
        """Where each round stands, what happens next and who counts, in plain words; then
        members' objections to their group's count, and acts that changed who counts."""
        d = self._need()
        lines = [s.message for s in d.update_status]
        if self.store is not None and self.cohort_id is not None:
            for o in self.store.objections(self.cohort_id, unresolved_only=True):
                lines.append(_(
                    "A member of {group} said the count for {round} ({n} counted) does not "
                    "match their group. {group}'s results for {round} are held until the set-up "
                    "key holder checks the members and resolves it.").format(
                    group=o["group"], round=o["round"], n=o["counted"]))
        return lines + list(d.membership_notes)

    def view_forecast(self) -> tuple[str, list[str]]:
        """Before the day: which views will be empty or withheld when the open round (else the
        next) closes, with the groups and members as they are now; ``("", [])`` without a
        store or once every round has run. Shown on "Who has taken part"."""
        from kit.analysis.planning import forecast_for_members

        d = self._need()
        if self.store is None or self.cohort_id is None:
            return "", []
        views = [v.spec for v in VIEWS
                 if not v.id.startswith("health") or d.health_framework is not None]
        return forecast_for_members(self.store.member_counts(self.cohort_id), d.rules,
                                    views=views)

    def empty_reason(self) -> str:
        """Why the current view has nothing to show, truly: the chosen round's state (not open
        yet, open, closed but not published), else that no round has been published yet
        (the registry's words for the view)."""
        return self.current_view.empty_reason(self._need(), self.round)

    def round_action(self) -> tuple[str, str] | None:
        """The one round act on offer: ``("open", name)`` for the next round not open yet
        when none is open, ``("close", name)`` for the open round, or None when all have run."""
        d = self._need()
        states = [(s.round, s.state) for s in d.update_status]
        for name, state in states:
            if state == "open":
                return ("close", name)
        for name, state in states:
            if state == "not open":
                return ("open", name)
        return None

    def open_round(self, round_name: str) -> str:
        """Open a round (fixing who counts in it); returns a sentence saying who counts."""
        from kit.analysis.rounds import round_statuses

        d = self._need()
        if self.store is None or self.cohort_id is None:
            raise AccessDenied(_("Only a cohort opened from the store can open rounds."))
        opened = self.store.open_round(self.cohort_id, round_name)
        self._reload()
        n = next((s.counted for s in round_statuses(self.store, self.cohort_id, d.framework.id)
                  if s.round == opened.name), 0)
        return ngettext(
            "{round} is open. It counts the {n} person who had joined; anyone joining from now "
            "on counts from the next round. Results appear when it closes.",
            "{round} is open. It counts the {n} people who had joined; anyone joining from now "
            "on counts from the next round. Results appear when it closes.", n).format(
            round=opened.name, n=n)

    def close_round(self, round_name: str) -> str:
        """Close a round and publish its results, once and final; returns what happened."""
        from kit.publishing import close_round

        d = self._need()
        if self.store is None or self.cohort_id is None:
            raise AccessDenied(_("Only a cohort opened from the store can close rounds."))
        frameworks = [d.framework, *([d.health_framework] if d.health_framework else [])]
        closed = close_round(self.store, self.cohort_id, round_name, rules=d.rules,
                             frameworks=frameworks)
        self._reload()
        if not closed.taken_back and closed.round in self.data.answered_rounds:
            self.round = closed.round
        return closed.message

    # ------------------------------------------------------------------ agreed steps

    def _group_and_round(self, round_name: str | None = None):
        """``(GroupInfo, RoundInfo)`` of the group and round chosen on the dashboard (or the
        round named). Recording steps needs one group of a cohort opened from the store."""
        self._need()
        if self.store is None or self.cohort_id is None:
            raise AccessDenied(_("Only a cohort opened with its facilitator key can keep "
                                 "agreed steps."))
        info = self.store.cohort(self.cohort_id)
        group = next((g for g in info.groups if g.name == self.group), None)
        if group is None:
            raise Refused(_("Choose one group in “Group” above: agreed steps "
                            "belong to one group."))
        name = self.round if round_name is None else round_name
        rnd = next((r for r in info.rounds if r.name == name), None)
        if rnd is None:
            raise Refused(_("Choose a round in “Round” above: agreed steps belong "
                            "to the round the session talks about."))
        return group, rnd, info.rounds

    def agreed_steps(self) -> list:
        """The steps the chosen group agreed for the chosen round, oldest first (none when no
        single group or round is chosen)."""
        try:
            group, rnd, _rounds = self._group_and_round()
        except (Refused, AccessDenied):
            return []
        return self.store.group_steps(self.cohort_id, rnd.id, group.id)

    def add_agreed_step(self, text) -> str:
        """Record one step the chosen group agreed for the chosen round; returns what happened.

        Raises :class:`Refused` without one group and round, and the store's
        ``InvalidResponse`` for an empty or long text (a message for the page).
        """
        group, rnd, _rounds = self._group_and_round()
        self.store.add_group_step(self.cohort_id, group.id, rnd.id,
                                  text if isinstance(text, str) else "")
        return _("Agreed step recorded for {group}, {round}. The next session opens with "
                 "it.").format(group=group.name, round=rnd.name)

    def remove_agreed_step(self, step_id) -> None:
        """Remove one of the chosen group's agreed steps (by id)."""
        if not isinstance(step_id, int) or isinstance(step_id, bool):
            raise Refused(_("Unknown agreed step: nothing was removed."))
        known = {s.id for s in self.agreed_steps()}
        if step_id not in known:
            raise Refused(_("That agreed step is not one of this group's for this round: "
                            "nothing was removed."))
        self.store.remove_group_step(self.cohort_id, step_id)

    def previous_agreed_steps(self) -> tuple[str, list]:
        """``(round name, steps)``: what the chosen group agreed in the latest earlier round
        that has agreed steps, to open the next session with (``("", [])`` when none)."""
        try:
            group, rnd, rounds = self._group_and_round()
        except (Refused, AccessDenied):
            return "", []
        earlier = sorted((r for r in rounds if r.position < rnd.position),
                         key=lambda r: -r.position)
        for r in earlier:
            steps = self.store.group_steps(self.cohort_id, r.id, group.id)
            if steps:
                return r.name, steps
        return "", []

    def _reload(self) -> None:
        d = self._need()
        kept = (self.view, self.group, self.session, self.step, self.ended)
        self.open_data(CohortData.from_store(self.store, self.cohort_id, framework=d.framework,
                                             health_framework=d.health_framework or False,
                                             rules=d.rules), self.cohort_id, self.store)
        self.view, self.group, self.session, self.step, self.ended = kept


def hub_user() -> str:
    """The JupyterHub user name, or ``""`` outside JupyterHub."""
    return os.environ.get("JUPYTERHUB_USER", "")
