"""The facilitator dashboard: a cohort's group views, protected for individuals.

Opens with the cohort's facilitator key (a password field), for JupyterHub users listed in
``KIT_FACILITATORS``, or straight onto the demo cohort when ``KIT_DEMO=1``. State lives in
:class:`kit.apps.facilitator_model.FacilitatorModel`; what each view shows comes from the
registry of views (:mod:`kit.views`). This module assembles the page from its panels: the
pickers (:mod:`~kit.apps.facilitator_pickers`), rounds and results
(:mod:`~kit.apps.facilitator_status`), session mode and the room's screen
(:mod:`~kit.apps.facilitator_room`), the downloads (:mod:`~kit.apps.facilitator_downloads`),
and the words beside the charts with the agreed steps (:mod:`~kit.apps.facilitator_words`).

Examples
--------
>>> from kit.apps.facilitator import FacilitatorDashboard
>>> FacilitatorDashboard.from_environment()      # doctest: +SKIP
"""

from __future__ import annotations

import html
import logging

import ipywidgets as W

from kit.apps._frame import AppFrame
from kit.apps.facilitator_downloads import DownloadsPanel
from kit.apps.facilitator_model import FacilitatorModel, hub_user
from kit.apps.facilitator_pickers import LABEL as _LABEL
from kit.apps.facilitator_pickers import PickersPanel
from kit.apps.facilitator_room import RoomPanel
from kit.apps.facilitator_status import RoundPanel
from kit.apps.facilitator_words import WordsPanel
from kit.forms.callbacks import safe_callback
from kit.forms.messages import MessageArea
from kit.i18n import _

__all__ = ["FacilitatorDashboard"]

log = logging.getLogger(__name__)


class FacilitatorDashboard(PickersPanel, RoundPanel, RoomPanel, DownloadsPanel, WordsPanel,
                           AppFrame, W.VBox):
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
        self.menu = self.frame_menu()
        # The notebook's markdown already gives the page its title.
        super().__init__([self.menu, self.messages, self.body], **kwargs)
        self.add_class("kit-app")
        self.add_class("kit-facilitator")
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
    def warm_up(cls, store) -> None:
        """Work that does not depend on the visitor, done while the kernel waits in the pool
        (the app frame, :class:`kit.apps._frame.AppFrame`, calls it)."""
        import altair  # noqa: F401 - the charts need it; load it before the visitor

        from kit.content import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK, load_framework
        from kit.voila import prewarm

        load_framework(DEFAULT_SELF_FRAMEWORK)
        load_framework(DEFAULT_TEAM_FRAMEWORK)
        prewarm()

    @classmethod
    def for_visitor(cls, store, **kwargs) -> FacilitatorDashboard:
        """The dashboard for this page: demo cohort (KIT_DEMO=1), hub facilitator, or key prompt
        (called by the frame's ``from_environment`` once the visitor has arrived)."""
        from kit.config import get_settings

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
        """Build the panels for the cohort just opened, and draw the first view."""
        m = self.model
        self._build_pickers()
        self._build_room()
        self._build_round()
        self._build_downloads()
        self.content = W.VBox()
        self.content.add_class("kit-view-content")
        intro = _("Cohort: {cohort}. Scores appear only for {k} or more people; withheld cells say "
                  "why. A round's results are published once, when it closes, and do not change "
                  "afterwards, so nobody's answers can be worked out by comparing one look with "
                  "the next.").format(cohort="\0", k=m.data.rules.min_group_size)
        intro = html.escape(intro).replace(
            "\0", f"<strong>{html.escape(m.cohort_name)}</strong>")
        self._intro = W.HTML(f"<p>{intro}</p>")
        self._refresh_views()
        self.render()

    def _arrange(self) -> None:
        """Lay the page out: in session mode the room's screen first, then the presenter
        notes, then everything else; otherwise the settings, then the view."""
        m = self.model
        settings = (self._intro, self.status, self.round_button, self.round_messages,
                    self.session_toggle)
        view = (self.controls, self.options_row, self.content, *self._downloads)
        if m.session:
            children = (self.room, self.notes, self.memory, *settings, self.restart, *view)
        else:
            children = (self.memory, *settings, *view)
        self.menu.layout.display = "none" if m.session else None
        if tuple(self.body.children) != children:
            self.body.children = children

    def render(self) -> None:
        """Redraw the current view (charts, descriptions, and the view's extra text)."""
        from kit.charts.display import chart_widget

        m = self.model
        self._sync_pickers()
        self._sync_session()
        self._sync_round()
        self._sync_downloads()
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
        parts += self._csv_links(m.tables())
        self.content.children = tuple(parts)
