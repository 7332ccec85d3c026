"""State and rules of "My data": export everything, and erase after a clear confirmation."""

from __future__ import annotations

import datetime as dt
import json

from kit.apps.errors import Refused
from kit.i18n import N_, _

__all__ = ["MyDataModel", "CONFIRM_WORD", "confirm_word"]

# Translators: the word a person types to confirm erasing their data; one word, in capitals.
CONFIRM_WORD = N_("ERASE")


def confirm_word() -> str:
    """The confirmation word in the current language (``ERASE`` is always accepted too)."""
    return _(CONFIRM_WORD)


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
            raise Refused(_("Your data has been erased; there is nothing left to export."))
        return self.store.export_participant(self.participant_id)

    def export_json(self) -> bytes:
        return json.dumps(self.export(), indent=2, ensure_ascii=False, default=_default).encode("utf-8")

    def erase(self, typed) -> None:
        """Erase everything, only if ``typed`` is exactly ``ERASE`` or the same word in the
        person's language (surrounding spaces ignored)."""
        if self.erased:
            raise Refused(_("Your data has already been erased."))
        if not isinstance(typed, str) or typed.strip() not in {CONFIRM_WORD, confirm_word()}:
            raise Refused(_("To erase your data, type {word} in capitals in the box, then press "
                            "the button again. Nothing has been erased.").format(
                                word=confirm_word()))
        self.store.erase_participant(self.participant_id)
        self.erased = True
