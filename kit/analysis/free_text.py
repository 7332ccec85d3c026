"""Free text from the shared prompt: shown only from enough people, in batches, shuffled,
unattributed.

Shared answers are released to the facilitator's view in **batches across the whole cohort**,
whatever the round. This module decides (:func:`decide_batch`) and reads (:func:`batch_view`,
:func:`texts_on_view`); the batch is released, a write, by :func:`kit.publishing.release_texts`
on the write that changes sharing (a member shares, un-shares or edits a shared answer, or
erases their data) and when a round closes, never when a view is read:

* a batch is released only when at least ``min_comment_size`` distinct members have a shared
  answer, and it shows each member's latest one;
* between two batches, the texts that leave the view (withdrawn: un-shared, edited or erased)
  and the texts that join it (new or edited) each number zero or at least K, so no reader can
  split a batch to tell whose text is whose;
* a withdrawal is honoured at once: from the moment a shown text is un-shared, edited or
  erased, the whole view is withheld (the text is never shown again) until a batch can be
  released without it. Erasure deletes the writer's released copy from the database
  immediately;
* new texts wait, while the last batch stays on view, until there are K of them.

Edits and un-shares therefore never change the view by one text, and a text does not depend on
its writer submitting any round's assessment.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from kit._text import visible_text
from kit.analysis.cells import _rules
from kit.analysis.privacy import Rules
from kit.i18n import _

__all__ = ["SharedComments", "TextBatch", "batch_view", "decide_batch", "shared_comments",
           "shared_comments_from_entries", "texts_on_view"]


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


@dataclass(frozen=True)
class TextBatch:
    """What :func:`decide_batch` decided for one prompt.

    ``release``: release ``show`` as a new batch. ``show``: the texts the view may show now
    (``{writer: text}``; empty while ``withheld``). ``withdrawn``: shown texts un-shared,
    edited or erased since the last batch. ``waiting``: texts new or edited since then.
    """

    release: bool
    show: dict
    withdrawn: int
    waiting: int
    withheld: bool


def decide_batch(live: dict, last: dict | None, rules: Rules | None = None) -> TextBatch:
    """Decide whether the cohort's current shared texts may replace the last released batch.

    Parameters
    ----------
    live
        ``{writer: text}``: each member's latest shared, visibly non-blank answer now.
    last
        The last batch as :meth:`Store.text_batch` gives it (``texts``: how many it showed
        when released; ``shown``: its texts whose writers are still there), or None.

    Examples
    --------
    >>> from kit.analysis.privacy import Rules
    >>> r = Rules(5, 10)
    >>> first = decide_batch({p: f"t{p}" for p in range(10)}, None, r)
    >>> first.release, len(first.show)
    (True, 10)
    >>> last = {"texts": 10, "shown": dict(first.show)}
    >>> edited = {**first.show, 3: "changed"}
    >>> d = decide_batch(edited, last, r)
    >>> d.release, d.withheld, d.withdrawn
    (False, True, 1)
    """
    rules = _rules(rules)
    k, need = rules.min_group_size, rules.min_comment_size
    shown = dict(last["shown"]) if last else {}
    lost = max(int(last["texts"]) - len(shown), 0) if last else 0  # erased writers' copies
    withdrawn = lost + sum(1 for who, text in shown.items() if live.get(who) != text)
    waiting = sum(1 for who, text in live.items() if shown.get(who) != text)

    def whole(n: int) -> bool:
        return n == 0 or n >= k

    if (withdrawn or waiting) and whole(withdrawn) and whole(waiting) and len(live) >= need:
        return TextBatch(True, dict(live), withdrawn, waiting, False)
    if withdrawn:
        return TextBatch(False, {}, withdrawn, waiting, True)
    return TextBatch(False, shown if len(shown) >= need else {}, 0, waiting, False)


def batch_view(live: dict, last: dict | None, rules: Rules | None = None) -> SharedComments:
    """What "In their words" may show now: the last released batch, or why nothing is shown.

    Pure and read only: a batch is released by :func:`kit.publishing.release_texts` on the write
    that changes sharing, never here. A withdrawal since the last batch (``live`` no longer
    holds a shown text as it was) withholds the whole view at once.

    Parameters
    ----------
    live
        ``{writer: text}``: each member's latest shared, visibly non-blank answer now.
    last
        The last released batch as :meth:`Store.text_batch` gives it, or None.

    Examples
    --------
    >>> from kit.analysis.privacy import Rules
    >>> r = Rules(5, 10)
    >>> texts = {p: f"t{p}" for p in range(10)}
    >>> batch_view(texts, {"texts": 10, "shown": dict(texts)}, r).people
    10
    >>> batch_view({**texts, 3: "changed"}, {"texts": 10, "shown": dict(texts)}, r).shown
    False
    """
    rules = _rules(rules)
    decision = decide_batch(live, last, rules)
    if decision.withdrawn:
        note = _("A shared answer was withdrawn or changed, so the answers are hidden for now. "
                 "They return once at least {k} answers have been withdrawn or changed ({gone} "
                 "so far) and any new or changed ones number at least {k} too ({new} so far), so "
                 "that no one can tell whose answer it was.")
        return SharedComments((), 0, rules.min_comment_size,
                              note.format(k=rules.min_group_size, gone=decision.withdrawn,
                                          new=decision.waiting))
    shown = dict(last["shown"]) if last else {}
    texts = list(shown.values()) if len(shown) >= rules.min_comment_size else []
    if texts:
        return shared_comments(texts, people=len(texts), rules=rules)
    n = len(live)
    if n >= rules.min_comment_size:  # enough, but no batch released yet
        reason = _("{n} people have shared an answer. The answers appear with the next batch, "
                   "released when someone next shares, changes or withdraws an answer, or when "
                   "a round closes.")
        return SharedComments((), n, rules.min_comment_size, reason.format(n=n))
    reason = _("Answers appear once at least {need} people have shared one ({n} so far).")
    return SharedComments((), n, rules.min_comment_size,
                          reason.format(need=rules.min_comment_size, n=n))


def texts_on_view(store, cohort_id: int, exercise_id: str, step_id: str,
                  rules: Rules | None = None) -> SharedComments:
    """Read what "In their words" may show for one prompt (:func:`batch_view`); writes nothing."""
    return batch_view(store.shared_texts(cohort_id, exercise_id, step_id),
                      store.text_batch(cohort_id, exercise_id), rules)
