"""The self-assessment app: one dimension per step, then the profile.

Heavy imports sit at module level so a preheated Voila kernel pays for them before the
visitor arrives.
"""

from __future__ import annotations

import html

import altair  # noqa: F401 - imported early on purpose (see module docstring)
import ipywidgets as W
import pandas  # noqa: F401

from kit.analysis.stored import load_profile
from kit.apps._base import ParticipantApp, app_link
from kit.apps.errors import Incomplete
from kit.apps.self_assessment_model import SelfAssessmentModel, commitments_of, round_for
from kit.charts.display import chart_widget
from kit.charts.personal import (
    change_chart,
    commitments_html,
    importance_chart,
    looking_back_html,
    profile_chart,
)
from kit.config import get_settings
from kit.forms import ImportanceRating, LookingBackRating, RatedItem, Stepper, safe_callback
from kit.i18n import N_, _

__all__ = ["SelfAssessmentApp", "ProfileView"]


class ProfileView(W.VBox):
    """The profile: scores with bands, what matters against self-rating, change over rounds."""

    def __init__(self, store, participant_id: int, framework, **kwargs):
        profile, history = load_profile(store, participant_id, framework)
        self.profile = profile
        if profile is None:
            children = [W.HTML("<p>" + html.escape(_("Your profile appears here once you have "
                                                     "submitted a self-assessment.")) + "</p>")]
        else:
            children = []
            if profile.edition_note:
                children.append(W.HTML("<p class='kit-edition'>"
                                       + html.escape(profile.edition_note) + "</p>"))
            children += [chart_widget(profile_chart(profile, framework)),
                         W.HTML(self._bands_html(profile))]
            if any(d.importance is not None for d in profile.dimensions):
                gaps = W.HTML(self._gaps_html(profile))
                gaps.add_class("kit-gaps")
                children.append(W.HBox([chart_widget(importance_chart(profile)), gaps],
                                       layout=W.Layout(flex_flow="row wrap",
                                                       align_items="flex-start")))
            if history["round"].nunique() > 1:
                children.append(chart_widget(change_chart(history, profile)))
            if looking := looking_back_html(profile):
                children.append(W.HTML(looking))
            commitments = commitments_html(framework, commitments_of(store, participant_id))
            if commitments:
                children.append(W.HTML(commitments))
            journal = app_link("02_reflection_journal.ipynb", _("reflection journal"))
            plan = app_link("04_action_plan.ipynb", _("action plan"))
            children.append(W.HTML("<p>" + html.escape(_(
                "Next steps: pick a reflection that works on an area to focus on in the "
                "{journal}, or turn one into a commitment in your {plan}.")).format(
                    journal=journal, plan=plan) + "</p>"))
        super().__init__(children, **kwargs)
        self.add_class("kit-profile")

    @staticmethod
    def _gaps_html(profile) -> str:
        """Where to focus: areas that matter a lot in your role and are not in the top band,
        the ones that matter most first."""
        hi = profile.importance_range[1]
        line = html.escape(_("{area}: matters {importance} out of {most}; {band} ({score})"))
        items = "".join(
            "<li>" + line.format(area=f"<strong>{html.escape(d.title)}</strong>",
                                 importance=f"{d.importance:g}", most=f"{hi:g}",
                                 band=html.escape(d.band_label.lower()),
                                 score=f"{d.score:.1f}") + "</li>"
            for d in profile.priorities)
        if not items:
            return ("<div style='max-width:22em'><h3>" + html.escape(_("Where to focus")) + "</h3><p>"
                    + html.escape(_("No area both matters a lot in your role and sits below the "
                                    "top band.")) + "</p></div>")
        return ("<div style='max-width:22em'><h3>" + html.escape(_("Where to focus"))
                + "</h3><p>" + html.escape(_("Areas that matter a lot in your role and are not "
                                             "yet in the top band, the ones that matter most "
                                             "first:"))
                + f"</p><ol>{items}</ol></div>")

    @staticmethod
    def _bands_html(profile) -> str:
        not_label = html.escape(_("What it is not:"))
        rows = "".join(
            f"<tr><th scope='row' style='text-align:left'>{html.escape(d.title)}"
            + (f"<br><small class='kit-not'><em>{not_label}</em> {html.escape(d.what_it_is_not)}"
               "</small>" if d.what_it_is_not else "")
            + "</th>"
            f"<td>{'' if d.score is None else f'{d.score:.1f}'}"
            + (f" <small class='kit-based-on'>({html.escape(d.based_on)})</small>" if d.based_on else "")
            + "".join(f"<br><small class='kit-note'>{html.escape(n)}</small>" for n in d.notes)
            + f"</td><td>{html.escape(d.band_label)}</td>"
            f"<td>{'' if d.importance is None else d.importance}</td></tr>"
            for d in profile.dimensions
        )
        def esc(text):
            return html.escape(_(text))

        return ("<table class='kit-table'><caption>" + esc(N_("Your scores in a table"))
                + "</caption><thead><tr>"
                "<th scope='col'>" + esc(N_("Area")) + "</th><th scope='col'>"
                + esc(N_("Score")) + "</th><th scope='col'>" + esc(N_("Band")) + "</th>"
                "<th scope='col'>" + esc(N_("Importance"))
                + f"</th></tr></thead><tbody>{rows}</tbody></table>"
                "<p><small>"
                + esc(N_("An area's score is the average of its questions about helpful acts, "
                         "and needs answers to at least two of them. Questions about unhelpful "
                         "habits are never part of the score (not doing the unhelpful thing is "
                         "not the same as doing the helpful thing): they are shown beside it as "
                         "habits to watch. Acts that are rare by nature are counted beside it "
                         "too."))
                + "</small></p>")


