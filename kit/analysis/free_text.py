"""Free text from the shared prompt: shown only from enough people, shuffled, unattributed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from kit._text import visible_text
from kit.analysis.privacy import Rules
from kit.analysis.team import _rules
from kit.i18n import _

__all__ = ["SharedComments", "shared_comments", "shared_comments_from_entries"]


@dataclass(frozen=True)
class SharedComments:
    """Answers that may be shown (already shuffled), or none and the reason."""

    comments: tuple[str, ...]
    people: int
    needed: int
    note: str

    @property
    def shown(self) -> bool:
        return bool(self.comments)


def shared_comments(
    answers: Sequence[str], *, people: int | None = None, rules: Rules | None = None
) -> SharedComments:
    """Prepare finished answers to a shared prompt for the group view.

    Answers appear only when at least ``rules.min_comment_size`` distinct people wrote one.
    They are shuffled with the operating system's random source, so the order is different
    every time and cannot be used to tell who wrote what (for example by writing order).
    Blank answers are dropped; nothing else is changed (escaping happens where HTML is made).

    Parameters
    ----------
    answers
        ``Store.shared_prompt_answers(...)``: finished answers only, one per person.
    people
        Number of distinct people behind ``answers`` when known; otherwise each non-blank
        answer counts as one person.
    """
    rules = _rules(rules)
    texts = [visible_text(a) for a in answers]
    texts = [a for a in texts if a]
    n = len(texts) if people is None else min(int(people), len(texts))
    need = rules.min_comment_size
    if n < need:
        reason = _("Answers appear once at least {need} people have shared one ({n} so far).")
        return SharedComments((), n, need, reason.format(need=need, n=n))
    random.SystemRandom().shuffle(texts)
    return SharedComments(tuple(texts), n, need, "")


def shared_comments_from_entries(
    entries: Sequence[tuple[object, str]], *, rules: Rules | None = None
) -> SharedComments:
    """:func:`shared_comments` from ``Store.shared_prompt_entries``: ``(person, text)`` pairs.

    The threshold counts distinct people with a visibly non-blank answer (white space and
    zero-width characters do not count), and each person contributes one text (their latest),
    so one person with several finished reflections counts, and shows, once. Who wrote what is dropped here: only the texts go on.
    """
    latest: dict = {}
    for who, text in entries:  # one text per person: their latest non-blank one
        text = visible_text(text)
        if text:
            latest[who] = text
    return shared_comments(list(latest.values()), people=len(latest), rules=rules)
