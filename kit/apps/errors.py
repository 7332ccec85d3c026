"""The one error the app models raise for a person's mistake: :class:`Refused`."""

from __future__ import annotations

__all__ = ["Refused", "Incomplete"]


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
