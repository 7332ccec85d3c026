"""The reflection journal app: choose an exercise, one prompt at a time, past entries."""

from __future__ import annotations

import html

import ipywidgets as W
import pandas  # noqa: F401 - imported early so a preheated kernel pays for it

from kit.apps._base import ParticipantApp
from kit.apps._profile import load_profile
from kit.apps.journal_model import JournalModel, entry_html
from kit.content import load_exercises, load_framework
from kit.forms import PromptArea, Stepper, safe_callback

__all__ = ["JournalApp"]


class JournalApp(ParticipantApp):
    """Guided reflections (Driscoll or Gibbs), saved as drafts, finished, read back."""

    app_title = "Reflection journal"

    def __init__(self, store, visitor=None, *, framework="collaboration-behaviours",
                 exercises=None, **kwargs):
        self.framework = load_framework(framework) if isinstance(framework, str) else framework
        self._exercises = list(exercises) if exercises is not None else list(load_exercises())
        self.model: JournalModel | None = None
        self.prompt: PromptArea | None = None
        super().__init__(store, visitor, **kwargs)

    def __repr__(self) -> str:
        return f"<Reflection journal: {len(self._exercises)} exercises>"

    def build(self, visitor) -> list:
        try:
            profile, _history = load_profile(self.store, visitor.participant_id, self.framework)
        except Exception:  # noqa: BLE001 - suggestions are a help, not a requirement
            profile = None
        self.model = JournalModel(self.store, visitor.participant_id, self._exercises,
                                  self.framework, profile)
        options = []
        for ex in self.model.exercises:
            star = " (suggested for you)" if ex.id in self.model.suggested_ids else ""
            options.append((f"{ex.title}, about {ex.minutes} minutes{star}", ex.id))
        self.choice = W.Dropdown(options=options, description="Exercise",
                                 style={"description_width": "initial"},
                                 layout=W.Layout(width="95%"))
        self.purpose = W.HTML()
        self.choice.observe(self._chosen, names="value")
        self._show_purpose()
        start = W.Button(description="Start this reflection", button_style="primary",
                         tooltip="Begin a new entry with the chosen exercise")
        start.on_click(self._start)
        self.area = W.VBox()
        self.past = W.VBox()
        self.refresh_past()
        intro = ("<p>Reflection turns experience into learning. Choose an exercise; those that "
                 "work on the areas you rated lowest, or that matter most in your role, are "
                 "listed first. Your writing is private to you.</p>")
        return [W.HTML(intro), self.choice, self.purpose, start, self.area,
                W.HTML("<h2>Your entries</h2>"), self.past]

    def _show_purpose(self) -> None:
        ex = self.model.exercise_for(self.choice.value) if self.choice.value else None
        if ex is None:
            self.purpose.value = ""
            return
        dims = {d.id: d.title for d in self.framework.dimensions}
        areas = ", ".join(dims.get(d, d) for d in ex.dimensions)
        self.purpose.value = (f"<p>{html.escape(ex.purpose)}</p>"
                              + (f"<p><em>Works on: {html.escape(areas)}</em></p>" if areas else ""))

    @safe_callback
    def _chosen(self, _change=None) -> None:
        self._show_purpose()

    def refresh_past(self) -> None:
        entries = self.model.entries()
        if not entries:
            self.past.children = (W.HTML("<p>No entries yet.</p>"),)
            return
        rows = []
        for e in entries:
            ex = self.model.exercise_for(e.exercise_id)
            title = ex.title if ex else e.exercise_id
            acc = W.Accordion(children=[W.HTML(entry_html(e, ex))])
            acc.set_title(0, f"{e.updated_at:%d %b %Y}: {title}" + ("" if e.finished else " (draft)"))
            btn = W.Button(description="Open to edit", tooltip=f"Carry on with {title}")
            btn.on_click(lambda _b, eid=e.id: self._open(eid))
            rows.append(W.VBox([acc, btn]))
        self.past.children = tuple(rows)

    # -- writing -----------------------------------------------------------------------------
    def render_step(self) -> None:
        m = self.model
        step = m.current
        self.prompt = PromptArea(step.prompt, help=step.help, value=m.answers.get(step.id, ""),
                                 stage=m.exercise.stage_label(step.stage))
        self.stepper.set_body([self.prompt])
        self.stepper.set_position(m.step, m.n_steps, m.exercise.title)

    def _show_writer(self) -> None:
        self.stepper = Stepper(on_back=self._back, on_next=self._next, finish_label="Save and go on")
        self.stepper.next.description = "Next"
        self.include = W.Checkbox(value=self.model.include_in_report, indent=False,
                                  description="Include this entry in my report")
        self.save = W.Button(description="Save draft", tooltip="Save what you have written")
        self.save.on_click(self._save)
        self.finish_button = W.Button(description="Finish entry", button_style="success",
                                      tooltip="Mark this entry finished")
        self.finish_button.on_click(self._finish)
        self.area.children = (self.stepper, self.include, W.HBox([self.save, self.finish_button]))
        self.render_step()

    def _keep_text(self) -> None:
        if self.prompt is not None and self.model.exercise is not None:
            self.model.set_answer(self.model.current.id, self.prompt.value)

    @safe_callback
    def _start(self, _button=None) -> None:
        self.messages.clear()
        self.model.start(self.choice.value)
        self._show_writer()

    @safe_callback
    def _open(self, entry_id) -> None:
        self.messages.clear()
        self.model.open_entry(entry_id)
        self._show_writer()

    @safe_callback
    def _back(self) -> None:
        self._keep_text()
        self.model.back()
        self.render_step()

    @safe_callback
    def _next(self) -> None:
        self._keep_text()
        if not self.model.next():
            self.messages.info("That was the last prompt. Save a draft, or finish the entry.")
        self.render_step()

    @safe_callback
    def _save(self, _button=None) -> None:
        self._keep_text()
        self.model.set_include(bool(self.include.value))
        if self.model.save_draft() is None:
            self.messages.info("Nothing to save yet: write something first.")
            return
        self.messages.success("Draft saved.")
        self.refresh_past()

    @safe_callback
    def _finish(self, _button=None) -> None:
        self._keep_text()
        self.model.finish(bool(self.include.value))
        where = "It will appear in your report." if self.model.include_in_report else \
            "It stays out of your report."
        self.messages.success(f"Entry finished and saved. {where}")
        self.area.children = ()
        self.refresh_past()
