"""Start here: what the kit is for, a tour of the behaviours, signing in, and the apps."""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps._base import ParticipantApp, app_link, apply_language
from kit.apps.signin import SignInPanel
from kit.content import load_framework
from kit.forms import LanguagePicker, safe_callback

__all__ = ["StartApp", "APP_PAGES", "WELCOME_HTML", "IDEA_HTML", "IDEA_SOURCE"]

#: The participant apps, in the order people usually use them.
APP_PAGES = (
    ("01_self_assessment.ipynb", "Self-assessment",
     "rate how often you show each behaviour, then see your profile."),
    ("02_reflection_journal.ipynb", "Reflection journal",
     "think through a real moment, one question at a time."),
    ("03_partnership_map.ipynb", "Partnership map",
     "draw the web of people you work with, and spot the gaps."),
    ("04_action_plan.ipynb", "Action plan",
     "choose a few things to do differently, with dates."),
    ("05_my_report.ipynb", "My report", "everything above in one file to keep."),
    ("06_my_data.ipynb", "My data", "download or erase what you have entered, or change "
     "your organisation, sector and role level."),
    ("07_health_check.ipynb", "Team health check",
     "rate, with the others in your group, how your partnership is working."),
)

WELCOME_HTML = """
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
"""


#: One line naming where the argument below comes from.
IDEA_SOURCE = ("The argument on this page follows a blog post by Claire and Simon, \u201cPutting "
               "people into partnerships\u201d (June 2017), retold in the kit's own words.")

#: "The idea behind the kit": the source's argument, in the kit's own words.
IDEA_HTML = """
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
"""


class StartApp(ParticipantApp):
    """The first page: a welcome, a tour of the framework, sign-in, and links to every app."""

    app_title = "Start here"
    framework_lens = "self"
    notebook = "00_start_here.ipynb"

    def __init__(self, store, visitor=None, *, framework=None, **kwargs):
        self._init_framework(framework)
        self.welcome = W.HTML(WELCOME_HTML)
        self.idea = self._idea()
        self.tour = self._tour()
        super().__init__(store, visitor, **kwargs)

    def __repr__(self) -> str:
        return f"<Start here: {self.framework.id}, {len(self.framework.dimensions)} areas>"

    @staticmethod
    def _idea() -> W.Widget:
        """A short page setting out the argument the kit is built on."""
        body = W.HTML(IDEA_HTML + f"<p class='kit-source'><small>{html.escape(IDEA_SOURCE)}"
                      "</small></p>")
        acc = W.Accordion(children=[body])
        acc.set_title(0, "The idea behind the kit")
        acc.selected_index = None
        return acc

    def _tour(self) -> W.Widget:
        acc = W.Accordion(children=[
            W.HTML(f"<p>{html.escape(d.why)}</p>"
                   + (f"<p class='kit-not'><em>What it is not:</em> {html.escape(d.what_it_is_not)}</p>"
                      if d.what_it_is_not else ""))
            for d in self.framework.dimensions])
        for i, d in enumerate(self.framework.dimensions):
            acc.set_title(i, d.title)
        acc.selected_index = None
        intro = W.HTML(f"<h2>A short tour: the {len(self.framework.dimensions)} areas</h2>"
                       "<p>Open any area to read why it matters and what it is not.</p>")
        return W.VBox([intro, acc])

    def show_sign_in(self) -> None:
        self.content.children = (
            self.welcome, self.idea, self.tour,
            W.HTML("<h2>Getting started</h2>"),
            SignInPanel(self.store, self.signed_in, offer_remember=True),
        )

    def build(self, visitor) -> list:
        self.tour = self._tour()  # the cohort's own framework, now that it is known
        name = getattr(visitor.participant, "display_name", None)
        hello = f"Welcome, {html.escape(name)}." if name else "Welcome."
        how = {
            "hub": "You are signed in through your organisation's Jupyter service.",
            "cookie": "This browser remembered your resume code.",
            "demo": "You are looking at the demonstration participant's work.",
            "join": "You have joined your group.",
            "resume": "Your own work is open again.",
            "private": "You are working privately on this computer, outside any group.",
        }.get(visitor.how, "")
        links = "".join(f"<li>{app_link(nb, title)}: {html.escape(what)}</li>"
                        for nb, title, what in APP_PAGES)
        group = membership_sentence(self.store, visitor.participant)
        self.language = LanguagePicker(self._language_picked)
        where = W.HTML(f"<h2>{hello}</h2><p>{html.escape(how)}</p>{group}"
                       "<h2>Where to go next</h2><p>Most people begin with the self-assessment, "
                       f"then come back to the others over the following weeks.</p><ol>{links}</ol>")
        return [self.language, self.welcome, self.idea, self.tour, where]

    @safe_callback
    def _language_picked(self, code: str) -> None:
        """Remember the person's language, then redraw this page in it (other apps open in it
        from now on)."""
        self.store.set_participant_language(self.visitor.participant_id, code)
        apply_language(self.store, self.visitor)
        self.framework = load_framework(self.framework.id)  # its texts in the new language
        self.welcome = W.HTML(WELCOME_HTML)
        self.tour = self._tour()
        self.signed_in(self.visitor)


def membership_sentence(store, participant) -> str:
    """What a member sees about their own group, as HTML: its size, and how many joined after
    the round opened (padding a group with made-up members shows up here)."""
    pid = getattr(participant, "id", None)
    if pid is None or getattr(participant, "group_id", None) is None:
        return ""
    info = store.group_membership(pid)
    if not info:
        return ""
    text = f"Your group has {info['members']} member{'s' if info['members'] != 1 else ''}."
    if info["round"] and info["joined_after"]:
        text += (f" {info['joined_after']} joined after {info['round']} opened, so their answers "
                 "count from the next round.")
    if info["reopened_at"] is not None:
        text += (f" Your facilitator re-opened membership of {info['round']} on "
                 f"{info['reopened_at']:%d %B %Y}.")
    if not info["me_counted"]:
        text += (" You joined after this round opened: your answers are saved and count from "
                 "the next round.")
    return f'<p class="kit-membership">{html.escape(text)}</p>'
