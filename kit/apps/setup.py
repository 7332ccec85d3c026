"""The facilitator set-up app: create a cohort, open and close rounds, print the join sheet.

State and rules live in :class:`kit.apps.setup_model.SetupModel` (shared with
``kit cohort create``); this module only draws them.

Examples
--------
>>> from kit.apps.setup import SetupApp
>>> SetupApp.from_environment()      # doctest: +SKIP
"""

from __future__ import annotations

import html
import logging
import os

import ipywidgets as W

from kit.apps.setup_model import SetupModel, apps_address, framework_choices
from kit.content import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK
from kit.forms.callbacks import safe_callback
from kit.forms.download import DownloadLink
from kit.forms.messages import MessageArea

__all__ = ["SetupApp"]

log = logging.getLogger(__name__)

_LABEL = {"description_width": "initial"}
_WIDE = W.Layout(width="100%", max_width="34em")


def _button(description: str, tooltip: str, style: str = "") -> W.Button:
    return W.Button(description=description, tooltip=tooltip, button_style=style,
                    layout=W.Layout(width="auto"))


class SetupApp(W.VBox):
    """The set-up page. Build it with :meth:`from_environment`, or give it a store."""

    #: this app's notebook in :data:`kit.voila.catalogue.APPS` (marked in the menu)
    notebook = "11_facilitator_setup.ipynb"

    def __init__(self, store, model: SetupModel | None = None, *, environ=None, **kwargs):
        self.store = store
        self.model = model or SetupModel(store)
        self.environ = os.environ if environ is None else environ
        self.messages = MessageArea()
        self.body = W.VBox()
        from kit.apps._nav import menu_html

        # the same small menu as every other app, this one marked
        self.menu = W.HTML(menu_html(self.notebook))
        super().__init__([self.menu, self.messages, self.body], **kwargs)
        self.add_class("kit-app")
        self.add_class("kit-setup")
        if self.model.unlocked:
            self.show_setup()
        else:
            self._show_key_prompt()

    def __repr__(self) -> str:
        return f"<Facilitator set-up: {'open' if self.model.unlocked else 'locked'}>"

    @classmethod
    def from_environment(cls, store=None, **kwargs) -> SetupApp:
        """The set-up page for this visitor: unlocked for a hub facilitator, else a key prompt."""
        from kit.voila import in_preheated_kernel, wait_for_visitor

        if store is None:
            from kit.apps._base import open_store

            store = open_store()
        if in_preheated_kernel():
            wait_for_visitor()
        model = SetupModel(store)
        user = os.environ.get("JUPYTERHUB_USER", "")
        if user and user in model.settings.facilitators:
            model.unlock_for_hub_user(user)
        return cls(store, model, **kwargs)

    # ------------------------------------------------------------------ locked

    def _show_key_prompt(self) -> None:
        self.key = W.Password(description="Set-up key", placeholder="the key kit serve printed",
                              style=_LABEL, layout=_WIDE)
        button = _button("Open set-up", "Check the set-up key", "primary")
        button.on_click(self._unlock)
        self.body.children = (
            W.HTML("<p>Type the set-up key. Whoever runs the kit has it: <code>kit serve</code> "
                   "prints it when it starts (or it is set in <code>KIT_SETUP_KEY</code>).</p>"),
            self.key, button,
        )

    @safe_callback
    def _unlock(self, _=None) -> None:
        key = self.key.value
        self.key.value = ""
        self.model.unlock_with_key(key)
        self.messages.clear()
        self.show_setup()

    # ------------------------------------------------------------------ unlocked

    def show_setup(self) -> None:
        self_choices, problems = framework_choices("self")
        team_choices, more = framework_choices("team")
        self.name = W.Text(description="Cohort name", style=_LABEL, layout=_WIDE,
                           placeholder="e.g. Spring 2026 leadership programme")
        self.groups = W.Textarea(description="Partnership groups, one per line", style=_LABEL,
                                 layout=_WIDE, placeholder="North\nSouth")
        self.organisations = W.Textarea(
            description="Partner organisations, one per line (optional)", style=_LABEL,
            layout=_WIDE, placeholder="Northshire NHS Trust\nNorthshire County Council")
        self.self_framework = W.Dropdown(description="Self-assessment", style=_LABEL,
                                         options=self_choices, layout=_WIDE)
        self.team_framework = W.Dropdown(description="Team health check", style=_LABEL,
                                         options=team_choices, layout=_WIDE)
        for picker, default in ((self.self_framework, DEFAULT_SELF_FRAMEWORK),
                                (self.team_framework, DEFAULT_TEAM_FRAMEWORK)):
            if default in [v for _l, v in picker.options]:
                picker.value = default
        self.rounds = W.Textarea(description="Rounds, one per line (the first opens now)",
                                 style=_LABEL, layout=_WIDE, value="Baseline\nEnd")
        self.address = W.Text(description="Address of the apps (for join links)", style=_LABEL,
                              layout=_WIDE, value=apps_address(self.environ))
        create = _button("Create cohort", "Create the cohort, its groups and rounds", "primary")
        create.on_click(self._create)
        content_note = []
        if problems or more:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems + more)
            content_note = [W.HTML(
                "<div class='kit-content-problems'><p>Some framework files on the search path "
                "do not pass validation, so they are not offered. Fix them and reload this "
                f"page (<code>kit validate</code> lists the same problems):</p><ul>{items}</ul>"
                "</div>")]
        self.created_area = W.VBox()
        self.rounds_area = W.VBox()
        self.manage_key = W.Password(description="Facilitator key", style=_LABEL, layout=_WIDE,
                                     placeholder="XXXX-XXXX-XXXX-XXXX")
        manage = _button("Open this cohort", "Manage the rounds of an existing cohort")
        manage.on_click(self._manage)
        self.body.children = (
            W.HTML("<h2>Create a cohort</h2><p>Each partnership group gets its own join code. "
                   "The organisations you list are offered when people join (with "
                   "\u201cOther\u201d for anyone else).</p>"),
            *content_note,
            self.name, self.groups, self.organisations, self.self_framework,
            self.team_framework, self.rounds, self.address, create,
            self.created_area,
            W.HTML("<h2>Rounds</h2>"),
            self.rounds_area,
            W.HTML("<h2>Manage an existing cohort</h2><p>Open and close its rounds with its "
                   "facilitator key.</p>"),
            self.manage_key, manage,
        )
        self._show_rounds()

    @safe_callback
    def _create(self, _=None) -> None:
        created = self.model.create(self.name.value, self.groups.value, self.organisations.value,
                                    self.rounds.value, self.self_framework.value,
                                    self.team_framework.value)
        self.messages.success(f"Cohort {created.name!r} is created and its first round is open.")
        self._show_created()
        self._show_rounds()

    def _show_created(self) -> None:
        from kit.report.join_sheet import join_sheet_html

        created = self.model.created
        groups = self.model.join_sheet_groups(self.address.value)
        page = join_sheet_html(created.name, groups)
        self.sheet_link = DownloadLink()
        self.sheet_link.set(page.encode("utf-8"), "join-sheet.html", "text/html",
                            "Save the join sheet (HTML, to print)")
        self.pdf_link = DownloadLink()
        children = [
            W.HTML(
                "<div class='kit-facilitator-key' role='note' style='border:2px solid #0072B2;"
                "padding:0.6em 1em;margin:0.5em 0'><p>Facilitator key for "
                f"<strong>{html.escape(created.name)}</strong>:</p>"
                "<p style='font-size:1.4em;font-family:monospace;letter-spacing:0.08em'>"
                f"<strong class='kit-key-value'>{html.escape(created.facilitator_key)}</strong></p><p>This is shown "
                "only now. Write it down: it opens the facilitator dashboard and this cohort's "
                "rounds, and nobody can look it up later.</p></div>"),
            W.HTML("<h3>Join sheet</h3><p>One page per group with its join code, join link and "
                   "QR code. Save it now: join codes cannot be shown again.</p>"),
            self.sheet_link,
        ]
        from kit.report.pdf import pdf_available

        if pdf_available():
            pdf_button = _button("Prepare the PDF", "Lay the join sheet out as a PDF")
            pdf_button.on_click(self._prepare_pdf)
            children += [pdf_button, self.pdf_link]
        children.append(W.HTML(join_sheet_html(created.name, groups, standalone=False)))
        self.created_area.children = tuple(children)

    @safe_callback
    def _prepare_pdf(self, _=None) -> None:
        from kit.report.join_sheet import join_sheet_pdf

        created = self.model.created
        data = join_sheet_pdf(created.name, self.model.join_sheet_groups(self.address.value))
        self.pdf_link.set(data, "join-sheet.pdf", "application/pdf", "Save the join sheet (PDF)")

    @safe_callback
    def _manage(self, _=None) -> None:
        key = self.manage_key.value
        self.manage_key.value = ""
        self.model.open_cohort_with_key(key)
        self.created_area.children = ()
        self.messages.success(f"Cohort {self.model.cohort.name!r} is open here.")
        self._show_rounds()

    def _show_rounds(self) -> None:
        if self.model.cohort_id is None:
            self.rounds_area.children = (W.HTML(
                "<p>Create a cohort above, or open one below, to manage its rounds.</p>"),)
            return
        cohort = self.model.cohort
        rows = "".join(
            f"<tr><th scope='row'>{html.escape(r.name)}</th>"
            f"<td>{'open for answers' if r.is_open else 'closed'}</td></tr>"
            for r in cohort.rounds)
        self.round_picker = W.Dropdown(description="Round", style=_LABEL,
                                       options=[r.name for r in cohort.rounds])
        current = cohort.open_round
        if current is not None:
            self.round_picker.value = current.name
        open_b = _button("Open round", "Start taking answers for this round", "primary")
        close_b = _button("Close round", "Stop taking answers; the dashboard shows the results")
        members_b = _button("Count everyone who has joined",
                            "The open round counts people who were members when it opened; "
                            "this adds everyone who has joined since (recorded)")
        open_b.on_click(self._open_round)
        close_b.on_click(self._close_round)
        members_b.on_click(self._reopen_membership)
        self.rounds_area.children = (
            W.HTML(f"<table class='kit-table kit-rounds'><caption>Rounds of "
                   f"{html.escape(cohort.name)}</caption><tbody>{rows}</tbody></table>"),
            W.HTML("<p>A round counts the people who were members when it opened. When people "
                   "join after you open it (for example in the room), press <strong>Count "
                   "everyone who has joined</strong> before you close it; this is recorded and "
                   "members are told.</p>"),
            self.round_picker,
            W.HBox([open_b, members_b, close_b], layout=W.Layout(flex_flow="row wrap")),
        )

    @safe_callback
    def _open_round(self, _=None) -> None:
        r = self.model.open_round(self.round_picker.value)
        self.messages.success(f"Round {r.name!r} is open for answers.")
        self._show_rounds()

    @safe_callback
    def _reopen_membership(self, _=None) -> None:
        r = self.model.reopen_membership(self.round_picker.value)
        self.messages.success(f"Round {r['round']!r} now counts everyone who has joined so far.")
        self._show_rounds()

    @safe_callback
    def _close_round(self, _=None) -> None:
        r = self.model.close_round(self.round_picker.value)
        self.messages.success(f"Round {r.name!r} is closed. Its results are in the facilitator "
                              "dashboard.")
        self._show_rounds()
