"""The database: everything participants enter, through SQLAlchemy 2.

SQLite by default (WAL, write lock taken up front, retried when busy), PostgreSQL for cohorts
on a shared server. Migrations run on open. See ``docs/storage.md``.

Examples
--------
>>> from kit.store import Store
>>> with Store("sqlite:///:memory:") as store:
...     created = store.create_cohort("Demo", groups=["A"], rounds=["Baseline"])
...     store.current_round(created.cohort_id).name
'Baseline'
"""

from kit.store._bulk import BulkResponse, BulkResult
from kit.store._group_steps import MAX_GROUP_STEP, GroupStep
from kit.store._rights import purge_cutoff
from kit.store.errors import (
    CodeError,
    InvalidResponse,
    NotFound,
    ResponseProblem,
    RoundClosed,
    RoundStateError,
    StoreBusy,
    StoreError,
)
from kit.store.info import (
    COMMITMENT_STATUS_LABELS,
    COMMITMENT_STATUSES,
    CONTACT_FREQUENCIES,
    DEFAULT_SELF_FRAMEWORK,
    DEFAULT_TEAM_FRAMEWORK,
    ROLE_LEVELS,
    SECTORS,
    CohortInfo,
    CommitmentInfo,
    CreatedCohort,
    GroupInfo,
    JoinedParticipant,
    ParticipantInfo,
    ReflectionInfo,
    RelationshipInfo,
    RoundInfo,
    SubmissionInfo,
)
from kit.store.store import Store

__all__ = [
    "Store",
    "StoreError",
    "NotFound",
    "RoundClosed",
    "RoundStateError",
    "InvalidResponse",
    "ResponseProblem",
    "CodeError",
    "StoreBusy",
    "CreatedCohort",
    "CohortInfo",
    "GroupInfo",
    "RoundInfo",
    "ParticipantInfo",
    "JoinedParticipant",
    "SubmissionInfo",
    "BulkResponse",
    "BulkResult",
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
    "GroupStep",
    "MAX_GROUP_STEP",
    "purge_cutoff",
]
