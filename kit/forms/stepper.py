"""A multi-step form frame: a progress indicator, a body, and Back / Next buttons."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.i18n import _

__all__ = ["Stepper"]


class Stepper(W.VBox):
    """Frame for a form shown one step at a time.

    The app decides what a step is; the stepper shows where the person is ("Step 2 of 8:
    Building relationships"), holds the step's widgets in :attr:`body`, and offers Back and
    Next (Next becomes the ``finish_label`` on the last step).

    Parameters
    ----------
    on_back, on_next : callable
        Called with no arguments when the buttons are pressed.
    finish_label : str
        The text of the Next button on the last step.
    """

    def __init__(self, *, on_back, on_next, finish_label: str | None = None, **kwargs):
        self._on_back = on_back
        self._on_next = on_next
        self.finish_label = finish_label or _("Check and submit")
        self.heading = W.HTML()
        self.heading.add_class("kit-step-heading")  # a live region: the new step is announced
        self.progress = W.IntProgress(value=1, min=0, max=1, description=_("Progress"))
        self.progress.style = {"description_width": "initial"}
        self.body = W.VBox()
        self.back = W.Button(description=_("Back"), icon="", tooltip=_("Go to the previous step"))
        self.next = W.Button(description=_("Next"), button_style="primary",
                             tooltip=_("Save and go on"))
        self.back.on_click(lambda _b: self._on_back())
        self.next.on_click(lambda _b: self._on_next())
        nav = W.HBox([self.back, self.next])
        nav.add_class("kit-stepper-nav")
        super().__init__([self.heading, self.progress, self.body, nav], **kwargs)
        self.add_class("kit-stepper")

    def set_position(self, index: int, total: int, title: str) -> None:
        """Show step ``index`` (0-based) of ``total`` with its ``title``."""
        where = _("Step {n} of {total}").format(n=index + 1, total=total)
        self.heading.value = (
            f"<h2 class='kit-step-title'>{html.escape(where)}: {html.escape(title)}</h2>"
        )
        self.progress.max = total
        self.progress.value = index + 1
        self.progress.description = where
        self.back.disabled = index == 0
        last = index == total - 1
        self.next.description = self.finish_label if last else _("Next")
        self.next.tooltip = self.finish_label if last else _("Save and go on")

    def set_body(self, children) -> None:
        self.body.children = tuple(children)
