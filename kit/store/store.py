"""The :class:`Store`: one object for everything the kit keeps.

Each part lives in its own module and is mixed in here:

* :mod:`kit.store._cohorts` - cohorts, groups, rounds, codes and participants
* :mod:`kit.store._responses` - validated, idempotent submissions and drafts
* :mod:`kit.store._bulk` - many people and responses in one transaction (demo, import)
* :mod:`kit.store._personal` - reflections, commitments and relationships
* :mod:`kit.store._frames` - pandas tables for the analysis layer
* :mod:`kit.store._export` - a participant's data as a dict, JSON and CSV
* :mod:`kit.store._rights` - erase, purge, compact and backup
* :mod:`kit.store._language` - a cohort's default language and each person's choice
* :mod:`kit.store._snapshots` - published result snapshots, round membership, shared texts
* :mod:`kit.store._group_steps` - the steps a group agreed in a session
"""

from __future__ import annotations

from kit.store._bulk import BulkMixin
from kit.store._cohorts import CohortsMixin
from kit.store._export import ExportMixin
from kit.store._frames import FramesMixin
from kit.store._group_steps import GroupStepsMixin
from kit.store._language import LanguageMixin
from kit.store._personal import PersonalMixin
from kit.store._responses import ResponsesMixin
from kit.store._rights import RightsMixin
from kit.store._snapshots import SnapshotsMixin

__all__ = ["Store"]


class Store(
    CohortsMixin,
    ResponsesMixin,
    BulkMixin,
    PersonalMixin,
    FramesMixin,
    ExportMixin,
    RightsMixin,
    SnapshotsMixin,
    LanguageMixin,
    GroupStepsMixin,
):
    """Everything participants enter, kept in SQLite (default) or PostgreSQL.

    Opening migrates the database to the newest schema. Use it as a context manager so
    connections are released.

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
