"""The step-by-step model every multi-step form shares: where the person is, Next, Back,
Go to, a draft saved at every move, and opening on the first step still to answer.

The journal (:mod:`kit.apps.journal_model`) and the self-assessment
(:mod:`kit.apps.self_assessment_model`) are both steppers: each says what its steps are
(:attr:`SteppedModel.steps`), what a draft is (:meth:`SteppedModel.save_draft`) and when a
step still needs an answer (:meth:`SteppedModel.step_has_gap`); the moving about is here,
written once. No ipywidgets: :class:`kit.forms.Stepper` is the matching view.
"""

from __future__ import annotations

from kit.apps.errors import Refused
from kit.i18n import _

__all__ = ["SteppedModel"]


class SteppedModel:
    """Base of a form answered one step at a time.

    A subclass provides :attr:`steps` (a sequence), :meth:`save_draft` (keeps what is written
    so far; called before every move, so nothing typed is lost by moving) and
    :meth:`step_has_gap` (whether a step still needs an answer). It sets ``self.step`` (a
    0-based index) in its constructor.
    """

    step: int = 0

    # -- what a subclass provides -------------------------------------------------------------
    @property
    def steps(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def save_draft(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def step_has_gap(self, step) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- where the person is --------------------------------------------------------------------
    @property
    def n_steps(self) -> int:
        return len(self.steps)

    @property
    def current(self):
        """The step being shown."""
        return self.steps[self.step]

    @property
    def is_first(self) -> bool:
        return self.step == 0

    @property
    def is_last(self) -> bool:
        return self.step == self.n_steps - 1

    def first_gap(self) -> int | None:
        """The index of the first step still to answer, or ``None`` when none is."""
        return next((i for i, s in enumerate(self.steps) if self.step_has_gap(s)), None)

    # -- moving -----------------------------------------------------------------------------
    def next(self) -> bool:
        """Save a draft and move on; ``False`` (staying put) on the last step."""
        self.save_draft()
        if self.is_last:
            return False
        self.step += 1
        return True

    def back(self) -> bool:
        """Save a draft and move back; ``False`` (staying put) on the first step."""
        self.save_draft()
        if self.is_first:
            return False
        self.step -= 1
        return True

    def go_to(self, step) -> None:
        """Save a draft and show step ``step`` (0-based)."""
        if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step < self.n_steps:
            raise Refused(_("There is no step {step}: steps run from 1 to {last}.").format(
                step=repr(step), last=self.n_steps))
        self.save_draft()
        self.step = step
