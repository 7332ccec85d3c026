"""Catch errors inside widget callbacks and turn them into a friendly message.

An exception raised in an ipywidgets callback would otherwise print a traceback into the
page (Voila shows Output-widget tracebacks even with ``show_tracebacks`` off). Here the error
is logged for whoever runs the server, and the person sees one plain sentence instead.
"""

from __future__ import annotations

import functools
import logging

from kit.i18n import N_, _

__all__ = ["safe_callback", "friendly_message", "GENERIC_PROBLEM", "DATABASE_UNREACHABLE"]

log = logging.getLogger("kit.apps")

#: Shown when the database itself could not be used (a server that is down, a locked file).
DATABASE_UNREACHABLE = N_(
    "The database could not be reached just now, so nothing was opened or saved. Anything "
    "you saved earlier is still safe. Please try again in a moment; if it keeps happening, "
    "tell whoever runs the kit."
)
GENERIC_PROBLEM = N_(
    "Sorry, something went wrong on our side. Anything you saved earlier is still safe. "
    "Please try again; if it keeps happening, tell your facilitator."
)


def friendly_message(exc: BaseException) -> str:
    """The text to show a person for ``exc``.

    Errors written for people (the store's errors, which say so with a true ``for_people``
    attribute, and any exception with a true ``friendly`` attribute, such as
    :class:`kit.apps.errors.Refused`) show their own message; anything else shows
    :data:`GENERIC_PROBLEM`, so no internals reach the page. The forms sit below the store
    and do not import it.
    """
    if getattr(exc, "friendly", False):
        return str(exc)
    if getattr(exc, "for_people", False):
        plain = getattr(exc, "plain", None)  # a list of problems, in words for a page
        return plain() if callable(plain) else str(exc)
    if type(exc).__module__.startswith("sqlalchemy") and type(exc).__name__ in {
        "OperationalError", "InterfaceError"
    }:
        return _(DATABASE_UNREACHABLE)
    return _(GENERIC_PROBLEM)


def safe_callback(func=None, *, messages=None):
    """Decorate a widget callback so that an exception becomes a friendly message.

    The message goes to ``messages`` (a :class:`kit.forms.MessageArea`) when given, otherwise
    to ``self.messages`` of the object the callback is a method of. ``messages`` may also name
    an attribute of that object (``@safe_callback(messages="round_messages")``): the area
    placed right after the button that caused it, so the message appears (and is announced)
    beside that button, not at the top of a page, off-screen on a phone. Such an area is
    cleared before the callback runs. The exception is logged with its traceback; the
    callback returns ``None``.

    Examples
    --------
    >>> class Form:
    ...     def __init__(self, area):
    ...         self.messages = area
    ...     @safe_callback
    ...     def on_click(self, button=None):
    ...         raise RuntimeError("boom")
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            named = isinstance(messages, str)
            if named and args and getattr(args[0], messages, None) is not None:
                getattr(args[0], messages).clear()  # the last message is no longer news
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the whole point is to catch everything
                if not getattr(exc, "friendly", False):
                    log.exception("error in widget callback %s", fn.__qualname__)
                area = None if named else messages
                if area is None and args:
                    area = getattr(args[0], messages if named else "messages", None)
                if area is not None:
                    area.error(friendly_message(exc))
                return None

        return wrapper

    if func is not None:
        return decorate(func)
    return decorate
