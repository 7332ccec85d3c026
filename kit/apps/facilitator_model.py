"""The facilitator dashboard's state and rules, with no widgets (testable without a browser).

Who may open a cohort, which view is showing with which group, round and options, and the
facilitated session: steps that reveal the views one at a time (see SESSION_STEPS).
"""

from __future__ import annotations

import logging
import os

import traitlets as T

from kit.analysis.cohort import VIEWS, CohortData, view_by_id
from kit.analysis.privacy import ALL_GROUPS, BREAKDOWN_LABELS, BREAKDOWNS
from kit.apps.errors import Refused, is_choice
from kit.i18n import N_, _, ngettext

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


class SessionStep:
    """One step of a facilitated session: what to show and what to say.

    ``title`` and ``guidance`` are given in English (marked with ``N_``) and read back in the
    current language.
    """

    def __init__(self, id: str, title: str, views: tuple[str, ...], minutes: int, guidance: str,
                 room: tuple[str, ...] = ()):
        self.id, self.views, self.minutes = id, views, minutes
        self._title, self._guidance, self._room = title, guidance, room

    @property
    def room(self) -> list[str]:
        """The questions the room sees on the shared screen (``guidance`` is for the
        facilitator only, in the presenter notes)."""
        return [_(q) for q in self._room]

    @property
    def title(self) -> str:
        return _(self._title)

    @property
    def guidance(self) -> str:
        return _(self._guidance)

    def __repr__(self) -> str:
        return f"SessionStep({self.id!r})"


#: The health check's further views, unlocked with it in a session.
_HEALTH = ("health_spread", "health_breakdown")

SESSION_STEPS: tuple[SessionStep, ...] = (
    SessionStep(
        "checkin", N_("1. Check-in and ground rules"), ("participation",), 10,
        N_("Pair people from different organisations for a short check-in. Agree the ground rules, "
           "including that what is said in the room stays in the room. Check that each group has "
           "enough responses for its scores to show; nobody's own answers are visible here. In a "
           "later session, open with 'Reviewing a commitment' in the same pairs."),
        (N_("Who are you, and where do you work?"),
         N_("What would make today worth your time?"),
         N_("What is said in the room stays in the room.")),
    ),
    SessionStep(
        "health", N_("2. Our partnership health check"), ("participation", *_HEALTH, "health"), 50,
        N_("The heart of the session. Area by area, most pressing first: read what good and "
           "poor look like, ask for a recent example of each, and look at the votes. Open "
           "'where we differ' and 'across organisations': what lies behind the differences? "
           "Agree a step."),
        (N_("What is a recent example of good, and of poor?"),
         N_("Better, the same or worse than last time?"),
         N_("What one step would make it better?")),
    ),
    SessionStep(
        "pause", N_("3. A private pause"), ("participation", "health", *_HEALTH, "profile"), 10,
        N_("Each person opens their own profile on their own device: what did you notice "
           "about yourself? Three quiet minutes; then anyone may say one thing they noticed. "
           "Nobody is asked how they scored."),
        (N_("Open your own profile: what do you notice about yourself?"),
         N_("Three quiet minutes. Then, if you wish, say one thing you noticed."),)
    ),
    SessionStep(
        "mixed", N_("4. How varied our habits are"),
        ("participation", "health", *_HEALTH, "profile", "disagreement"), 10,
        N_("The areas where members' own habits vary most. Varied answers are not a "
           "disagreement: people work in different places. Use the questions below."),
        (N_("What have you seen that makes this work, and what gets in the way from where you "
            "sit?"),
         N_("Where do people in different organisations see this differently, and why might "
            "that be?"),
         N_("What would a small, visible step look like before the next round?")),
    ),
    SessionStep(
        "breakdown", N_("5. Across organisations"),
        ("participation", "health", *_HEALTH, "profile", "disagreement", "breakdown"), 15,
        N_("Look at the same areas by organisation. Where views follow organisational lines, "
           "talk about the system (budgets, rules, reporting), not about people. Greyed-out cells "
           "would expose a small group: do not guess at them."),
        (N_("Where do views follow organisational lines?"),
         N_("What in the system (budgets, rules, reporting) might explain it?"),
         N_("Grey cells protect a small group: we do not guess at them.")),
    ),
    SessionStep(
        "commitments", N_("6. Agree commitments"),
        ("participation", "health", *_HEALTH, "profile", "disagreement", "breakdown", "importance"), 15,
        N_("Agree one or two steps for the partnership from the health check; look at 'Focus "
           "here' (areas that matter a lot and sit below the top band); close with 'What I "
           "will do differently on Monday' and one commitment each, with a date."),
        (N_("One commitment each: what you will do, with whom, by when."),
         N_("Would someone from a partner organisation notice it?"),
         N_("What will I do differently on Monday?")),
    ),
)

