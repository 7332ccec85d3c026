"""State and rules of the self-assessment form: one dimension per step, drafts, submit.

No ipywidgets here: :mod:`kit.apps.self_assessment` is the view. Every value that arrives from
a widget is checked again before it is kept, because widget messages can be forged.
"""

from __future__ import annotations

import uuid

from kit.apps.errors import Incomplete, Refused
from kit.apps.stepped import SteppedModel
from kit.i18n import _, ngettext

__all__ = ["SelfAssessmentModel", "round_for", "private_round_name", "commitments_of"]


def _participant(store, participant_id):
    from kit.store.errors import NotFound

    try:
        return store.participant(participant_id)
    except NotFound:  # checked again, with its own message, when the answers are saved
        return None


def _level_id(label) -> str | None:
    """A stored role level ("Front line") as the content id items are tagged with."""
    if not isinstance(label, str) or not label.strip():
        return None
    return "-".join(label.lower().split())


def private_round_name(today) -> str:
    """Private users get one round per calendar month, named like ``"March 2026"``."""
    return today.strftime("%B %Y")


def round_for(store, participant, today):
    """The round this participant answers in now, or ``None`` when their cohort has none open.

    Cohort members answer in the round their facilitator has open. People working on their
    own (privately or through JupyterHub without a cohort) get a private round per month.
    """
    if participant.cohort_id is not None:
        return store.current_round(participant.cohort_id)
    return store.private_round(participant.id, private_round_name(today))


def commitments_of(store, participant_id: int) -> list:
    """The participant's commitments, for the profile's "your commitments" list."""
    return store.list_commitments(participant_id)


