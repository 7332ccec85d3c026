"""What counts as visible text: one rule shared by the store (which shared answers count) and
the analysis (which answers are shown), so the two never disagree."""

from __future__ import annotations

__all__ = ["ZERO_WIDTH", "visible_text"]

#: Characters that print as nothing: an answer made only of these and white space is blank.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"


def visible_text(text: str | None) -> str:
    """``text`` without zero-width characters and surrounding white space.

    >>> visible_text("\\u200b  Hello \\u00ad"), visible_text(None)
    ('Hello', '')
    """
    if not isinstance(text, str):
        return ""
    return text.translate({ord(c): None for c in ZERO_WIDTH}).strip()
