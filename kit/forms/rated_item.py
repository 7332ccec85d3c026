"""A rated item: the statement, then one labelled choice per scale point plus "not observed".

A radio group (not a slider) named by the statement, so that every choice carries its words,
screen readers announce one group per statement, the arrow keys move between choices, and
"no answer yet" is different from any answer.
"""

from __future__ import annotations

import ipywidgets as W

from kit.forms.radio_group import RadioGroup
from kit.i18n import _

__all__ = ["RatedItem", "ImportanceRating", "LookingBackRating", "NOT_APPLICABLE", "NOT_SURE"]

#: The option value standing for the scale's "not applicable" choice (stored as ``None``).
NOT_APPLICABLE = "n/a"
#: The option value standing for "Not sure" in a looking-back rating (stored as ``None``).
NOT_SURE = "not-sure"


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
        Its number on the page, shown before the statement. The statement itself names the
        radio group (what a screen reader announces); its help is read as the description.
    on_change : callable, optional
        Called with ``(item_id, answer)`` where ``answer`` is an int or ``None`` (not observed).

    ``answered`` says whether a choice was made; ``answer`` is the int, or ``None`` for the
    not-applicable choice.
    """

    def __init__(self, item, scale, number: int, *, on_change=None, answer=..., **kwargs):
        self.item = item
        self._on_change = on_change
        hint = [item.help or ""] + ([] if item.required else [_("(optional)")])
        #: Kept for callers that add it to a page; the help is read out with the group.
        self.label = W.HTML("")
        options = _options(scale)
        self.buttons = RadioGroup(
            options=options,
            description=item.text,
            number=f"{number}.",
            hint=" ".join(h for h in hint if h),
            tooltips=[o[0] for o in options],
        )
        self.buttons.add_class("kit-rating")
        if answer is not ...:
            self.set_answer(answer)
        self.buttons.observe(self._changed, names="value")
        super().__init__([self.buttons], **kwargs)
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
        question = _("How important is {area} in your role at the moment?").format(
            area=dimension.title.lower() if dimension.title else "")
        self.label = W.HTML("")
        opts = [(p.label, p.value) for p in scale.points]
        self.buttons = RadioGroup(
            options=opts,
            value=value if value in [o[1] for o in opts] else None,
            description=question,
            tooltips=[o[0] for o in opts],
        )
        self.buttons.add_class("kit-importance")
        self.buttons.observe(self._changed, names="value")
        super().__init__([self.buttons], **kwargs)

    @property
    def value(self) -> int | None:
        return self.buttons.value

    def _changed(self, change) -> None:
        if self._on_change is not None and change["new"] is not None:
            self._on_change(self.dimension.id, change["new"])


class LookingBackRating(W.VBox):
    """A later round's then-test for one area: "Looking back, how often did you do this before
    the programme?" on the framework's scale, plus "Not sure". Optional.

    ``on_change`` is called with ``(dimension_id, answer)``: an int, or ``None`` for "Not sure".
    """

    def __init__(self, dimension, scale, *, on_change=None, value=..., **kwargs):
        self.dimension = dimension
        self._on_change = on_change
        opts = [(p.label, p.value) for p in scale.points] + [(_("Not sure"), NOT_SURE)]
        self.buttons = RadioGroup(
            options=opts,
            description=_("Looking back, how often did you do this before the programme?"),
            hint=_("(optional) Think of the time before your first round, knowing what you "
                   "know now about {area}.").format(
                area=dimension.title.lower() if dimension.title else ""),
            tooltips=[o[0] for o in opts],
        )
        if value is not ...:
            target = NOT_SURE if value is None else value
            self.buttons.value = target if target in [o[1] for o in opts] else None
        self.buttons.add_class("kit-then-test")
        self.buttons.observe(self._changed, names="value")
        super().__init__([self.buttons], **kwargs)

    @property
    def value(self) -> int | None:
        v = self.buttons.value
        return None if v in (None, NOT_SURE) else v

    def _changed(self, change) -> None:
        if self._on_change is not None and change["new"] is not None:
            self._on_change(self.dimension.id, None if change["new"] == NOT_SURE
                            else change["new"])