class SelfAssessmentModel(SteppedModel):
    """The self-assessment as a sequence of steps, one per framework dimension.

    Moving between steps (:meth:`next`, :meth:`back`, :meth:`go_to`) comes from
    :class:`kit.apps.stepped.SteppedModel`; a draft is saved at every move.

    Parameters
    ----------
    store : kit.store.Store
    participant_id : int
    framework : kit.content.Framework
    round_info : kit.store.RoundInfo or None
        The round to answer in; ``None`` means no round is open (answers can be looked at
        but not submitted) -- except for a participant with no cohort, handled by the store.
    save_drafts : bool
        Save a draft at every step (on by default).

    Examples
    --------
    >>> m = SelfAssessmentModel(store, pid, fw, round_info)           # doctest: +SKIP
    >>> m.set_answer("know-followed-up", 4); m.next()        # doctest: +SKIP
    """

    def __init__(self, store, participant_id: int, framework, round_info=None, *,
                 save_drafts: bool = True):
        self.store = store
        self.participant_id = participant_id
        self.framework = framework
        self.round = round_info
        self.save_drafts = save_drafts
        self.step = 0
        self.answers: dict[str, int | None] = {}
        self.importance: dict[str, int] = {}
        #: the then-test, per area: "looking back, how often did you do this before the
        #: programme?" (an int on the scale, ``None`` for "Not sure"); optional
        self.then: dict[str, int | None] = {}
        #: asked in any round after the first one the person answered (self-assessments only)
        self.asks_then = (
            getattr(framework, "lens", "self") == "self" and round_info is not None
            and store.answered_before(participant_id, framework.id, self.round_id))
        #: a team health check's optional "better, the same or worse since last time?" per
        #: area: 1, 0, -1, or None for "first time or don't know"
        self.trends: dict[str, int | None] = {}
        #: made once per form so a double click or a retry stores one copy
        self.key = uuid.uuid4().hex
        self.submission = None
        self.restored = False
        #: the person's role level as a content id ("front-line", ...), for items written for
        #: some levels only (``role_levels``); ``None`` when they gave none
        self.role_level = _level_id(getattr(_participant(store, participant_id), "role_level",
                                            None))
        self._restore()

    def shown_items(self, dim) -> tuple:
        """The dimension's items this person is asked: every item written for all levels, and
        those tagged for their role level (a person who gave no level gets the untagged ones)."""
        return tuple(i for i in dim.items
                     if not i.role_levels or self.role_level in i.role_levels)

    # -- reading ---------------------------------------------------------------------------
    @property
    def round_id(self) -> int | None:
        return None if self.round is None else self.round.id

    @property
    def steps(self):
        return self.framework.dimensions

    @property
    def dimension(self):
        """The framework dimension shown on the current step."""
        return self.current

    @property
    def can_submit(self) -> bool:
        return self.round is not None and getattr(self.round, "is_open", True)

    def __repr__(self) -> str:
        return f"<SelfAssessmentModel {self.framework.id}: step {self.step + 1} of {self.n_steps}>"

    # -- changing --------------------------------------------------------------------------
    def set_answer(self, item_id, value) -> None:
        """Keep one answer: a whole number on the scale, or ``None`` for "not observed"."""
        if not isinstance(item_id, str):
            raise Refused(_("Unknown statement {item}: nothing was saved.").format(
                item=repr(item_id)))
        try:
            item = self.framework.item(item_id)
        except KeyError:
            raise Refused(
                _("Unknown statement {item}: it is not part of {framework}.").format(
                    item=repr(item_id), framework=repr(self.framework.title))
            ) from None
        scale = self.framework.scale
        if not scale.is_valid(value):
            allowed = _("a whole number from {low} to {high}").format(low=scale.min,
                                                                       high=scale.max)
            if scale.not_applicable:
                allowed = _("{choices} or {other}").format(choices=allowed,
                                                           other=repr(scale.not_applicable))
            raise Refused(_("{value} is not a rating for {item}: choose {allowed}.").format(
                value=repr(value), item=repr(item.text), allowed=allowed))
        self.answers[item_id] = value

    def set_importance(self, dimension_id, value) -> None:
        """Keep how much a dimension matters, on the framework's importance scale."""
        scale = self.framework.importance_scale
        try:
            dim = self.framework.dimension(dimension_id) if isinstance(dimension_id, str) else None
        except KeyError:
            dim = None
        if dim is None or scale is None or not dim.ask_importance:
            raise Refused(_("{area} does not take an importance rating in {framework}.").format(
                area=repr(dimension_id), framework=repr(self.framework.title)))
        if value is None or not scale.is_valid(value):
            raise Refused(_("{value} is not an importance rating for {area}: choose a whole "
                            "number from {low} to {high}.").format(
                value=repr(value), area=repr(dim.title), low=scale.min, high=scale.max))
        self.importance[dimension_id] = value

    def set_then(self, dimension_id, value) -> None:
        """Keep the then-test's answer for one area: a whole number on the scale, or ``None``
        for "Not sure". Only asked in a round after the person's first."""
        if not self.asks_then:
            raise Refused(_("The question about before the programme is asked from your "
                            "second round on; nothing was saved."))
        try:
            dim = self.framework.dimension(dimension_id) if isinstance(dimension_id, str) else None
        except KeyError:
            dim = None
        if dim is None:
            raise Refused(_("{area} is not an area of {framework}: nothing was saved.").format(
                area=repr(dimension_id), framework=repr(self.framework.title)))
        scale = self.framework.scale
        if not (value is None or (isinstance(value, int) and not isinstance(value, bool)
                                  and value in scale.values)):
            raise Refused(_("{value} is not an answer about before the programme for {area}: "
                            "choose one of the answers, or “Not sure”.").format(
                value=repr(value), area=repr(dim.title)))
        self.then[dimension_id] = value

    # -- drafts ----------------------------------------------------------------------------
    def save_draft(self) -> None:
        if not self.save_drafts or self.submission is not None:
            return
        if self.round is None:
            return
        self.store.save_draft(self.participant_id, self.framework.id, self.round_id,
                              dict(self.answers), dict(self.importance), then=dict(self.then),
                              trends=dict(self.trends))

    def _restore(self) -> None:
        if self.round is None:
            return
        draft = self.store.load_draft(self.participant_id, self.framework.id, self.round_id)
        if draft is None:
            return
        answers, importance = draft
        # A draft is only as trustworthy as what wrote it: keep what still fits the framework.
        for k, v in answers.items():
            try:
                self.set_answer(k, v)
            except Refused:
                pass
        for k, v in importance.items():
            try:
                self.set_importance(k, v)
            except Refused:
                pass
        if self.asks_then:
            for k, v in self.store.load_draft_then(self.participant_id, self.framework.id,
                                                   self.round_id).items():
                try:
                    self.set_then(k, v)
                except Refused:
                    pass
        if self.framework.lens == "team":
            for k, v in self.store.load_draft_trends(self.participant_id, self.framework.id,
                                                     self.round_id).items():
                try:
                    self.set_trend(k, v)
                except Refused:
                    pass
        self.restored = bool(self.answers or self.importance or self.then or self.trends)
        first_gap = self.first_gap()
        self.step = first_gap if first_gap is not None else self.n_steps - 1

    # -- checking and submitting -----------------------------------------------------------
    def _step_missing(self, dim) -> list[str]:
        out = [i.text for i in self.shown_items(dim) if i.required and i.id not in self.answers]
        if dim.ask_importance and self.framework.importance_scale and dim.id not in self.importance:
            out.append(_("How important {area} is in your role").format(
                area=dim.title.lower()))
        return out

    def step_missing(self) -> list[str]:
        """What is still to answer on the step on screen (statements, then importance)."""
        return self._step_missing(self.dimension)

    def missing(self) -> list[str]:
        """Everything still to answer, as ``"Step 3, <title>: <statement>"`` lines."""
        out = []
        for n, dim in enumerate(self.steps, start=1):
            for text in self._step_missing(dim):
                out.append(_("Step {n}, {area}: {text}").format(n=n, area=dim.title,
                                                                  text=text))
        return out

    def step_progress(self, step: int | None = None) -> tuple[int, int]:
        """``(answered, asked)`` on one step (the current one by default): every statement,
        plus the importance question where the step asks it."""
        dim = self.steps[self.step if step is None else step]
        asked = [i.id for i in self.shown_items(dim)]
        done = sum(1 for i in asked if i in self.answers)
        total = len(asked)
        if dim.ask_importance and self.framework.importance_scale is not None:
            total += 1
            done += dim.id in self.importance
        return done, total

    def missing_by_step(self) -> list[str]:
        """What is still to answer, one line per step: ``"Step 3, <title>: 2 still to answer"``."""
        out = []
        for n, dim in enumerate(self.steps, start=1):
            gaps = self._step_missing(dim)
            if gaps:
                out.append(_("Step {n}, {area}: {count} still to answer").format(
                    n=n, area=dim.title, count=len(gaps)))
        return out

    def step_has_gap(self, step) -> bool:
        """A step is still to answer while any required statement or its importance is."""
        return bool(self._step_missing(step))

    def first_missing_step(self) -> int | None:
        return self.first_gap()

    def submit(self):
        """Store the response for the open round. Safe to call twice: one copy is kept.

        Raises :class:`Incomplete` naming every missing answer, or :class:`Refused` when no
        round is open.
        """
        if self.submission is not None:
            return self.submission
        if not self.can_submit:
            raise Refused(_(
                "No round is open for answers at the moment, so this cannot be submitted yet. "
                "Your answers are kept as a draft; your facilitator will open the next round."
            ))
        gaps = self.missing()
        if gaps:
            raise Incomplete(
                ngettext("Nearly there: {n} answer is still needed before you can submit.",
                         "Nearly there: {n} answers are still needed before you can submit.",
                         len(gaps)).format(n=len(gaps)),
                gaps,
            )
        self.submission = self.store.submit_response(
            self.participant_id, self.framework.id, self.round_id,
            dict(self.answers), dict(self.importance), key=self.key,
            then=dict(self.then) if self.asks_then else None,
            **({"trends": dict(self.trends)} if self.trends else {}),
        )
        return self.submission

    def set_trend(self, dimension_id, value) -> None:
        """Keep a team health check's "better, the same or worse since last time?" for an
        area (optional): 1 better, 0 the same, -1 worse, None first time or don't know; ``...``
        takes the answer back."""
        dims = {d.id for d in self.framework.dimensions}
        if self.framework.lens != "team" or dimension_id not in dims:
            raise Refused(_("{framework} does not ask whether {area} is better, the same or "
                            "worse.").format(framework=self.framework.title,
                                             area=repr(dimension_id)))
        if value is ...:
            self.trends.pop(dimension_id, None)
            return
        if isinstance(value, bool) or value not in (1, 0, -1, None):
            raise Refused(_("{value} is not an answer to 'better, the same or worse?': choose "
                            "better, the same, worse, or first time or don't know.").format(
                                value=repr(value)))
        self.trends[dimension_id] = value

    def previous(self):
        """The participant's latest submission to this framework in this round, as the store
        gives it (``(submission, ratings, importance)``), or ``None``."""
        return self.store.latest_response(self.participant_id, self.framework.id, self.round_id)

    def answer_again(self):
        """A fresh model for answering this round again, and the previous answers to fill the
        form with (``(ratings, importance)``, or ``None``). The looking-back answers of the
        previous submission are kept when the form asks them."""
        previous = self.previous()
        model = type(self)(self.store, self.participant_id, self.framework, self.round)
        if previous is not None and model.asks_then:
            for k, v in self.store.submission_then(previous[0].id).items():
                model.then.setdefault(k, v)
        return model, ((previous[1], previous[2]) if previous else None)
