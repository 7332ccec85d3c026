"""Small helpers shared by the team chart builders: number formats, lists in words, styling."""

from __future__ import annotations

import math

from kit.charts._theme import FONT, OKABE_ITO
from kit.i18n import _

__all__ = ["fmt", "signed", "names", "finish", "WIDTH", "GREY", "plural"]

WIDTH = 440
GREY = "#BBBBBB"


def fmt(x: float, digits: int = 1) -> str:
    """``3.14159 -> "3.1"``; blank for a missing number."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{x:.{digits}f}"


def signed(x: float) -> str:
    """``0.4 -> "+0.4"``, ``-0.4 -> "-0.4"`` (a true minus sign is avoided for screen readers)."""
    return f"{x:+.1f}"


def names(items: list[str]) -> str:
    """``["a", "b", "c"] -> "a, b and c"``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def plural(n: int, one: str, many: str | None = None) -> str:
    """``3 people``. Give translated words; for new code prefer ``ngettext`` with the number
    in the message (``ngettext("{n} person", "{n} people", n)``), which every language can
    order and inflect its own way."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def finish(chart):
    """Apply the kit's font and palette to a finished (top-level) chart."""
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_range(category=list(OKABE_ITO))
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=260)
        .configure_legend(labelFontSize=12, titleFontSize=12)
    )
