"""State and rules of the reflection journal: choose an exercise, answer one prompt at a time,
save drafts, finish, choose whether it goes in the report, read past entries.
"""

from __future__ import annotations

import html
import logging

from kit.analysis.personal import dimension_priority_order
from kit.apps.errors import Refused, is_choice
from kit.apps.links import REVIEW_EXERCISE, commitment_from_entry_link
from kit.apps.stepped import SteppedModel
from kit.i18n import _, format_date

__all__ = ["JournalModel", "entry_html", "MAX_ANSWER"]

log = logging.getLogger(__name__)

#: The most characters one answer may hold.
MAX_ANSWER = 10_000


def suggest_order(exercises, framework, profile) -> list:
    """Exercises that develop the dimensions most worth working on come first.

    An exercise ranks by the best-placed of its dimensions in
    :func:`kit.analysis.personal.dimension_priority_order`; exercises with no dimensions go
    last; ties keep title order.
    """
    order = dimension_priority_order(framework, profile)
    rank = {d: i for i, d in enumerate(order)}

    def key(ex):
        dims = [rank[d] for d in ex.dimensions if d in rank]
        return (min(dims) if dims else len(order), ex.title)

    return sorted(exercises, key=key)


def entry_html(entry, exercise=None) -> str:
    """A past entry as escaped HTML: title, date, each prompt with its answer."""
    title = exercise.title if exercise is not None else entry.exercise_id
    when = format_date(entry.updated_at) if entry.updated_at else ""
    notes = [_("finished") if entry.finished else _("draft")]
    if entry.include_in_report:
        notes.append(_("in your report"))
    if getattr(entry, "shared", False):
        notes.append(_("one answer shared with the whole cohort without your name"))
    state = "; ".join(notes)
    parts = [f"<h3>{html.escape(title)}</h3><p class='kit-entry-meta'>{html.escape(when)} "
             f"({html.escape(state)})</p>"]
    for step_id, text in entry.answers.items():
        prompt = step_id
        if exercise is not None:
            try:
                prompt = exercise.step(step_id).prompt
            except KeyError:
                pass
        body = html.escape(text).replace("\n", "<br>")
        parts.append(f"<p><strong>{html.escape(prompt)}</strong><br>{body}</p>")
    return "<div class='kit-entry'>" + "".join(parts) + "</div>"


