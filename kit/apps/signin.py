"""The sign-in panel shown when a page cannot tell who the visitor is."""

from __future__ import annotations

import html

import ipywidgets as W
from IPython.display import HTML, Javascript, display

from kit.apps.identity import SignInModel, Visitor, remember_me_script
from kit.forms import MessageArea, safe_callback

__all__ = ["SignInPanel", "RememberMe"]


class RememberMe(W.VBox):
    """Shows the resume code to write down and offers to remember it on this browser."""

    def __init__(self, visitor: Visitor, **kwargs):
        self.visitor = visitor
        self.messages = MessageArea()
        code = visitor.resume_code or ""
        self.code_html = W.HTML(
            "<div class='kit-resume-code' role='note' style='border:2px solid #0072B2;"
            "padding:0.6em 1em;margin:0.5em 0'><p>Your resume code is</p>"
            f"<p style='font-size:1.6em;font-family:monospace;letter-spacing:0.1em'>"
            f"<strong>{html.escape(code)}</strong></p>"
            "<p>Write it down or keep it somewhere safe. It is the only way back to your own "
            "answers from another computer or browser, and nobody can look it up for you.</p></div>"
        )
        self.remember = W.Button(description="Remember me on this browser",
                                 tooltip="Keep your resume code in a cookie on this browser",
                                 icon="")
        self.remember.on_click(self._remember)
        self.out = W.Output()
        children = [self.code_html, self.remember, self.messages, self.out] if code else []
        super().__init__(children, **kwargs)

    @safe_callback
    def _remember(self, _button=None) -> None:
        script = remember_me_script(self.visitor.resume_code)
        with self.out:
            display(HTML(f"<script>{script}</script>"))
            display(Javascript(script))
        self.messages.success(
            "Done: this browser will open your work on every page of the kit. On a shared "
            "computer, do not use this; type your resume code instead."
        )


class SignInPanel(W.VBox):
    """Join with a join code, carry on with a resume code, or work privately.

    Parameters
    ----------
    store : kit.store.Store
    on_signed_in : callable
        Called with the :class:`Visitor` once signed in.
    """

    def __init__(self, store, on_signed_in, *, offer_remember: bool = True, **kwargs):
        self.model = SignInModel(store)
        self._on_signed_in = on_signed_in
        self.offer_remember = offer_remember
        self.messages = MessageArea()
        style = {"description_width": "initial"}
        self.join_code = W.Text(description="Join code", placeholder="e.g. K7QF-2MRX-9WZD-HT4P",
                                style=style)
        self.name = W.Text(description="Your name (optional)", style=style)
        self.join_button = W.Button(description="Join my group", button_style="primary",
                                    tooltip="Join the group your facilitator gave you a code for")
        self.join_button.on_click(self._join)
        self.resume_code = W.Text(description="Resume code", style=style,
                                  placeholder="the code you wrote down")
        self.resume_button = W.Button(description="Carry on", button_style="primary",
                                      tooltip="Open your own answers")
        self.resume_button.on_click(self._resume)
        self.private_button = W.Button(description="Work privately on this computer",
                                       tooltip="Use the kit without a group; nothing is shared")
        self.private_button.on_click(self._private)
        self.after = W.VBox()
        section = "<h2 style='margin-bottom:0.2em'>{}</h2><p style='margin-top:0'>{}</p>"
        super().__init__([
            W.HTML(section.format("First time, with a group",
                                  "Type the join code your facilitator gave you.")),
            self.join_code, self.name, self.join_button,
            W.HTML(section.format("Coming back", "Type the resume code you were given when you joined.")),
            self.resume_code, self.resume_button,
            W.HTML(section.format("On your own",
                                  "Keep everything on this computer, outside any group. Nobody "
                                  "else sees it.")),
            self.private_button,
            self.messages, self.after,
        ], **kwargs)
        self.add_class("kit-signin")

    def _done(self, visitor: Visitor) -> None:
        self.messages.clear()
        if visitor.how == "join" and self.offer_remember:
            self.after.children = (RememberMe(visitor),)
        self._on_signed_in(visitor)

    @safe_callback
    def _join(self, _button=None) -> None:
        self._done(self.model.join(self.join_code.value, self.name.value))

    @safe_callback
    def _resume(self, _button=None) -> None:
        self._done(self.model.resume(self.resume_code.value))

    @safe_callback
    def _private(self, _button=None) -> None:
        self._done(self.model.private())
