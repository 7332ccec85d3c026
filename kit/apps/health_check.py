"""The team health check: members rate how their partnership group is working, together.

Each member answers the cohort's team framework (``CohortInfo.team_framework``, the shipped
``partnership-health-check`` by default) about their own partnership group, one area at a
time, on the framework's scale with its "Don't know" choice. Where the framework describes
what an area looks like when it goes well and when it goes badly, those examples are shown
beside the questions. The group's combined results appear in the facilitator dashboard's
health-check view, with the trend between rounds, once enough members have answered.

The form, drafts and submission are the self-assessment's (:class:`SelfAssessmentModel` is
framework-agnostic); only what is shown differs.
"""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps.self_assessment import SelfAssessmentApp
from kit.i18n import N_, _

__all__ = ["HealthCheckApp", "examples_html"]


def examples_html(dim) -> str:
    """The "what good looks like / what poor looks like" panel of a dimension ("" if none)."""
    parts = []
    if dim.good_looks_like:
        good = html.escape(_("What good looks like"))
        parts.append(f"<div class='kit-example-good'><h4>{good}</h4>"
                     f"<p>{html.escape(dim.good_looks_like)}</p></div>")
    if dim.poor_looks_like:
        poor = html.escape(_("What poor looks like"))
        parts.append(f"<div class='kit-example-poor'><h4>{poor}</h4>"
                     f"<p>{html.escape(dim.poor_looks_like)}</p></div>")
    if not parts:
        return ""
    label = html.escape(_("Examples for {area}").format(area=dim.title))
    return (f"<aside class='kit-examples' aria-label='{label}'>"
            + "".join(parts) + "</aside>")


class HealthCheckApp(SelfAssessmentApp):
    """The partnership health check for the visitor's own group.

    Examples
    --------
    >>> HealthCheckApp.from_environment()   # doctest: +SKIP
    """

    app_title = N_("Team health check")
    notebook = "07_health_check.ipynb"
    saved_message = N_("Your health check is saved. Thank you.")
    framework_lens = "team"

    def __repr__(self) -> str:
        return f"<Team health check: {self.framework.id}, {len(self.framework.dimensions)} areas>"

    def build(self, visitor) -> list:
        parts = super().build(visitor)
        group = self._group_name(visitor.participant)
        about = (_("You are answering about your partnership group, {group}: how <em>we</em> "
                   "work together, not how you do on your own.").format(
                       group=f"<strong>{html.escape(group)}</strong>") if group else
                 html.escape(_("You are not part of a partnership group, so your answers stay "
                               "private to you.")))
        never = html.escape(_("Your own answers are never shown to anyone; the group sees "
                              "combined results only."))
        self.intro.value = (f"<p>{html.escape(self.framework.description)}</p><p>{about} "
                            f"{never}</p>")
        self.results = W.VBox(self.group_results_parts())
        self.results.add_class("kit-group-results")
        return [*parts, self.results]

    def group_results_parts(self) -> list:
        """The visitor's own group's published results (what the facilitator's health-check
        view shows for that group, nothing more), or [] before any round is published.

        Shown here, under the questions they answered, rather than on Start here: members
        read their group's results beside the same areas and examples they rated, and
        answering again next round is one step away.
        """
        from kit.apps.health_check_model import group_results

        found = group_results(self.store, self.visitor.participant, self.framework)
        if found is None:
            return []
        from kit.charts.display import chart_widget
        from kit.charts.team_rounds import health_chart

        heading = html.escape(_("Your group's published results: {group}").format(
            group=found.group))
        note = html.escape(_(
            "These are the combined results of {group} for the rounds that have closed, exactly "
            "as the facilitator sees them. Nobody's own answers are shown; an area with too few "
            "answers, or that could let someone's answers be worked out, is withheld and says "
            "why.").format(group=found.group))
        chart = health_chart(found.table, self.framework, title=_(
            "Partnership health check: {group}").format(group=found.group))
        parts = [W.HTML(f"<h2>{heading}</h2><p>{note}</p>"), chart_widget(chart, heading_level=3)]
        if found.votes is not None:
            from kit.charts.team_health import trend_votes_chart

            parts.append(chart_widget(trend_votes_chart(found.votes, self.framework,
                                                        scope=found.group,
                                                        round=found.rounds[-1]),
                                      heading_level=3))
        return parts

    def _group_name(self, participant) -> str | None:
        from kit.apps.health_check_model import group_name

        return group_name(self.store, participant)

    def trend_question(self, dim) -> W.Widget:
        """The optional "better, the same or worse since last time?" for one area."""
        from kit.analysis.health import TREND_ANSWERS

        # "First time, or I don't know" is stored as None; in the widget it needs a value of
        # its own (a choice whose value is None shows as nothing chosen).
        unknown = "unknown"
        options = [(_(label), value) for value, _id, label in TREND_ANSWERS]
        options.append((_("First time, or I don't know"), unknown))
        current = self.model.trends.get(dim.id, ...) if self.model is not None else ...
        current = unknown if current is None else current
        pick = W.RadioButtons(options=options, layout=W.Layout(width="auto"))
        pick.index = (None if current is ... else
                      next(i for i, (_label, v) in enumerate(options) if v == current))
        pick.add_class("kit-trend-question")

        def changed(change, dim_id=dim.id):
            if self.model is None or change["name"] != "index":
                return
            value = ... if change["new"] is None else options[change["new"]][1]
            value = None if value == unknown else value
            self.model.set_trend(dim_id, value)
            self.model.save_draft()  # kept at once, as every rating is: a reload loses nothing

        pick.observe(changed, names="index")
        label = html.escape(_("Is \u201c{area}\u201d better, the same or worse than last "
                              "time? (Optional)").format(area=dim.title))
        return W.VBox([W.HTML(f"<p class='kit-trend-label'><strong>{label}</strong></p>"), pick])

    def step_body(self, dim, questions: list) -> list:
        questions = [*questions, self.trend_question(dim)]
        panel = examples_html(dim)
        if not panel:
            return questions
        left = W.VBox(questions, layout=W.Layout(flex="2 1 20em", min_width="0"))
        right = W.HTML(panel, layout=W.Layout(flex="1 1 14em", min_width="0"))
        box = W.HBox([left, right], layout=W.Layout(flex_flow="row wrap", width="100%"))
        box.add_class("kit-step-with-examples")
        return [box]

    def show_profile(self, *, already: bool = False) -> None:
        again = W.Button(description=_("Change my answers for this round"),
                         tooltip=_("Answer again; your new answers replace these for this "
                                   "round"),
                         layout=W.Layout(width="auto"))
        again.on_click(self._again)
        note = (_("You have already answered the health check in this round.") if already
                else _("Thank you: your answers are saved."))
        where = _("Your group's combined results are published when the round closes, if "
                  "enough members have answered: the facilitator sees them on the dashboard "
                  "and you will find them on this page.")
        parts = [W.HTML("<p>" + html.escape(note) + " " + html.escape(where) + "</p>")]
        if not already and getattr(self.visitor.participant, "group_id", None) is not None:
            from kit.apps.membership import MembershipCheck

            parts.append(MembershipCheck(self.store, self.participant_id))
        self.area.children = (*parts, again)
