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
        "For participants",
        "Begin with Start here. Your answers are saved as you go, and you can come back "
        "with your resume code from any browser.",
    ),
    Audience(
        "facilitators",
        "For facilitators",
        "Opens with your cohort's facilitator key. Scores are only ever shown for groups "
        "large enough to keep individuals anonymous.",
    ),
)

APPS: tuple[AppEntry, ...] = (
    AppEntry(
        "00_start_here.ipynb",
        "Start here",
        "What the kit is for, a short tour of the collaboration behaviours, and joining "
        "your cohort with a join code or coming back with your resume code.",
        "participants",
        pool_size=2,
    ),
    AppEntry(
        "01_self_assessment.ipynb",
        "Self-assessment",
        "Rate how often you show each collaboration behaviour, one area at a time, then "
        "see your profile: strengths, priorities and change since last time.",
        "participants",
        pool_size=2,
    ),
    AppEntry(
        "02_reflection_journal.ipynb",
        "Reflection journal",
        "Work through a guided reflection one prompt at a time, save drafts, and read "
        "your earlier entries.",
        "participants",
    ),
    AppEntry(
        "03_partnership_map.ipynb",
        "Partnership map",
        "Map the people and organisations you work with, and see which ties are strong, "
        "which are weak and who you have not spoken to lately.",
        "participants",
    ),
    AppEntry(
        "04_action_plan.ipynb",
        "Action plan",
        "Make commitments linked to a behaviour, give each a date, and review the ones "
        "you made before.",
        "participants",
    ),
    AppEntry(
        "05_my_report.ipynb",
        "My report",
        "Your profile, the reflections you chose and your commitments, as one file you "
        "can keep, print or share.",
        "participants",
    ),
    AppEntry(
        "06_my_data.ipynb",
        "My data",
        "See everything the kit holds about you, download a copy, or erase it.",
        "participants",
    ),
    AppEntry(
        "07_health_check.ipynb",
        "Team health check",
        "Rate how your partnership group is working together, area by area, with examples "
        "of what good and poor look like. The group sees combined results only.",
        "participants",
    ),
    AppEntry(
        "10_facilitator_dashboard.ipynb",
        "Facilitator dashboard",
        "Group profiles, where members disagree, change over rounds and participation, "
        "with small groups protected.",
        "facilitators",
    ),
    AppEntry(
        "11_facilitator_setup.ipynb",
        "Facilitator set-up",
        "Create a cohort with its groups, organisations, frameworks and rounds; open and "
        "close rounds; print each group's join code, link and QR code. Opens with the "
        "set-up key.",
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
    """The catalogue as plain data for the landing page template (JSON-serialisable)."""
    return {
        "lede": "Learning and reflection for leaders who work in partnership across "
        "public services.",
        "audiences": [asdict(a) for a in AUDIENCES],
        "apps": [asdict(a) for a in APPS],
    }
