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
    SESSION_STEPS,
    SORT_LABELS,
    FacilitatorModel,
    hub_user,
)
from kit.forms.callbacks import safe_callback
from kit.forms.download import DownloadLink
from kit.forms.messages import MessageArea

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
                app.messages.error(
                    f"Your hub account ({hub_user()}) is not listed as a facilitator, so no "
                    "cohort opens here. If you run this programme, ask whoever runs the hub to add "
                    "you to KIT_FACILITATORS, or enter your cohort's facilitator key."
                )
        except Exception as exc:  # noqa: BLE001 - show a sentence, keep the key prompt
            log.exception("could not open the dashboard automatically")
            from kit.forms.callbacks import friendly_message

            app.messages.error(friendly_message(exc))
        return app

    def _show_key_prompt(self) -> None:
        self.key = W.Password(description="Facilitator key", placeholder="XXXX-XXXX-XXXX-XXXX",
                              style=_LABEL, layout=W.Layout(width="26em"))
        button = W.Button(description="Open cohort", button_style="primary",
                          tooltip="Open the cohort this key belongs to")
        button.on_click(self._open_with_key)
        self.body.children = (
            W.HTML("<p>Enter the facilitator key for your cohort. It was shown once, when the "
                   "cohort was created.</p>"),
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
        self.view_picker = W.Dropdown(description="View", style=_LABEL)
        self.group_picker = W.Dropdown(description="Group", options=m.group_choices(), value=m.group, style=_LABEL)
        self.round_picker = W.Dropdown(description="Round", options=m.round_choices(), style=_LABEL)
        if m.round:
            self.round_picker.value = m.round
        self.sort_picker = W.Dropdown(description="Order", style=_LABEL,
                                      options=[(v, k) for k, v in SORT_LABELS.items()], value=m.sort)
        self.by_picker = W.Dropdown(description="Break down by", style=_LABEL, options=m.by_choices(), value=m.by)
        self.filter_picker = W.Dropdown(description="Only members from", style=_LABEL, options=[("Everyone", "")])
        self.session_toggle = W.ToggleButton(description="Facilitated session", value=m.session,
                                             tooltip="Reveal the views one step at a time",
                                             icon="")
        self.back = W.Button(description="Previous step", tooltip="Go back one step")
        self.next = W.Button(description="Next step", button_style="primary", tooltip="Reveal the next step")
        self.restart = W.Button(description="Back to step 1", tooltip="Start the session again from the first step")
        self.step_text = W.HTML()
        self.step_text.add_class("kit-live")  # the session step is announced as it changes
        self.content = W.VBox()
        self.content.add_class("kit-view-content")
        self.downloads = W.VBox()
        self.report_button = W.Button(description="Prepare group report", button_style="primary",
                                      tooltip="A standalone HTML file of every view",
                                      layout=W.Layout(width="auto"))
        self.report_link = DownloadLink()
        self.csv_link = DownloadLink()
        self.plan_link = DownloadLink()
        from kit.apps.session_plan import session_plan_html

        self.plan_link.set(session_plan_html(m.data.rules.min_group_size).encode("utf-8"),
                           "session-plan.html", "text/html", "Save the session plan (one printable page)")
        self.status = W.HTML()
        self.publish_button = W.Button(
            description="Publish an update", layout=W.Layout(width="auto"),
            tooltip="Show the chosen round's results as they stand now (when enough has changed)")
        self.publish_button.on_click(self._publish)

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
        self.report_button.on_click(self._prepare_report)

        self.session_bar = W.HBox([self.back, self.next, self.restart])
        self.controls = W.HBox([self.view_picker, self.group_picker, self.round_picker],
                               layout=W.Layout(flex_flow="row wrap"))
        self.options_row = W.HBox([], layout=W.Layout(flex_flow="row wrap"))
        self.body.children = (
            W.HTML(f"<p>Cohort: <strong>{html.escape(m.cohort_name)}</strong>. Scores appear only "
                   f"for {m.data.rules.min_group_size} or more people; withheld cells say so. "
                   "Results are published when a round closes, or when you publish an update, "
                   "and change only when enough answers have changed, so that nobody's answers "
                   "can be worked out by comparing one update with the next.</p>"),
            self.status,
            self.publish_button,
            W.HBox([self.session_toggle]),
            self.step_text,
            self.session_bar,
            self.controls,
            self.options_row,
            self.content,
            W.HTML("<h2>Downloads</h2>"),
            W.HBox([self.report_button, self.report_link, self.csv_link]),
            self.plan_link,
        )
        self._building = False
        self._refresh_views()
        self.render()

    def _refresh_views(self) -> None:
        m = self.model
        self._building = True
        try:
            options = [(v.title, v.id) for v in m.views]
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
        if m.session:
            step = m.current_step
            self.step_text.value = (
                f"<div role='status' class='kit-session-step'><h2>{html.escape(step.title)} "
                f"(about {step.minutes} minutes)</h2><p>{html.escape(step.guidance)}</p></div>")
            self.session_bar.layout.display = None
            self.back.disabled = m.step == 0
            self.restart.disabled = m.step == 0
            self.next.disabled = m.step == len(SESSION_STEPS) - 1
        else:
            self.step_text.value = ""
            self.session_bar.layout.display = "none"

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
        if change["new"]:
            self.model.start_session()
        else:
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

    @safe_callback
    def _prepare_report(self, _=None) -> None:
        from kit.analysis.privacy import ALL_GROUPS
        from kit.report.group import all_tables, csv_zip, report_page

        m = self.model
        self.report_button.disabled = True
        scope = self._report_scope()
        self.messages.info(f"Preparing the group report for {scope}: this takes a few seconds.")
        try:
            page = report_page(m.data, m.group, m.round or None)
            name = "group-report" if m.group == ALL_GROUPS else f"group-report-{m.group}"
            self.report_link.set(page.encode("utf-8"), f"{name}.html", "text/html", "Save the group report (HTML)")
            self.csv_link.set(csv_zip(all_tables(m.data, m.group, m.round or None)), f"{name}-tables.zip",
                              "application/zip", "Save the tables (CSV, zip)")
            self.messages.success(f"The group report for {scope} is ready: use the links "
                                  "beside the button to save it.")
        finally:
            self.report_button.disabled = False

    def _report_scope(self) -> str:
        """Which group and round a report made now would cover, in words."""
        from kit.analysis.privacy import ALL_GROUPS

        m = self.model
        group = "the whole cohort" if m.group == ALL_GROUPS else f"group {m.group}"
        return f"{group}, {m.round}" if m.round else f"{group}, every round"

    # ------------------------------------------------------------------ drawing

    @safe_callback
    def _publish(self, _=None) -> None:
        said = self.model.publish_update()
        self.messages.success(said)
        self._refresh_views()
        self.render()

    def _status_html(self) -> str:
        lines = self.model.status_lines()
        if not lines:
            return ""
        items = "".join(f"<li>{html.escape(x)}</li>" for x in lines)
        return f'<div role="status"><strong>Results</strong><ul>{items}</ul></div>'

    def render(self) -> None:
        """Redraw the current view (charts, descriptions, and the view's extra text)."""
        from kit.charts.display import chart_widget

        m = self.model
        self._sync_pickers()
        self.status.value = self._status_html()
        self.report_button.description = f"Prepare group report: {self._report_scope()}"
        self.report_link.clear()
        self.csv_link.clear()
        parts: list = []
        charts = [] if m.view == "free_text" else m.charts()
        single = len(charts) == 1 and charts[0].title == m.view_title()
        if not single:
            parts.append(W.HTML(f"<h2>{html.escape(m.view_title())}</h2>"))
        if m.view == "free_text":
            parts += self._free_text()
        else:
            if not charts:
                parts.append(W.HTML("<p>Nothing to show for this view yet.</p>"))
            parts += [chart_widget(c, heading_level=2 if single else 3) for c in charts]
        if m.session and m.current_step.id == "mixed":
            parts.append(self._questions())
        if m.session and m.current_step.id == "commitments":
            parts.append(self._commitments())
        tables = m.tables()
        if tables:
            from kit.report.group import csv_bytes

            links = []
            for name, table in tables.items():
                link = DownloadLink()
                link.set(csv_bytes(table), name, "text/csv", f"Save {name}")
                links.append(link)
            parts.append(W.HBox(links, layout=W.Layout(flex_flow="row wrap")))
        self.content.children = tuple(parts)

    def _free_text(self) -> list:
        d = self.model.data
        if not d.prompts:
            return [W.HTML("<p>No exercise with a shared prompt has answers yet.</p>")]
        out = []
        for p in d.prompts:
            body = (
                "".join(f"<blockquote>{html.escape(c)}</blockquote>" for c in p.comments.comments)
                if p.comments.shown else f"<p><em>{html.escape(p.comments.note)}</em></p>"
            )
            out.append(W.HTML(f"<h3>{html.escape(p.title)}</h3><p>{html.escape(p.prompt)}</p>{body}"))
        out.append(W.HTML("<p><small>Shown in a random order, across the whole cohort, without names.</small></p>"))
        return out

    def _questions(self) -> W.HTML:
        items = self.model.session_questions()
        if not items:
            return W.HTML("<p>No area can be shown yet for this group.</p>")
        blocks = []
        for dim, qs in items:
            blocks.append(f"<h3>{html.escape(dim)}</h3><ul>" + "".join(f"<li>{html.escape(q)}</li>" for q in qs) + "</ul>")
        return W.HTML("<div class='kit-questions'><h2>Questions for the most mixed areas</h2>" + "".join(blocks) + "</div>")

    def _commitments(self) -> W.HTML:
        focus = self.model.focus_dimensions()
        lead = (f"Rated important but scoring lower: {html.escape(', '.join(focus))}." if focus
                else "No area is both rated important and scoring low; pick the one the group most wants to move.")
        return W.HTML(
            "<div class='kit-commitments'><h2>Agreeing commitments</h2>"
            f"<p>{lead}</p><ol><li>Each person writes one commitment in their own action plan: "
            "what they will do, with whom, by when.</li><li>Pairs read each other's commitment and "
            "ask: would someone from a partner organisation notice this?</li><li>Close with "
            "\u201cWhat I will do differently on Monday\u201d in the reflection journal.</li>"
            "<li>Agree when the next round opens, so the group can see what changed; the next "
            "session opens with \u201cReviewing a commitment\u201d.</li></ol></div>")

