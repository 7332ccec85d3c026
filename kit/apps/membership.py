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

import ipywidgets as W

from kit.apps.membership_model import MembershipModel, membership_text
from kit.forms.callbacks import safe_callback
from kit.i18n import _

__all__ = ["membership_text", "MembershipCheck"]


class MembershipCheck(W.VBox):
    """The sentence and the "This does not match my group" button, for one member.

    Its text and button follow :class:`~kit.apps.membership_model.MembershipModel`'s traits.
    """

    def __init__(self, store, participant_id: int, **kwargs):
        super().__init__(**kwargs)
        self.add_class("kit-membership")
        self.participant_id = participant_id
        self.model = MembershipModel(store, participant_id)
        self.text = W.HTML()
        self.text.add_class("kit-live")
        self.button = W.Button(description=_("This does not match my group"),
                               tooltip=_("Say the count is wrong; the group's results are held "
                                         "until it is checked"),
                               layout=W.Layout(width="auto"))
        self.button.on_click(self._object)
        W.dlink((self.model, "sentence"), (self.text, "value"),
                transform=lambda text: f"<p>{html.escape(text)}</p>" if text else "")
        self.model.observe(self._show, names=["sentence", "may_object"])
        self._show()

    @property
    def store(self):
        return self.model.store

    def draw(self) -> None:
        """Read the count again (the text and button follow the model)."""
        self.model.refresh()

    def _show(self, _change=None) -> None:
        if not self.model.sentence:
            self.children = ()
            return
        self.children = (self.text, self.button) if self.model.may_object else (self.text,)

    @safe_callback
    def _object(self, _button=None) -> None:
        self.model.object_to_count()
