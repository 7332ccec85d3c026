"""Problems found in content files, and the one error that carries them all.

Validation never stops at the first mistake: it gathers every :class:`Problem` in a file and
raises a single :class:`ContentError`, so a trainer can fix the whole list in one pass.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "ContentError", "format_path", "did_you_mean"]

PathParts = tuple[str | int, ...]


def format_path(parts: Sequence[str | int]) -> str:
    """Write a location inside a file the way the messages show it.

    Examples
    --------
    >>> format_path(("dimensions", 2, "items", 3, "text"))
    'dimensions[2].items[3].text'
    >>> format_path(())
    ''
    """
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """A ``"; did you mean 'x'?"`` suffix for the closest choice, or ``""`` when none is close.

    Examples
    --------
    >>> did_you_mean("titel", ["title", "description"])
    "; did you mean 'title'?"
    >>> did_you_mean("zzz", ["title"])
    ''
    """
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f"; did you mean '{close[0]}'?" if close else ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one content file.

    Attributes
    ----------
    file : str or None
        The file as given (``None`` when the problem is not about one file, e.g. an unknown id).
    line : int or None
        1-based line in the file, where it is known.
    path : str
        Where in the file, e.g. ``"dimensions[2].items[3].text"`` (list positions count from 0);
        ``""`` for the file as a whole.
    value : object
        The offending value, or ``None``.
    message : str
        What is wrong and how to put it right.
    context : str or None
        The id of the nearest enclosing dimension, item, band, point or step, to help find it.
    """

    file: str | None
    line: int | None
    path: str
    value: object
    message: str
    context: str | None = None

    @property
    def where(self) -> str:
        """The path with the enclosing id, e.g. ``"dimensions[2].items[3] ('relationships')"``."""
        where = self.path
        if self.context:
            where = f"{where} ('{self.context}')" if where else f"('{self.context}')"
        return where

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(Path(self.file).name)
        if self.line:
            parts.append(f"line {self.line}")
        if self.where:
            parts.append(self.where)
        head = ", ".join(parts)
        return f"{head}: {self.message}" if head else self.message

    def compact(self) -> str:
        """One line for the terminal: ``file:line: path: message``."""
        head = self.file or "<content>"
        if self.line:
            head += f":{self.line}"
        where = f" {self.where}:" if self.where else ""
        return f"{head}:{where} {self.message}"


class ContentError(ValueError):
    """A framework or exercise could not be used. ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems: list[Problem] = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in kit content"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))
