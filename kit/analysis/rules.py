"""The confidentiality thresholds in force (:class:`Rules`), and the words shown where the
rules of :mod:`kit.analysis.privacy` withhold a summary.

Every name here is importable from :mod:`kit.analysis.privacy` too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kit.i18n import N_, _

__all__ = ["Rules", "WITHHELD_NOTE", "suppressed_note", "note_in_words"]


@dataclass(frozen=True)
class Rules:
    """The confidentiality thresholds in force (see :mod:`kit.config`)."""

    min_group_size: int = 5
    min_comment_size: int = 10
    split_threshold: float = 1.0
    #: False switches off every rule added against a determined reader (overlapping cells,
    #: homogeneous cells, rounding, published snapshots, frozen membership, batched free
    #: text); rules 1 to 3 stay. Only the tests' control runs do this, to show that their
    #: attacks bite.
    hardened: bool = True

    def __post_init__(self):
        if self.min_group_size < 3:
            raise ValueError(
                f"min_group_size={self.min_group_size} is too small: it is never below 3 "
                "(set KIT_MIN_GROUP_SIZE to 3 or more)"
            )
        if self.min_comment_size < self.min_group_size:
            raise ValueError(
                f"min_comment_size={self.min_comment_size} is below min_group_size="
                f"{self.min_group_size}; set KIT_MIN_COMMENT_SIZE to at least KIT_MIN_GROUP_SIZE"
            )

    @classmethod
    def from_settings(cls, settings=None) -> Rules:
        if settings is None:
            from kit.config import get_settings

            settings = get_settings()
        return cls(settings.min_group_size, settings.min_comment_size, settings.split_threshold)


#: The words shown for a cell of at least K people that the rules withhold (English, marked
#: for translation; :func:`suppressed_note` and :meth:`Plan.note` give it translated).
WITHHELD_NOTE = N_("hidden so that no one's answers can be worked out from the other numbers shown")


def suppressed_note(n: int, k: int) -> str:
    """The words shown in place of a withheld summary of ``n`` people (in the current
    language)."""
    if n < k:
        return _("fewer than {k} responses").format(k=k)
    return _(WITHHELD_NOTE)


_FEWER = re.compile(r"^fewer than (\d+) responses$")


def note_in_words(note: str) -> str:
    """A note kept in English (as published snapshots keep them) in the current language.

    Examples
    --------
    >>> note_in_words("fewer than 5 responses")
    'fewer than 5 responses'
    """
    if not note:
        return note
    if note == WITHHELD_NOTE:
        return _(WITHHELD_NOTE)
    m = _FEWER.match(note)
    if m:
        return _("fewer than {k} responses").format(k=int(m.group(1)))
    return note
