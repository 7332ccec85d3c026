"""The action plan app: make commitments linked to a behaviour, review earlier ones."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps._base import ParticipantApp
from kit.apps.action_plan_model import REVIEW_CHOICES, ActionPlanModel
from kit.apps.autosave import AutoSaver, draft_class, forget_drafts_script
from kit.apps.errors import Refused
from kit.apps.links import query_int, query_params
from kit.config import get_settings
from kit.content import load_exercises
from kit.forms import safe_callback
from kit.i18n import N_, _, format_date

__all__ = ["ActionPlanApp"]

#: The draft (kept in the tab until added) of the commitment being written.
NEW_COMMITMENT = "new-commitment"


class ActionPlanApp(ParticipantApp):
    """Commitments with due dates; overdue ones first."""

    app_title = N_("Action plan")
    framework_lens = "self"
    notebook = "04_action_plan.ipynb"

    def __init__(self, store, visitor=None, *, framework=None,
                 today=None, **kwargs):
        self._init_framework(framework)
        self.today = today or get_settings().today
        super().__init__(store, visitor, **kwargs)

    def __repr__(self) -> str:
        return f"<Action plan: {self.framework.id}>"

    #: a commitment was just added and nothing typed since: a second tap on Add is ignored
    _just_added = False

    def build(self, visitor) -> list:
        self._note_savers: dict[int, AutoSaver] = {}
        self.model = ActionPlanModel(self.store, visitor.participant_id, self.framework, self.today)
        style = {"description_width": "initial"}
        self.text = W.Textarea(description=_("I will"), rows=3, layout=W.Layout(width="95%"),
                               placeholder=_("One concrete thing you will do"), style=style)
        # Kept in this tab as it is typed until it is added: a reload brings it back.
        self.text.add_class(draft_class(NEW_COMMITMENT))
        self.dimension = W.Dropdown(options=self.model.dimension_options(),
                                    description=_("Area it develops"), style=style,
                                    layout=W.Layout(width="95%"))
        self.due = W.DatePicker(description=_("Due by"), value=None, style=style)
        # The chosen date in words: confirms day and month whatever order the browser shows
        # them in, and tells the page the kernel has the date.
        self.due_words = W.HTML()
        self.due_words.add_class("kit-due-words")
        self.due.observe(self._show_due, names="value")
        add = W.Button(description=_("Add commitment"), button_style="primary",
                       tooltip=_("Save this commitment"))
        add.on_click(self._add)
        self.list_box = W.VBox()
        self.refresh()
        self._prefill(query_params())
        intro = ("<p>" + html.escape(_("Small, specific commitments work best: who you will "
                                       "talk to, where you will go, what you will try. Give "
                                       "each a date and come back to review it.")) + "</p>")
        new = "<h2>" + html.escape(_("New commitment")) + "</h2>"
        yours = "<h2>" + html.escape(_("Your commitments")) + "</h2>"
        return [W.HTML(intro), W.HTML(new), self.text, self.dimension,
                self.due, self.due_words, add, W.HTML(yours), self.list_box]

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
        self.messages.info(_("Filled in from your journal entry: check the wording and the "
                             "area, choose a due date, then add it."))

    def refresh(self) -> None:
        rows = self.model.rows()
        if not rows:
            self.list_box.children = (W.HTML("<p>" + html.escape(_("No commitments yet."))
                                             + "</p>"),)
            return
        out = []
        overdue = html.escape(_("Overdue."))
        reflect = html.escape(_("Reflect on it: reviewing a commitment"))
        about = html.escape(_("(about 10 minutes: what you did, what happened, what next)"))
        for row in rows:
            c = row.commitment
            flag = f"<strong style='color:#a33a00'>{overdue}</strong> " if row.overdue else ""
            due = html.escape(_("due {date}").format(date=format_date(c.due)) if c.due
                              else _("no date"))
            note = ("<br><em>" + html.escape(_("Note: {note}").format(note=c.review_note))
                    + "</em>" if c.review_note else "")
            head = W.HTML(
                f"<div class='kit-commitment'><p>{flag}{html.escape(c.text)}<br>"
                f"<small>{html.escape(row.dimension_title)}; {due}; "
                f"{html.escape(row.status_label)}</small>{note}</p></div>")
            parts = [head]
            link = self.model.review_link(c)
            if link is not None:
                parts.append(W.HTML(
                    f"<p class='kit-review-link'><a href='{html.escape(link)}'>{reflect}</a> "
                    f"{about}</p>"))
            if c.status in ("open", "in_progress"):
                parts.append(self._review_opener(c))
            out.append(W.VBox(parts))
        self.list_box.children = tuple(out)

    def _review_opener(self, c) -> W.Widget:
        """A "Review" button that opens the review form, set to the commitment's status now."""
        box = W.VBox()
        button = W.Button(description=_("Review"),
                          tooltip=_("Review: {text}").format(text=c.text[:80]),
                          layout=W.Layout(width="auto"))
        button.on_click(lambda _b: self._open_review(box, c))
        box.children = (button,)
        return box

    def _open_review(self, box, c) -> None:
        label = {"description_width": "initial"}
        status = W.Dropdown(options=[(_(text), value) for text, value in REVIEW_CHOICES],
                            value=c.status, description=_("Status"),
                            style=label, layout=W.Layout(width="auto"))
        note_box = W.Text(value=c.review_note or "", description=_("Note (optional)"),
                          style=label, layout=W.Layout(width="24em"),
                          continuous_update=True)
        saved = W.HTML()
        saved.add_class("kit-save-status")
        # The note is saved as it is typed (the status only when the review is saved).
        saver = AutoSaver(lambda: self._keep_note(c.id, note_box.value, saved))
        self._note_savers[c.id] = saver

        def typed(_change):
            saved.value = ""
            saver.changed()

        note_box.observe(typed, names="value")
        note_box.add_class(f"kit-keep-review-note-{int(c.id)}")
        self.keepers[f"review-note-{int(c.id)}"] = lambda text: setattr(note_box, "value", text)
        save = W.Button(description=_("Save review"), button_style="primary",
                        tooltip=_("Save this review"), layout=W.Layout(width="auto"))
        save.on_click(lambda _b: self._review(c.id, status.value, note_box.value))
        box.children = (W.HBox([status, note_box, save]), saved)

    @safe_callback
    def _keep_note(self, commitment_id, note, saved) -> None:
        self.model.keep_note(commitment_id, note)
        saved.value = ("<p class='kit-saved' style='margin:0.2em 0;color:#444'>"
                       + html.escape(_("Note saved")) + "</p>")

    @safe_callback
    def _add(self, _button=None) -> None:
        if self._just_added and not self.text.value.strip():
            return  # a second tap on Add after adding: the success stays on screen
        self.messages.clear()  # so the message below is new even when it repeats
        self.model.add(self.text.value, self.dimension.value, self.due.value)
        self._just_added = True
        self.scripts.run(forget_drafts_script(NEW_COMMITMENT))
        self.text.value = ""
        self.due.value = None
        self.refresh()
        self.messages.success(_("Commitment added."))  # last: the list is redrawn by now

    @safe_callback
    def _review(self, commitment_id, status, note) -> None:
        saver = self._note_savers.pop(commitment_id, None)
        if saver is not None:
            saver.cancel()  # saved just below, with the status
        self.model.review(commitment_id, status, note)
        if status in ("done", "dropped"):
            self.messages.success(_("Review saved. Take ten minutes to reflect on it: follow "
                                    "\u201cReflect on it\u201d beside the commitment."))
        else:
            self.messages.success(_("Review saved."))
        self.refresh()