class JournalModel(SteppedModel):
    """One participant's journal.

    Parameters
    ----------
    store : kit.store.Store
    participant_id : int
    exercises : list of kit.content.Exercise
    framework : kit.content.Framework
        Used to put the exercises in a helpful order.
    profile : kit.analysis.personal.Profile or None

    Moving between prompts (:meth:`next`, :meth:`back`, :meth:`go_to`, :attr:`current`)
    comes from :class:`kit.apps.stepped.SteppedModel`; a draft is saved at every move.
    """

    def __init__(self, store, participant_id: int, exercises, framework=None, profile=None):
        self.store = store
        self.participant_id = participant_id
        self.framework = framework
        self.exercises = (suggest_order(exercises, framework, profile)
                          if framework is not None else list(exercises))
        self.suggested_ids = self._suggested(profile)
        self.exercise = None
        self.entry_id: int | None = None
        self.step = 0
        self.answers: dict[str, str] = {}
        self.include_in_report = False
        self.finished = False
        #: the writer's consent to pool the shared step's answer with their group (off by default)
        self.shared = False
        #: whether the entry as last saved was finished and shared (an un-share changes sharing)
        self._stored_shared = False
        #: True while following the exercise's short path (its essential steps only)
        self.short = False
        #: the commitment a "reviewing a commitment" entry reviews (set from the page address)
        self.review_of: int | None = None

    @classmethod
    def for_participant(cls, store, participant_id: int, exercises, framework=None):
        """The journal of one participant, its suggestions ordered by their latest profile.

        The profile is a help, not a requirement: if it cannot be read, the journal still
        opens, listing every exercise, and the log says what was lost."""
        from kit.analysis.stored import load_profile

        try:
            profile, _history = load_profile(store, participant_id, framework)
        except Exception:  # noqa: BLE001 - suggestions are a help, not a requirement
            logging.getLogger("kit.apps").warning(
                "the reflection journal could not load participant %s's profile, so it "
                "suggests no exercises", participant_id, exc_info=True)
            profile = None
        return cls(store, participant_id, exercises, framework, profile)

    def __repr__(self) -> str:
        return f"<JournalModel: {len(self.exercises)} exercises>"

    def _suggested(self, profile) -> tuple[str, ...]:
        if profile is None or self.framework is None:
            return ()
        top = dimension_priority_order(self.framework, profile)[:2]
        return tuple(ex.id for ex in self.exercises if set(ex.dimensions) & set(top))

    def exercise_by_id(self, exercise_id):
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise Refused(_("There is no exercise {exercise}; choose one from the list.").format(
            exercise=repr(exercise_id)))

    @staticmethod
    def duration(exercise) -> str:
        """How long an exercise takes, e.g. "about 25 minutes, or 10 on the short path"."""
        return exercise.duration_text()

    # -- starting and opening --------------------------------------------------------------
    def start(self, exercise_id, short: bool = False) -> None:
        """Begin a new entry for an exercise; ``short`` follows its short path (the essential
        steps), when it has one."""
        if not isinstance(short, bool):
            raise Refused(_("Choose the full exercise or the short path."))
        self.exercise = self.exercise_by_id(exercise_id)
        self.entry_id, self.step, self.answers = None, 0, {}
        self.include_in_report = False
        self.finished = False
        self.shared = self._stored_shared = False
        self.short = short and self.exercise.has_short_path

    def entries(self) -> list:
        """Past entries, newest first."""
        return sorted(self.store.list_reflections(self.participant_id),
                      key=lambda e: (e.updated_at, e.id), reverse=True)

    def open_entry(self, entry_id) -> None:
        """Carry on with (or edit) one of this participant's own entries."""
        entry = next((e for e in self.store.list_reflections(self.participant_id)
                      if is_choice(entry_id, {e.id})), None)
        if entry is None:
            raise Refused(_("There is no journal entry {entry} of yours to open.").format(
                entry=repr(entry_id)))
        self.exercise = self.exercise_by_id(entry.exercise_id)
        self.entry_id = entry.id
        self.answers = {k: v for k, v in entry.answers.items()
                        if k in {s.id for s in self.exercise.steps}}
        self.include_in_report = entry.include_in_report
        self.finished = entry.finished
        self.shared = bool(getattr(entry, "shared", False))
        self._stored_shared = self.shared and self.finished
        if getattr(entry, "commitment_id", None) is not None:
            self.review_of = entry.commitment_id
        # an entry written on the short path opens on it again
        essential = {s.id for s in self.exercise.short_steps}
        self.short = (self.exercise.has_short_path
                      and {k for k, v in self.answers.items() if v.strip()} <= essential)
        self.step = self.first_gap() or 0

    def exercise_for(self, exercise_id):
        try:
            return self.exercise_by_id(exercise_id)
        except Refused:
            return None

    # -- stepping ----------------------------------------------------------------------------
    def _need_exercise(self):
        if self.exercise is None:
            raise Refused(_("Choose an exercise first."))
        return self.exercise

    @property
    def steps(self) -> tuple:
        """The steps being followed: the short path's, or all of them."""
        ex = self._need_exercise()
        return ex.short_steps if self.short else ex.steps

    def step_has_gap(self, step) -> bool:
        """A prompt is still to answer while its answer is empty or only white space."""
        return not self.answers.get(step.id, "").strip()

    def set_answer(self, step_id, text) -> None:
        ex = self._need_exercise()
        if not is_choice(step_id, {s.id for s in ex.steps}):
            raise Refused(_("{step} is not a step of {exercise}; nothing was saved.").format(
                step=repr(step_id), exercise=repr(ex.title)))
        if not isinstance(text, str):
            raise Refused(_("An answer must be text."))
        if len(text) > MAX_ANSWER:
            raise Refused(_("That answer is {n} characters long; please keep each answer to "
                            "{most} or fewer.").format(n=f"{len(text):,}", most=f"{MAX_ANSWER:,}"))
        self.answers[step_id] = text

    @property
    def is_open(self) -> bool:
        """An entry is being written (started or opened, and not yet finished here)."""
        return self.exercise is not None

    def close(self) -> None:
        """Put the open entry away (after saving it); the next :meth:`start` begins afresh."""
        self.exercise, self.entry_id, self.step, self.answers = None, None, 0, {}
        self.include_in_report = self.finished = self.shared = self._stored_shared = False

    @property
    def shared_step(self):
        """The step of the open exercise that a group may see without names, or ``None``."""
        ex = self._need_exercise()
        sid = getattr(ex, "shared_step", None)
        return ex.step(sid) if sid else None

    def set_shared(self, shared) -> None:
        """Record the writer's yes or no to sharing the shared step's answer with the group."""
        if not isinstance(shared, bool):
            raise Refused(_("Choose yes or no for sharing this answer with your group."))
        if shared and self.shared_step is None:
            raise Refused(_("{exercise} has no answer to share with a group.").format(
                exercise=repr(self.exercise.title)))
        self.shared = shared

    def set_include(self, include) -> None:
        if not isinstance(include, bool):
            raise Refused(_("Choose yes or no for including this entry in your report."))
        self.include_in_report = include

    # -- saving ------------------------------------------------------------------------------
    def _has_text(self) -> bool:
        return any(v.strip() for v in self.answers.values())

    def _reviews(self, ex) -> int | None:
        """The commitment this entry reviews: only a "reviewing a commitment" entry has one."""
        return self.review_of if ex.id == REVIEW_EXERCISE else None

    def save_draft(self) -> int | None:
        """Save what is written so far (nothing is saved while every answer is empty)."""
        ex = self._need_exercise()
        if not self._has_text():
            return self.entry_id
        self.entry_id = self.store.save_reflection(
            self.participant_id, ex.id, dict(self.answers), entry_id=self.entry_id,
            finished=self.finished, include_in_report=self.include_in_report, shared=self.shared,
            commitment_id=self._reviews(ex))
        self._sharing_saved(ex)
        return self.entry_id

    def _sharing_saved(self, ex) -> None:
        """After a save that may change what the cohort shares (a finished entry shared, or one
        shared until now), give a batch of shared answers its chance to be released
        (:func:`kit.publishing.release_texts`): batches are released on the write that changes
        sharing, never when the facilitator's view is read."""
        shared_now = self.finished and self.shared
        changed = shared_now or self._stored_shared
        self._stored_shared = shared_now
        step = getattr(ex, "shared_step", None)
        if not changed or not step:
            return
        from kit.publishing import release_texts
        from kit.store.errors import StoreError

        cohort_id = self.store.participant(self.participant_id).cohort_id
        if cohort_id is None:
            return
        try:
            release_texts(self.store, cohort_id, ex.id, step)
        except StoreError:  # the entry is saved; the batch waits for the next change or close
            log.warning("journal entry saved, but releasing a batch of shared answers for %r "
                        "failed; it is released at the next change to sharing or round close",
                        ex.id, exc_info=True)

    def unanswered(self) -> list[str]:
        return [s.prompt for s in self.steps if self.step_has_gap(s)]

    def finish(self, include_in_report: bool | None = None) -> int:
        """Mark the entry finished (it needs at least one answer) and save it."""
        ex = self._need_exercise()
        if include_in_report is not None:
            self.set_include(include_in_report)
        if not self._has_text():
            raise Refused(_("Write something for at least one prompt of {exercise} before "
                            "finishing the entry.").format(exercise=repr(ex.title)))
        self.finished = True
        self.entry_id = self.store.save_reflection(
            self.participant_id, ex.id, dict(self.answers), entry_id=self.entry_id,
            finished=True, include_in_report=self.include_in_report, shared=self.shared,
            commitment_id=self._reviews(ex))
        self._sharing_saved(ex)
        return self.entry_id

    # -- closing the loop ----------------------------------------------------------------------
    def commitment_for_review(self, commitment_id):
        """One of this participant's commitments (for "reviewing a commitment"), or ``None``.
        A commitment found becomes the one a new review entry is linked to."""
        if commitment_id is None:
            return None
        found = next((c for c in self.store.list_commitments(self.participant_id)
                      if is_choice(commitment_id, {c.id})), None)
        if found is not None:
            self.review_of = found.id
        return found

    def make_commitment(self) -> str:
        """Save the entry and return the action plan's address that fills in its last answer.

        Refuses when the last step is still empty: there is nothing to commit to yet.
        """
        ex = self._need_exercise()
        if not self.answers.get(self.steps[-1].id, "").strip():
            raise Refused(_("Write your answer to the last prompt of {exercise} first: that "
                            "is the text your commitment starts from.").format(
                exercise=repr(ex.title)))
        entry_id = self.save_draft()
        return commitment_from_entry_link(entry_id)
