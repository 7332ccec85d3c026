"""A labelled text area for one reflective prompt."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.i18n import _

__all__ = ["PromptArea", "MAX_TEXT"]

#: The most characters one answer may hold (the model checks again before saving).
MAX_TEXT = 10_000


class PromptArea(W.VBox):
    """The prompt as a heading-like label, optional help, and a text area labelled by it.

    The text area's own ``description`` is a short label ("Your answer") so it is announced,
    and its placeholder repeats the prompt for those who skip the label.
    """

    def __init__(self, prompt: str, *, help: str | None = None, value: str = "",
                 stage: str | None = None, rows: int = 8, **kwargs):
        stage_html = (
            f"<div class='kit-stage' style='text-transform:uppercase;font-size:max(12px, 0.8em);"
            f"color:#555'>{html.escape(stage)}</div>" if stage else ""
        )
        help_html = (
            f"<div class='kit-help' style='color:#444'>{html.escape(help)}</div>" if help else ""
        )
        self.label = W.HTML(f"{stage_html}<p class='kit-prompt'><strong>{html.escape(prompt)}"
                            f"</strong></p>{help_html}")
        self.text = W.Textarea(
            value=value or "",
            description=_("Your answer"),
            placeholder=prompt[:200],
            rows=rows,
            layout=W.Layout(width="95%"),
            style={"description_width": "initial"},
        )
        # Whether what is typed is saved yet ("Saved", or empty while typing): the app sets it.
        self.status = W.HTML()
        self.status.add_class("kit-save-status")
        super().__init__([self.label, self.text, self.status], **kwargs)
        self.add_class("kit-prompt-area")

    def show_saved(self, saved: bool) -> None:
        """Say whether what is in the box is saved."""
        self.status.value = ("<p class='kit-saved' style='margin:0.2em 0;color:#444'>"
                             + html.escape(_("Saved")) + "</p>" if saved else "")

    @property
    def value(self) -> str:
        return self.text.value
