"""The member check's state, with no widgets: how many are counted in the member's group, and
their objection (see :mod:`kit.apps.membership` for the widget).

:class:`MembershipModel` holds the store's answer in traits, so the widget links its text to
:attr:`MembershipModel.sentence` and its button to :attr:`MembershipModel.may_object` instead
of copying them by hand.
"""

from __future__ import annotations

from collections import Counter

import traitlets as T

from kit.i18n import _, format_date, ngettext

__all__ = ["membership_text", "membership_info", "MembershipModel"]


def membership_text(info: dict | None) -> str:
    """The plain sentence a member reads about their group's count (no names), or ""."""
    if not info:
        return ""
    n = info["counted"]
    dates = Counter(info["joined_on"])
    joined = ", ".join(
        format_date(d) if c == 1 else _("{date} ({n})").format(date=format_date(d), n=c)
        for d, c in sorted(dates.items()))
    if info["is_open"]:
        text = ngettext("In {round}, {n} person is counted in your group.",
                        "In {round}, {n} people are counted in your group.", n)
        then = _("Your group's results are published when {round} closes.")
    else:
        text = ngettext("{round} is not open yet. If it opened now, {n} person would be counted "
                        "in your group.",
                        "{round} is not open yet. If it opened now, {n} people would be counted "
                        "in your group.", n)
        then = _("Everyone who has joined when it opens is counted.")
    out = text.format(round=info["round"], n=n)
    if joined:
        out += " " + _("They joined on: {dates}.").format(dates=joined)
    out += " " + then.format(round=info["round"])
    if not info["me_counted"]:
        out += " " + _("You joined after {round} opened: your answers are saved and count from "
                       "the next round.").format(round=info["round"])
    if info["objected"]:
        out += " " + _("You said this does not match your group: the group's results are held "
                       "until the person who runs the kit checks its members.")
    return out


def membership_info(store, participant_id: int) -> dict | None:
    """What the store knows of the participant's group count (no names), or None."""
    return store.group_membership(participant_id)


class MembershipModel(T.HasTraits):
    """One member's view of their group's count.

    Examples
    --------
    >>> class Store:
    ...     def group_membership(self, pid):
    ...         return None
    >>> MembershipModel(Store(), 1).sentence
    ''
    """

    #: the sentence the member reads ("" when there is nothing to say)
    sentence = T.Unicode("")
    #: whether the "This does not match my group" button is offered
    may_object = T.Bool(False)

    def __init__(self, store, participant_id: int, **kwargs):
        super().__init__(**kwargs)
        self.store, self.participant_id = store, participant_id
        self.refresh()

    def refresh(self) -> None:
        """Read the count again from the store."""
        info = membership_info(self.store, self.participant_id)
        self.sentence = membership_text(info)
        self.may_object = bool(self.sentence) and not info["objected"]

    def object_to_count(self) -> None:
        """Record that the count does not match the member's group (holds its results)."""
        self.store.object_to_count(self.participant_id)
        self.refresh()
