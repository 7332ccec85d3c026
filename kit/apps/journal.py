"""The reflection journal app: choose an exercise, one prompt at a time, past entries."""

from __future__ import annotations

import html

import ipywidgets as W
import pandas  # noqa: F401 - imported early so a preheated kernel pays for it

from kit.apps._base import ParticipantApp
from kit.apps.autosave import AutoSaver
from kit.apps.journal_model import JournalModel, entry_html
from kit.apps.links import query_int, query_params
from kit.content import load_exercises
from kit.forms import Collapsible, PromptArea, Stepper, safe_callback
from kit.i18n import N_, _, format_date

__all__ = ["JournalApp"]


class JournalApp(ParticipantApp):
    """Guided reflections (Driscoll or Gibbs), saved as drafts, finished, read back."""

    app_title = N_("Reflection journal")
    framework_lens = "self"
    notebook = "02_reflection_journal.ipynb"

    def __init__(self, store, visitor=None, *, framework=None,
                 exercises=None, **kwargs):
        self._init_framework(framework)
        self._exercises = list(exercises) if exercises is not None else list(load_exercises())
        self.model: JournalModel | None = None
        self.prompt: PromptArea | None = None
        self.saver = AutoSaver(self._autosave)
        super().__init__(store, visitor, **kwargs)

    def __repr__(self) -> str:
        return f"<Reflection journal: {len(self._exercises)} exercises>"

    def build(self, visitor) -> list:
        self.model = JournalModel.for_participant(self.store, visitor.participant_id,
                                                  self._exercises, self.framework)
        options = []
        for ex in self.model.exercises:
            label = _("{exercise}, {duration}").format(exercise=ex.title,
                                                        duration=self.model.duration(ex))
            if ex.id in self.model.suggested_ids:
                label = _("{exercise} (suggested for you)").format(exercise=label)
            options.append((label, ex.id))
        self.choice = W.Dropdown(options=options, description=_("Exercise"),
                                 style={"description_width": "initial"},
                                 layout=W.Layout(width="95%"))
        self.purpose = W.HTML()
        self.short = W.Checkbox(value=False, indent=False,
                                description=_("Take the short path (the essential steps "
                                              "only)"))
        self.reviewing = W.HTML()
        self._from_query(query_params())
        self.choice.observe(self._chosen, names="value")
        self._show_purpose()
        self.start_button = W.Button(description=_("Start this reflection"),
                                     button_style="primary",
                                     tooltip=_("Begin a new entry with the chosen exercise"),
                                     layout=W.Layout(width="auto"))
        self.start_button.on_click(self._start)
        self.confirm = W.VBox()
        self.area = W.VBox()
        self.past = W.VBox()
        self.refresh_past()
        intro = ("<p>" + html.escape(_(
            "Reflection turns experience into learning. Choose an exercise; those that work on "
            "the areas you rated lowest, or that matter most in your role, are listed first. "
            "Your writing is private to you: it is saved as a draft as you type, and nothing is "
            "shared unless you choose to share it.")) + "</p>")
        heading = "<h2>" + html.escape(_("Your entries")) + "</h2>"
        return [W.HTML(intro), self.reviewing, self.choice, self.purpose, self.short,
                self.start_button, self.confirm, self.area, W.HTML(heading),
                self.past]

    def _from_query(self, params) -> None:
        """``?exercise=ID`` chooses an exercise; ``&commitment=N`` names the commitment being
        reviewed (one of the visitor's own, shown above the list)."""
        wanted = params.get("exercise")
        if wanted in {value for _label, value in self.choice.options}:
            self.choice.value = wanted
        commitment = self.model.commitment_for_review(query_int(params, "commitment"))
        if commitment is not None:
            label = html.escape(_("The commitment you are reviewing:"))
            self.reviewing.value = (
                f"<div class='kit-reviewing'><p><strong>{label}</strong> "
                f"{html.escape(commitment.text)}</p></div>")

    def _show_purpose(self) -> None:
        ex = self.model.exercise_for(self.choice.value) if self.choice.value else None
        if ex is None:
            self.purpose.value = ""
            self.short.layout.display = "none"
            return
        self.short.layout.display = None if ex.has_short_path else "none"
        if ex.has_short_path:
            self.short.description = _(
                "Take the short path: about {minutes} minutes, {n} of {total} prompts").format(
                minutes=ex.short_minutes, n=len(ex.short_steps), total=len(ex.steps))
        else:
            self.short.value = False
        dims = {d.id: d.title for d in self.framework.dimensions}
        areas = ", ".join(dims.get(d, d) for d in ex.dimensions)
        works_on = (html.escape(_("Works on: {areas}").format(areas=areas)) if areas else "")
        self.purpose.value = (f"<p>{html.escape(ex.purpose)}</p>"
                              + (f"<p><em>{works_on}</em></p>" if areas else ""))

    @safe_callback
    def _chosen(self, _change=None) -> None:
        self._show_purpose()

    def refresh_past(self) -> None:
        entries = self.model.entries()
        if not entries:
            self.past.children = (W.HTML("<p>" + html.escape(_("No entries yet.")) + "</p>"),)
            return
        rows = []
        for e in entries:
            ex = self.model.exercise_for(e.exercise_id)
            title = ex.title if ex else e.exercise_id
            when = format_date(e.updated_at, "d MMM y")
            acc = Collapsible(_("{date}: {exercise}").format(date=when, exercise=title)
                              if e.finished else
                              _("{date}: {exercise} (draft)").format(date=when, exercise=title),
                              entry_html(e, ex))
            btn = W.Button(description=_("Open to edit"),
                           tooltip=_("Carry on with {exercise}").format(exercise=title))
            btn.on_click(lambda _b, eid=e.id: self._open(eid))
            rows.append(W.VBox([acc, btn]))
        self.past.children = tuple(rows)

    # -- writing -----------------------------------------------------------------------------
    def render_step(self) -> None:
        m = self.model
        step = m.current
        self.prompt = PromptArea(step.prompt, help=step.help, value=m.answers.get(step.id, ""),
                                 stage=m.exercise.stage_label(step.stage))
        # Sent on every key; saved as a draft once typing pauses (and at once on every move,
        # and when the page is closed or reloaded), so nothing typed is lost.
        self.prompt.text.continuous_update = True
        box = self.prompt
        box.add_class("kit-keep-journal-answer")
        self.keepers["journal-answer"] = (
            lambda text, box=box, sid=step.id: self._typed(box, sid, text))
        box.text.observe(lambda change: self._typed(box, step.id, change["new"]), names="value")
        if m.entry_id is not None and not m.step_has_gap(step):
            box.show_saved(True)
        body = [self.prompt]
        if m.is_last:
            commit = W.Button(description=_("Make this a commitment"),
                              tooltip=_("Save this entry and open the action plan with your "
                                        "answer filled in"))
            commit.on_click(self._make_commitment)
            self.commit_link = W.HTML()
            body.append(W.HBox([commit, self.commit_link]))
        self.stepper.set_body(body)
        self.stepper.set_position(m.step, m.n_steps, m.exercise.title)

    def _share_box(self) -> list:
        """The explicit, default-off choice to share the shared step's answer, for members of
        a group whose exercise has such a step."""
        step = self.model.shared_step
        if step is None or getattr(self.visitor, "cohort_id", None) is None:
            self.share = None
            return []
        from kit.config import get_settings

        k = get_settings().min_comment_size
        self.share = W.Checkbox(value=self.model.shared, indent=False,
                                description=_("Share this answer with the whole cohort, "
                                              "without my name"),
                                layout=W.Layout(width="auto"))
        self.share.add_class("kit-share")
        text = html.escape(_(
            "Off unless you tick it. If you tick it, your answer to {prompt} may be shown, "
            "without your name, in the \u201cIn their words\u201d view, which your facilitator "
            "shows across the whole cohort (every group together) once at least {k} people in "
            "the cohort have shared; nothing else you write here is shared.")).format(
            prompt=f"<em>{html.escape(step.prompt)}</em>", k=k)
        note = W.HTML(f"<p class='kit-share-note'>{text}</p>")
        return [self.share, note]

    def _show_writer(self) -> None:
        self.stepper = Stepper(on_back=self._back, on_next=self._next,
                               finish_label=_("Save and go on"))
        self.stepper.next.description = _("Next")
        self.include = W.Checkbox(value=self.model.include_in_report, indent=False,
                                  description=_("Include this entry in my report"),
                                  layout=W.Layout(width="auto"))
        self.save = W.Button(description=_("Save draft"), tooltip=_("Save what you have written"),
                             layout=W.Layout(width="auto"))
        self.save.on_click(self._save)
        self.finish_button = W.Button(description=_("Finish entry"), button_style="success",
                                      tooltip=_("Mark this entry finished"),
                                      layout=W.Layout(width="auto"))
        self.finish_button.on_click(self._finish)
        self.confirm.children = ()
        self.area.children = (self.stepper, self.include, *self._share_box(),
                              W.HBox([self.save, self.finish_button]))
        self.render_step()

    def _keep_text(self) -> None:
        # every caller saves the entry next, so nothing is left for the autosave to do
        self._saved_another_way()
        if self.prompt is not None and self.model.exercise is not None:
            self.model.set_answer(self.model.current.id, self.prompt.value)

    def _keep_choices(self) -> None:
        self.model.set_include(bool(self.include.value))
        share = getattr(self, "share", None)
        if share is not None:
            self.model.set_shared(bool(share.value))

    def _save_open_entry(self) -> bool:
        """Keep what is on screen and save it as a draft; ``True`` when something was saved."""
        self._keep_text()
        self._keep_choices()
        saved = self.model.save_draft() is not None
        if saved:
            self.refresh_past()
        return saved

    @safe_callback
    def _typed(self, box, step_id, text) -> None:
        """A key was typed in one prompt: keep the text, and save it once typing pauses."""
        if box is not self.prompt or not self.model.is_open or not self.area.children:
            return  # a box no longer on screen: what it held was kept when it was left
        self.model.set_answer(step_id, text)
        if not self.saver.pending:
            box.show_saved(False)
        self.saver.changed()

    @safe_callback
    def _autosave(self) -> None:
        """Typing paused (or the page is going away): save the open entry as a draft."""
        if not self.model.is_open or not self.area.children:
            return
        self._keep_choices()
        if self.model.save_draft() is not None:
            if self.prompt is not None:
                self.prompt.show_saved(True)
            self.refresh_past()

    def _saved_another_way(self) -> None:
        """A move or a button saved the entry: nothing is left waiting."""
        self.saver.cancel()

    @safe_callback
    def _start(self, _button=None) -> None:
        self.messages.clear()
        if self.model.is_open and self.area.children:
            self._ask_before_starting()
            return
        self.model.start(self.choice.value, short=bool(self.short.value))
        self._show_writer()

    def _ask_before_starting(self) -> None:
        """Starting again over an open entry: keep it as a draft, then ask."""
        title = self.model.exercise.title
        saved = self._save_open_entry()
        kept = (_("What you wrote in \u201c{exercise}\u201d is saved as a draft: you can open "
                  "it again from <em>Your entries</em> below.") if saved else
                _("Nothing is written in \u201c{exercise}\u201d yet.")).format(
            exercise=html.escape(title))
        yes = W.Button(description=_("Start a new entry"), button_style="warning",
                       tooltip=_("Put the open entry away and start the chosen exercise"),
                       layout=W.Layout(width="auto"))
        no = W.Button(description=_("Keep writing this one"),
                      tooltip=_("Go back to the open entry"),
                      layout=W.Layout(width="auto"))
        yes.on_click(self._start_anyway)
        no.on_click(self._keep_writing)
        open_text = html.escape(_("You have an entry open."))
        ask = html.escape(_("Start a new one?"))
        box = W.VBox([W.HTML(f"<div role='alert' class='kit-confirm'><p><strong>{open_text}"
                             f"</strong> {kept} {ask}</p></div>"),
                      W.HBox([yes, no])])
        box.add_class("kit-confirm-box")
        self.confirm.children = (box,)

    @safe_callback
    def _start_anyway(self, _button=None) -> None:
        self.model.close()
        self.model.start(self.choice.value, short=bool(self.short.value))
        self._show_writer()
        self.messages.info(_("A new entry is open. Your earlier one is kept under Your "
                             "entries."))

    @safe_callback
    def _keep_writing(self, _button=None) -> None:
        self.confirm.children = ()

    @safe_callback
    def _make_commitment(self, _button=None) -> None:
        self._keep_text()
        self.model.set_include(bool(self.include.value))
        link = self.model.make_commitment()
        text = html.escape(_("Open your action plan with this filled in"))
        self.commit_link.value = (
            f"<a class='kit-commit-link' href='{html.escape(link)}'>{text}</a>")
        self.messages.success(_("Entry saved. Open your action plan to give the commitment a "
                                "date."))
        self.refresh_past()

    @safe_callback
    def _open(self, entry_id) -> None:
        self.messages.clear()
        if self.model.is_open and self.area.children:
            self._save_open_entry()
        self.model.open_entry(entry_id)
        self._show_writer()

    @safe_callback
    def _back(self) -> None:
        self._keep_text()
        self._keep_choices()
        self.model.back()
        self.refresh_past()
        self.render_step()

    @safe_callback
    def _next(self) -> None:
        self._keep_text()
        self._keep_choices()
        last = not self.model.next()
        self.refresh_past()
        if last:
            if self.model.entry_id is None:
                self.messages.info(_("That was the last prompt. Nothing is saved yet: write "
                                     "something first."))
            else:
                self.messages.success(_("Draft saved. That was the last prompt: press "
                                        "\u201cFinish entry\u201d when you are ready."))
        self.render_step()

    @safe_callback
    def _save(self, _button=None) -> None:
        self._keep_text()
        self._keep_choices()
        if self.model.save_draft() is None:
            self.messages.info(_("Nothing to save yet: write something first."))
            return
        self.messages.success(_("Draft saved."))
        self.refresh_past()

    @safe_callback
    def _finish(self, _button=None) -> None:
        self._keep_text()
        self._keep_choices()
        self.model.finish(bool(self.include.value))
        parts = [_("Entry finished and saved.")]
        parts.append(_("It will appear in your report.") if self.model.include_in_report
                     else _("It stays out of your report."))
        if self.model.shared:
            parts.append(_("Your answer to the shared question may be shown across the whole "
                           "cohort, without your name."))
        self.messages.success(" ".join(parts))
        self.model.close()
        self.area.children = ()
        self.confirm.children = ()
        self.refresh_past()