#: The step after the last one: what to do once the session is over.
END_STEP = SessionStep(
    "end", N_("End of session"), SESSION_STEPS[-1].views, 0,
    N_("Thank everyone. Before people leave: check that each person has written one commitment "
       "in their action plan, agree when the next round opens, and say when the group will meet "
       "again. Then turn session mode off to see every view again, or press 'Back to step 1' "
       "to start a new session."),
    (N_("Thank you."),
     N_("Before you leave: one commitment in your action plan."),
     N_("When do we meet again?")),
)


def suggested_questions(dimension: str, why: str = "") -> list[str]:
    """Questions a facilitator can ask about a dimension where the group's views are spread.

    None of them asks anyone to say how they scored.
    """
    qs = [
        _("When you think about \u201c{area}\u201d, which recent situation comes to mind?").format(
            area=dimension),
        _("What have you seen that makes this work, and what gets in the way from where you sit?"),
        _("Where do people in different organisations see this differently, and why might that be?"),
        _("What would a small, visible step look like before the next round?"),
    ]
    if why:
        qs.insert(0, _("Why it matters: {why}").format(why=why))
    return qs


class FacilitatorModel(T.HasTraits):
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

    # ------------------------------------------------------------------ session

    def start_session(self) -> None:
        """Turn session mode on at the step reached so far (step 1 the first time): turning
        it off and on again keeps the session's place (the end step too)."""
        self.session = True
        self.view = self.current_step.views[-1]

    def end_session(self) -> None:
        """Turn session mode off; every view unlocks and the current step is kept."""
        self.session = False

    def toggle_session(self, on: bool) -> None:
        """The on/off switch: :meth:`start_session` or :meth:`end_session`."""
        if on:
            self.start_session()
        else:
            self.end_session()

    def restart_session(self) -> None:
        """Go back to the first step, for a new session."""
        self.ended = False
        self.step = 0
        self.start_session()

    def next_step(self) -> None:
        """The next step; after the last step, the end step ("End of session")."""
        if self.ended:
            pass
        elif self.step < len(SESSION_STEPS) - 1:
            self.step += 1
        else:
            self.ended = True
        self.view = self.current_step.views[-1]

    def previous_step(self) -> None:
        """The step before; from the end step, back to the last step."""
        if self.ended:
            self.ended = False
        elif self.step > 0:
            self.step -= 1
        self.view = self.current_step.views[-1]

    @property
    def current_step(self) -> SessionStep:
        """The step showing: one of :data:`SESSION_STEPS`, or :data:`END_STEP` once past them."""
        return END_STEP if self.ended else SESSION_STEPS[self.step]

    @property
    def can_go_back(self) -> bool:
        return self.ended or self.step > 0

    @property
    def can_go_on(self) -> bool:
        return not self.ended

    def session_progress(self) -> str:
        """Where the session is, in words: "Session: step 2 of 6", or "Session: finished"."""
        if self.ended:
            return _("Session: finished")
        return _("Session: step {n} of {total}").format(n=self.step + 1, total=len(SESSION_STEPS))

    def session_switch_label(self) -> str:
        """The on/off switch's label, saying its state: "Session mode: on" or "... off"."""
        return _("Session mode: on") if self.session else _("Session mode: off")

    def next_label(self) -> str:
        """The forward button: "Next step", or "End the session" on the last step."""
        if not self.ended and self.step == len(SESSION_STEPS) - 1:
            return _("End the session")
        return _("Next step")

    def session_state(self) -> dict:
        """Where the session is, to keep in the browser across a reload:
        ``{"session": bool, "step": int, "ended": bool}``."""
        return {"session": bool(self.session), "step": int(self.step), "ended": bool(self.ended)}

    def restore_session(self, state) -> bool:
        """Go back to a kept :meth:`session_state` (after a reload). Anything that is not a
        kept state is ignored; a step out of range is brought into range. Returns whether
        the session moved."""
        if not isinstance(state, dict):
            return False
        session, step, ended = state.get("session"), state.get("step"), state.get("ended")
        if not (isinstance(session, bool) and isinstance(ended, bool) and isinstance(step, int)
                and not isinstance(step, bool)):
            return False
        before = self.session_state()
        self.ended = ended
        self.step = step  # clamped by _check_step
        if session:
            self.start_session()
        else:
            self.end_session()
        return self.session_state() != before

    def room_questions(self) -> tuple[str, list[str]]:
        """What the room sees beside the chart: a heading and the step's questions. On the
        "how varied" step, the most mixed areas that may be shown are named first."""
        step = self.current_step
        items = step.room
        if step.id == "mixed" and self.data is not None:
            areas = [dim for dim, _qs in self.session_questions()]
            if areas:
                items = [_("Most varied: {areas}.").format(areas=", ".join(areas)), *items]
        return (_("Questions for the room"), items)

    def session_questions(self, top: int = 3) -> list[tuple[str, list[str]]]:
        """The most mixed areas that may be shown, with questions for each."""
        d = self._need()
        table = d.disagreement(self.group, self.round or None)
        table = table[table["shown"]].head(top)
        why = {dim.id: dim.why for dim in d.framework.dimensions}
        return [(r.dimension, suggested_questions(r.dimension, why.get(r.dimension_id, "")))
                for r in table.itertuples()]

    def focus_dimensions(self) -> list[str]:
        """Areas that matter a lot to the group and sit below the top band ("Focus here"):
        candidates for commitments."""
        d = self._need()
        table = d.importance_performance(self.group, self.round or None)
        return table.loc[table["quadrant"] == "Focus here", "dimension"].tolist()

    def focus_withheld(self) -> tuple[list[str], str]:
        """Areas whose importance or score is withheld (so no quadrant can be read), with the
        reason; ``([], "")`` when nothing is withheld."""
        d = self._need()
        table = d.importance_performance(self.group, self.round or None)
        hidden = table[~table["shown"].astype(bool)]
        if hidden.empty:
            return [], ""
        return hidden["dimension"].tolist(), str(hidden["note"].iloc[0])

    # ------------------------------------------------------------------ content

    def charts(self, size: str = "screen"):
        """ChartWithText items for the current view and choices, drawn for ``size``
        ("screen", "phone" or "projector": session mode's room screen)."""
        from kit.charts.team_views import view_charts

        d = self._need()
        if self.view not in {v.id for v in self.views} or self._unpublished_round():
            return []
        return view_charts(d, self.view, group=self.group, round=self.round or None, sort=self.sort,
                           by=self.by, filter=self.filter_pair, size=size)

    def tables(self) -> dict[str, object]:
        """Suppressed tables behind the current view, by file name (for CSV downloads)."""
        from kit.report.group import view_tables

        d = self._need()
        if self._unpublished_round():
            return {}
        return view_tables(d, self.view, group=self.group, round=self.round or None,
                           by=self.by, filter=self.filter_pair)

    def _unpublished_round(self) -> bool:
        """True when the view reads one round and the chosen round has no results yet (not
        open, open, or closed but not published): it then shows :meth:`empty_reason`, which
        says where the round stands, never "fewer than K responses"."""
        d = self._need()
        view = view_by_id(self.view)
        return bool(view.uses_round and self.round and self.round not in d.answered_rounds)

    def view_title(self) -> str:
        return _(view_by_id(self.view).title)

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
        views = [v for v in VIEWS if not v.id.startswith("health") or d.health_framework is not None]
        return forecast_for_members(self.store.member_counts(self.cohort_id), d.rules,
                                    views=views)

    def empty_reason(self) -> str:
        """Why the current view has nothing to show, truly: the chosen round's state (not open
        yet, open, closed but not published), else that no round has been published yet."""
        d = self._need()
        view = view_by_id(self.view)
        rnd = self.round if view.uses_round else ""
        if self.view.startswith("health"):
            if d.health_framework is None:
                return (d.content_problems[0] if d.content_problems else
                        _("This cohort has no partnership health check, so there is nothing to "
                          "show here."))
            if rnd and rnd in d.answered_rounds and rnd not in d.health_rounds:
                return _("Nobody counted in {round} answered the health check, so it has no "
                         "results for {round}.").format(round=rnd)
        if rnd and rnd not in d.answered_rounds:
            status = d.status_for(rnd)
            if status is not None:
                return status.message
        if not d.answered_rounds:
            said = _("No round has been published yet: a round's results appear here when it "
                     "closes.")
            open_now = next((s for s in d.update_status if s.state == "open"), None)
            return said + " " + open_now.message if open_now is not None else said
        return _("Nothing to show for this view yet.")

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
