"""State and rules of the action plan: commitments tied to a dimension, due dates, reviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kit.apps.errors import Refused, is_choice
from kit.apps.links import review_commitment_link
from kit.i18n import N_, _, format_date
from kit.store.info import COMMITMENT_STATUS_LABELS as STATUS_LABELS

__all__ = ["ActionPlanModel", "PlanRow", "REVIEW_CHOICES", "MAX_TEXT", "MAX_NOTE", "MAX_YEARS_AHEAD",
           "review_due", "due_reviews"]

#: The most characters a commitment may hold (the store's limit too).
MAX_TEXT = 2000
#: The most characters a review note may hold.
MAX_NOTE = 5000
#: How far ahead a due date may be set, in years.
MAX_YEARS_AHEAD = 5
#: Review choices people see, as (label, stored status).
#: Labels are marked for translation here and translated where they are shown (``_(label)``).
REVIEW_CHOICES = ((N_("Not started"), "open"), (N_("In progress"), "in_progress"),
                  (N_("Done"), "done"), (N_("Dropped"), "dropped"))
_OPEN = ("open", "in_progress")


def review_due(c, today: dt.date) -> bool:
    """True when a commitment is due a review: its due date has come, whatever its status,
    and it has not been reviewed since; or it was marked done or dropped."""
    if c.status in ("done", "dropped"):
        return True
    if c.due is None or c.due > today:
        return False
    reviewed = c.reviewed_at.date() if c.reviewed_at is not None else None
    return reviewed is None or reviewed < c.due


def due_reviews(store, participant_id: int, today: dt.date) -> list:
    """The person's commitments whose due date has come and that have not been reviewed since,
    oldest due first (for Start here)."""
    out = [c for c in store.list_commitments(participant_id)
           if c.due is not None and c.due <= today and review_due(c, today)
           and c.status not in ("done", "dropped")]
    return sorted(out, key=lambda c: (c.due, c.id))


@dataclass(frozen=True)
class PlanRow:
    """A commitment as the plan shows it."""

    commitment: object  # kit.store.CommitmentInfo
    overdue: bool
    dimension_title: str

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS.get(self.commitment.status)
        return _(label) if label else self.commitment.status


class ActionPlanModel:
    """One participant's commitments, checked before saving and ordered overdue first."""

    def __init__(self, store, participant_id: int, framework, today: dt.date):
        self.store = store
        self.participant_id = participant_id
        self.framework = framework
        self.today = today

    def __repr__(self) -> str:
        return f"<ActionPlanModel: {self.framework.id}>"

    def dimension_options(self) -> list[tuple[str, str]]:
        return [(d.title, d.id) for d in self.framework.dimensions]

    def add(self, text, dimension_id, due) -> int:
        """Add a commitment; refuses empty text, unknown dimensions and past dates."""
        if not isinstance(text, str) or not text.strip():
            raise Refused(_("Write what you will do: the commitment text is empty."))
        if len(text) > MAX_TEXT:
            raise Refused(_("The commitment is {n} characters; keep it to {most}.").format(
                n=f"{len(text):,}", most=f"{MAX_TEXT:,}"))
        ids = {d.id for d in self.framework.dimensions}
        if not is_choice(dimension_id, ids):
            raise Refused(_("{area} is not an area of {framework}: choose one from the "
                            "list.").format(area=repr(dimension_id),
                                            framework=repr(self.framework.title)))
        if isinstance(due, dt.datetime) or not isinstance(due, dt.date):
            raise Refused(_("Choose a due date with the date picker."))
        if due < self.today:
            raise Refused(_("The due date {date} is in the past: choose today ({today}) or "
                            "later.").format(date=format_date(due),
                                             today=format_date(self.today)))
        if (due - self.today).days > 366 * MAX_YEARS_AHEAD:
            raise Refused(_("The due date {date} is more than {years} years away: choose a "
                            "nearer date, so you can review it.").format(
                date=format_date(due), years=MAX_YEARS_AHEAD))
        return self.store.add_commitment(self.participant_id, text.strip(), dimension_id, due)

    def review(self, commitment_id, status, note="") -> None:
        """Mark one of this participant's commitments not started, in progress, done or dropped."""
        allowed = {s for _label, s in REVIEW_CHOICES}
        if not is_choice(status, allowed):
            raise Refused(_("{status} is not a review choice: use not started, in progress, "
                            "done or dropped.").format(status=repr(status)))
        if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
            raise Refused(_("The note must be text of {most} characters or fewer.").format(
                most=f"{MAX_NOTE:,}"))
        mine = {c.id for c in self.store.list_commitments(self.participant_id)}
        if not is_choice(commitment_id, mine):
            raise Refused(_("There is no commitment {id} of yours to review.").format(
                id=repr(commitment_id)))
        self.store.review_commitment(self.participant_id, commitment_id, status,
                                     (note or "").strip() or None)

    def keep_note(self, commitment_id, note) -> None:
        """Save a review note as it is typed, keeping the commitment's saved status (the
        status changes only when the review is saved)."""
        c = next((c for c in self.store.list_commitments(self.participant_id)
                  if is_choice(commitment_id, {c.id})), None)
        if c is None:
            raise Refused(_("There is no commitment {id} of yours to review.").format(
                id=repr(commitment_id)))
        self.review(c.id, c.status, note)

    def prefill_from_entry(self, entry_id, exercises) -> tuple[str, str | None]:
        """``(text, dimension id)`` for a new commitment drawn from one of this participant's
        journal entries: the answer to the exercise's last step (or the latest answered step),
        and the first of the exercise's areas that this plan offers.

        Refuses an entry that is not theirs or has no answers to draw on.
        """
        entry = next((e for e in self.store.list_reflections(self.participant_id)
                      if is_choice(entry_id, {e.id})), None)
        if entry is None:
            raise Refused(_("There is no journal entry {id} of yours to make a commitment "
                            "from; write it here instead.").format(id=repr(entry_id)))
        exercise = next((x for x in exercises if x.id == entry.exercise_id), None)
        order = [s.id for s in exercise.steps] if exercise is not None else list(entry.answers)
        text = next((entry.answers[s].strip() for s in reversed(order)
                     if entry.answers.get(s, "").strip()), "")
        if not text:
            raise Refused(_("That journal entry has no answers yet to make a commitment "
                            "from."))
        ids = {d.id for d in self.framework.dimensions}
        # a commitment made from a review keeps the area of the commitment it reviewed
        reviewed = getattr(entry, "commitment_id", None)
        if reviewed is not None:
            before = next((c for c in self.store.list_commitments(self.participant_id)
                           if c.id == reviewed), None)
            if before is not None and before.dimension_id in ids:
                return text[:MAX_TEXT], before.dimension_id
        dims = [d for d in (exercise.dimensions if exercise is not None else ()) if d in ids]
        return text[:MAX_TEXT], (dims[0] if dims else None)

    def review_link(self, c) -> str | None:
        """The journal's "reviewing a commitment" address once a commitment is due a review
        (:func:`review_due`: its due date has come, whatever its status, or it is done or
        dropped); ``None`` before then."""
        return review_commitment_link(c.id) if review_due(c, self.today) else None

    def is_overdue(self, c) -> bool:
        return c.status in _OPEN and c.due is not None and c.due < self.today

    def rows(self) -> list[PlanRow]:
        """Overdue first (oldest due first), then the rest still open by due date, then
        done and dropped ones."""
        titles = {d.id: d.title for d in self.framework.dimensions}

        def key(c):
            overdue = self.is_overdue(c)
            group = 0 if overdue else (1 if c.status in _OPEN else 2)
            return (group, c.due is None, c.due or dt.date.max, c.id)

        return [PlanRow(c, self.is_overdue(c), titles.get(c.dimension_id, c.dimension_id or ""))
                for c in sorted(self.store.list_commitments(self.participant_id), key=key)]