class SelfAssessmentApp(ParticipantApp):
    """The self-assessment for one framework (``collaboration-behaviours`` by default).

    Examples
    --------
    >>> app = SelfAssessmentApp.from_environment()   # doctest: +SKIP
    """

    app_title = N_("Self-assessment")
    framework_lens = "self"
    offer_chooser = True
    notebook = "01_self_assessment.ipynb"
    messages_below = True  # the Submit button is at the foot of a long step
    #: what the page says once the answers are submitted
    saved_message = N_("Your self-assessment is saved.")
    #: the step whose gaps were just listed: Next again on it moves on
    _warned_step: int | None = None

    def __init__(self, store, visitor=None, *, framework=None,
                 today=None, **kwargs):
        self._init_framework(framework)
        self.today = today or get_settings().today
        self.model: SelfAssessmentModel | None = None
        self.stepper: Stepper | None = None
        self.items: dict[str, RatedItem] = {}
        super().__init__(store, visitor, **kwargs)

    def __repr__(self) -> str:
        return f"<Self-assessment: {self.framework.id}, {len(self.framework.dimensions)} steps>"

    # -- building ------------------------------------------------------------------------
    def build(self, visitor) -> list:
        participant = visitor.participant
        round_info = round_for(self.store, participant, self.today)
        self.model = SelfAssessmentModel(self.store, participant.id, self.framework, round_info)
        self.intro = W.HTML(f"<p>{html.escape(self.framework.description)}</p>")
        self.area = W.VBox()
        if round_info is None:
            self.messages.info(_("No round is open for answers in your group at the moment. "
                                 "You can still look at your profile below."))
            self.area.children = (ProfileView(self.store, participant.id, self.framework),)
            return [self.intro, self.area]
        previous = self.model.previous()
        if previous is not None and not self.model.restored:
            self.show_profile(already=True)
        else:
            if self.model.restored:
                self.messages.info(_("Welcome back: your saved answers are filled in."))
            self.show_form()
        return [self.intro, self.area]

    def show_form(self, prefill=None) -> None:
        if prefill:
            answers, importance = prefill
            for k, v in answers.items():
                self.model.answers.setdefault(k, v)
            for k, v in importance.items():
                self.model.importance.setdefault(k, v)
        self.stepper = Stepper(on_back=self._back, on_next=self._next,
                               finish_label=_("Check and submit"))
        self.area.children = (self.stepper,)
        self.render_step()

    def render_step(self) -> None:
        m = self.model
        dim = m.dimension
        self.items = {}
        first_number = sum(len(m.shown_items(d)) for d in self.framework.dimensions[: m.step]) + 1
        not_label = html.escape(_("What it is not:"))
        body = [W.HTML(f"<p class='kit-why'>{html.escape(dim.why)}</p>"
                       + (f"<p class='kit-not'><em>{not_label}</em> "
                          f"{html.escape(dim.what_it_is_not)}</p>" if dim.what_it_is_not else ""))]
        for n, item in enumerate(m.shown_items(dim), start=first_number):
            answer = m.answers[item.id] if item.id in m.answers else ...
            w = RatedItem(item, self.framework.scale, n, on_change=self._answer, answer=answer)
            self.items[item.id] = w
            body.append(w)
        if dim.ask_importance and self.framework.importance_scale is not None:
            self.importance = ImportanceRating(dim, self.framework.importance_scale,
                                               on_change=self._importance,
                                               value=m.importance.get(dim.id))
            body.append(self.importance)
        if m.asks_then:
            self.looking_back = LookingBackRating(dim, self.framework.scale,
                                                  on_change=self._then,
                                                  value=m.then[dim.id] if dim.id in m.then
                                                  else ...)
            body.append(self.looking_back)
        self.count = W.HTML()
        self._show_count()
        self.stepper.set_body([self.count, *self.step_body(dim, body)])
        self.stepper.set_position(m.step, m.n_steps, dim.title)

    def step_body(self, dim, questions: list) -> list:
        """The widgets of one step; subclasses may add to the questions (the health check
        shows what good and poor look like beside them)."""
        return questions

    def show_profile(self, *, already: bool = False) -> None:
        again = W.Button(description=_("Change my answers for this round"),
                         tooltip=_("Answer again; your new answers replace these for this "
                                   "round"))
        again.on_click(self._again)
        note = "<p>" + html.escape(
            _("You have already answered in this round. Here is your profile.") if already
            else _("Thank you: your answers are saved. Here is your profile.")) + "</p>"
        parts = [W.HTML(note)]
        if not already and getattr(self.visitor.participant, "group_id", None) is not None:
            from kit.apps.membership import MembershipCheck

            parts.append(MembershipCheck(self.store, self.participant_id))
        self.area.children = (*parts, ProfileView(self.store, self.participant_id,
                                                  self.framework), again)

    # -- callbacks ------------------------------------------------------------------------
    @safe_callback
    def _answer(self, item_id, value) -> None:
        self.model.set_answer(item_id, value)
        # every choice is kept as a draft at once: leaving the page loses nothing
        self.model.save_draft()
        if item_id in self.items:
            self.items[item_id].mark_missing(False)
        self._show_count()

    @safe_callback
    def _importance(self, dimension_id, value) -> None:
        self.model.set_importance(dimension_id, value)
        self.model.save_draft()
        self._show_count()

    @safe_callback
    def _then(self, dimension_id, value) -> None:
        self.model.set_then(dimension_id, value)
        self.model.save_draft()

    def _show_count(self) -> None:
        """"3 of 4 answered" for the step on screen."""
        done, total = self.model.step_progress()
        text = html.escape(_("{answered} answered on this step")).format(
            answered="<strong>" + html.escape(_("{done} of {total}").format(
                done=done, total=total)) + "</strong>")
        self.count.value = f"<p class='kit-step-count' aria-live='polite'>{text}</p>"

    @safe_callback
    def _back(self) -> None:
        self.messages.clear()
        self._warned_step = None
        self.model.back()
        self.render_step()

    @safe_callback
    def _next(self) -> None:
        self.messages.clear()
        if not self.model.is_last:
            gaps = self.model.step_missing()
            if gaps and self._warned_step != self.model.step:
                # Never skipped silently: say what is left here; a second Next leaves it.
                self._warned_step = self.model.step
                for item in self.model.dimension.items:
                    if item.required and item.id not in self.model.answers:
                        self.items[item.id].mark_missing(True)
                self.messages.warning(
                    _("Still to answer on this step (press Next again to leave them for "
                      "now and come back later):"), items=gaps)
                return
            self._warned_step = None
            self.model.next()
            self.render_step()
            return
        self.model.save_draft()
        try:
            self.model.submit()
        except Incomplete as exc:
            step = self.model.first_missing_step()
            if step is not None:
                self.model.step = step
                self.render_step()
                for item in self.model.dimension.items:
                    if item.required and item.id not in self.model.answers:
                        self.items[item.id].mark_missing(True)
            self.messages.warning(str(exc), items=self.model.missing_by_step())
            return
        self.messages.success(_(self.saved_message))
        self.show_profile()

    @safe_callback
    def _again(self, _button=None) -> None:
        self.model, prefill = self.model.answer_again()
        self.show_form(prefill=prefill)
