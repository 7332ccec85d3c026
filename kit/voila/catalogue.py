"""The apps that ``kit serve`` lists on its landing page, and how many kernels each keeps warm.

One place for each app's title, description, audience and preheated pool size. ``kit serve``
passes the catalogue to the Voila template (``tree.html``) through
``VoilaConfiguration.extension_config``, and sizes the kernel pools from it.

Examples
--------
>>> from kit.voila.catalogue import APPS, app_for
>>> app_for("01_self_assessment.ipynb").title
'Self-assessment'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kit.i18n import N_, _, html_lang

__all__ = ["AppEntry", "Audience", "APPS", "AUDIENCES", "app_for", "landing_config"]


@dataclass(frozen=True)
class Audience:
    """A group of readers that the landing page addresses in its own section."""

    id: str
    title: str
    description: str


@dataclass(frozen=True)
class AppEntry:
    """One app notebook as the landing page shows it.

    Parameters
    ----------
    notebook : str
        File name inside the served folder, e.g. ``"01_self_assessment.ipynb"``.
    title, description : str
        Shown on the landing page.
    audience : str
        An :class:`Audience` id.
    pool_size : int
        Kernels kept started and run up to the visitor's arrival (``kit serve`` default).
    """

    notebook: str
    title: str
    description: str
    audience: str
    pool_size: int = 1


AUDIENCES: tuple[Audience, ...] = (
    Audience(
        "participants",
        N_("For participants"),
        N_("Begin with Start here. Your answers are saved as you go, and you can come back "
        "with your resume code from any browser."),
    ),
    Audience(
        "facilitators",
        N_("For facilitators"),
        N_("Opens with your cohort's facilitator key. Scores are only ever shown for groups "
        "large enough to keep individuals anonymous."),
    ),
)

APPS: tuple[AppEntry, ...] = (
    AppEntry(
        "00_start_here.ipynb",
        N_("Start here"),
        N_("What the kit is for, a short tour of the collaboration behaviours, and joining "
        "your cohort with a join code or coming back with your resume code."),
        "participants",
        pool_size=2,
    ),
    AppEntry(
        "01_self_assessment.ipynb",
        N_("Self-assessment"),
        N_("Rate how often you show each collaboration behaviour, one area at a time, then "
        "see your profile: strengths, priorities and change since last time."),
        "participants",
        pool_size=2,
    ),
    AppEntry(
        "02_reflection_journal.ipynb",
        N_("Reflection journal"),
        N_("Work through a guided reflection one prompt at a time, save drafts, and read "
        "your earlier entries."),
        "participants",
    ),
    AppEntry(
        "03_partnership_map.ipynb",
        N_("Partnership map"),
        N_("Map the people and organisations you work with, and see which ties are strong, "
        "which are weak and who you have not spoken to lately."),
        "participants",
    ),
    AppEntry(
        "04_action_plan.ipynb",
        N_("Action plan"),
        N_("Make commitments linked to a behaviour, give each a date, and review the ones "
        "you made before."),
        "participants",
    ),
    AppEntry(
        "05_my_report.ipynb",
        N_("My report"),
        N_("Your profile, the reflections you chose and your commitments, as one file you "
        "can keep, print or share."),
        "participants",
    ),
    AppEntry(
        "06_my_data.ipynb",
        N_("My data"),
        N_("See everything the kit holds about you, download a copy, or erase it."),
        "participants",
    ),
    AppEntry(
        "07_health_check.ipynb",
        N_("Team health check"),
        N_("Rate how your partnership group is working together, area by area, with examples "
        "of what good and poor look like. The group sees combined results only."),
        "participants",
    ),
    AppEntry(
        "10_facilitator_dashboard.ipynb",
        N_("Facilitator dashboard"),
        N_("Group profiles, where members disagree, change over rounds and participation, "
        "with small groups protected."),
        "facilitators",
    ),
    AppEntry(
        "11_facilitator_setup.ipynb",
        N_("Facilitator set-up"),
        N_("Create a cohort with its groups, organisations, frameworks and rounds; open and "
        "close rounds; print each group's join code, link and QR code. Opens with the "
        "set-up key."),
        "facilitators",
    ),
)


def app_for(notebook: str) -> AppEntry:
    """The catalogue entry for a notebook file name.

    Raises
    ------
    KeyError
        Naming the notebook and listing the known ones.
    """
    for app in APPS:
        if app.notebook == notebook:
            return app
    known = ", ".join(a.notebook for a in APPS)
    raise KeyError(f"{notebook!r} is not in the app catalogue (kit/voila/catalogue.py); known: {known}")


def landing_config() -> dict:
    """The catalogue as plain data for the landing page template (JSON-serialisable), in the
    server's default language."""
    def translated(entry) -> dict:
        return asdict(entry) | {"title": _(entry.title), "description": _(entry.description)}

    return {
        "lede": _("Learning and reflection for leaders who work in partnership across "
                  "public services."),
        "audiences": [translated(a) for a in AUDIENCES],
        "apps": [translated(a) for a in APPS],
        # the landing page's own words, in the server's default language (KIT_LANGUAGE)
        "strings": {
            "title": _("Partnering Kit"),
            "other": _("Other notebooks"),
            "noscript": _("The apps need JavaScript. Please turn it on in your browser and "
                          "reload."),
        },
        "lang": html_lang(),
    }
