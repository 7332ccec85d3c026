"""A rated item: the statement, then one labelled button per scale point plus "not observed".

Buttons (not a slider) so that every choice carries its words, each is reachable with the Tab
key, and "no answer yet" is different from any answer.
"""

from __future__ import annotations

import html

import ipywidgets as W

__all__ = ["RatedItem", "ImportanceRating", "NOT_APPLICABLE"]

#: The option value standing for the scale's "not applicable" choice (stored as ``None``).
NOT_APPLICABLE = "n/a"


def _options(scale) -> list[tuple[str, object]]:
    opts: list[tuple[str, object]] = [(f"{p.label}", p.value) for p in scale.points]
    if scale.not_applicable:
        opts.append((scale.not_applicable, NOT_APPLICABLE))
    return opts


class RatedItem(W.VBox):
    """One framework item rated on the framework's scale.

    Parameters
    ----------
    item : kit.content.Item
    scale : kit.content.Scale
    number : int
        Its number on the page, used in the buttons' label ("Rating for statement 3").
    on_change : callable, optional
        Called with ``(item_id, answer)`` where ``answer`` is an int or ``None`` (not observed).

    ``answered`` says whether a choice was made; ``answer`` is the int, or ``None`` for the
    not-applicable choice.
    """

    def __init__(self, item, scale, number: int, *, on_change=None, answer=..., **kwargs):
        self.item = item
        self._on_change = on_change
        label = html.escape(item.text)
        help_html = (
            f"<div class='kit-help' style='color:#444;font-size:0.9em'>{html.escape(item.help)}</div>"
            if item.help
            else ""
        )
        optional = "" if item.required else " <em>(optional)</em>"
        self.label = W.HTML(
            f"<div class='kit-item-text' id='kit-item-{html.escape(item.id)}'>"
            f"<strong>{number}.</strong> {label}{optional}</div>{help_html}"
        )
        self.buttons = W.ToggleButtons(
            options=_options(scale),
            value=None,
            description=f"Rating for statement {number}",
            tooltips=[o[0] for o in _options(scale)],
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.buttons.add_class("kit-rating")
        if answer is not ...:
            self.set_answer(answer)
        self.buttons.observe(self._changed, names="value")
        super().__init__([self.label, self.buttons], **kwargs)
        self.add_class("kit-rated-item")

    @property
    def answered(self) -> bool:
        return self.buttons.value is not None

    @property
    def answer(self) -> int | None:
        v = self.buttons.value
        return None if v in (None, NOT_APPLICABLE) else v

    def set_answer(self, answer) -> None:
        """Show a saved answer: an int on the scale, ``None`` for not applicable."""
        target = NOT_APPLICABLE if answer is None else answer
        values = [o[1] for o in self.buttons.options]
        self.buttons.value = target if target in values else None

    def mark_missing(self, missing: bool) -> None:
        if missing:
            self.add_class("kit-missing")
        else:
            self.remove_class("kit-missing")

    def _changed(self, change) -> None:
        if self._on_change is not None and change["new"] is not None:
            self._on_change(self.item.id, self.answer)


class ImportanceRating(W.VBox):
    """How much a dimension matters in the person's role, on the importance scale."""

    def __init__(self, dimension, scale, *, on_change=None, value=None, **kwargs):
        self.dimension = dimension
        self._on_change = on_change
        self.label = W.HTML(
            f"<div class='kit-importance-text'>How important is "
            f"<strong>{html.escape(dimension.title.lower() if dimension.title else '')}</strong> "
            f"in your role at the moment?</div>"
        )
        opts = [(p.label, p.value) for p in scale.points]
        self.buttons = W.ToggleButtons(
            options=opts,
            value=value if value in [o[1] for o in opts] else None,
            description="Importance",
            tooltips=[o[0] for o in opts],
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.buttons.add_class("kit-importance")
        self.buttons.observe(self._changed, names="value")
        super().__init__([self.label, self.buttons], **kwargs)

    @property
    def value(self) -> int | None:
        return self.buttons.value

    def _changed(self, change) -> None:
        if self._on_change is not None and change["new"] is not None:
            self._on_change(self.dimension.id, change["new"])
