"""The demo's cast and script: the cohort's names, the partner organisations, the words its
people write, and :class:`DemoCodes`. Plain data; :mod:`kit.demo` re-exports the public names."""

from __future__ import annotations

from collections import namedtuple

from kit.content.models import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK

__all__ = [
    "DEMO_COHORT",
    "DEMO_GROUPS",
    "DEMO_ROUNDS",
    "COLLAB",
    "HEALTH",
    "SHARED_EXERCISE",
    "ORGANISATIONS",
    "ROLE_LEVELS",
    "DemoCodes",
    "PROMPT_ANSWERS",
    "COMMITMENTS",
    "RELATIONSHIPS",
]

DEMO_COHORT = "Demo cohort"
DEMO_GROUPS = ("North", "Central", "South")
DEMO_ROUNDS = ("Baseline", "Midpoint", "End")
COLLAB = DEFAULT_SELF_FRAMEWORK
HEALTH = DEFAULT_TEAM_FRAMEWORK
SHARED_EXERCISE = ("what-will-i-do-monday", "monday")

#: (organisation, sector) of the demo's partner organisations.
ORGANISATIONS = (
    ("Northshire NHS Foundation Trust", "NHS and health"),
    ("Northshire County Council", "Local council"),
    ("Northshire Police", "Police and justice"),
    ("Northshire Voluntary Action", "Voluntary and community"),
    ("Riverside Housing Association", "Housing"),
    ("Northshire Integrated Care Board", "NHS and health"),
)
ROLE_LEVELS = ("Senior leader", "Service manager", "Team leader")


class DemoCodes(namedtuple(
    "DemoCodes", "join_code resume_code facilitator_key cohort_id participant_id join_codes",
    defaults=((),),
)):
    """The codes that open the demo: the join code for group North, the demo participant's
    resume code and the facilitator key, with the ids they belong to (``join_codes`` holds
    ``(group, code)`` pairs for every group)."""

    __slots__ = ()


#: The demo's shared answers to the Monday prompt, one per member until they run out.
PROMPT_ANSWERS = (
    "Ring the housing officer I keep emailing and ask for twenty minutes over coffee.",
    "Stop sending my deputy to the joint panel and go myself for the next three meetings.",
    "Ask the police inspector what a good week looks like for her team, and listen.",
    "Share our waiting-list data with the council before they ask for it.",
    "Spend a morning at the voluntary sector hub instead of inviting them to our building.",
    "Name the budget problem out loud at the partnership board instead of working round it.",
    "Book a walk-through of a family's journey with colleagues from three agencies.",
    "Invite a frontline social worker to co-chair our next planning session.",
    "Write down the three 'comfort blankets' I reach for when a meeting gets tense.",
    "Ask the charity lead what we do that makes her job harder, and act on one thing.",
    "Agree one shared measure with the trust that we both report on.",
    "Introduce two of my team to their opposite numbers in the council.",
)

#: The demo participant's commitments: (text, dimension, due in days, status).
COMMITMENTS = (
    ("Meet the council's early help lead in person before the next board.", "getting-to-know-people", -14, "open"),
    ("Raise the split budget openly at the partnership board and propose one pooled pilot.", "working-through-split-systems", 21, "in_progress"),
    ("Spend half a day each month in a partner's building.", "showing-up-in-partners-spaces", 45, "open"),
)

#: The demo participant's partnership map: (label, organisation, sector, contact, strength,
#: trust).
RELATIONSHIPS = (
    ("Early help lead", "Northshire County Council", "Local council", "monthly", 3, 4),
    ("Neighbourhood inspector", "Northshire Police", "Police and justice", "quarterly", 2, 3),
    ("Hub coordinator", "Northshire Voluntary Action", "Voluntary and community", "weekly", 4, 5),
    ("Tenancy sustainment manager", "Riverside Housing Association", "Housing", "rarely", 1, 2),
    ("Place-based partnership director", "Northshire Integrated Care Board", "NHS and health", "monthly", 3, 3),
    ("Community mental health lead", "Northshire NHS Foundation Trust", "NHS and health", "weekly", 5, 4),
)
