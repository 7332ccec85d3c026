"""State and rules of "My data": export everything, and erase after a clear confirmation."""

from __future__ import annotations

import datetime as dt
import json

from kit.apps.errors import Refused

__all__ = ["MyDataModel", "CONFIRM_WORD"]

CONFIRM_WORD = "ERASE"


def _default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


class MyDataModel:
    """Export a participant's data as JSON; erase it when they type ``ERASE``."""

    def __init__(self, store, participant_id: int):
        self.store = store
        self.participant_id = participant_id
        self.erased = False

    def __repr__(self) -> str:
        return "<MyDataModel>"

    def export(self) -> dict:
        if self.erased:
            raise Refused("Your data has been erased; there is nothing left to export.")
        return self.store.export_participant(self.participant_id)

    def export_json(self) -> bytes:
        return json.dumps(self.export(), indent=2, ensure_ascii=False, default=_default).encode("utf-8")

    def copies(self):
        """Copies of this participant's data the kit wrote earlier that still exist: their
        exports and personal reports (:class:`kit.store.copies.Copy`), and backups."""
        from kit.store.copies import copies_of

        return copies_of(self.participant_id, self.store.url)

    def erase(self, typed, delete_copies: bool = False) -> list:
        """Erase everything, only if ``typed`` is exactly ``ERASE`` (surrounding spaces ignored).

        With ``delete_copies``, the exports and personal reports the kit wrote of this
        participant go too. Returns the copies deleted.
        """
        if self.erased:
            raise Refused("Your data has already been erased.")
        if not isinstance(typed, str) or typed.strip() != CONFIRM_WORD:
            raise Refused(f"To erase your data, type {CONFIRM_WORD} in capitals in the box, then "
                          "press the button again. Nothing has been erased.")
        copies = self.copies() if delete_copies is True else []
        self.store.erase_participant(self.participant_id)
        self.erased = True
        if copies:
            from kit.store.copies import delete_copies as delete

            return delete(copies)
        return []
