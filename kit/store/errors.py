"""The store's errors: one base class, one subclass per thing a caller can act on.

Every message is written for the person in front of the screen: it says what went wrong
and what to do next. None of them carries a database driver's raw wording.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kit.i18n import N_, _, ngettext

__all__ = [
    "StoreError",
    "NotFound",
    "RoundClosed",
    "RoundStateError",
    "CodeError",
    "StoreBusy",
    "StoreUnavailable",
    "InvalidResponse",
    "ResponseProblem",
]


class StoreError(Exception):
    """Base class for every error the store raises on purpose."""

    #: Its message is written for the person in front of the screen, so a page shows it as it
    #: is (:func:`kit.forms.friendly_message` reads this, without importing the store).
    for_people = True


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


class StoreUnavailable(StoreError):
    """The database cannot be opened or used as it is: a folder that cannot be made, a file
    that is empty or damaged, a read-only folder, a URL that cannot be read, a server that
    does not answer. Nothing was changed; the message says what to do."""


@dataclass(frozen=True)
class ResponseProblem:
    """One thing wrong with a response: the field, the value sent, and what would be valid."""

    field: str
    value: object
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message} (got {self.value!r})"

    def plain(self) -> str:
        """The problem for the person at the screen: the field in words, what is wrong, and
        what they gave only when it is something they typed ("name must not be empty")."""
        field = str(self.field).replace("_", " ")
        given = self.value if isinstance(self.value, str) else None
        if given and len(given) <= 60:
            return f"{field} {self.message} (you gave \u201c{given}\u201d)"
        return f"{field} {self.message}"


#: What was not saved, in words, for the contexts the store names (others are shown as given).
_CONTEXT_WORDS = {
    "response": N_("response"), "cohort": N_("cohort"), "round": N_("round"),
    "profile": N_("profile"), "reflection": N_("reflection"), "commitment": N_("commitment"),
    "review": N_("review"), "relationship": N_("relationship"),
    "list of people": N_("list of people"), "hub user": N_("hub user"),
    "private participant": N_("private participant"), "agreed step": N_("agreed step"),
}


class InvalidResponse(StoreError, ValueError):
    """A response that does not fit its framework. Nothing was written.

    ``problems`` lists every :class:`ResponseProblem` found, so the form can mark them all.
    """

    def __init__(self, problems: Iterable[ResponseProblem], context: str = "response"):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        n = len(self.problems)
        what = _(_CONTEXT_WORDS[context]) if context in _CONTEXT_WORDS else context
        head = ngettext("The {what} was not saved: {n} problem to fix.",
                        "The {what} was not saved: {n} problems to fix.", n).format(what=what, n=n)
        super().__init__(f"{head}\n{lines}")
        self.head = head

    def plain(self) -> str:
        """The message for a page: the same, without programming notation."""
        return self.head + "\n" + "\n".join(f"  - {p.plain()}" for p in self.problems)


# -- turning a driver's error into a sentence ---------------------------------------------------
_DAMAGED = (
    "file is not a database",
    "database disk image is malformed",
    "malformed database",
    "could not decode to utf-8",
)
_READ_ONLY = ("readonly database", "read-only", "unable to open database file", "disk i/o error")
_NO_SPACE = ("database or disk is full",)


def _where(url: str) -> str:
    from kit.config import mask_url

    try:
        from kit.store._urls import sqlite_path

        path = sqlite_path(url)
    except Exception:  # noqa: BLE001 - an unreadable URL is described by the caller
        path = None
    return str(path) if path is not None else mask_url(url)


def describe_database_error(exc: BaseException, url: str) -> str:
    """One or two sentences for a database driver's error, never showing a password.

    Damaged files, read-only folders, a full disk and an unreachable server each get their
    own advice; anything else is named as the database's refusal with its first line.
    """
    from kit.config import mask_url

    orig = getattr(exc, "orig", None) or exc
    reason = mask_url((str(orig).strip().splitlines() or [type(orig).__name__])[0])
    lowered = reason.lower()
    reason = "".join(c if c.isprintable() else "?" for c in reason)
    if len(reason) > 120:
        reason = reason[:117] + "..."
    where = _where(url)
    if any(m in lowered for m in _DAMAGED):
        damage = next(m for m in _DAMAGED if m in lowered)
        return (
            f"The database file {where} is damaged or is not a kit database (SQLite says: "
            f"{damage}). It was left as it is: restore it from a backup (kit backup), or move it "
            "aside to start a new one."
        )
    if any(m in lowered for m in _NO_SPACE):
        return (
            f"The disk holding {where} is full, so nothing could be saved. Free some space and "
            "try again."
        )
    if url.startswith("sqlite") and any(m in lowered for m in _READ_ONLY):
        return (
            f"The kit cannot write to the database {where} or to its folder ({reason}). Make "
            "the folder writable, or set KIT_DATA_DIR (or --database) to one you can write to."
        )
    if not url.startswith("sqlite") and {type(orig).__name__, type(exc).__name__} & {
        "OperationalError", "InterfaceError"
    }:
        return (
            f"The database server for {where} could not be used ({reason}). Check that it is "
            "running and that KIT_DATABASE_URL (or --database) is right."
        )
    return f"The database {where} refused: {reason}. Check KIT_DATABASE_URL (or --database)."
