"""The store's errors: one base class, one subclass per thing a caller can act on.

Every message is written for the person in front of the screen: it says what went wrong
and what to do next. None of them carries a database driver's raw wording.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "StoreError",
    "NotFound",
    "RoundClosed",
    "RoundStateError",
    "CodeError",
    "StoreBusy",
    "InvalidResponse",
    "ResponseProblem",
]


class StoreError(Exception):
    """Base class for every error the store raises on purpose."""


class NotFound(StoreError, LookupError):
    """A cohort, round, participant or entry that does not exist (or is not yours)."""


class RoundClosed(StoreError):
    """A response was sent for a round the facilitator has closed."""


class RoundStateError(StoreError):
    """Opening a round while another is open, or closing one that is not open. Nothing changed."""

    friendly = True  # a facilitator's slip, not a fault: show the sentence, log no traceback


class CodeError(StoreError):
    """A join code, resume code or facilitator key that was not recognised."""


class StoreBusy(StoreError):
    """The database stayed busy through every retry; nothing was saved."""


@dataclass(frozen=True)
class ResponseProblem:
    """One thing wrong with a response: the field, the value sent, and what would be valid."""

    field: str
    value: object
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message} (got {self.value!r})"


class InvalidResponse(StoreError, ValueError):
    """A response that does not fit its framework. Nothing was written.

    ``problems`` lists every :class:`ResponseProblem` found, so the form can mark them all.
    """

    def __init__(self, problems: Iterable[ResponseProblem], context: str = "response"):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        n = len(self.problems)
        super().__init__(
            f"The {context} was not saved: {n} problem{'s' if n != 1 else ''} to fix.\n{lines}"
        )
