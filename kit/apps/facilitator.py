"""The facilitator dashboard: a cohort's group views, protected for individuals.

Opens with the cohort's facilitator key (a password field), for JupyterHub users listed in
``KIT_FACILITATORS``, or straight onto the demo cohort when ``KIT_DEMO=1``. State lives in
:class:`kit.apps.facilitator_model.FacilitatorModel`; this module only draws it.

Examples
--------
>>> from kit.apps.facilitator import FacilitatorDashboard
>>> FacilitatorDashboard.from_environment()      # doctest: +SKIP
"""

from __future__ import annotations

import html
import logging

import ipywidgets as W

from kit.apps.facilitator_model import (
    SORT_LABELS,
    FacilitatorModel,
    hub_user,
)
from kit.forms.callbacks import safe_callback
from kit.forms.download import DownloadLink, OneClickDownload
from kit.forms.messages import MessageArea
from kit.forms.timer import BrowserMemory, StepTimer
from kit.i18n import _

__all__ = ["FacilitatorDashboard"]

log = logging.getLogger(__name__)

_LABEL = {"description_width": "initial"}


class FacilitatorDashboard(W.VBox):
    """The dashboard widget. Build it with :meth:`from_environment`, or give it a store.

    Parameters
    ----------
    store
        An open :class:`kit.store.Store`.
    model
        Optional :class:`FacilitatorModel` (a new one by default).
    """

    #: this app's notebook in :data:`kit.voila.catalogue.APPS` (marked in the menu)
    notebook = "10_facilitator_dashboard.ipynb"

    def __init__(self, store, model: FacilitatorModel | None = None, **kwargs):
        self.store = store
        self.model = model or FacilitatorModel()
        self.messages = MessageArea()
        self.body = W.VBox()
        from kit.apps._nav import menu_html

        self.menu = W.HTML(menu_html(self.notebook))
        # The notebook's markdown already gives the page its title.
        super().__init__([self.menu, self.messages, self.body], **kwargs)
        self.add_class("kit-app")
        self.add_class("kit-facilitator")
        self._building = False
        self._made_for = ""  # the scope of the files offered for download
        self.model.observe(self._on_opened, names="cohort_name")
        if self.model.is_open:
            self._show_dashboard()
        else:
            self._show_key_prompt()

    def __repr__(self) -> str:
        name = self.model.cohort_name or "locked"
        return f"<Facilitator dashboard: {name}>"

    # ------------------------------------------------------------------ opening

    @classmethod
    def from_environment(cls, store=None, **kwargs) -> FacilitatorDashboard:
        """The dashboard for this page: demo cohort (KIT_DEMO=1), hub facilitator, or key prompt."""
        from kit.config import get_settings
        from kit.voila import in_preheated_kernel, prewarm, wait_for_visitor

        if store is None:
            from kit.apps._base import open_store

            store = open_store()
        if in_preheated_kernel():
            # Work that does not depend on the visitor, done while the kernel waits in the pool.
            try:
                import altair  # noqa: F401 - the charts need it; load it before the visitor

                from kit.content import (
                    DEFAULT_SELF_FRAMEWORK,
                    DEFAULT_TEAM_FRAMEWORK,
                    load_framework,
                )

                load_framework(DEFAULT_SELF_FRAMEWORK)
                load_framework(DEFAULT_TEAM_FRAMEWORK)
                prewarm()
            except Exception:  # noqa: BLE001 - warming is an optimisation, never a failure
                log.debug("warm-up of the facilitator dashboard failed; carrying on", exc_info=True)
            wait_for_visitor()
        settings = get_settings()
        model = FacilitatorModel()
        app = cls(store, model, **kwargs)
        try:
            if settings.demo:
                model.open_demo(store)
            elif hub_user() and hub_user() in settings.facilitators:
                model.open_for_hub_user(store, hub_user(), settings.facilitators)
            elif hub_user():
                app.messages.error(_(
                    "Your hub account ({user}) is not listed as a facilitator, so no "
                    "cohort opens here. If you run this programme, ask whoever runs the kit to "
                    "add you to the list of facilitators, or enter your cohort's facilitator key."
                ).format(user=hub_user()))
        except Exception as exc:  # noqa: BLE001 - show a sentence, keep the key prompt
            log.exception("could not open the dashboard automatically")
            from kit.forms.callbacks import friendly_message

            app.messages.error(friendly_message(exc))
        return app

    def _show_key_prompt(self) -> None:
        self.key = W.Password(description=_("Facilitator key"), placeholder="XXXX-XXXX-XXXX-XXXX",
                              style=_LABEL, layout=W.Layout(width="26em"))
        button = W.Button(description=_("Open cohort"), button_style="primary",
                          tooltip=_("Open the cohort this key belongs to"))
        button.on_click(self._open_with_key)
        self.body.children = (
            W.HTML("<p>{}</p>".format(html.escape(_(
                "Enter the facilitator key for your cohort. It was shown once, when the "
                "cohort was created.")))),
            W.HBox([self.key, button]),
        )

    @safe_callback
    def _open_with_key(self, _=None) -> None:
        key = self.key.value
        self.key.value = ""
        self.model.open_with_key(self.store, key)

    @safe_callback
    def _on_opened(self, change) -> None:
        if change["new"]:
            self.messages.clear()
            self._show_dashboard()
            problems = getattr(self.model.data, "content_problems", ())
            if problems:
                self.messages.warning(" ".join(problems))

    # ------------------------------------------------------------------ the dashboard

    def _show_dashboard(self) -> None:
        m = self.model
        self._building = True
        self.view_picker = W.Dropdown(description=_("View"), style=_LABEL)
        self.group_picker = W.Dropdown(description=_("Group"), options=m.group_choices(), value=m.group,
                                       style=_LABEL)
        self.round_picker = W.Dropdown(description=_("Round"), options=m.round_choices(), style=_LABEL)
        if m.round:
            self.round_picker.value = m.round
        self.sort_picker = W.Dropdown(description=_("Order"), style=_LABEL,
                                      options=[(_(v), k) for k, v in SORT_LABELS.items()], value=m.sort)
        self.by_picker = W.Dropdown(description=_("Break down by"), style=_LABEL, options=m.by_choices(),
                                    value=m.by)
        self.filter_picker = W.Dropdown(description=_("Only members from"), style=_LABEL,
                                        options=[(_("Everyone"), "")])
        # The on/off switch: a checkbox (keyboard: Space), whose label says its state.
        self.session_toggle = W.Checkbox(value=m.session, indent=False,
                                         description=m.session_switch_label(),
                                         tooltip=_("Reveal the views one step at a time"),
                                         layout=W.Layout(width="auto"))
        self.session_toggle.add_class("kit-session-switch")
        self.back = W.Button(description=_("Previous step"), tooltip=_("Go back one step"))
        self.next = W.Button(description=_("Next step"), button_style="primary",
                             tooltip=_("Reveal the next step"), layout=W.Layout(width="auto"))
        self.next.add_class("kit-session-next")
        self.restart = W.Button(description=_("Back to step 1"), layout=W.Layout(width="auto"),
                                tooltip=_("Start the session again from the first step"))
        self.switch_off = W.Button(description=_("Turn session mode off"), layout=W.Layout(width="auto"),
                                   tooltip=_("Leave session mode: every view unlocks again"))
        self.step_text = W.HTML()
        self.step_text.add_class("kit-live")  # the session step is announced as it changes
        self.content = W.VBox()
        self.content.add_class("kit-view-content")
        self.report_button = W.Button(button_style="primary", layout=W.Layout(width="auto"),
                                      tooltip=_("Download one standalone HTML file of every view"))
        self.tables_button = W.Button(layout=W.Layout(width="auto"),
                                      tooltip=_("Download the tables behind every view, as CSV "
                                                "files in one zip"))
        from kit.report.pdf import pdf_available

        # The PDF is offered only where it can be made (WeasyPrint and its libraries load).
        self.pdf_button = W.Button(layout=W.Layout(width="auto"),
                                   tooltip=_("Download the group report as an A4 PDF, to print "
                                             "or send"))
        if not pdf_available():
            self.pdf_button.layout.display = "none"
        self.report_progress = W.IntProgress(value=0, min=0, max=3, description="",
                                             layout=W.Layout(display="none", width="16em"))
        self.report_status = W.HTML()
        self.report_status.add_class("kit-live")  # progress is announced as it changes
        self.report_link = OneClickDownload()
        self.pdf_link = OneClickDownload()
        self.csv_link = OneClickDownload()
        #: what the downloads said when one failed, right after their buttons
        self.download_messages = MessageArea()
        #: what opening or closing a round said, right after its button
        self.round_messages = MessageArea()
        self.plan_link = DownloadLink()
        from kit.apps.session_plan import session_plan_html

        self.plan_link.set(session_plan_html(m.data.rules.min_group_size).encode("utf-8"),
                           "session-plan.html", "text/html",
                           _("Save the session plan (one printable page)"))
        self.status = W.HTML()
        self.round_button = W.Button(layout=W.Layout(width="auto"))
        self.round_button.on_click(self._round_act)

        self.view_picker.observe(self._picked, names="value")
        self.group_picker.observe(self._picked, names="value")
        self.round_picker.observe(self._picked, names="value")
        self.sort_picker.observe(self._picked, names="value")
        self.by_picker.observe(self._picked, names="value")
        self.filter_picker.observe(self._picked, names="value")
        self.session_toggle.observe(self._session_toggled, names="value")
        self.back.on_click(self._back)
        self.next.on_click(self._next)
        self.restart.on_click(self._restart)
        self.switch_off.on_click(self._switch_off)
        self.report_button.on_click(self._prepare_report)
        self.tables_button.on_click(self._prepare_tables)
        self.pdf_button.on_click(self._prepare_pdf)

        self.session_bar = W.HBox([self.back, self.next, self.switch_off],
                                  layout=W.Layout(flex_flow="row wrap"))
        self.session_bar.add_class("kit-session-bar")
        # Session mode on a projector: what the room sees fills the first screen (step,
        # timer, chart, questions); the presenter notes and every setting sit below it.
        self.timer = StepTimer()
        self.memory = BrowserMemory(key=f"session:{m.cohort_id or m.cohort_name}")
        self.memory.observe(self._restored, names="restored")
        self.room_chart = W.VBox()
        self.room_chart.add_class("kit-room-chart")
        self.room_side = W.VBox()
        self.room_side.add_class("kit-room-side")
        head = W.HBox([self.step_text, self.timer, self.session_bar])
        head.add_class("kit-room-head")
        main = W.HBox([self.room_chart, self.room_side])
        main.add_class("kit-room-main")
        self.room = W.VBox([head, main])
        self.room.add_class("kit-room")
        self.notes = W.HTML()
        self.notes.add_class("kit-presenter-notes")
        self.controls = W.HBox([self.view_picker, self.group_picker, self.round_picker],
                               layout=W.Layout(flex_flow="row wrap"))
        self.options_row = W.HBox([], layout=W.Layout(flex_flow="row wrap"))
        intro = _("Cohort: {cohort}. Scores appear only for {k} or more people; withheld cells say "
                  "why. A round's results are published once, when it closes, and do not change "
                  "afterwards, so nobody's answers can be worked out by comparing one look with "
                  "the next.").format(cohort="\0", k=m.data.rules.min_group_size)
        intro = html.escape(intro).replace(
            "\0", f"<strong>{html.escape(m.cohort_name)}</strong>")
        self._intro = W.HTML(f"<p>{intro}</p>")
        self._downloads = (
            W.HTML("<h2>{}</h2>".format(html.escape(_("Downloads")))),
            W.HBox([self.report_button, self.pdf_button, self.tables_button],
                   layout=W.Layout(flex_flow="row wrap")),
            self.download_messages,
            W.HBox([self.report_progress, self.report_status], layout=W.Layout(align_items="center")),
            self.report_link,
            self.pdf_link,
            self.csv_link,
            self.plan_link,
        )
        self._building = False
        self._refresh_views()
        self.render()

    def _arrange(self) -> None:
        """Lay the page out: in session mode the room's screen first, then the presenter
        notes, then everything else; otherwise the settings, then the view."""
        m = self.model
        if m.session:
            children = (self.room, self.notes, self.memory, self._intro, self.status,
                        self.round_button, self.round_messages, self.session_toggle, self.restart, self.controls,
                        self.options_row, self.content, *self._downloads)
        else:
            children = (self.memory, self._intro, self.status, self.round_button,
                        self.round_messages, self.session_toggle, self.controls, self.options_row, self.content,
                        *self._downloads)
        self.menu.layout.display = "none" if m.session else None
        if tuple(self.body.children) != children:
            self.body.children = children

    @safe_callback
    def _restored(self, change) -> None:
        """The browser kept where the session was (before a reload): go back there."""
        if self.model.restore_session(change["new"]):
            self._refresh_views()
            self.render()

    def _refresh_views(self) -> None:
        m = self.model
        self._building = True
        try:
            options = [(_(v.title), v.id) for v in m.views]
            self.view_picker.options = options
            if m.view not in [o[1] for o in options]:
                m.view = options[-1][1]
            self.view_picker.value = m.view
        finally:
            self._building = False

    def _sync_pickers(self) -> None:
        """Show only the pickers the current view uses, and refresh the filter choices."""
        from kit.analysis.cohort import view_by_id

        m = self.model
        view = view_by_id(m.view)
        self.group_picker.layout.display = None if view.uses_group else "none"
        self.round_picker.layout.display = None if view.uses_round else "none"
        extra = []
        if m.view == "profile":
            self._building = True
            try:
                choices = m.filter_choices()
                self.filter_picker.options = choices
                self.filter_picker.value = m.filter if m.filter in [c[1] for c in choices] else ""
            finally:
                self._building = False
            extra = [self.sort_picker, self.filter_picker]
        elif m.view == "breakdown":
            extra = [self.by_picker]
        self.options_row.children = extra
        self._building = True
        try:
            self.session_toggle.value = m.session
        finally:
            self._building = False
        self.session_toggle.description = m.session_switch_label()
        if m.session:
            step = m.current_step
            progress = html.escape(m.session_progress() if m.ended else _(
                "{progress}, about {minutes} minutes").format(progress=m.session_progress(),
                                                             minutes=step.minutes))
            heading = html.escape(step.title)
            self.step_text.value = (
                f"<div role='status' class='kit-session-step'><h2>{heading}</h2> "
                f"<p class='kit-session-where'><strong>{progress}</strong></p></div>")
            self.timer.set_step(step.minutes, f"{self.memory.key}:{step.id}")
            self.timer.layout.display = "none" if m.ended else None
            self.session_bar.layout.display = None
            self.back.disabled = not m.can_go_back
            self.restart.disabled = not m.can_go_back
            self.next.disabled = not m.can_go_on
            self.next.description = m.next_label()
            self.next.layout.display = "none" if m.ended else None
            self.switch_off.layout.display = None if m.ended else "none"
        else:
            self.step_text.value = ""
            self.session_bar.layout.display = "none"
        self.memory.state = m.session_state()

    # ------------------------------------------------------------------ callbacks

    @safe_callback
    def _picked(self, change) -> None:
        if self._building:
            return
        m = self.model
        m.view = self.view_picker.value or m.view
        m.group = self.group_picker.value
        m.round = self.round_picker.value or ""
        m.sort = self.sort_picker.value
        m.by = self.by_picker.value
        if change["owner"] is self.filter_picker:
            m.filter = self.filter_picker.value or ""
        self.render()

    @safe_callback
    def _session_toggled(self, change) -> None:
        if self._building:
            return
        self.model.toggle_session(change["new"])
        self._refresh_views()
        self.render()

    @safe_callback
    def _switch_off(self, _=None) -> None:
        self.model.end_session()
        self._refresh_views()
        self.render()

    @safe_callback
    def _next(self, _=None) -> None:
        self.model.next_step()
        self._refresh_views()
        self.render()

    @safe_callback
    def _restart(self, _=None) -> None:
        self.model.restart_session()
        self._refresh_views()
        self.render()

    @safe_callback
    def _back(self, _=None) -> None:
        self.model.previous_step()
        self._refresh_views()
        self.render()

    def _file_stem(self, kind: str = "report") -> str:
        """Named after the cohort and group, and dated (a report covers every round)."""
        from kit.report.group import report_file_stem

        return report_file_stem(self.model.cohort_name, self.model.group, kind=kind)

    def _buttons(self, disabled: bool) -> None:
        self.report_button.disabled = self.tables_button.disabled = disabled
        self.pdf_button.disabled = disabled

    def _progress(self, step: int, total: int, text: str) -> None:
        """Show how far the preparation has gone (sent to the page at once)."""
        self.report_progress.max = total
        self.report_progress.value = step
        self.report_progress.layout.display = None
        self.report_status.value = f"<span role='status'>{html.escape(text)}</span>"

    @safe_callback(messages="download_messages")
    def _prepare_report(self, _button=None) -> None:
        """Build the group report for the chosen group and round, and download it (one click)."""
        from kit.report.group import report_page

        m = self.model
        scope = self._report_scope()
        self._buttons(True)
        self.report_link.clear()
        try:
            self._progress(1, 3, _("Preparing the group report for {scope}: gathering every view "
                                   "(step 1 of 3).").format(scope=scope))
            page = report_page(m.data, m.group, m.round or None)
            self._progress(2, 3, _("Preparing the group report for {scope}: making the file "
                                   "(step 2 of 3).").format(scope=scope))
            data = page.encode("utf-8")
            filename = f"{self._file_stem()}.html"
            self.report_link.start(
                data, filename, "text/html", _("Download {file} again").format(file=filename),
                note=_("The group report for {scope} is downloading as {file}. If it does not "
                       "appear in your downloads:").format(scope=scope, file=filename))
            self._progress(3, 3, _("The group report for {scope} is ready (step 3 of 3).").format(
                scope=scope))
        except Exception:
            self.report_progress.layout.display = "none"
            self.report_status.value = ""
            raise
        finally:
            self._buttons(False)

    @safe_callback(messages="download_messages")
    def _prepare_pdf(self, _button=None) -> None:
        """Lay the group report for the chosen group and round out as an A4 PDF, and download
        it (one click)."""
        from kit.report.group import report_pdf

        m = self.model
        scope = self._report_scope()
        self._buttons(True)
        self.pdf_link.clear()
        try:
            self._progress(1, 2, _("Preparing the group report for {scope} as a PDF: laying out "
                                   "every view on A4 pages (step 1 of 2).").format(scope=scope))
            data = report_pdf(m.data, m.group, m.round or None)
            filename = f"{self._file_stem()}.pdf"
            self.pdf_link.start(
                data, filename, "application/pdf",
                _("Download {file} again").format(file=filename),
                note=_("The group report for {scope} is downloading as {file}. If it does not "
                       "appear in your downloads:").format(scope=scope, file=filename))
            self._progress(2, 2, _("The PDF of the group report for {scope} is ready (step 2 "
                                   "of 2).").format(scope=scope))
        except Exception:
            self.report_progress.layout.display = "none"
            self.report_status.value = ""
            raise
        finally:
            self._buttons(False)

    @safe_callback(messages="download_messages")
    def _prepare_tables(self, _button=None) -> None:
        """Build the tables behind every view (CSV files in a zip) and download them."""
        from kit.report.group import all_tables, csv_zip

        m = self.model
        scope = self._report_scope()
        self._buttons(True)
        self.csv_link.clear()
        try:
            self._progress(1, 2, _("Preparing the tables for {scope} (step 1 of 2).").format(scope=scope))
            data = csv_zip(all_tables(m.data, m.group, m.round or None))
            filename = f"{self._file_stem('tables')}.zip"
            self.csv_link.start(
                data, filename, "application/zip", _("Download {file} again").format(file=filename),
                note=_("The tables for {scope} are downloading as {file}. If it does not appear "
                       "in your downloads:").format(scope=scope, file=filename))
            self._progress(2, 2, _("The tables for {scope} are ready (step 2 of 2).").format(scope=scope))
        except Exception:
            self.report_progress.layout.display = "none"
            self.report_status.value = ""
            raise
        finally:
            self._buttons(False)

    def _report_scope(self) -> str:
        """Which group and round a report made now would cover, in words."""
        from kit.analysis.privacy import ALL_GROUPS

        m = self.model
        if m.group == ALL_GROUPS:
            return (_("the whole cohort, {round}").format(round=m.round) if m.round
                    else _("the whole cohort, every round"))
        return (_("group {group}, {round}").format(group=m.group, round=m.round) if m.round
                else _("group {group}, every round").format(group=m.group))

    # ------------------------------------------------------------------ drawing

    @safe_callback(messages="round_messages")
    def _round_act(self, _=None) -> None:
        action = self.model.round_action()
        if action is None:
            return
        verb, name = action
        said = self.model.open_round(name) if verb == "open" else self.model.close_round(name)
        self.round_messages.success(said)
        self._building = True
        try:
            self.round_picker.options = self.model.round_choices()
            if self.model.round:
                self.round_picker.value = self.model.round
        finally:
            self._building = False
        self._refresh_views()
        self.render()

    def _sync_round_button(self) -> None:
        action = self.model.round_action()
        if action is None:
            self.round_button.layout.display = "none"
            return
        verb, name = action
        self.round_button.layout.display = None
        if verb == "open":
            self.round_button.description = _("Open {round}").format(round=name)
            self.round_button.tooltip = _("Start taking answers; who counts is fixed now")
            self.round_button.button_style = ""
        else:
            self.round_button.description = _("Close {round} and publish its results").format(
                round=name)
            self.round_button.tooltip = _("Stop taking answers and publish the results, once "
                                          "and final")
            self.round_button.button_style = ""

    def _status_html(self) -> str:
        lines = self.model.status_lines()
        if not lines:
            return ""
        items = "".join(f"<li>{html.escape(x)}</li>" for x in lines)
        return '<div role="status"><strong>{}</strong><ul>{}</ul></div>'.format(
            html.escape(_("Results")), items)

    def render(self) -> None:
        """Redraw the current view (charts, descriptions, and the view's extra text)."""
        from kit.charts.display import chart_widget

        m = self.model
        self._sync_pickers()
        self.status.value = self._status_html()
        self._sync_round_button()
        scope = self._report_scope()
        self.report_button.description = _("Download the group report: {scope}").format(scope=scope)
        self.tables_button.description = _("Download the tables (CSV): {scope}").format(scope=scope)
        self.pdf_button.description = _("Download the group report as PDF: {scope}").format(
            scope=scope)
        if scope != self._made_for:  # a file made for another group or round: not offered
            self._made_for = scope
            self.report_link.clear()
            self.pdf_link.clear()
            self.csv_link.clear()
            self.download_messages.clear()
            self.report_progress.layout.display = "none"
            self.report_status.value = ""
        self._arrange()
        charts = [] if m.view == "free_text" else m.charts()
        if m.session:
            parts = self._render_room(charts)
        else:
            parts = []
            last = self._last_time()  # the dashboard opens with what was agreed last time
            if last.value:
                parts.append(last)
            single = len(charts) == 1 and charts[0].title == m.view_title()
            if not single:
                parts.append(W.HTML(f"<h2>{html.escape(m.view_title())}</h2>"))
            if m.view == "free_text":
                parts += self._free_text()
            else:
                if not charts:
                    parts.append(W.HTML(f"<p>{html.escape(m.empty_reason())}</p>"))
                parts += [chart_widget(c, heading_level=2 if single else 3) for c in charts]
            if m.view == "participation":
                parts += self._view_forecast()
            if m.view == "health" and m.data.health_framework is not None:
                parts.append(self._health_examples(m.data.health_framework))
        tables = m.tables()
        if tables:
            from kit.report.group import csv_bytes

            links = []
            for name, table in tables.items():
                link = DownloadLink()
                link.set(csv_bytes(table), name, "text/csv", _("Save {file}").format(file=name))
                links.append(link)
            parts.append(W.HBox(links, layout=W.Layout(flex_flow="row wrap")))
        self.content.children = tuple(parts)

    def _render_room(self, charts) -> list:
        """Fill the room's screen (first chart, questions) and the presenter notes; return
        what goes below them (further charts, what to do at the end)."""
        from kit.charts.display import chart_widget

        m = self.model
        e = html.escape
        step = m.current_step
        if charts:
            self.room_chart.children = (chart_widget(self._room_chart(charts[0])),)
        else:
            self.room_chart.children = (W.HTML(f"<p>{e(m.empty_reason())}</p>"),)
        heading, questions = m.room_questions()
        side = (f"<div class='kit-room-questions'><h2>{e(heading)}</h2><ul>"
                + "".join(f"<li>{e(q)}</li>" for q in questions) + "</ul></div>")
        if step.id == "health" and m.data.health_framework is not None:
            side += self._health_examples(m.data.health_framework, compact=True).value
        self.room_side.children = (W.HTML(side),)
        notes = [f"<p>{e(step.guidance)}</p>"]
        notes += [f"<p><strong>{e(c.title)}</strong> {e(c.description)}</p>" for c in charts[:1]]
        if step.id == "mixed":
            notes.append(self._questions().value)
        if step.id == "commitments":
            notes.append(self._commitments().value)
        from kit.forms import collapsible_html

        self.notes.value = collapsible_html(_("Presenter notes (not for the room)"), "".join(notes))
        below = [self._end_of_session()] if m.ended else []
        if step.id == "checkin":
            last = self._last_time()  # the session opens with what was agreed last time
            if last.value:
                below.append(last)
        rest = charts if m.view == "participation" else charts[1:]
        below += [chart_widget(c, heading_level=3) for c in rest]
        if m.view == "participation":
            below += self._view_forecast()
        if step.id == "commitments":
            below.append(self._agreed_steps_box())
        return below

    def _room_chart(self, first):
        """What the room sees of the view's first chart, drawn for a projector (names
        beside the bars, text of 18 px and more). "Who has taken part" shows the round in
        hand only (every round's rows would not fit a projector's screen; the full chart is
        below the presenter notes)."""
        m = self.model
        if m.view != "participation":
            return (m.charts(size="projector") or [first])[0]
        from kit.charts.team_participation import participation_chart

        table = m.data.participation_table()
        rnd = m.round or m.data._r(None)
        mine = table[table["round"] == rnd] if "round" in table else table
        if mine.empty:
            return participation_chart(table, m.data.rules.min_group_size, size="projector")
        return participation_chart(mine.reset_index(drop=True), m.data.rules.min_group_size,
                                   title=_("Who has taken part: {round}").format(round=rnd),
                                   size="projector")

    def _view_forecast(self) -> list:
        """Which views will be empty at close, with the members as they are now."""
        intro, empty = self.model.view_forecast()
        if not intro:
            return []
        items = "".join(f"<li>{html.escape(x)}</li>" for x in empty)
        return [W.HTML("<div class='kit-view-forecast' role='note'><h3>{}</h3><p>{}</p>{}</div>"
                       .format(html.escape(_("Before the day: views that will be empty")),
                               html.escape(intro), f"<ul>{items}</ul>" if items else ""))]

    def _free_text(self) -> list:
        d = self.model.data
        if not d.prompts:
            return [W.HTML("<p>{}</p>".format(html.escape(_("No exercise with a shared prompt has answers yet."))))]
        out = []
        for p in d.prompts:
            body = (
                "".join(f"<blockquote>{html.escape(c)}</blockquote>" for c in p.comments.comments)
                if p.comments.shown else f"<p><em>{html.escape(p.comments.note)}</em></p>"
            )
            out.append(W.HTML(f"<h3>{html.escape(p.title)}</h3><p>{html.escape(p.prompt)}</p>{body}"))
        out.append(W.HTML("<p><small>{}</small></p>".format(html.escape(
            _("Shown in a random order, across the whole cohort, without names.")))))
        return out

    @staticmethod
    def _health_examples(framework, compact: bool = False) -> W.HTML:
        """Each health-check area's examples of good and poor, to talk through in the room
        (also printed on the health-check cards); closed until opened, one area at a time.
        ``compact``: without the line on how to use them (for the projected screen)."""
        from kit.apps.health_check import examples_html
        from kit.forms import collapsible_html

        blocks = [collapsible_html(d.title, examples_html(d)) for d in framework.dimensions
                  if d.good_looks_like or d.poor_looks_like]
        if not blocks:
            return W.HTML("")
        how = "" if compact else "<p>{}</p>".format(html.escape(_(
            "For each area: read both out, then ask for a recent example of each and whether "
            "it is better, the same or worse than last time.")))
        return W.HTML("<div class='kit-health-examples'><h2>{}</h2>{}{}</div>".format(
            html.escape(_("What good and poor look like")), how, "".join(blocks)))

    def _questions(self) -> W.HTML:
        items = self.model.session_questions()
        if not items:
            return W.HTML("<p>{}</p>".format(html.escape(_("No area can be shown yet for this group."))))
        blocks = []
        for dim, qs in items:
            blocks.append(f"<h3>{html.escape(dim)}</h3><ul>" + "".join(f"<li>{html.escape(q)}</li>" for q in qs) + "</ul>")
        return W.HTML("<div class='kit-questions'><h2>{}</h2>".format(
            html.escape(_("Questions for the most mixed areas"))) + "".join(blocks) + "</div>")

    def _commitments(self) -> W.HTML:
        e = html.escape
        focus = self.model.focus_dimensions()
        withheld, why = self.model.focus_withheld()
        if focus:
            lead = _("Matters a lot to the group and below the top band: {areas}.").format(
                areas=", ".join(focus))
        elif withheld:
            lead = _("How much these areas matter, or how they score, is withheld to protect "
                     "individuals ({reason}), so the chart cannot suggest where to focus: "
                     "{areas}. Pick the area the group most wants to move.").format(
                reason=why, areas=", ".join(withheld))
        else:
            lead = _("No area both matters a lot to the group and sits below the top band; "
                     "pick the one the group most wants to move.")
        steps = (
            _("Each person writes one commitment in their own action plan: what they will do, "
              "with whom, by when."),
            _("Pairs read each other's commitment and ask: would someone from a partner "
              "organisation notice this?"),
            _("Close with \u201cWhat I will do differently on Monday\u201d in the reflection journal."),
            _("Agree when the next round opens, so the group can see what changed; the next "
              "session opens with \u201cReviewing a commitment\u201d."),
        )
        items = "".join(f"<li>{e(x)}</li>" for x in steps)
        title = _("Agreeing commitments")
        return W.HTML(f"<div class='kit-commitments'><h2>{e(title)}</h2>"
                      f"<p>{e(lead)}</p><ol>{items}</ol></div>")

    def _last_time(self) -> W.HTML:
        """What the chosen group agreed last time, each with "What happened?" (empty when
        nothing was recorded)."""
        e = html.escape
        round_name, steps = self.model.previous_agreed_steps()
        if not steps:
            return W.HTML("")
        ask = _("What happened? What helped, what got in the way, and is it still worth "
                "doing?")
        items = "".join(f"<li><strong>{e(s.text)}</strong><br><em>{e(ask)}</em></li>"
                        for s in steps)
        title = _("What the group agreed last time")
        lead = _("Agreed by {group} after {round}. Open with these, one at a time:").format(
            group=self.model.group, round=round_name)
        return W.HTML(f"<div class='kit-agreed-last-time'><h2>{e(title)}</h2><p>{e(lead)}</p>"
                      f"<ul>{items}</ul></div>")

    def _agreed_steps_box(self) -> W.VBox:
        """Record the steps the group agreed (one group, the round on the dashboard)."""
        from kit.store import MAX_GROUP_STEP

        e = html.escape
        m = self.model
        title = _("The group's agreed steps")
        how = _("Write each step the group agreed as the group\u2019s, not one person\u2019s "
                "(for example \u201cShare the referral form with the housing team\u201d), in "
                "one short sentence of up to {most} characters. The next session opens with "
                "them.").format(most=MAX_GROUP_STEP)
        head = W.HTML(f"<h2>{e(title)}</h2><p>{e(how)}</p>")
        self.step_box = W.Text(description=_("Agreed step"), style=_LABEL,
                               layout=W.Layout(width="min(40em, 100%)"))
        self.add_step = W.Button(description=_("Record agreed step"),
                                 layout=W.Layout(width="auto"))
        self.add_step.on_click(self._add_agreed_step)
        rows = []
        for step in m.agreed_steps():
            remove = W.Button(description=_("Remove"), layout=W.Layout(width="auto"),
                              tooltip=_("Remove this agreed step"))
            remove.on_click(lambda _b, sid=step.id: self._remove_agreed_step(sid))
            rows.append(W.HBox([W.HTML(f"<span class='kit-agreed-step'>{e(step.text)}</span>"),
                                remove], layout=W.Layout(align_items="center")))
        if not rows:
            rows.append(W.HTML("<p>{}</p>".format(e(_("No agreed step recorded yet for this "
                                                      "group and round.")))))
        box = W.VBox([head, *rows, W.HBox([self.step_box, self.add_step],
                                          layout=W.Layout(flex_flow="row wrap"))])
        box.add_class("kit-agreed-steps")
        return box

    @safe_callback
    def _add_agreed_step(self, _button=None) -> None:
        said = self.model.add_agreed_step(self.step_box.value)
        self.render()
        self.messages.success(said)

    @safe_callback
    def _remove_agreed_step(self, step_id) -> None:
        self.model.remove_agreed_step(step_id)
        self.render()
        self.messages.success(_("Agreed step removed."))

    def _end_of_session(self) -> W.HTML:
        """The end step: what to do next, and how to switch back."""
        e = html.escape
        items = (
            _("To keep a record, download the group report below: it covers the group and round "
              "chosen above."),
            _("Next time, open with \u201cReviewing a commitment\u201d in the same pairs."),
            _("Press \u201cTurn session mode off\u201d to see every view again; \u201cBack to "
              "step 1\u201d starts a new session."),
        )
        title = _("What to do next")
        return W.HTML(
            f"<div class='kit-session-end'><h2>{e(title)}</h2><ul>"
            + "".join(f"<li>{e(x)}</li>" for x in items) + "</ul></div>")
