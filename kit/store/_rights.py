"""Erasure and housekeeping: erase one participant, purge old cohorts, compact, back up.

After an erase or purge on SQLite the file is rebuilt (``VACUUM``) and the write-ahead log is
checkpointed and truncated, so erased text is gone from the bytes on disk, not just hidden.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sqlite3
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from kit.store import tables as t
from kit.store._base import Repository, now
from kit.store._submission_values import delete_values
from kit.store.engine import is_retryable, sqlite_path
from kit.store.errors import StoreBusy, StoreError, StoreUnavailable

__all__ = ["RightsRepository", "purge_cutoff"]


def purge_cutoff(older_than_days: int) -> dt.datetime | None:
    """The creation time before which a cohort is older than ``older_than_days`` days, or
    ``None`` when that reaches back before the calendar's start (nothing can be that old)."""
    try:
        return now() - dt.timedelta(days=older_than_days)
    except OverflowError:
        return None


class RightsRepository(Repository):
    """Data rights and upkeep: erase a person, purge old cohorts, compact, back up, check."""

    # -- erase and purge -------------------------------------------------------------------
    @staticmethod
    def _delete_participants(conn: Connection, participant_ids) -> int:
        """Delete participants and every row they own, children first; returns rows deleted."""
        ids = list(participant_ids)
        if not ids:
            return 0
        subs = sa.select(t.submissions.c.id).where(t.submissions.c.participant_id.in_(ids))
        refls = sa.select(t.reflections.c.id).where(t.reflections.c.participant_id.in_(ids))
        owned_rounds = sa.select(t.rounds.c.id).where(t.rounds.c.owner_id.in_(ids))
        statements = [
            # Snapshot slots keep their place but lose the link to the person.
            t.snapshot_members.update()
            .where(t.snapshot_members.c.participant_id.in_(ids))
            .values(participant_id=None),
            *delete_values(subs),  # answers, importance, looking back, trend votes
            t.reflection_steps.delete().where(t.reflection_steps.c.reflection_id.in_(refls)),
            # Released copies of shared text go at once (the view then waits for a batch).
            t.released_texts.delete().where(t.released_texts.c.participant_id.in_(ids)),
            *(
                table.delete().where(table.c.participant_id.in_(ids))
                for table in t.PARTICIPANT_TABLES
            ),
            t.drafts.delete().where(t.drafts.c.round_id.in_(owned_rounds)),
            t.rounds.delete().where(t.rounds.c.owner_id.in_(ids)),
            t.participants.delete().where(t.participants.c.id.in_(ids)),
        ]
        return sum(max(conn.execute(s).rowcount, 0) for s in statements)

    def erase_participant(self, participant_id: int) -> int:
        """Delete every row about one participant; returns how many rows went.

        On SQLite the database file is then rebuilt and its log truncated, so the erased
        text no longer exists anywhere in the files.
        """

        def work(conn: Connection) -> int:
            self._participant_row(conn, participant_id, lock=True)
            return self._delete_participants(conn, [participant_id])

        removed = self.db.transaction(work, what="erase the participant")
        self.compact()
        return removed

    def purge(self, older_than_days: int) -> int:
        """Delete cohorts created more than ``older_than_days`` days ago, with all their
        participants' data; returns how many cohorts went."""
        if (
            isinstance(older_than_days, bool)
            or not isinstance(older_than_days, int)
            or older_than_days < 1
        ):
            raise StoreError(
                f"purge needs a whole number of days, 1 or more; got {older_than_days!r}."
            )
        cutoff = purge_cutoff(older_than_days)
        if cutoff is None:
            raise StoreError(
                f"purge cannot reach back {older_than_days} days: that is before the year 1. "
                "Give a smaller number of days."
            )

        def work(conn: Connection) -> int:
            old = (
                conn.execute(sa.select(t.cohorts.c.id).where(t.cohorts.c.created_at < cutoff))
                .scalars()
                .all()
            )
            if not old:
                return 0
            members = (
                conn.execute(
                    sa.select(t.participants.c.id).where(t.participants.c.cohort_id.in_(old))
                )
                .scalars()
                .all()
            )
            self._delete_participants(conn, members)
            snaps = sa.select(t.result_snapshots.c.id).where(
                t.result_snapshots.c.cohort_id.in_(old))
            conn.execute(t.snapshot_members.delete().where(
                t.snapshot_members.c.snapshot_id.in_(snaps)))
            conn.execute(t.result_snapshots.delete().where(
                t.result_snapshots.c.cohort_id.in_(old)))
            conn.execute(t.rounds.delete().where(t.rounds.c.cohort_id.in_(old)))
            conn.execute(t.groups.delete().where(t.groups.c.cohort_id.in_(old)))
            conn.execute(t.cohorts.delete().where(t.cohorts.c.id.in_(old)))
            return len(old)

        removed = self.db.transaction(work, what="purge old cohorts")
        if removed:
            self.compact()
        return removed

    def compact(self) -> None:
        """SQLite: rebuild the file (``VACUUM``) and truncate the write-ahead log.

        Does nothing on PostgreSQL, whose autovacuum reclaims deleted rows.
        """
        if not self.is_sqlite or sqlite_path(self.url) is None:
            return
        raw = self.engine.raw_connection()
        try:
            for attempt in range(8):
                try:
                    raw.driver_connection.execute("VACUUM")
                    break
                except sqlite3.OperationalError as exc:
                    if not is_retryable(sa.exc.OperationalError("VACUUM", {}, exc)) or attempt == 7:
                        raise StoreBusy(
                            "The data was deleted, but the database file could not be tidied because it "
                            "is busy. Run `kit purge` or the erase again when the apps are quiet."
                        ) from None
                    time.sleep(0.05 * 2**attempt)
            # Readers in other processes can hold the log open; keep trying for a while.
            for _attempt in range(20):
                busy, _, _ = raw.driver_connection.execute(
                    "PRAGMA wal_checkpoint(TRUNCATE)"
                ).fetchone()
                if not busy:
                    break
                time.sleep(0.05)
        finally:
            raw.close()

    # -- backup ----------------------------------------------------------------------------
    def backup(self, path: str | os.PathLike) -> Path:
        """Copy the SQLite database to ``path`` while apps keep running; returns the path.

        Uses SQLite's online backup, which copies one consistent snapshot. For PostgreSQL
        this raises :class:`StoreError` giving the ``pg_dump`` command to run instead.
        """
        target = Path(path).expanduser()
        if not self.is_sqlite:
            raise StoreError(self._pg_dump_advice(target))
        source = sqlite_path(self.url)
        if source is not None and target.resolve() == source.resolve():
            raise StoreError(
                f"The backup path {target} is the database itself; choose another file."
            )
        problem = self.integrity_problem()
        if problem:
            raise StoreUnavailable(
                f"The database {source} failed SQLite's integrity check ({problem}), so no backup "
                f"was written: a copy would carry the damage. Restore an earlier backup, or ask "
                "whoever runs the kit to repair the file (sqlite3 kit.db '.recover')."
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(
                f"The folder {target.parent} for the backup cannot be made ({exc.strerror}); "
                "choose another place."
            ) from None
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        raw = self.engine.raw_connection()
        try:
            dest = sqlite3.connect(partial)
            try:
                raw.driver_connection.backup(dest)
                copied = dest.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                dest.close()
        finally:
            raw.close()
        if copied != "ok":  # pragma: no cover - the source passed the same check a moment ago
            partial.unlink(missing_ok=True)
            raise StoreUnavailable(
                f"The backup copy failed SQLite's integrity check ({copied}); nothing was "
                f"written to {target}. Try again when the apps are quiet."
            )
        os.replace(partial, target)
        return target

    def integrity_problem(self) -> str | None:
        """SQLite: the first problem ``PRAGMA quick_check`` finds, or ``None`` when the file is
        sound. Always ``None`` on PostgreSQL, which checks its own pages."""
        if not self.is_sqlite:
            return None
        try:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql("PRAGMA quick_check(10)").scalars().all()
        except sa.exc.DatabaseError as exc:
            return (str(exc.orig).splitlines() or ["unreadable"])[0]
        lines = [
            line.strip()
            for row in rows
            for line in str(row).splitlines()
            if line.strip() and not line.startswith("***")
        ]
        if lines == ["ok"]:
            return None
        more = f", and {len(lines) - 1} more" if len(lines) > 1 else ""
        return f"{lines[0]}{more}" if lines else "no answer"

    def _pg_dump_advice(self, target: Path) -> str:
        url = make_url(self.url)
        options = url.query.get("options", "")
        if isinstance(options, tuple):
            options = " ".join(options)
        schema = None
        for part in str(options).replace("-c ", "-c").split():
            if part.startswith("-csearch_path="):
                schema = part.split("=", 1)[1].split(",")[0]
        libpq = url.set(drivername="postgresql", query={})
        command = ["pg_dump", "--format=custom", f"--file={target}"]
        if schema:
            command.append(f"--schema={schema}")
        command.append(libpq.render_as_string(hide_password=True))
        advice = (
            "kit backup copies SQLite files only. Back up this PostgreSQL database with pg_dump:\n  "
            + shlex.join(command)
        )
        if url.password:
            advice += "\n(The password is hidden above: put it in PGPASSWORD or ~/.pgpass instead.)"
        return advice
