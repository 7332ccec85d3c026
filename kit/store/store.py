"""The :class:`Store`: one front for everything the kit keeps, over small repositories.

Opening a :class:`Store` opens (and migrates) the database (:class:`~kit.store._base.Database`)
and builds one repository per part, kept on ``store.parts``. Each owns these tables and acts:

* ``cohorts`` - :class:`~kit.store._cohorts.CohortsRepository`: cohorts, groups, rounds
  (open, close), facilitator keys and join codes;
* ``participants`` - :class:`~kit.store._participants.ParticipantsRepository`: joining with a
  code, resume codes, hub users, people working on their own and their private rounds;
* ``responses`` - :class:`~kit.store._responses.ResponsesRepository`: validated, idempotent
  submissions, revisions and drafts;
* ``bulk`` - :class:`~kit.store._bulk.BulkRepository`: many people and responses in one
  transaction (the demo, ``kit import``);
* ``personal`` - :class:`~kit.store._personal.PersonalRepository`: reflections, commitments
  and relationships;
* ``frames`` - :class:`~kit.store._frames.FramesRepository`: the pandas tables the analysis
  reads (read only);
* ``exports`` - :class:`~kit.store._export.ExportsRepository`: a participant's data as a dict,
  JSON and CSV;
* ``rights`` - :class:`~kit.store._rights.RightsRepository`: erase, purge, compact, backup;
* ``membership`` - :class:`~kit.store._membership.MembershipRepository`: who each round counts,
  objections to the count, and the log of acts that change it;
* ``snapshots`` - :class:`~kit.store._snapshots.SnapshotsRepository`: published result
  snapshots and the versions they were planned on;
* ``texts`` - :class:`~kit.store._texts.SharedTextsRepository`: shared answers and their
  release in batches;
* ``language`` - :class:`~kit.store._language.LanguageRepository`: a cohort's default language
  and each person's choice;
* ``group_steps`` - :class:`~kit.store._group_steps.GroupStepsRepository`: the steps a group
  agreed in a session.

Every public method of a repository is also a method of the :class:`Store` with the same name,
signature and docstring, made from the table :data:`DELEGATED` below: ``store.join(...)`` calls
``store.parts.participants.join(...)``. To find a method, look its name up in
:data:`DELEGATED`, then open that repository. Transactions are public:
:meth:`Store.transaction` runs a piece of work in one write transaction, retried while the
database is busy, and :meth:`Store.reading` is a read-only transaction.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kit.store._base import Database
from kit.store._bulk import BulkRepository
from kit.store._cohorts import CohortsRepository
from kit.store._export import ExportsRepository
from kit.store._frames import FramesRepository
from kit.store._group_steps import GroupStepsRepository
from kit.store._language import LanguageRepository
from kit.store._membership import MembershipRepository
from kit.store._participants import ParticipantsRepository
from kit.store._personal import PersonalRepository
from kit.store._responses import ResponsesRepository
from kit.store._rights import RightsRepository
from kit.store._snapshots import SnapshotsRepository
from kit.store._texts import SharedTextsRepository

__all__ = ["Store", "StoreParts", "DELEGATED"]


@dataclass(frozen=True)
class StoreParts:
    """The store's repositories, one per part (``store.parts.cohorts`` and so on)."""

    cohorts: CohortsRepository
    participants: ParticipantsRepository
    responses: ResponsesRepository
    bulk: BulkRepository
    personal: PersonalRepository
    frames: FramesRepository
    exports: ExportsRepository
    rights: RightsRepository
    membership: MembershipRepository
    snapshots: SnapshotsRepository
    texts: SharedTextsRepository
    language: LanguageRepository
    group_steps: GroupStepsRepository

    @classmethod
    def build(cls, db: Database) -> StoreParts:
        cohorts = CohortsRepository(db)
        personal = PersonalRepository(db)
        return cls(
            cohorts=cohorts,
            participants=ParticipantsRepository(db),
            responses=ResponsesRepository(db),
            bulk=BulkRepository(db, cohorts),
            personal=personal,
            frames=FramesRepository(db),
            exports=ExportsRepository(db, personal),
            rights=RightsRepository(db),
            membership=MembershipRepository(db),
            snapshots=SnapshotsRepository(db),
            texts=SharedTextsRepository(db),
            language=LanguageRepository(db),
            group_steps=GroupStepsRepository(db, cohorts),
        )


