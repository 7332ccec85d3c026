"""The one frame every app page is built in: arriving, the menu, and the error boundary.

Every app (the participant apps through :class:`kit.apps._base.ParticipantApp`, the set-up
page, the facilitator dashboard) mixes :class:`AppFrame` into its ipywidgets box. The frame
does, in this order, what used to be copied into each app's ``from_environment``:

1. **arrive** (:meth:`AppFrame.arrive`): open the store; in a kernel preheated by a Voila
   pool, run :meth:`AppFrame.warm_up` (a failure only means the work is done later), then wait
   for the visitor's request (:func:`kit.voila.wait_for_visitor`) so that their cookie and
   hub user name are known. A cold kernel neither waits nor imports Voila.
2. **open the page for the visitor** (:meth:`AppFrame.for_visitor`, each app's own: sign-in
   for participants, the set-up key or hub user for the set-up page).
3. **error boundary**: anything that goes wrong in step 2 becomes a page with the menu and a
   sentence for the person (:func:`error_page`), and the log says which page failed and what
   the visitor lost (nothing they had saved). Inside a page, :meth:`AppFrame.fail` does the
   same beside the button that failed.

The menu (:meth:`AppFrame.frame_menu`) is the same small list of apps on every page.

Examples
--------
>>> import ipywidgets as W
>>> class Hello(AppFrame, W.VBox):
...     notebook = "00_start_here.ipynb"
...     def __init__(self, store):
...         super().__init__([self.frame_menu(), W.HTML("hello")])
...         self.store = store
>>> Hello.for_visitor("a store").store
'a store'
"""

from __future__ import annotations

import html
import logging

from kit.i18n import N_, _

__all__ = ["AppFrame", "error_page", "open_store", "PAGE_FAILED"]

log = logging.getLogger("kit.apps")

#: Said on a page that could not be opened (after the reason, when the reason is for people).
PAGE_FAILED = N_("Reload the page to try again. Anything you saved earlier is still safe; if this "
               "keeps happening, tell whoever runs the kit.")


def open_store():
    """The kit's store for this process (opened once, kept for the kernel's life)."""
    global _STORE
    if _STORE is None:
        from kit.store import Store

        _STORE = Store()
    return _STORE


_STORE = None


class AppFrame:
    """What every app page shares; mix it into an ipywidgets box (``class X(AppFrame, W.VBox)``).

    Subclasses set :attr:`notebook` and, for a participants' page, :attr:`menu_audiences`;
    they override :meth:`for_visitor` when building the page needs more than ``cls(store)``,
    and :meth:`warm_up` for work worth doing before the visitor arrives.
    """

    #: this app's notebook in :data:`kit.voila.catalogue.APPS` (marked in the menu)
    notebook: str | None = None
    #: the audiences whose apps the menu lists (``None``: every app)
    menu_audiences: tuple[str, ...] | None = None

    # ------------------------------------------------------------------ arriving

    @classmethod
    def warm_up(cls, store) -> None:
        """Work done in a preheated kernel while it waits for its visitor (nothing here by
        default). It must not depend on who the visitor is."""

    @classmethod
    def arrive(cls, store=None):
        """Open the store, warm up and wait for the visitor (in a preheated kernel only);
        return the store."""
        from kit.voila import in_preheated_kernel, wait_for_visitor

        if store is None:
            store = cls.page_store()
        if in_preheated_kernel():
            try:
                cls.warm_up(store)
            except Exception:  # noqa: BLE001 - warming is an optimisation, never a failure
                log.debug("warm-up of %s failed; carrying on", cls.__name__, exc_info=True)
            wait_for_visitor()
        return store

    @classmethod
    def page_store(cls):
        """The store the page works with when none is given (:func:`open_store`)."""
        return open_store()

    @classmethod
    def for_visitor(cls, store, **kwargs):
        """The page for the visitor who has arrived (by default ``cls(store, **kwargs)``)."""
        return cls(store, **kwargs)

    @classmethod
    def from_environment(cls, store=None, **kwargs):
        """The page for this visitor: :meth:`arrive`, then :meth:`for_visitor`, inside the
        error boundary (a failure shows :func:`error_page`, never a traceback)."""
        store = cls.arrive(store)
        try:
            return cls.for_visitor(store, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the page's error boundary
            return error_page(cls, exc)

    # ------------------------------------------------------------------ on the page

    def frame_menu(self):
        """The kit's small menu of apps, this page marked (:mod:`kit.apps._nav`)."""
        import ipywidgets as W

        from kit.apps._nav import current_notebook, menu_html

        return W.HTML(menu_html(self.notebook or current_notebook(),
                                audiences=self.menu_audiences))

    def fail(self, exc: BaseException, area=None, *, doing: str, lost: str = "") -> None:
        """Show ``exc`` in words in ``area`` (else :attr:`messages`) and log what failed.

        ``doing`` says what the page was doing ("create the cohort") and ``lost`` what the
        person did not get because of it; a mistake of theirs (a friendly error) is not
        logged as a fault.
        """
        from kit.forms.callbacks import friendly_message

        if not getattr(exc, "friendly", False):
            logging.getLogger(type(self).__module__).error(
                "%s could not %s%s", type(self).__name__, doing,
                f"; not done: {lost}" if lost else "", exc_info=exc)
        (area if area is not None else self.messages).error(friendly_message(exc))


def error_page(app_cls, exc: BaseException):
    """What a visitor sees when their page could not be opened: the menu and a sentence.

    The fault is logged with the page's name; the visitor had typed nothing yet on this page,
    so what they lost is the page itself, never saved work.
    """
    import ipywidgets as W

    from kit.apps._nav import current_notebook, menu_html
    from kit.forms.callbacks import friendly_message
    from kit.forms.messages import MessageArea

    name = getattr(app_cls, "__name__", str(app_cls))
    if not getattr(exc, "friendly", False):
        logging.getLogger(getattr(app_cls, "__module__", __name__)).error(
            "the page %s could not be opened for its visitor (lost: the page; nothing saved)",
            name, exc_info=exc)
    messages = MessageArea()
    messages.error(friendly_message(exc) + " " + _(PAGE_FAILED))
    notebook = getattr(app_cls, "notebook", None) or current_notebook()
    menu = W.HTML(menu_html(notebook, audiences=getattr(app_cls, "menu_audiences", None)))
    said = html.escape(_("This page could not be opened."))
    page = W.VBox([menu, W.HTML(f"<p>{said}</p>"), messages])
    page.add_class("kit-app")
    page.add_class("kit-error-page")
    return page
