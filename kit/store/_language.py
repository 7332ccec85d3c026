"""Languages: a cohort's default and each person's own choice (migration 0009).

The language a person sees is their own choice, else their cohort's, else the server's
default (:func:`kit.i18n.resolve_language`). ``None`` clears a choice.
"""

from __future__ import annotations

import sqlalchemy as sa

from kit.store import tables as t
from kit.store._base import Repository
from kit.store.errors import NotFound, StoreError

__all__ = ["LanguageRepository"]


def _checked(language: str | None) -> str | None:
    if language is None or language == "":
        return None
    from kit.i18n import LanguageError, check_language

    try:
        return check_language(language)
    except LanguageError as exc:
        raise StoreError(str(exc)) from None


class LanguageRepository(Repository):
    """A cohort's default language and each person's choice."""

    def set_cohort_language(self, cohort_id: int, language: str | None) -> None:
        """Make ``language`` the cohort's default (``None``: the server's default)."""
        language = _checked(language)

        def work(conn) -> None:
            done = conn.execute(sa.update(t.cohorts).where(t.cohorts.c.id == cohort_id)
                                .values(language=language))
            if not done.rowcount:
                raise NotFound(f"There is no cohort with id {cohort_id!r}.")

        self.db.transaction(work, "save the cohort's language")

    def cohort_language(self, cohort_id: int) -> str | None:
        """The cohort's default language, or ``None`` when it has none."""
        with self.db.reading() as conn:
            row = conn.execute(sa.select(t.cohorts.c.language)
                               .where(t.cohorts.c.id == cohort_id)).first()
        if row is None:
            raise NotFound(f"There is no cohort with id {cohort_id!r}.")
        return row.language

    def set_participant_language(self, participant_id: int, language: str | None) -> None:
        """Remember the person's own language (``None``: follow their cohort)."""
        language = _checked(language)

        def work(conn) -> None:
            self._participant_row(conn, participant_id)
            conn.execute(sa.update(t.participants).where(t.participants.c.id == participant_id)
                         .values(language=language))

        self.db.transaction(work, "save your language")

    def participant_language(self, participant_id: int) -> str | None:
        """The person's own choice of language, or ``None``."""
        with self.db.reading() as conn:
            return self._participant_row(conn, participant_id).language

    def language_for(self, participant_id: int) -> str:
        """The language to show this person: theirs, else their cohort's, else the default."""
        from kit.i18n import resolve_language

        with self.db.reading() as conn:
            row = self._participant_row(conn, participant_id)
            cohort = None
            if row.cohort_id is not None:
                cohort = conn.execute(sa.select(t.cohorts.c.language)
                                      .where(t.cohorts.c.id == row.cohort_id)).scalar()
        return resolve_language(row.language, cohort)
