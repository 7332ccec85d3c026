"""The facilitator dashboard's round panel: where each round stands, and the one round act
on offer (open the next round, or close the open one and publish its results)."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps.facilitator_pickers import show_choice
from kit.forms.callbacks import safe_callback
from kit.forms.messages import MessageArea
from kit.i18n import _

__all__ = ["RoundPanel"]


class RoundPanel:
    """Rounds and results on :class:`kit.apps.facilitator.FacilitatorDashboard` (a part of it)."""

    def _build_round(self) -> None:
        #: what opening or closing a round said, right after its button
        self.round_messages = MessageArea()
        self.status = W.HTML()
        self.round_button = W.Button(layout=W.Layout(width="auto"))
        self.round_button.on_click(self._round_act)

    def _sync_round(self) -> None:
        self.status.value = self._status_html()
        self._sync_round_button()

    @safe_callback(messages="round_messages")
    def _round_act(self, _=None) -> None:
        action = self.model.round_action()
        if action is None:
            return
        verb, name = action
        said = self.model.open_round(name) if verb == "open" else self.model.close_round(name)
        self.round_messages.success(said)
        show_choice(self.round_picker, self.model.round, self.model.round_choices())
        self._refresh_views()
        self.render()

    def _sync_round_button(self) -> None:
        action = self.model.round_action()
        if action is None:
            self.round_button.layout.display = "none"
            return
        verb, name = action
        self.round_button.layout.display = None
        if verb == "open":
            self.round_button.description = _("Open {round}").format(round=name)
            self.round_button.tooltip = _("Start taking answers; who counts is fixed now")
            self.round_button.button_style = ""
        else:
            self.round_button.description = _("Close {round} and publish its results").format(
                round=name)
            self.round_button.tooltip = _("Stop taking answers and publish the results, once "
                                          "and final")
            self.round_button.button_style = ""

    def _status_html(self) -> str:
        lines = self.model.status_lines()
        if not lines:
            return ""
        items = "".join(f"<li>{html.escape(x)}</li>" for x in lines)
        return '<div role="status"><strong>{}</strong><ul>{}</ul></div>'.format(
            html.escape(_("Results")), items)
