"""The member check: each member sees how many are counted in their group, and can object.

Before a round's results are published, every member sees (on Start here, and after
submitting the self-assessment or the health check) how many people are counted in their
group for the open round (or the next to open), and the dates they joined, never names. The
button "This does not match my group" records an objection that holds the group's results at
close until the set-up key holder resolves it (:mod:`kit.publishing`). Made-up members
cannot be counted unseen.
"""

from __future__ import annotations

import html
from collections import Counter

import ipywidgets as W

from kit.forms.callbacks import safe_callback
from kit.i18n import _, format_date, ngettext

__all__ = ["membership_text", "MembershipCheck"]


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


class MembershipCheck(W.VBox):
    """The sentence and the "This does not match my group" button, for one member."""

    def __init__(self, store, participant_id: int, **kwargs):
        super().__init__(**kwargs)
        self.add_class("kit-membership")
        self.store, self.participant_id = store, participant_id
        self.text = W.HTML()
        self.text.add_class("kit-live")
        self.button = W.Button(description=_("This does not match my group"),
                               tooltip=_("Say the count is wrong; the group's results are held "
                                         "until it is checked"),
                               layout=W.Layout(width="auto"))
        self.button.on_click(self._object)
        self.draw()

    def draw(self) -> None:
        info = self.store.group_membership(self.participant_id)
        text = membership_text(info)
        if not text:
            self.children = ()
            return
        self.text.value = f"<p>{html.escape(text)}</p>"
        self.children = (self.text,) if info["objected"] else (self.text, self.button)

    @safe_callback
    def _object(self, _button=None) -> None:
        self.store.object_to_count(self.participant_id)
        self.draw()
