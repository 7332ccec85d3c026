"""What every participant app shares: a heading, a message area and sign-in, in the kit's one
app frame (:mod:`kit.apps._frame`: warm-up, waiting for the visitor, the menu, the error
boundary)."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps._frame import AppFrame, open_store
from kit.apps.identity import Visitor, resolve_visitor
from kit.apps.participant_model import DEFAULT_FRAMEWORK, apply_language, cohort_framework
from kit.content import DEFAULT_TEAM_FRAMEWORK
from kit.forms import MessageArea, safe_callback
from kit.i18n import N_, _

__all__ = ["ParticipantApp", "open_store", "app_link", "apply_language", "DEFAULT_FRAMEWORK",
           "cohort_framework"]

def app_link(notebook: str, text: str) -> str:
    """An HTML link to another app page.

    Voila serves every app at ``<base_url>voila/render/<notebook>``, so a sibling page is
    reached by its bare file name relative to the current page.
    """
    return f"<a href='{html.escape(notebook)}'>{html.escape(text)}</a>"


class ParticipantApp(AppFrame, W.VBox):
    """Base for the participant apps.

    Subclasses set :attr:`app_title`, and implement :meth:`build` returning the widgets to
    show once the visitor is known. Before that a sign-in panel is shown. Arriving, the menu
    and the error boundary are the frame's (:class:`kit.apps._frame.AppFrame`).
    """

    app_title = N_("App")
    #: the app's notebook in :data:`kit.voila.catalogue.APPS` (marked in the menu)
    notebook: str | None = None
    #: a participant's menu lists the participants' apps only
    menu_audiences = ("participants",)
    #: show messages under the app (next to a form's buttons) rather than above it
    messages_below = False
    #: which of the cohort's frameworks the app works with ("self" or "team"), or None
    framework_lens: str | None = None
    #: a framework given by the caller (notebook or test) wins over the cohort's
    _chosen_framework = None
    #: people working privately may pick another framework of the same lens, when there is one
    offer_chooser = False

    def __init__(self, store, visitor: Visitor | None = None, *, show_heading: bool = False,
                 **kwargs):
        from kit.apps.signin import ScriptRunner

        self.store = store
        self.visitor: Visitor | None = None
        self.messages = MessageArea()
        self.menu = self.frame_menu()
        self.whoami = W.HBox()
        self.whoami.add_class("kit-whoami")
        self.scripts = ScriptRunner()
        # The notebook's own markdown carries the page title; a heading here is optional.
        title = _(self.app_title)
        self.heading = W.HTML(f"<h2 class='kit-app-title'>{html.escape(title)}</h2>"
                              if show_heading else "")
        self.content = W.VBox()
        parts = ([self.heading, self.content, self.messages] if self.messages_below
                 else [self.heading, self.messages, self.content])
        # The page's script writes here what was being typed when the page is hidden, closed
        # or reloaded (kit-a11y.js): a widget of its own, so the text is not held back behind
        # the text box's earlier messages still on their way to the kernel.
        self.page_hidden = W.Text(value="", continuous_update=True,
                                  tooltip=_("What you were typing when the page was left"),
                                  layout=W.Layout(display="none"))
        self.page_hidden.add_class("kit-page-hidden")
        self.page_hidden.observe(self._page_hidden, names="value")
        #: what to do with the text of a field of class ``kit-keep-NAME`` when the page hides
        self.keepers: dict[str, object] = {}
        super().__init__([self.menu, self.whoami, *parts, self.scripts, self.page_hidden],
                         **kwargs)
        self.add_class("kit-app")
        if visitor is None:
            self.show_sign_in()
        else:
            self.signed_in(visitor)

    @safe_callback
    def _page_hidden(self, change) -> None:
        """The page is being hidden, closed or reloaded: take the text being typed, then save
        everything still waiting."""
        import json

        from kit.apps.autosave import flush_all

        try:
            sent = json.loads(change["new"] or "{}")
        except ValueError:
            sent = {}
        name, text = sent.get("name"), sent.get("value")
        keeper = self.keepers.get(name) if isinstance(name, str) else None
        if keeper is not None and isinstance(text, str):
            keeper(text)
        flush_all()

    def show_sign_in(self) -> None:
        from kit.apps.signin import SignInPanel

        self.content.children = (
            W.HTML("<p>" + html.escape(_("Tell us who you are so that your own work opens."))
                   + "</p>"),
            SignInPanel(self.store, self.signed_in, offer_remember=True),
        )

    def _init_framework(self, framework) -> None:
        """Subclasses call this before ``super().__init__``: a given framework, or the default
        until the visitor (and so their cohort's framework) is known."""
        from kit.content import load_framework

        self._chosen_framework = framework
        default = DEFAULT_FRAMEWORK if self.framework_lens != "team" else DEFAULT_TEAM_FRAMEWORK
        self.framework = load_framework(framework if framework is not None else default)

    def signed_in(self, visitor: Visitor) -> None:
        from kit.apps.errors import Refused

        self.visitor = visitor
        apply_language(self.store, visitor)
        if visitor.resume_code and visitor.how in ("join", "resume", "private"):
            # Signed in on this page: every other app of the kit in this browser knows them
            # too, until the browser is closed ("remember me" keeps it longer).
            from kit.apps.identity import session_cookie_script

            self.scripts.run(session_cookie_script(visitor.resume_code))
        self._show_whoami(visitor)
        keep = [w for c in self.content.children for w in _remember_widgets(c)]
        if self.framework_lens is not None and self._chosen_framework is None:
            try:
                self.framework = cohort_framework(self.store, visitor.participant,
                                                  self.framework_lens)
            except Refused as exc:
                self.messages.error(str(exc))
                self.content.children = tuple(keep)
                return
        chooser = self._chooser(visitor)
        self.content.children = tuple(keep) + chooser + tuple(self.build(visitor))

    def _chooser(self, visitor) -> tuple:
        """For someone outside any cohort: a drop-down of the frameworks they may answer
        (the default first), when the search path offers more than one."""
        if (not self.offer_chooser or self._chosen_framework is not None
                or visitor.cohort_id is not None):
            return ()
        from kit.apps.setup_model import framework_choices

        choices, _problems = framework_choices(self.framework_lens)
        if len(choices) < 2:
            return ()
        self.framework_picker = W.Dropdown(
            description=_("Framework"), options=choices, value=self.framework.id,
            style={"description_width": "initial"})
        self.framework_picker.observe(self._framework_picked, names="value")
        return (self.framework_picker,)

    def _framework_picked(self, change) -> None:
        from kit.apps.errors import Refused
        from kit.content import ContentError, load_framework
        from kit.forms import friendly_message

        value = change["new"]
        try:
            if value not in [v for _l, v in self.framework_picker.options]:
                raise Refused(_("Choose a framework from the list."))
            self.framework = load_framework(value)
            self.messages.clear()
            self.content.children = (self.framework_picker, *self.build(self.visitor))
        except (Refused, ContentError) as exc:
            self.messages.error(friendly_message(exc) if isinstance(exc, Refused) else str(exc))

    def _show_whoami(self, visitor: Visitor) -> None:
        """"Signed in as ... Not you? Sign out", on every app."""
        if visitor.how == "hub":
            self.whoami.children = (W.HTML(
                "<p class='kit-whoami-text'>"
                + html.escape(_("Signed in through your organisation's Jupyter service."))
                + "</p>"),)
            return
        name = getattr(visitor.participant, "display_name", None)
        if visitor.how == "private":
            who = html.escape(_("You are working privately."))
        elif visitor.how == "demo":
            who = html.escape(_("You are looking at the demonstration participant's work."))
        else:
            who = _("Signed in as {name}.").format(
                name=f"<strong>{html.escape(name)}</strong>") if name else \
                html.escape(_("You are signed in."))
        sign_out = W.Button(description=_("Not you? Sign out"), layout=W.Layout(width="auto"),
                            tooltip=_("Close your work on this browser and sign in as someone "
                                      "else"))
        sign_out.add_class("kit-sign-out")
        sign_out.on_click(self._sign_out)
        self.whoami.children = (W.HTML(f"<p class='kit-whoami-text'>{who}&nbsp;</p>"), sign_out)

    @safe_callback
    def _sign_out(self, _button=None) -> None:
        from kit.apps.autosave import forget_drafts_script
        from kit.apps.identity import forget_me_script

        self.scripts.run(forget_me_script())
        self.scripts.run(forget_drafts_script())  # nothing typed here opens for the next person
        self.visitor = None
        self.whoami.children = ()
        self.show_sign_in()
        self.messages.info(_("You are signed out on this browser. Your work is kept: come "
                             "back to it with your resume code."))

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
    def page_store(cls):
        """The store, through this module's :func:`open_store` (tests stand in for it here)."""
        return open_store()

    @classmethod
    def for_visitor(cls, store, **kwargs):
        """The app for this page's visitor (see :mod:`kit.apps.identity`), in their language.

        :meth:`kit.apps._frame.AppFrame.from_environment` calls this once the visitor has
        arrived; with no known visitor the app shows its sign-in panel.
        """
        visitor = resolve_visitor(store)
        apply_language(store, visitor)  # before the app loads its framework and words
        return cls(store, visitor, **kwargs)


def _remember_widgets(widget) -> tuple:
    """The "remember me" offer a sign-in panel made, kept on screen after signing in."""
    from kit.apps.signin import SignInPanel

    return tuple(widget.after.children) if isinstance(widget, SignInPanel) else ()
