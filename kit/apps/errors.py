"""The one error the app models raise for a person's mistake: :class:`Refused`."""

from __future__ import annotations

__all__ = ["Refused", "Incomplete", "is_choice"]


class Refused(ValueError):
    """An input the kit will not save, with a message written for the person who sent it.

    Widget values are untrusted (they arrive over the widget channel), so every model checks
    them again and raises this with the field, the value and what would be accepted.
    """

    friendly = True


class Incomplete(Refused):
    """A form that cannot be submitted yet; ``missing`` names what is still to answer."""

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = list(missing)


def is_choice(value, choices) -> bool:
    """True when ``value`` is a plain ``str`` or ``int`` (not ``bool``) found in ``choices``.

    Safe for any forged widget value: an unhashable list or dict is simply not a choice
    (rather than a ``TypeError``), and ``True`` does not pass for the record id ``1``.

    Examples
    --------
    >>> is_choice("done", {"done", "dropped"}), is_choice(True, {1}), is_choice([1], {1})
    (True, False, False)
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return False
    return value in choices
