"""The facilitated session: its steps (what to show and what to say) and session mode.

:data:`SESSION_STEPS` reveal the views one at a time; :class:`SessionMode` is the part of
:class:`kit.apps.facilitator_model.FacilitatorModel` that moves through them (its ``session``,
``step`` and ``ended`` traits live on the model).
"""

from __future__ import annotations

from kit.i18n import N_, _

__all__ = ["SessionStep", "SESSION_STEPS", "END_STEP", "suggested_questions", "SessionMode"]


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


class SessionMode:
    """Session mode on the dashboard's model: steps forward and back, what the room sees and
    the words around it. Mixed into :class:`~kit.apps.facilitator_model.FacilitatorModel`."""

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
