"""A plain text progress bar for long commands (``kit demo --participants``, ``kit import``).

On a terminal it redraws one line; when the output is a file or a pipe it prints a line at
every tenth of the way, so logs stay short.

Examples
--------
>>> import io
>>> out = io.StringIO()
>>> bar = ProgressBar("Round 1", stream=out)
>>> bar(50, 100); bar(100, 100)
>>> "Round 1" in out.getvalue() and "100%" in out.getvalue()
True
"""

from __future__ import annotations

import sys
import time

__all__ = ["ProgressBar"]


class ProgressBar:
    """Call as ``bar(done, total)``; the line finishes when ``done`` reaches ``total``."""

    width = 30

    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.started = time.perf_counter()
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        total = max(total, 1)
        share = min(max(done / total, 0.0), 1.0)
        filled = round(share * self.width)
        seconds = time.perf_counter() - self.started
        line = (
            f"{self.label}: [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{share:4.0%}  {done:,} of {total:,}  {seconds:.0f} s"
        )
        if self._tty:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        else:
            tenth = int(share * 10)
            if tenth == self._last_tenth:
                return
            self._last_tenth = tenth
            self.stream.write(line + "\n")
        self.stream.flush()
