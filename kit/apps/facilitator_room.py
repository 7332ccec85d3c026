"""The facilitated session on the dashboard: the on/off switch, the steps, and the room's
screen (step, timer, first chart, questions) with the presenter notes below it.

The session's rules live in :class:`kit.apps.facilitator_session.SessionMode`; this panel draws
them. The room's charts are the registry's (:mod:`kit.views`), through the model.
"""

from __future__ import annotations

import html

import ipywidgets as W

from kit.forms.callbacks import safe_callback
from kit.forms.timer import BrowserMemory, StepTimer
from kit.i18n import _

__all__ = ["RoomPanel"]


class RoomPanel:
    """Session mode of :class:`kit.apps.facilitator.FacilitatorDashboard` (a part of it)."""

    def _build_room(self) -> None:
        m = self.model
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
        self.switch_off = W.Button(description=_("Turn session mode off"),
                                   layout=W.Layout(width="auto"),
                                   tooltip=_("Leave session mode: every view unlocks again"))
        self.step_text = W.HTML()
        self.step_text.add_class("kit-live")  # the session step is announced as it changes
        self.session_toggle.observe(self._session_toggled, names="value")
        m.observe(self._model_session, names="session")
        self.back.on_click(self._back)
        self.next.on_click(self._next)
        self.restart.on_click(self._restart)
        self.switch_off.on_click(self._switch_off)
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

    def _model_session(self, change) -> None:
        """Session mode turned on or off in the model (a button, a reload): the switch shows it."""
        self.session_toggle.value = change["new"]

    def _sync_session(self) -> None:
        """The switch's words, the step's heading and timer, and which buttons apply."""
        m = self.model
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

    @safe_callback
    def _restored(self, change) -> None:
        """The browser kept where the session was (before a reload): go back there."""
        if self.model.restore_session(change["new"]):
            self._refresh_views()
            self.render()

    @safe_callback
    def _session_toggled(self, change) -> None:
        if change["new"] == self.model.session:
            return  # the model's own change, shown
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
