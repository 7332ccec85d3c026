"""What every participant app shares: a heading, a message area, sign-in, and set-up from
the environment of a Voila page."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps.identity import Visitor, resolve_visitor
from kit.forms import MessageArea

__all__ = ["ParticipantApp", "open_store", "app_link"]


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
        self.heading = W.HTML(f"<h2 class='kit-app-title'>{html.escape(self.app_title)}</h2>"
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
            W.HTML("<p>Tell us who you are so that your own work opens.</p>"),
            SignInPanel(self.store, self.signed_in, offer_remember=True),
        )

    def signed_in(self, visitor: Visitor) -> None:
        self.visitor = visitor
        keep = [w for c in self.content.children for w in _remember_widgets(c)]
        self.content.children = tuple(keep) + tuple(self.build(visitor))

    def build(self, visitor: Visitor) -> list:  # pragma: no cover - every app overrides
        raise NotImplementedError

    @property
    def participant_id(self) -> int:
        return self.visitor.participant_id

    @classmethod
    def from_environment(cls, **kwargs):
        """The app for this page's visitor (see :mod:`kit.apps.identity`).

        Under a preheated Voila pool, waits here for the visitor's request so that their
        cookie and user name are known; everything imported above already ran.
        """
        try:
            from voila.utils import wait_for_request

            wait_for_request()
        except ImportError:  # plain Jupyter without Voila
            pass
        store = open_store()
        return cls(store, resolve_visitor(store), **kwargs)


def _remember_widgets(widget) -> tuple:
    """The "remember me" offer a sign-in panel made, kept on screen after signing in."""
    from kit.apps.signin import SignInPanel

    return tuple(widget.after.children) if isinstance(widget, SignInPanel) else ()
