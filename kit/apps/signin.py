"""The sign-in panel shown when a page cannot tell who the visitor is."""

from __future__ import annotations

import html

import ipywidgets as W
from IPython.display import HTML, Javascript, display

from kit.apps.about_you import AboutYouFields
from kit.apps.identity import (
    SignInModel,
    Visitor,
    join_code_from_query,
    remember_me_script,
    served_to_visitors,
)
from kit.forms import MessageArea, safe_callback
from kit.i18n import _

__all__ = ["SignInPanel", "RememberMe", "ScriptRunner"]


class ScriptRunner(W.Output):
    """Runs small bits of JavaScript on the page (setting or removing the sign-in cookie)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_class("kit-scripts")
        #: every script sent, oldest first (for tests and for reading what a page did)
        self.sent: list[str] = []

    def run(self, script: str) -> None:
        self.sent.append(script)
        # Both forms: which of them a front end runs depends on how it trusts outputs.
        with self:
            display(HTML(f"<script>{script}</script>"))
            display(Javascript(script))


class RememberMe(W.VBox):
    """Shows the resume code to write down and offers to remember it on this browser.

    After joining, or starting private work on a shared server, the code is shown large
    (the only time it is known); after resuming, only the offer to remember is shown.
    """

    def __init__(self, visitor: Visitor, **kwargs):
        self.visitor = visitor
        self.messages = MessageArea()
        code = visitor.resume_code or ""
        if visitor.how == "private":
            why = _("It is the only way back to your private work, from this browser after "
                    "it is closed or from any other. Nobody else can open your work, and "
                    "nobody can look the code up for you.")
        else:
            why = _("It is the only way back to your own answers from another computer or "
                    "browser, and nobody can look it up for you.")
        self.code_html = W.HTML(
            "<div class='kit-resume-code' role='note' style='border:2px solid #0072B2;"
            "padding:0.6em 1em;margin:0.5em 0'><p>"
            + html.escape(_("Your resume code is")) + "</p>"
            f"<p style='font-size:1.6em;font-family:monospace;letter-spacing:0.1em'>"
            f"<strong>{html.escape(code)}</strong></p>"
            "<p>" + html.escape(_("Write it down or keep it somewhere safe.")) + " "
            + html.escape(why) + " "
            + _("You can come back any time with this resume code: type it under "
                "<em>Coming back</em>.") + "</p></div>"
            if visitor.how not in ("resume", "cookie") else ""
        )
        served = served_to_visitors()
        self.session_note = W.HTML(
            "<p class='kit-session-note'>" + html.escape(
                _("This browser now opens your work on every page of the kit until you close "
                  "it. To be remembered for longer, press the button.") if served else
                # In JupyterLab nothing carries a sign-in from one notebook to the next.
                _("Each notebook opened here asks who you are: type your resume code in "
                  "each one.")) + "</p>")
        self.remember = W.Button(description=_("Remember me on this browser"),
                                 tooltip=_("Keep your resume code in a cookie on this browser"),
                                 icon="", layout=W.Layout(width="auto"))
        self.remember.on_click(self._remember)
        self.out = ScriptRunner()
        parts = [self.code_html, self.session_note]
        if served:
            parts.append(self.remember)
        children = [*parts, self.messages, self.out] if code else []
        super().__init__(children, **kwargs)

    @safe_callback
    def _remember(self, _button=None) -> None:
        self.out.run(remember_me_script(self.visitor.resume_code))
        self.messages.success(_(
            "Done: this browser will open your work on every page of the kit. On a shared "
            "computer, do not use this; type your resume code instead."
        ))


class SignInPanel(W.VBox):
    """Join with a join code, carry on with a resume code, or work privately.

    Parameters
    ----------
    store : kit.store.Store
    on_signed_in : callable
        Called with the :class:`Visitor` once signed in.
    """

    def __init__(self, store, on_signed_in, *, offer_remember: bool = True, query=None,
                 **kwargs):
        import os

        from kit.config import get_settings

        self.model = SignInModel(store)
        self._on_signed_in = on_signed_in
        self.offer_remember = offer_remember
        self.messages = MessageArea()
        style = {"description_width": "initial"}
        self.join_code = W.Text(description=_("Join code"),
                                placeholder=_("e.g. {code}").format(code="K7QF-2MRX-9WZD-HT4P"),
                                style=style)
        self.join_code.continuous_update = False
        self.join_code.observe(self._code_typed, names="value")
        self.join_about = W.HTML()
        self.name = W.Text(description=_("Your name (optional)"), style=style)
        self.about = AboutYouFields(min_group_size=get_settings().min_group_size)
        self.join_button = W.Button(description=_("Join my group"), button_style="primary",
                                    tooltip=_("Join the group your facilitator gave you a code "
                                              "for"))
        self.join_button.on_click(self._join)
        self.resume_code = W.Text(description=_("Resume code"), style=style,
                                  placeholder=_("the code you wrote down"))
        self.resume_button = W.Button(description=_("Carry on"), button_style="primary",
                                      tooltip=_("Open your own answers"))
        self.resume_button.on_click(self._resume)
        self.private_button = W.Button(description=_("Work privately on this computer"),
                                       tooltip=_("Use the kit without a group; nothing is "
                                                 "shared"),
                                       layout=W.Layout(width="auto"))
        self.private_button.on_click(self._private)
        self.after = W.VBox()
        section = "<h2 style='margin-bottom:0.2em'>{}</h2><p style='margin-top:0'>{}</p>"
        super().__init__([
            W.HTML(section.format(html.escape(_("First time, with a group")),
                                  html.escape(_("Type the join code your facilitator gave "
                                                "you.")))),
            self.join_code, self.join_about, self.name, self.about, self.join_button,
            W.HTML(section.format(html.escape(_("Coming back")),
                                  html.escape(_("Type the resume code you were given when you "
                                                "joined.")))),
            self.resume_code, self.resume_button,
            W.HTML(section.format(html.escape(_("On your own")),
                                  html.escape(self._private_note()))),
            self.private_button,
            self.messages, self.after,
        ], **kwargs)
        self.add_class("kit-signin")
        link_code = join_code_from_query(os.environ.get("QUERY_STRING", "") if query is None
                                         else query)
        if link_code is not None:
            self._from_link(link_code)

    def _from_link(self, code: str) -> None:
        """A join link (``?join=CODE``): fill in the code, or say what is wrong with it."""
        from kit.apps.errors import Refused
        from kit.store.errors import CodeError

        try:
            cohort, group = self.model.preview(code)
        except (Refused, CodeError):
            self.messages.warning(_(
                "The join code in this link was not recognised: it may be mistyped, cut short "
                "or no longer in use. Type the join code from your sheet below, or ask your "
                "facilitator for a new link."))
            return
        self.join_code.value = code  # fills in the organisations through _code_typed
        self._show_group(cohort, group)

    def _show_group(self, cohort, group) -> None:
        self.about.set_organisations(cohort.organisations)
        self.join_about.value = (
            "<p class='kit-join-target' role='status'>"
            + _("You are joining group {group} of {cohort}.").format(
                group=f"<strong>{html.escape(group.name)}</strong>",
                cohort=f"<strong>{html.escape(cohort.name)}</strong>")
            + "</p>")

    @safe_callback
    def _code_typed(self, change) -> None:
        from kit.apps.errors import Refused
        from kit.store.errors import CodeError

        code = (change["new"] or "").strip()
        try:
            cohort, group = self.model.preview(code)
        except (Refused, CodeError):
            self.join_about.value = ""
            self.about.set_organisations(())
            return
        self._show_group(cohort, group)

    @staticmethod
    def _private_note() -> str:
        if served_to_visitors():
            return _("Work outside any group. You get a resume code of your own to come "
                     "back with; nobody else sees your work.")
        return _("Keep everything on this computer, outside any group. Nobody else sees it.")

    def _done(self, visitor: Visitor) -> None:
        self.messages.clear()
        if visitor.resume_code and self.offer_remember:
            self.after.children = (RememberMe(visitor),)
        self._on_signed_in(visitor)

    @safe_callback
    def _join(self, _button=None) -> None:
        self._done(self.model.join(self.join_code.value, self.name.value, **self.about.raw))

    @safe_callback
    def _resume(self, _button=None) -> None:
        self._done(self.model.resume(self.resume_code.value))

    @safe_callback
    def _private(self, _button=None) -> None:
        self._done(self.model.private())
