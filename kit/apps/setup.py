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

from kit.apps._frame import AppFrame
from kit.apps.setup_model import (
    SetupModel,
    address_problem,
    framework_choices,
    public_address,
)
from kit.apps.setup_recovery import _LABEL, _WIDE, SetupRecovery, _button, _html, _quoted
from kit.content import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK
from kit.forms.callbacks import safe_callback
from kit.forms.download import DownloadLink
from kit.forms.messages import MessageArea
from kit.i18n import _, format_date

__all__ = ["SetupApp"]

log = logging.getLogger(__name__)

class SetupApp(SetupRecovery, AppFrame, W.VBox):
    """The set-up page. Build it with :meth:`from_environment`, or give it a store.

    Arriving, the menu and the error boundary are the app frame's
    (:class:`kit.apps._frame.AppFrame`); lost keys and join sheets are
    :class:`kit.apps.setup_recovery.SetupRecovery`'s.
    """

    #: this app's notebook in :data:`kit.voila.catalogue.APPS` (marked in the menu)
    notebook = "11_facilitator_setup.ipynb"

    def __init__(self, store, model: SetupModel | None = None, *, environ=None, **kwargs):
        self.store = store
        self.model = model or SetupModel(store)
        self.environ = os.environ if environ is None else environ
        self.messages = MessageArea()
        self.body = W.VBox()
        self.menu = self.frame_menu()  # the same small menu as every other app, this one marked
        super().__init__([self.menu, self.messages, self.body], **kwargs)
        self.add_class("kit-app")
        self.add_class("kit-setup")
        if self.model.unlocked:
            self.show_setup()
        else:
            self._show_key_prompt()
            # the page follows the model: once the key (or hub user) opens set-up, it shows
            self.model.observe(self._opened, names="unlocked")

    def __repr__(self) -> str:
        return f"<Facilitator set-up: {'open' if self.model.unlocked else 'locked'}>"  # for developers

    @classmethod
    def for_visitor(cls, store, **kwargs) -> SetupApp:
        """The set-up page for this visitor: unlocked for a hub facilitator, else a key prompt
        (called by :meth:`kit.apps._frame.AppFrame.from_environment` once they arrive)."""
        model = SetupModel(store)
        user = os.environ.get("JUPYTERHUB_USER", "")
        if user and user in model.settings.facilitators:
            model.unlock_for_hub_user(user)
        return cls(store, model, **kwargs)

    # ------------------------------------------------------------------ locked

    def _show_key_prompt(self) -> None:
        self.key = W.Password(description=_("Set-up key"),
                              placeholder=_("the key whoever runs the kit gave you"),
                              style=_LABEL, layout=_WIDE)
        button = _button(_("Open set-up"), _("Check the set-up key"), "primary")
        button.on_click(self._unlock)
        #: what the key said, beside its button
        self.key_messages = MessageArea()
        intro = _("Type the set-up key. Whoever runs the kit has it: it is shown to them "
                  "when the kit starts.")
        self.body.children = (
            W.HTML("<p>" + html.escape(intro) + "</p>"),
            self.key, button, self.key_messages,
        )

    @safe_callback(messages="key_messages")
    def _unlock(self, _event=None) -> None:
        key = self.key.value
        self.key.value = ""
        self.model.unlock_with_key(key)  # the page opens through _opened

    def _opened(self, change) -> None:
        if change["new"]:
            self.messages.clear()
            self.show_setup()

    # ------------------------------------------------------------------ unlocked

    def show_setup(self) -> None:
        self_choices, problems = framework_choices("self")
        team_choices, more = framework_choices("team")
        self.name = W.Text(description=_("Cohort name"), style=_LABEL, layout=_WIDE,
                           placeholder=_("e.g. Spring 2026 leadership programme"))
        self.groups = W.Textarea(description=_("Partnership groups, one per line"), style=_LABEL,
                                 layout=_WIDE,
                                 placeholder="\n".join([_("North"), _("South")]))
        self.organisations = W.Textarea(
            description=_("Partner organisations, one per line (optional)"), style=_LABEL,
            layout=_WIDE, placeholder="\n".join([_("Northshire NHS Trust"),
                                                 _("Northshire County Council")]))
        self.self_framework = W.Dropdown(description=_("Self-assessment"), style=_LABEL,
                                         options=self_choices, layout=_WIDE)
        self.team_framework = W.Dropdown(description=_("Team health check"), style=_LABEL,
                                         options=team_choices, layout=_WIDE)
        for picker, default in ((self.self_framework, DEFAULT_SELF_FRAMEWORK),
                                (self.team_framework, DEFAULT_TEAM_FRAMEWORK)):
            if default in [v for _l, v in picker.options]:
                picker.value = default
        self.rounds = W.Textarea(description=_("Rounds, one per line, in order"),
                                 style=_LABEL, layout=_WIDE,
                                 value="\n".join([_("Baseline"), _("End")]))
        self.address = W.Text(description=_("Address of the apps (for join links)"),
                              style=_LABEL, layout=_WIDE,
                              value=public_address(self.environ, self.model.settings))
        # The address is checked as it is typed, and a sheet already made is made again.
        self.address_note = MessageArea()
        self.address.observe(self._address_changed, names="value")
        self._check_address()
        create = _button(_("Create cohort"), _("Create the cohort, its groups and rounds"),
                         "primary")
        create.on_click(self._create)
        #: what creating said, beside the button that caused it
        self.create_messages = MessageArea()
        content_note = []
        if problems or more:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems + more)
            note = html.escape(_(
                "Some framework files do not pass the kit's checks, so they are not offered. "
                "Whoever looks after them can fix them; then reload this page:"))
            content_note = [W.HTML(
                f"<div class='kit-content-problems'><p>{note}</p><ul>{items}</ul></div>")]
        self.created_area = W.VBox()
        self.rounds_area = W.VBox()
        self.manage_key = W.Password(description=_("Facilitator key"), style=_LABEL,
                                     layout=_WIDE, placeholder="XXXX-XXXX-XXXX-XXXX")
        manage = _button(_("Open this cohort"), _("Manage the rounds of an existing cohort"))
        manage.on_click(self._manage)
        #: what opening a cohort said, beside its button
        self.manage_messages = MessageArea()
        #: what opening or closing a round said, beside those buttons (kept across redraws)
        self.round_messages = MessageArea()
        #: what resolving an objection said, where the objections are listed
        self.resolve_messages = MessageArea()
        self.rounds_table = None  # the rounds section is built on first showing
        create_intro = _("Each partnership group gets its own join code. The organisations you "
                         "list are offered when people join (with \u201cOther\u201d for anyone "
                         "else).")
        manage_intro = _("Open and close its rounds with its facilitator key.")
        self.body.children = (
            W.HTML(_html("h2", _("Create a cohort")) + _html("p", create_intro)),
            *content_note,
            self.name, self.groups, self.organisations, self.self_framework,
            self.team_framework, self.rounds, self.address, self.address_note, create,
            self.create_messages, self.created_area,
            W.HTML(_html("h2", _("Rounds"))),
            self.rounds_area,
            W.HTML(_html("h2", _("Manage an existing cohort")) + _html("p", manage_intro)),
            self.manage_key, manage, self.manage_messages,
            *self._recovery(),
        )
        self._show_rounds()

    def _check_address(self) -> bool:
        """Say beside the address when join links made from it would not open on phones."""
        problem = address_problem(self.address.value)
        if problem:
            self.address_note.warning(problem)
        else:
            self.address_note.clear()
        return problem is None

    @safe_callback
    def _address_changed(self, _change=None) -> None:
        self._check_address()
        if self.model.created is not None and self.created_area.children:
            self._show_created()  # the sheet follows the corrected address

    def _create(self, _event=None) -> None:
        self.create_messages.clear()
        try:
            created = self.model.create(self.name.value, self.groups.value,
                                        self.organisations.value, self.rounds.value,
                                        self.self_framework.value, self.team_framework.value)
        except Exception as exc:  # noqa: BLE001 - shown beside the button, as safe_callback does
            self.fail(exc, self.create_messages, doing="create the cohort",
                      lost=f"cohort {self.name.value!r} (the form keeps what was typed)")
            return
        # The form is cleared: a second press cannot make a second cohort.
        self.name.value = self.groups.value = self.organisations.value = ""
        self.rounds.value = "\n".join([_("Baseline"), _("End")])
        # The first round is not open yet: it counts everyone who joins until it is opened.
        self.create_messages.success(_(
            "Cohort {name} is created. No round is open yet: hand out the join sheet, "
            "then open the first round under Rounds when the group is ready.").format(
            name=_quoted(created.name)))
        self._show_created()
        self._show_rounds()
        choices = self.model.cohort_choices()
        self.recover_cohort.options = choices
        self.recover_cohort.value = choices[0][1]  # the cohort just made

    def _show_created(self) -> None:
        from kit.report.join_sheet import join_sheet_html

        created = self.model.created
        groups = self.model.join_sheet_groups(self.address.value)
        page = join_sheet_html(created.name, groups)
        self.sheet_link = DownloadLink()
        self.sheet_link.set(page.encode("utf-8"), "join-sheet.html", "text/html",
                            _("Save the join sheet (HTML, to print)"))
        self.pdf_link = DownloadLink()
        key_for = html.escape(_("Facilitator key for {cohort}:")).format(
            cohort="<strong>" + html.escape(created.name) + "</strong>")
        key_note = _("This is shown only now. Write it down: it opens the facilitator dashboard "
                     "and this cohort's rounds, and nobody can look it up later.")
        sheet_note = _("One page per group with its join code, join link and QR code. Save it "
                       "now: join codes cannot be shown again.")
        warning = address_problem(self.address.value)
        children = [
            W.HTML(
                "<div class='kit-facilitator-key' role='note' style='border:2px solid #0072B2;"
                f"padding:0.6em 1em;margin:0.5em 0'><p>{key_for}</p>"
                "<p style='font-size:1.4em;font-family:monospace;letter-spacing:0.08em'>"
                f"<strong class='kit-key-value'>{html.escape(created.facilitator_key)}</strong></p>"
                + _html("p", key_note) + "</div>"),
            W.HTML(_html("h3", _("Join sheet")) + _html("p", sheet_note)
                   + ("<div role='alert' class='kit-message kit-message-warning kit-address-"
                      "warning'>" + _html("p", warning) + "</div>" if warning else "")),
            self.sheet_link,
        ]
        from kit.report.pdf import pdf_available

        if pdf_available():
            pdf_button = _button(_("Prepare the PDF"), _("Lay the join sheet out as a PDF"))
            pdf_button.on_click(self._prepare_pdf)
            self.pdf_messages = MessageArea()
            children += [pdf_button, self.pdf_messages, self.pdf_link]
        children.append(W.HTML(join_sheet_html(created.name, groups, standalone=False)))
        self.created_area.children = tuple(children)

    @safe_callback(messages="pdf_messages")
    def _prepare_pdf(self, _event=None) -> None:
        from kit.report.join_sheet import join_sheet_pdf

        created = self.model.created
        data = join_sheet_pdf(created.name, self.model.join_sheet_groups(self.address.value))
        self.pdf_link.set(data, "join-sheet.pdf", "application/pdf",
                          _("Save the join sheet (PDF)"))

    @safe_callback(messages="manage_messages")
    def _manage(self, _event=None) -> None:
        key = self.manage_key.value
        self.manage_key.value = ""
        self.model.open_cohort_with_key(key)
        self.created_area.children = ()
        self.round_messages.clear()
        self.manage_messages.success(_("Cohort {name} is open here.").format(
            name=_quoted(self.model.cohort.name)))
        self._show_rounds()

    def _round_controls(self) -> None:
        """The widgets of the rounds section that stay put across redraws: a message area
        the page keeps (not a new one each time) is announced and scrolled into view when
        its text changes."""
        if getattr(self, "rounds_table", None) is not None:
            return
        self.rounds_table = W.HTML()
        self.rounds_table.add_class("kit-rounds-box")
        self.round_picker = W.Dropdown(description=_("Round"), style=_LABEL)
        open_b = _button(_("Open round"), _("Start taking answers; who counts is fixed now"),
                         "primary")
        close_b = _button(_("Close round and publish"),
                          _("Stop taking answers and publish the results, once and final"))
        open_b.on_click(self._open_round)
        close_b.on_click(self._close_round)
        how = _("A round that is not open yet counts everyone who has joined. Open it when the "
                "group is ready: who counts is fixed then, and people who join later count from "
                "the next round. Closing it publishes its results once; they are final.")
        self.objections_box = W.VBox()
        self.round_parts = (
            self.rounds_table, W.HTML(_html("p", how)), self.round_picker,
            W.HBox([open_b, close_b], layout=W.Layout(flex_flow="row wrap")),
            self.round_messages, self.objections_box, self.resolve_messages)

    def _show_rounds(self) -> None:
        if self.model.cohort_id is None:
            self.rounds_area.children = (W.HTML(_html(
                "p", _("Create a cohort above, or open one below, to manage its rounds."))),)
            return
        self._round_controls()
        cohort = self.model.cohort
        statuses = self.model.round_statuses()
        heads = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in (
            _("Round"), _("State"), _("Counted"), _("Answered"), _("Results")))
        rows = "".join(
            f"<tr><th scope='row'>{html.escape(st.round)}</th>"
            f"<td>{html.escape(st.state_words)}</td>"
            f"<td class='num'>{st.counted}</td><td class='num'>{st.answered}</td>"
            f"<td>{html.escape(st.results_words)}</td></tr>"
            for st in statuses)
        # What happens next, in a sentence: about the open round, else the next to open.
        now = next((st for st in statuses if st.state == "open"), None) or next(
            (st for st in statuses if st.state == "not open"), None) or (
            statuses[-1] if statuses else None)
        names = [r.name for r in cohort.rounds]
        if list(self.round_picker.options) != names:
            self.round_picker.options = names
        current = cohort.open_round or next((r for r in cohort.rounds if r.state == "not open"),
                                            None)
        if current is not None:
            self.round_picker.value = current.name
        elif self.round_picker.value is None and names:
            self.round_picker.value = names[-1]
        caption = _("Rounds of {cohort}").format(cohort=cohort.name)
        self.rounds_table.value = (
            f"<div class='table-wrap'><table class='kit-table kit-rounds'>"
            f"<caption>{html.escape(caption)}</caption><thead><tr>{heads}</tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
            + (_html("p", now.message) if now is not None else "")
            + self._forecast_html())
        parts = []
        objections = self.model.objections()
        if objections:
            self.resolution = W.Text(description=_("What you checked"), style=_LABEL,
                                     layout=W.Layout(width="32em"))
            parts += [W.HTML(_html("h3", _("Members who said the count does not match"))),
                      self.resolution]
            for o in objections:
                said = _("{group}, {round}: a member said {n} counted does not match their "
                         "group (on {date}). The group's results are held until you check its "
                         "members and resolve this.").format(
                    group=o["group"], round=o["round"], n=o["counted"],
                    date=format_date(o["created_at"]))
                button = _button(_("Resolve for {group}").format(group=o["group"]),
                                 _("Say what you checked, then publish what was held"))
                button.on_click(lambda _b, g=o["group"], r=o["round"]: self._resolve(g, r))
                parts += [W.HTML(_html("p", said)), button]
        self.objections_box.children = tuple(parts)
        if self.rounds_area.children != self.round_parts:
            self.rounds_area.children = self.round_parts

    def _forecast_html(self) -> str:
        """Before the day: which views will be empty with the groups as they are now."""
        intro, empty = self.model.view_forecast()
        if not intro:
            return ""
        items = "".join(f"<li>{html.escape(x)}</li>" for x in empty)
        return ("<div class='kit-view-forecast' role='note'>"
                + _html("h3", _("Before the day: views that will be empty"))
                + _html("p", intro) + (f"<ul>{items}</ul>" if items else "") + "</div>")

    @safe_callback(messages="round_messages")
    def _open_round(self, _event=None) -> None:
        r = self.model.open_round(self.round_picker.value)
        self.round_messages.success(_("Round {name} is open for answers. Everyone who had "
                                      "joined is counted; people who join from now on count "
                                      "from the next round.").format(name=_quoted(r.name)))
        self._show_rounds()

    @safe_callback(messages="resolve_messages")
    def _resolve(self, group, round_name) -> None:
        said = self.model.resolve_objection(group, round_name, self.resolution.value)
        self.resolve_messages.success(said)
        self._show_rounds()

    @safe_callback(messages="round_messages")
    def _close_round(self, _event=None) -> None:
        closed = self.model.close_round(self.round_picker.value)
        self.round_messages.success(closed.message)
        self._show_rounds()
