"""The action plan app: make commitments linked to a behaviour, review earlier ones."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps._base import ParticipantApp
from kit.apps.action_plan_model import REVIEW_CHOICES, ActionPlanModel
from kit.apps.errors import Refused
from kit.apps.links import query_int, query_params
from kit.config import get_settings
from kit.content import load_exercises
from kit.forms import safe_callback
from kit.i18n import _, format_date

__all__ = ["ActionPlanApp"]


class ActionPlanApp(ParticipantApp):
    """Commitments with due dates; overdue ones first."""

    app_title = "Action plan"
    framework_lens = "self"
    notebook = "04_action_plan.ipynb"

    def __init__(self, store, visitor=None, *, framework=None,
                 today=None, **kwargs):
        self._init_framework(framework)
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
        # The chosen date in words: confirms day and month whatever order the browser shows
        # them in, and tells the page the kernel has the date.
        self.due_words = W.HTML()
        self.due_words.add_class("kit-due-words")
        self.due.observe(self._show_due, names="value")
        add = W.Button(description="Add commitment", button_style="primary",
                       tooltip="Save this commitment")
        add.on_click(self._add)
        self.list_box = W.VBox()
        self.refresh()
        self._prefill(query_params())
        intro = ("<p>Small, specific commitments work best: who you will talk to, where you "
                 "will go, what you will try. Give each a date and come back to review it.</p>")
        return [W.HTML(intro), W.HTML("<h2>New commitment</h2>"), self.text, self.dimension,
                self.due, self.due_words, add, W.HTML("<h2>Your commitments</h2>"), self.list_box]

    def _show_due(self, _change=None) -> None:
        day = self.due.value
        self.due_words.value = "" if day is None else "<p class='kit-hint'>{}</p>".format(
            html.escape(_("Due on {date}").format(date=format_date(day, "EEEE d MMMM y"))))

    def _prefill(self, params) -> None:
        """``?from_entry=N``: fill in the form from one of the visitor's journal entries."""
        entry_id = query_int(params, "from_entry")
        if entry_id is None:
            return
        try:
            text, dimension = self.model.prefill_from_entry(entry_id, load_exercises())
        except Refused as exc:
            self.messages.warning(str(exc))
            return
        self.text.value = text
        if dimension is not None:
            self.dimension.value = dimension
        self.messages.info("Filled in from your journal entry: check the wording and the area, "
                           "choose a due date, then add it.")

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
            link = self.model.review_link(c)
            if link is not None:
                parts.append(W.HTML(
                    f"<p class='kit-review-link'><a href='{html.escape(link)}'>Reflect on it: "
                    "reviewing a commitment</a> (about 10 minutes: what you did, what happened, "
                    "what next)</p>"))
            if c.status in ("open", "in_progress"):
                parts.append(self._review_opener(c))
            out.append(W.VBox(parts))
        self.list_box.children = tuple(out)

    def _review_opener(self, c) -> W.Widget:
        """A "Review" button that opens the review form, set to the commitment's status now."""
        box = W.VBox()
        button = W.Button(description="Review", tooltip=f"Review: {c.text[:80]}",
                          layout=W.Layout(width="auto"))
        button.on_click(lambda _b: self._open_review(box, c))
        box.children = (button,)
        return box

    def _open_review(self, box, c) -> None:
        label = {"description_width": "initial"}
        status = W.Dropdown(options=REVIEW_CHOICES, value=c.status, description="Status",
                            style=label, layout=W.Layout(width="auto"))
        note_box = W.Text(value=c.review_note or "", description="Note (optional)", style=label,
                          layout=W.Layout(width="24em"))
        save = W.Button(description="Save review", button_style="primary",
                        tooltip="Save this review", layout=W.Layout(width="auto"))
        save.on_click(lambda _b: self._review(c.id, status.value, note_box.value))
        box.children = (W.HBox([status, note_box, save]),)

    @safe_callback
    def _add(self, _button=None) -> None:
        self.messages.clear()  # so the message below is new even when it repeats
        self.model.add(self.text.value, self.dimension.value, self.due.value)
        self.text.value = ""
        self.due.value = None
        self.refresh()
        self.messages.success("Commitment added.")  # last: the list is redrawn by now

    @safe_callback
    def _review(self, commitment_id, status, note) -> None:
        self.model.review(commitment_id, status, note)
        if status in ("done", "dropped"):
            self.messages.success("Review saved. Take ten minutes to reflect on it: follow "
                                  "\u201cReflect on it\u201d beside the commitment.")
        else:
            self.messages.success("Review saved.")
        self.refresh()
