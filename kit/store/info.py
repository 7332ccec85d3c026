"""Plain read-only records the store hands back. No database objects leak out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kit.content.choices import (
    COMMITMENT_STATUS_LABELS,
    COMMITMENT_STATUSES,
    ROLE_LEVELS,
    SECTORS,
)
from kit.content.models import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK

__all__ = [
    "CreatedCohort",
    "GroupInfo",
    "RoundInfo",
    "CohortInfo",
    "ParticipantInfo",
    "JoinedParticipant",
    "SubmissionInfo",
    "ReflectionInfo",
    "CommitmentInfo",
    "RelationshipInfo",
    "COMMITMENT_STATUSES",
    "COMMITMENT_STATUS_LABELS",
    "CONTACT_FREQUENCIES",
    "SECTORS",
    "ROLE_LEVELS",
    "DEFAULT_SELF_FRAMEWORK",
    "DEFAULT_TEAM_FRAMEWORK",
]

#: Allowed contact frequencies for a relationship, most to least often.
CONTACT_FREQUENCIES = ("weekly", "monthly", "quarterly", "rarely")
#: Sectors a participant (joining) or a relationship (partnership map) may belong to: one list
#: for both, so the dashboard's breakdown and the map speak the same words.
# The frameworks a cohort uses when it names none (the shipped ones): DEFAULT_SELF_FRAMEWORK
# and DEFAULT_TEAM_FRAMEWORK, defined in kit.content.models and imported above.


@dataclass(frozen=True)
class CreatedCohort:
    """What ``create_cohort`` returns. The codes are only ever shown here, in plaintext."""

    cohort_id: int
    name: str
    facilitator_key: str
    join_codes: dict[str, str]  # group name -> join code


@dataclass(frozen=True)
class GroupInfo:
    id: int
    name: str


@dataclass(frozen=True)
class RoundInfo:
    """A round and where it stands: ``state`` is "not open", "open" or "closed".

    A new round is not open yet: everyone who joins is counted. Opening fixes who counts
    (people who had joined by then). Closing publishes its results, which are final.
    """

    id: int
    name: str
    position: int
    is_open: bool
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None

    @property
    def state(self) -> str:
        """"open", "closed" (opened once, now closed: final) or "not open" (not yet opened)."""
        if self.is_open:
            return "open"
        return "closed" if self.opened_at is not None else "not open"


@dataclass(frozen=True)
class CohortInfo:
    id: int
    name: str
    created_at: dt.datetime
    groups: tuple[GroupInfo, ...]
    rounds: tuple[RoundInfo, ...]
    frameworks: tuple[str, ...] = ()
    #: partner organisations offered when someone joins (plus "Other")
    organisations: tuple[str, ...] = ()
    #: the self-assessment and the team health check this cohort answers
    self_framework: str = DEFAULT_SELF_FRAMEWORK
    team_framework: str = DEFAULT_TEAM_FRAMEWORK

    @property
    def open_round(self) -> RoundInfo | None:
        """The round open for answers, or ``None``."""
        return next((r for r in self.rounds if r.is_open), None)

    def group(self, name: str) -> GroupInfo:
        """The group called ``name``; raises ``KeyError`` naming the groups there are."""
        for g in self.groups:
            if g.name == name:
                return g
        raise KeyError(
            f"cohort {self.name!r} has no group {name!r}; groups: {[g.name for g in self.groups]}"
        )

    def round(self, name: str) -> RoundInfo:
        """The round called ``name``; raises ``KeyError`` naming the rounds there are."""
        for r in self.rounds:
            if r.name == name:
                return r
        raise KeyError(
            f"cohort {self.name!r} has no round {name!r}; rounds: {[r.name for r in self.rounds]}"
        )


@dataclass(frozen=True)
class ParticipantInfo:
    id: int
    cohort_id: int | None
    group_id: int | None
    display_name: str | None
    organisation: str | None
    sector: str | None
    role_level: str | None
    hub_user: str | None = None


@dataclass(frozen=True)
class JoinedParticipant:
    """What ``join`` returns: the only time the resume code is known in plaintext."""

    id: int
    resume_code: str
    cohort_id: int | None
    group_id: int | None


@dataclass(frozen=True)
class SubmissionInfo:
    id: int
    participant_id: int
    framework_id: str
    round_id: int | None
    key: str
    revision: int
    submitted_at: dt.datetime
    superseded: bool = False
    #: True when this key had been submitted before and the earlier record came back.
    replayed: bool = False
    #: True when the answers were the same as the current submission's: nothing new was
    #: saved (the current submission came back), so an unchanged resubmission is no change.
    unchanged: bool = False


@dataclass(frozen=True)
class ReflectionInfo:
    id: int
    exercise_id: str
    answers: dict[str, str]
    created_at: dt.datetime
    updated_at: dt.datetime
    finished: bool
    include_in_report: bool
    #: the writer agreed to pool the shared step's answer, unattributed, with their group
    shared: bool = False
    #: the commitment this entry reviews ("reviewing a commitment"), or ``None``
    commitment_id: int | None = None


@dataclass(frozen=True)
class CommitmentInfo:
    id: int
    text: str
    dimension_id: str | None
    due: dt.date | None
    status: str
    review_note: str | None
    reviewed_at: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True)
class RelationshipInfo:
    id: int
    label: str
    organisation: str | None
    sector: str | None
    contact: str
    strength: int
    trust: int
    last_contact: dt.date | None = None
    created_at: dt.datetime | None = field(default=None, compare=False)
    updated_at: dt.datetime | None = field(default=None, compare=False)
