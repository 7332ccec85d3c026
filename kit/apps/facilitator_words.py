"""The facilitator dashboard's words beside the charts: the texts members shared, the
forecast of empty views, what good and poor look like, and the group's agreed steps."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps.facilitator_pickers import LABEL as _LABEL
from kit.forms.callbacks import safe_callback
from kit.i18n import _

__all__ = ["WordsPanel"]


class WordsPanel:
    """Texts and agreed steps on :class:`kit.apps.facilitator.FacilitatorDashboard` (a part
    of it)."""

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
