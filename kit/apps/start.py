"""Start here: what the kit is for, a tour of the behaviours, signing in, and the apps."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps._base import ParticipantApp, app_link, apply_language
from kit.apps.signin import SignInPanel
from kit.content import load_framework
from kit.forms import Collapsible, LanguagePicker, collapsible_html, safe_callback
from kit.i18n import N_, _, format_date, ngettext

__all__ = ["StartApp", "APP_PAGES", "WELCOME_HTML", "IDEA_HTML", "IDEA_SOURCE"]

#: The participant apps, in the order people usually use them.
APP_PAGES = (
    ("01_self_assessment.ipynb", N_("Self-assessment"),
     N_("rate how often you show each behaviour, then see your profile.")),
    ("02_reflection_journal.ipynb", N_("Reflection journal"),
     N_("think through a real moment, one question at a time.")),
    ("03_partnership_map.ipynb", N_("Partnership map"),
     N_("draw the web of people you work with, and spot the gaps.")),
    ("04_action_plan.ipynb", N_("Action plan"),
     N_("choose a few things to do differently, with dates.")),
    ("05_my_report.ipynb", N_("My report"), N_("everything above in one file to keep.")),
    ("06_my_data.ipynb", N_("My data"), N_("download or erase what you have entered, or change "
     "your organisation, sector and role level.")),
    ("07_health_check.ipynb", N_("Team health check"),
     N_("rate, with the others in your group, how your partnership is working.")),
)

WELCOME_HTML = N_("""
<p>Nobody running a public service can meet people's needs alone. Health, social care,
councils, police and voluntary groups all hold part of the picture, and the budgets, rules and
lines of accountability between them stay split however the structures are redrawn.</p>
<p>Where joint working does take root, the people involved tend to describe the same things:
they got to know each other, they talked, they turned up in each other's buildings, and they
let go of some of the habits that kept them apart. In other words, what made the difference was
<em>how</em> they worked together, and that comes down to the choices individuals make every
week.</p>
<p>This kit is a private space to look at those choices in your own work. You rate how often
you showed each behaviour recently, reflect on real moments, map your relationships across
organisations, and set yourself a few commitments. Nothing you enter is shown to anyone as
yours: if you are part of a group, your facilitator only ever sees combined results from
enough people that nobody can be picked out.</p>
""")


#: One line naming where the argument below comes from.
IDEA_SOURCE = N_("The argument on this page follows a blog post by Claire and Simon, \u201cPutting "
               "people into partnerships\u201d (June 2017), retold in the kit's own words.")

#: "The idea behind the kit": the source's argument, in the kit's own words.
IDEA_HTML = N_("""
<ul class='kit-idea'>
<li><strong>Everything else rests on it.</strong> Joined-up care, early help, community safety:
almost every improvement public services attempt depends on organisations working together.
When partnership working fails, the rest tends to fail with it.</li>
<li><strong>The structures are the same everywhere.</strong> Split budgets, separate regulators
and blurred accountability are found in the places that make progress and in the places that
do not. No restructure removes them, and no national instruction alone changes how people
work together.</li>
<li><strong>What differs is behaviour.</strong> Where joint working takes hold, people talk
about relationships, getting to know each other, working side by side, conversations and
change that starts from the ground up: <em>how</em> they work, not <em>what</em> they do.
Changing behaviour is harder than reorganising, which is why it is so often skipped.</li>
<li><strong>Leaders at every level, and none of them "better".</strong> The people who make it
work are found at every grade. They are not better than their colleagues; they have understood
something and act on it.</li>
<li><strong>Collaboration has its own rules.</strong> It is a human process, and it does not
run on the rules of task-led management, where work is divided up, assigned and checked. It
runs on trust, attention and people feeling connected to each other and to what they are
trying to achieve, rather than to the comfort of custom, habit and fixed identity.</li>
<li><strong>Real connection is hard and takes time.</strong> Getting to know people across
organisations well enough to work differently is among the hardest things any of us does. It
is slow, and that time is part of the work, not a distraction from it.</li>
</ul>
""")


class StartApp(ParticipantApp):
    """The first page: a welcome, a tour of the framework, sign-in, and links to every app."""

    app_title = N_("Start here")
    framework_lens = "self"
    notebook = "00_start_here.ipynb"

    def __init__(self, store, visitor=None, *, framework=None, **kwargs):
        self._init_framework(framework)
        self.welcome = W.HTML(_(WELCOME_HTML))
        self.idea = self._idea()
        self.tour = self._tour()
        super().__init__(store, visitor, **kwargs)

    def __repr__(self) -> str:
        return f"<Start here: {self.framework.id}, {len(self.framework.dimensions)} areas>"

    @staticmethod
    def _idea() -> W.Widget:
        """A short page setting out the argument the kit is built on."""
        body = (_(IDEA_HTML) + "<p class='kit-source'><small>"
                + html.escape(_(IDEA_SOURCE)) + "</small></p>")
        return Collapsible(_("The idea behind the kit"), body)

    def _tour(self) -> W.Widget:
        not_label = html.escape(_("What it is not:"))
        acc = W.HTML("".join(
            collapsible_html(d.title, f"<p>{html.escape(d.why)}</p>"
                             + (f"<p class='kit-not'><em>{not_label}</em> "
                                f"{html.escape(d.what_it_is_not)}</p>"
                                if d.what_it_is_not else ""))
            for d in self.framework.dimensions))
        acc.add_class("kit-tour")
        n = len(self.framework.dimensions)
        intro = W.HTML("<h2>" + html.escape(ngettext("A short tour: the {n} area",
                                                     "A short tour: the {n} areas", n).format(n=n))
                       + "</h2><p>"
                       + html.escape(_("Open any area to read why it matters and what it is "
                                       "not.")) + "</p>")
        return W.VBox([intro, acc])

    def show_sign_in(self) -> None:
        self.content.children = (
            self.welcome, self.idea, self.tour,
            W.HTML("<h2>" + html.escape(_("Getting started")) + "</h2>"),
            SignInPanel(self.store, self.signed_in, offer_remember=True),
        )

    def build(self, visitor) -> list:
        self.tour = self._tour()  # the cohort's own framework, now that it is known
        name = getattr(visitor.participant, "display_name", None)
        hello = (html.escape(_("Welcome, {name}.")).format(name=html.escape(name)) if name
                 else html.escape(_("Welcome.")))
        how = {
            "hub": N_("You are signed in through your organisation's Jupyter service."),
            "cookie": N_("This browser remembered your resume code."),
            "demo": N_("You are looking at the demonstration participant's work."),
            "join": N_("You have joined your group."),
            "resume": N_("Your own work is open again."),
            "private": N_("You are working privately on this computer, outside any group."),
        }.get(visitor.how, "")
        how = _(how) if how else ""
        links = "".join("<li>" + app_link(nb, _(title)) + ": " + html.escape(_(what)) + "</li>"
                        for nb, title, what in APP_PAGES)
        reviews = self._due_reviews_html(visitor.participant_id)
        self.language = LanguagePicker(self._language_picked)
        where = W.HTML(f"<h2>{hello}</h2><p>{html.escape(how)}</p>"
                       "<h2>" + html.escape(_("Where to go next")) + "</h2><p>"
                       + html.escape(_("Most people begin with the self-assessment, then come "
                                       "back to the others over the following weeks."))
                       + f"</p><ol>{links}</ol>")
        parts = [self.language, self.welcome, self.idea, self.tour, where]
        if reviews:
            parts.insert(4, W.HTML(reviews))
        participant = visitor.participant
        if getattr(participant, "group_id", None) is not None:
            from kit.apps.membership import MembershipCheck

            parts.insert(-1, MembershipCheck(self.store, participant.id))
        return parts

    def _due_reviews_html(self, participant_id: int) -> str:
        """The commitments whose due date has come, each with its review link ("" if none)."""
        from kit.apps.links import review_commitment_link
        from kit.apps.start_model import reviews_due
        from kit.config import get_settings

        due = reviews_due(self.store, participant_id, get_settings().today)
        if not due:
            return ""
        items = "".join(
            "<li>" + html.escape(c.text) + " <small>("
            + html.escape(_("due {date}").format(date=format_date(c.due))) + ")</small> "
            + f"<a href='{html.escape(review_commitment_link(c.id))}'>"
            + html.escape(_("Review it")) + "</a></li>" for c in due)
        return ("<div class='kit-due-reviews'><h2>" + html.escape(_("Reviews due")) + "</h2><p>"
                + html.escape(_("These commitments have reached their date. Whatever happened, "
                                "a short review closes the loop: what you did, what came of "
                                "it, what next.")) + f"</p><ul>{items}</ul></div>")

    @safe_callback
    def _language_picked(self, code: str) -> None:
        """Remember the person's language, then redraw this page in it (other apps open in it
        from now on)."""
        from kit.apps.start_model import remember_language

        remember_language(self.store, self.visitor.participant_id, code)
        apply_language(self.store, self.visitor)
        self.framework = load_framework(self.framework.id)  # its texts in the new language
        self.welcome = W.HTML(_(WELCOME_HTML))
        self.tour = self._tour()
        self.signed_in(self.visitor)


def membership_sentence(store, participant) -> str:
    """What a member reads about their own group's count, as HTML (no names): see
    :mod:`kit.apps.membership`, whose :class:`~kit.apps.membership.MembershipCheck` adds the
    "This does not match my group" button."""
    from kit.apps.membership_model import membership_info, membership_text

    pid = getattr(participant, "id", None)
    if pid is None or getattr(participant, "group_id", None) is None:
        return ""
    text = membership_text(membership_info(store, pid))
    return f'<p class="kit-membership">{html.escape(text)}</p>' if text else ""