#: Which repository answers each of the store's methods: ``{part: (repository class, names)}``.
DELEGATED: dict[str, tuple[type, tuple[str, ...]]] = {
    "cohorts": (CohortsRepository, (
        "create_cohort", "new_facilitator_key", "new_join_code", "extra_join_code",
        "join_code_counts", "cohort", "list_cohorts", "cohort_by_facilitator_key",
        "cohort_for_join_code", "rounds", "open_round", "close_round", "current_round",
    )),
    "participants": (ParticipantsRepository, (
        "participant", "join", "resume", "has_resume_code", "new_resume_code",
        "update_participant", "participant_for_hub_user", "private_participant",
        "new_private_participant", "private_round",
    )),
    "responses": (ResponsesRepository, (
        "submit_response", "list_submissions", "submission_answers", "submission_then",
        "answered_before", "latest_response", "save_draft", "load_draft", "load_draft_trends",
        "load_draft_then",
    )),
    "bulk": (BulkRepository, ("add_participants", "submit_responses")),
    "personal": (PersonalRepository, (
        "save_reflection", "list_reflections", "delete_reflection", "shared_prompt_answers",
        "shared_prompt_entries", "add_commitment", "review_commitment", "change_commitment_due",
        "list_commitments", "add_relationship", "update_relationship", "remove_relationship",
        "list_relationships",
    )),
    "frames": (FramesRepository, (
        "responses_frame", "importance_frame", "trend_frame", "participation",
        "participant_scores",
    )),
    "exports": (ExportsRepository, ("export_participant", "export_participant_files")),
    "rights": (RightsRepository, (
        "erase_participant", "purge", "compact", "backup", "integrity_problem",
    )),
    "membership": (MembershipRepository, (
        "round_details", "group_membership", "object_to_count", "objections", "held_groups",
        "resolve_objections", "record_membership_event", "membership_events",
        "membership_summary", "member_counts",
    )),
    "snapshots": (SnapshotsRepository, (
        "current_versions", "save_snapshot", "snapshots", "snapshot_heads", "count_changes",
        "unchanged_versions", "snapshot_payload", "snapshot_versions", "snapshot_slots",
    )),
    "texts": (SharedTextsRepository, (
        "shared_step_rows", "step_texts", "shared_texts", "text_batch", "release_text_batch",
    )),
    "language": (LanguageRepository, (
        "set_cohort_language", "cohort_language", "set_participant_language",
        "participant_language", "language_for",
    )),
    "group_steps": (GroupStepsRepository, (
        "add_group_step", "remove_group_step", "group_steps", "previous_round",
    )),
}


def _delegate(part: str, method):
    """``Store.<name>``: calls ``self.parts.<part>.<name>``, with the method's name, signature
    and docstring (``help(Store.join)`` and ``inspect.getsource`` show the repository's)."""
    name = method.__name__

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        return getattr(getattr(self.parts, part), name)(*args, **kwargs)

    return call


class Store(Database):
    """Everything participants enter, kept in SQLite (default) or PostgreSQL.

    Opening migrates the database to the newest schema. Use it as a context manager so
    connections are released. The methods are those of its repositories (``store.parts``),
    listed in :data:`DELEGATED`.

    Parameters
    ----------
    url:
        SQLAlchemy URL; ``None`` uses ``KIT_DATABASE_URL`` or the SQLite file in the data folder.

    Examples
    --------
    >>> with Store("sqlite:///:memory:") as store:
    ...     created = store.create_cohort("Spring 2026", groups=["North"], rounds=["Baseline", "End"])
    ...     p = store.join(created.join_codes["North"], organisation="County council")
    ...     store.resume(p.resume_code).organisation
    'County council'
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True):
        super().__init__(url, migrate=migrate)
        self.parts = StoreParts.build(self)

    @property
    def code_key(self) -> str:
        """This installation's secret key for hashing codes (see ``CohortsRepository.code_key``)."""
        return self.parts.cohorts.code_key


for _part, (_repository, _names) in DELEGATED.items():
    for _name in _names:
        setattr(Store, _name, _delegate(_part, getattr(_repository, _name)))
del _part, _repository, _names, _name
