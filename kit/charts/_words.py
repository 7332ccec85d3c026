"""Small helpers shared by the team chart builders: number formats, lists in words, styling."""

from __future__ import annotations

import math

from kit.i18n import _

__all__ = ["fmt", "signed", "names", "finish", "WIDTH", "GREY", "plural", "wrap_words",
           "wrapped_labels", "short_statement", "numbered"]

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


def wrap_words(text: str, width: int = 28) -> list[str]:
    """``text`` split at spaces into lines of at most about ``width`` characters."""
    import textwrap

    return textwrap.wrap(str(text), width=width, break_long_words=False) or [str(text)]


def short_statement(text: str) -> str:
    """A statement without the opening every statement repeats ("In the last month I ...",
    "In the last four weeks, how many times did you ..."), for chart labels: "In the last
    month I visited a partner" -> "Visited a partner"."""
    import re

    short = re.sub(r"^(in|over|during) the (last|past) ([a-z]+ )?(month|months|weeks|quarter|year),?"
                   r"\s+(how (many times|often) did you|i)\s+",
                   "", str(text), flags=re.IGNORECASE)
    return short[:1].upper() + short[1:] if short != text else str(text)


def wrapped_labels(labels, width: int = 28, *, shorten=None) -> str:
    """A Vega ``labelExpr`` that shows each of ``labels`` wrapped onto lines (never cut short
    with an ellipsis); anything else is shown as it is.

    Examples
    --------
    >>> "Letting go of comfort" in wrapped_labels(["Letting go of comfort blankets and more"])
    True
    """
    import json

    table = {str(label): wrap_words(shorten(label) if shorten else label, width)
             for label in labels}
    return f"({json.dumps(table, ensure_ascii=False)})[datum.label] || datum.label"


def finish(chart, size: str = "screen"):
    """Apply the kit's font, palette and the text sizes of ``size`` (see
    :func:`kit.charts._theme.size_config`) to a finished (top-level) chart."""
    from kit.charts._theme import apply_size

    return apply_size(chart, size)


def numbered(data, x: str, y: str, char_width: float, y_gap: float):
    """``data`` sorted by ``x`` then ``y`` (high first), with a ``number`` column (1, 2, ...;
    a key under the chart names each) and a ``label`` column written right of each mark.

    A label is about ``char_width`` (in ``x`` units) per character, after a one-character
    gap, and ``y_gap`` high. Marks whose labels would meet share the first one's label
    ("2, 3"), again until no two labels meet; the others get ""."""
    data = data.sort_values([x, y], ascending=[True, False]).reset_index(drop=True)
    data["number"] = range(1, len(data) + 1)
    groups = [[i] for i in range(len(data))]

    def text(g):
        return ", ".join(str(data.at[i, "number"]) for i in g)

    def meet(a, b):
        ax, ay, bx, by = data.at[a[0], x], data.at[a[0], y], data.at[b[0], x], data.at[b[0], y]
        a0, a1 = ax + char_width, ax + (len(text(a)) + 1) * char_width
        b0, b1 = bx + char_width, bx + (len(text(b)) + 1) * char_width
        return abs(ay - by) < y_gap and a0 < b1 and b0 < a1

    changed = True
    while changed:
        changed = False
        live = [g for g in groups if g]
        for i, a in enumerate(live):
            for b in live[i + 1:]:
                if a and b and meet(a, b):
                    a.extend(b)
                    b.clear()
                    changed = True
    label = [""] * len(data)
    for g in groups:
        if g:
            label[g[0]] = text(g)
    data["label"] = label
    return data


def reasons(table) -> str:
    """Why a table's withheld rows are withheld, in its own notes ("a group of 3 can never
    reach 5"; "fewer than 5 responses"), each once, joined by semicolons; "" when none says."""
    if "note" not in getattr(table, "columns", ()):
        return ""
    hidden = table[~table["shown"].astype(bool)] if "shown" in table.columns else table
    notes = sorted({str(n) for n in hidden["note"] if isinstance(n, str) and n.strip()})
    return "; ".join(notes)
