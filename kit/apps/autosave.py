"""Save what people type a moment after they stop, and at once when the page goes away.

A text box sends its value to the kernel on every key (``continuous_update=True``); writing
to the database on every key would be wasteful, so :class:`AutoSaver` waits until no key has
arrived for :data:`DELAY` seconds, then saves once. What is still waiting is saved at once
when the person moves on (the app calls :meth:`AutoSaver.flush`), and when the kernel stops:
closing or reloading an app page shuts its kernel down, and every saver still waiting is
flushed on the way out (:func:`flush_all`, registered with :mod:`atexit`).

No ipywidgets here: the timer comes from the kernel's running event loop, or from whatever
``schedule`` a caller (a test) passes.

Examples
--------
>>> clock = [0.0]
>>> timers = []
>>> saved = []
>>> saver = AutoSaver(lambda: saved.append(clock[0]), clock=lambda: clock[0],
...                   schedule=lambda delay, fn: timers.append((clock[0] + delay, fn)))
>>> saver.changed(); clock[0] = 0.6; saver.changed()   # typing
>>> clock[0] = 1.0; timers.pop(0)[1]()                  # the first timer: too soon, waits on
>>> saved
[]
>>> clock[0] = 1.6; timers.pop(0)[1]()                  # one second after the last key
>>> saved
[1.6]
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import time
import weakref

__all__ = ["AutoSaver", "DELAY", "flush_all", "forget_drafts_script", "draft_class"]

#: Seconds without a key before what was typed is saved.
DELAY = 1.0

_log = logging.getLogger(__name__)
_WAITING: weakref.WeakSet = weakref.WeakSet()


def _call_later(delay: float, fn):
    """Run ``fn`` after ``delay`` seconds on the kernel's event loop; ``None`` without one
    (then what is typed is saved on the next move, or when the kernel stops)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.call_later(delay, fn)


class AutoSaver:
    """Calls ``save`` once typing has paused for ``delay`` seconds.

    Parameters
    ----------
    save : callable
        Saves what is on screen; called with no arguments.
    delay : float
        Seconds after the last change.
    clock, schedule : callable, optional
        ``clock()`` gives the time in seconds; ``schedule(delay, fn)`` runs ``fn`` later and
        returns a handle (or ``None`` when it cannot). For tests.
    """

    def __init__(self, save, *, delay: float = DELAY, clock=time.monotonic, schedule=None):
        self._save = save
        self.delay = float(delay)
        self._clock = clock
        self._schedule = schedule or _call_later
        self._timer = None
        self._last = 0.0
        #: True while something typed is not saved yet
        self.pending = False
        #: how many times :meth:`flush` saved (for tests and for reading what a page did)
        self.saves = 0

    def __repr__(self) -> str:
        return f"<AutoSaver: {'waiting' if self.pending else 'saved'}>"

    def changed(self) -> None:
        """Something was typed: save once typing has paused."""
        self.pending = True
        self._last = self._clock()
        _WAITING.add(self)
        if self._timer is None:
            self._timer = self._schedule(self.delay, self._due)

    def _due(self) -> None:
        self._timer = None
        if not self.pending:
            return
        wait = self._last + self.delay - self._clock()
        if wait > 0:  # typed again since the timer was set: wait for the pause
            self._timer = self._schedule(wait, self._due)
            return
        self.flush()

    def flush(self) -> bool:
        """Save now if anything is waiting; ``True`` when it saved."""
        if not self.pending:
            return False
        self.pending = False
        _WAITING.discard(self)
        self._save()
        self.saves += 1
        return True

    def cancel(self) -> None:
        """Forget what is waiting (the app has just saved it another way)."""
        self.pending = False
        _WAITING.discard(self)
        if self._timer is not None and hasattr(self._timer, "cancel"):
            self._timer.cancel()
        self._timer = None


def flush_all() -> int:
    """Save everything still waiting (the kernel is stopping); returns how many saved."""
    done = 0
    for saver in list(_WAITING):
        try:
            done += saver.flush()
        except Exception:  # noqa: BLE001 - the kernel is ending; one failure must not stop the rest
            _log.warning("could not save typed text while stopping", exc_info=True)
    return done


atexit.register(flush_all)


def draft_class(name: str) -> str:
    """The class that makes the page keep a form field's text in this tab until it is saved
    (the page's script, ``kit-a11y.js``, keeps and restores it); ``name`` is ``a-z0-9-``."""
    import re

    if not re.fullmatch(r"[a-z0-9-]+", name):
        raise ValueError(f"draft name {name!r} must use only a-z, 0-9 and hyphens")
    return f"kit-draft-{name}"


def forget_drafts_script(*names: str) -> str:
    """JavaScript that forgets the page's kept text of the given drafts (once it is saved);
    with no names, every draft this tab kept (on signing out)."""
    import json

    for name in names:
        draft_class(name)  # checks the name
    if not names:
        return "window.kitForgetAllDrafts && window.kitForgetAllDrafts();"
    return f"window.kitForgetDrafts && window.kitForgetDrafts({json.dumps(list(names))});"
