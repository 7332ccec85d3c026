"""The action plan app: make commitments linked to a behaviour, review earlier ones."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps._base import ParticipantApp
from kit.apps.action_plan_model import REVIEW_CHOICES, ActionPlanModel
from kit.config import get_settings
from kit.content import load_framework
from kit.forms import safe_callback

__all__ = ["ActionPlanApp"]


class ActionPlanApp(ParticipantApp):
    """Commitments with due dates; overdue ones first."""

    app_title = "Action plan"

    def __init__(self, store, visitor=None, *, framework="collaboration-behaviours",
                 today=None, **kwargs):
        self.framework = load_framework(framework) if isinstance(framework, str) else framework
        self.today = today or get_settings().today
        super().__init__(store, visitor, **kwargs)

    def __repr__(self) -> str:
        return f"<Action plan: {self.framework.id}>"

    def build(self, visitor) -> list:
        self.model = ActionPlanModel(self.store, visitor.participant_id, self.framework, self.today)
        style = {"description_width": "initial"}
        self.text = W.Textarea(description="I will", rows=3, layout=W.Layout(width="95%"),
                               placeholder="One concrete thing you will do", style=style)
        self.dimension = W.Dropdown(options=self.model.dimension_options(),
                                    description="Area it develops", style=style,
                                    layout=W.Layout(width="95%"))
        self.due = W.DatePicker(description="Due by", value=None, style=style)
        add = W.Button(description="Add commitment", button_style="primary",
                       tooltip="Save this commitment")
        add.on_click(self._add)
        self.list_box = W.VBox()
        self.refresh()
        intro = ("<p>Small, specific commitments work best: who you will talk to, where you "
                 "will go, what you will try. Give each a date and come back to review it.</p>")
        return [W.HTML(intro), W.HTML("<h2>New commitment</h2>"), self.text, self.dimension,
                self.due, add, W.HTML("<h2>Your commitments</h2>"), self.list_box]

    def refresh(self) -> None:
        rows = self.model.rows()
        if not rows:
            self.list_box.children = (W.HTML("<p>No commitments yet.</p>"),)
            return
        out = []
        for row in rows:
            c = row.commitment
            flag = "<strong style='color:#a33a00'>Overdue.</strong> " if row.overdue else ""
            due = f"due {c.due:%d %B %Y}" if c.due else "no date"
            note = (f"<br><em>Note: {html.escape(c.review_note)}</em>" if c.review_note else "")
            head = W.HTML(
                f"<div class='kit-commitment'><p>{flag}{html.escape(c.text)}<br>"
                f"<small>{html.escape(row.dimension_title)}; {due}; "
                f"{html.escape(row.status_label)}</small>{note}</p></div>")
            parts = [head]
            if c.status in ("open", "in_progress"):
                status = W.Dropdown(options=REVIEW_CHOICES, value="in_progress",
                                    description="Review", style={"description_width": "initial"})
                note_box = W.Text(description="Note (optional)",
                                  style={"description_width": "initial"})
                save = W.Button(description="Save review", tooltip="Save this review")
                save.on_click(lambda _b, cid=c.id, s=status, n=note_box: self._review(cid, s.value, n.value))
                parts.append(W.HBox([status, note_box, save]))
            out.append(W.VBox(parts))
        self.list_box.children = tuple(out)

    @safe_callback
    def _add(self, _button=None) -> None:
        self.model.add(self.text.value, self.dimension.value, self.due.value)
        self.text.value = ""
        self.messages.success("Commitment added.")
        self.refresh()

    @safe_callback
    def _review(self, commitment_id, status, note) -> None:
        self.model.review(commitment_id, status, note)
        self.messages.success("Review saved.")
        self.refresh()
