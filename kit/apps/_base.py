"""What every participant app shares: a heading, a message area, sign-in, and set-up from
the environment of a Voila page."""

from __future__ import annotations

import html
import logging

import ipywidgets as W

from kit.apps.identity import Visitor, resolve_visitor
from kit.forms import MessageArea
from kit.i18n import _

__all__ = ["ParticipantApp", "open_store", "app_link", "apply_language", "DEFAULT_FRAMEWORK"]

#: The framework every participant app opens unless told otherwise.
DEFAULT_FRAMEWORK = "collaboration-behaviours"

_log = logging.getLogger(__name__)


def open_store():
    """The kit's store for this process (opened once, kept for the kernel's life)."""
    global _STORE
    if _STORE is None:
        from kit.store import Store

        _STORE = Store()
    return _STORE


_STORE = None


def app_link(notebook: str, text: str) -> str:
    """An HTML link to another app page.

    Voila serves every app at ``<base_url>voila/render/<notebook>``, so a sibling page is
    reached by its bare file name relative to the current page.
    """
    return f"<a href='{html.escape(notebook)}'>{html.escape(text)}</a>"


class ParticipantApp(W.VBox):
    """Base for the participant apps.

    Subclasses set :attr:`app_title`, and implement :meth:`build` returning the widgets to
    show once the visitor is known. Before that a sign-in panel is shown.
    """

    app_title = "App"
    #: show messages under the app (next to a form's buttons) rather than above it
    messages_below = False

    def __init__(self, store, visitor: Visitor | None = None, *, show_heading: bool = False,
                 **kwargs):
        self.store = store
        self.visitor: Visitor | None = None
        self.messages = MessageArea()
        # The notebook's own markdown carries the page title; a heading here is optional.
        title = _(self.app_title)
        self.heading = W.HTML(f"<h2 class='kit-app-title'>{html.escape(title)}</h2>"
                              if show_heading else "")
        self.content = W.VBox()
        parts = ([self.heading, self.content, self.messages] if self.messages_below
                 else [self.heading, self.messages, self.content])
        super().__init__(parts, **kwargs)
        self.add_class("kit-app")
        if visitor is None:
            self.show_sign_in()
        else:
            self.signed_in(visitor)

    def show_sign_in(self) -> None:
        from kit.apps.signin import SignInPanel

        self.content.children = (
            W.HTML("<p>" + html.escape(_("Tell us who you are so that your own work opens."))
                   + "</p>"),
            SignInPanel(self.store, self.signed_in, offer_remember=True),
        )

    def signed_in(self, visitor: Visitor) -> None:
        self.visitor = visitor
        apply_language(self.store, visitor)
        keep = [w for c in self.content.children for w in _remember_widgets(c)]
        self.content.children = tuple(keep) + tuple(self.build(visitor))

    def build(self, visitor: Visitor) -> list:  # pragma: no cover - every app overrides
        raise NotImplementedError

    @property
    def participant_id(self) -> int:
        return self.visitor.participant_id

    @classmethod
    def warm_up(cls, store) -> None:
        """Work done in a preheated kernel while it waits for its visitor.

        Nothing here depends on who the visitor is. The base loads the kit's framework and
        exercises (kept in memory by :mod:`kit.content`) and, when the app's module imported
        Altair (it draws charts), loads the offline chart bundle and builds Altair's
        validator (:func:`kit.voila.prewarm`). Apps may add more; a failure only means the
        work is done later, once the visitor is there.
        """
        import sys

        from kit.content import load_exercises, load_framework

        load_framework(DEFAULT_FRAMEWORK)
        load_exercises()
        if "altair" in sys.modules:
            from kit.voila import prewarm

            prewarm()

    @classmethod
    def from_environment(cls, **kwargs):
        """The app for this page's visitor (see :mod:`kit.apps.identity`).

        In a kernel preheated by a Voila pool, the store is opened and :meth:`warm_up` runs,
        then the kernel waits for the visitor's request so that their cookie and user name
        are known: after that only working out who they are and building their view remain.
        Elsewhere (a cold Voila kernel, JupyterLab, nbval) nothing waits or warms up, and
        Voila itself is never imported (that alone costs a good part of a second).
        """
        from kit.voila import in_preheated_kernel, wait_for_visitor

        store = open_store()
        if in_preheated_kernel():
            try:
                cls.warm_up(store)
            except Exception:  # noqa: BLE001 - warming is an optimisation, never a failure
                _log.debug("warm-up of %s failed; carrying on", cls.__name__, exc_info=True)
            wait_for_visitor()
        visitor = resolve_visitor(store)
        apply_language(store, visitor)  # before the app loads its framework and words
        return cls(store, visitor, **kwargs)


def apply_language(store, visitor) -> str:
    """Translate into the visitor's language (theirs, else their cohort's, else the default)
    from now on in this kernel; return it. With no visitor, the default."""
    from kit.i18n import set_language

    if visitor is None:
        return set_language(None)
    return set_language(store.language_for(visitor.participant_id))

def _remember_widgets(widget) -> tuple:
    """The "remember me" offer a sign-in panel made, kept on screen after signing in."""
    from kit.apps.signin import SignInPanel

    return tuple(widget.after.children) if isinstance(widget, SignInPanel) else ()
