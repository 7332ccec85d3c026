"""The facilitator dashboard's pickers: view, group, round, order, breakdown and filter.

Each picker is linked to its trait on :class:`kit.apps.facilitator_model.FacilitatorModel` as
the ipywidgets guide links widgets: a change on the page goes to the model through one checked
handler (a value the model refuses is a friendly message, never a traceback), and a change in
the model (a session step, a round closed) shows in the picker. Which options a view offers
is the registry's (:attr:`kit.views.FacilitatorView.options`).
"""

from __future__ import annotations

import ipywidgets as W

from kit.apps.facilitator_model import SORT_LABELS
from kit.forms.callbacks import safe_callback
from kit.i18n import _

__all__ = ["PickersPanel", "LABEL", "show_choice"]

LABEL = {"description_width": "initial"}

#: Each picker (an attribute of the dashboard) and the model trait it is linked to.
PICKERS = (("view_picker", "view"), ("group_picker", "group"), ("round_picker", "round"),
           ("sort_picker", "sort"), ("by_picker", "by"), ("filter_picker", "filter"))


def show_choice(picker: W.Dropdown, value, options=None) -> None:
    """Show ``value`` in ``picker``, with new ``options`` first if given; a value not among
    the options is not shown. What the picker passes through on the way (a new list of
    options selects its first) is not a choice: the dashboard does not hear of it."""
    picker.kit_showing = True
    try:
        if options is not None:
            picker.options = options
        if value in [o[1] for o in picker.options] and picker.value != value:
            picker.value = value
    finally:
        picker.kit_showing = False


class PickersPanel:
    """The pickers of :class:`kit.apps.facilitator.FacilitatorDashboard` (a part of it)."""

    def _build_pickers(self) -> None:
        m = self.model
        self.view_picker = W.Dropdown(description=_("View"), style=LABEL)
        self.group_picker = W.Dropdown(description=_("Group"), options=m.group_choices(),
                                       value=m.group, style=LABEL)
        self.round_picker = W.Dropdown(description=_("Round"), options=m.round_choices(),
                                       style=LABEL)
        show_choice(self.round_picker, m.round)
        self.sort_picker = W.Dropdown(description=_("Order"), style=LABEL, value=m.sort,
                                      options=[(_(v), k) for k, v in SORT_LABELS.items()])
        self.by_picker = W.Dropdown(description=_("Break down by"), style=LABEL,
                                    options=m.by_choices(), value=m.by)
        self.filter_picker = W.Dropdown(description=_("Only members from"), style=LABEL,
                                        options=[(_("Everyone"), "")])
        for name, trait in PICKERS:
            getattr(self, name).observe(self._picked, names="value")
            m.observe(self._model_chose, names=trait)
        self.controls = W.HBox([self.view_picker, self.group_picker, self.round_picker],
                               layout=W.Layout(flex_flow="row wrap"))
        self.options_row = W.HBox([], layout=W.Layout(flex_flow="row wrap"))

    def _model_chose(self, change) -> None:
        """The model's choice changed (a session step, a round closed): show it."""
        name = next(n for n, trait in PICKERS if trait == change["name"])
        show_choice(getattr(self, name), change["new"])

    @safe_callback
    def _picked(self, change) -> None:
        """A picker changed on the page: the model takes the choice (or refuses it, with a
        message), and the view is drawn again."""
        if getattr(change["owner"], "kit_showing", False):
            return  # the dashboard is showing the model's choice, or new options
        trait = next(t for name, t in PICKERS if getattr(self, name) is change["owner"])
        new = change["new"]
        if trait == "view":
            new = new or self.model.view
        elif trait in ("round", "filter"):
            new = new or ""
        if getattr(self.model, trait) == new:
            return  # the model's own change, shown
        setattr(self.model, trait, new)
        self.render()

    def _refresh_views(self) -> None:
        """The views on offer (every view, or in a session those of the step so far); the
        model's view moves to the last one on offer if it is not among them."""
        m = self.model
        options = [(_(v.title), v.id) for v in m.views]
        if m.view not in [o[1] for o in options]:
            m.view = options[-1][1]
        show_choice(self.view_picker, m.view, options)

    def _sync_pickers(self) -> None:
        """Show only the pickers the current view uses, and refresh the filter choices."""
        m = self.model
        view = m.current_view
        self.group_picker.layout.display = None if view.uses_group else "none"
        self.round_picker.layout.display = None if view.uses_round else "none"
        if "filter" in view.options:
            choices = m.filter_choices()
            show_choice(self.filter_picker, m.filter if m.filter in [c[1] for c in choices]
                        else "", choices)
        self.options_row.children = [getattr(self, f"{o}_picker") for o in view.options]
