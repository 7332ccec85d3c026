"""State and rules of "My data": export everything, and erase after a clear confirmation."""

from __future__ import annotations

import datetime as dt
import json

from kit.apps.errors import Refused
from kit.apps.identity import AboutYou, clean_about_you
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

    # -- who you are (optional, changeable) -------------------------------------------------
    def about(self) -> AboutYou:
        p = self.store.participant(self.participant_id)
        return AboutYou(p.organisation, p.sector, p.role_level)

    def organisations(self) -> tuple[str, ...]:
        """The organisations the participant's cohort offers (none outside a cohort)."""
        p = self.store.participant(self.participant_id)
        return () if p.cohort_id is None else self.store.cohort(p.cohort_id).organisations

    def update_about(self, organisation=None, sector=None, role_level=None, *,
                     other_organisation=None) -> AboutYou:
        """Change the optional organisation, sector and role level (blank clears one)."""
        if self.erased:
            raise Refused("Your data has been erased; there is nothing to change.")
        about = clean_about_you(organisation, sector, role_level, other=other_organisation)
        self.store.update_participant(self.participant_id, **about.as_fields())
        return about

    def export(self) -> dict:
        if self.erased:
            raise Refused(_("Your data has been erased; there is nothing left to export."))
        return self.store.export_participant(self.participant_id)

    def summary(self) -> list[tuple[str, str]]:
        """What the kit holds about this participant, in plain words: ``(heading, sentence)``
        pairs for the page (the JSON download has every detail)."""
        data = self.export()
        who = data["participant"]
        details = [f"name: {who['display_name']}" if who.get("display_name") else "no name",
                   f"organisation: {who['organisation']}" if who.get("organisation") else "",
                   f"sector: {who['sector']}" if who.get("sector") else "",
                   f"role: {who['role_level']}" if who.get("role_level") else ""]
        where = (f"You are in the group {who['group']} of {who['cohort']}."
                 if who.get("cohort") else "You are working on your own, outside any group.")
        subs = [s for s in data["submissions"] if not s.get("superseded")]
        rounds = sorted({s["round"] for s in subs if s.get("round")})
        answered = sum(len(s["answers"]) for s in subs)
        refl = data["reflections"]
        finished = sum(1 for r in refl if r["finished"])
        shared = sum(1 for r in refl if r.get("shared"))
        status: dict[str, int] = {}
        for c in data["commitments"]:
            status[c["status"]] = status.get(c["status"], 0) + 1
        names = {"open": "not started", "in_progress": "in progress", "done": "done",
                 "dropped": "dropped"}
        plan = ", ".join(f"{n} {names.get(k, k)}" for k, n in status.items())
        people = len(data["relationships"])

        def count(n, one, many):
            return f"{n} {one if n == 1 else many}"

        return [
            ("About you", f"{where} Details held: " + "; ".join(d for d in details if d) + "."
             + ("" if who.get("private_label") else " Your resume code is held only in a "
                "scrambled form that cannot be turned back into the code.")),
            ("Self-assessments", (f"{count(len(subs), 'self-assessment', 'self-assessments')} "
                                  f"({answered} ratings) in {', '.join(rounds)}."
                                  if subs else "No self-assessment submitted yet.")
             + (f" {count(len(data['drafts']), 'unfinished draft', 'unfinished drafts')}."
                if data["drafts"] else "")),
            ("Reflection journal", (f"{count(len(refl), 'entry', 'entries')}: {finished} finished, "
                                    f"{len(refl) - finished} drafts. "
                                    + (f"{count(shared, 'answer', 'answers')} shared with your "
                                       "group without your name." if shared else
                                       "Nothing shared with your group.")
                                    if refl else "No journal entries.")),
            ("Action plan", (f"{count(len(data['commitments']), 'commitment', 'commitments')}"
                             f" ({plan})." if data["commitments"] else "No commitments.")),
            ("Partnership map", (f"{count(people, 'person', 'people')} on your map."
                                 if people else "Nobody on your map yet.")),
        ]

    def export_json(self) -> bytes:
        return json.dumps(self.export(), indent=2, ensure_ascii=False, default=_default).encode("utf-8")

    def copies(self):
        """Copies of this participant's data the kit wrote earlier that still exist: their
        exports and personal reports (:class:`kit.store.copies.Copy`), and backups."""
        from kit.store.copies import copies_of

        return copies_of(self.participant_id, self.store.url)

    def erase(self, typed, delete_copies: bool = False) -> list:
        """Erase everything, only if ``typed`` is exactly ``ERASE`` or the same word in the
        person's language (surrounding spaces ignored).

        With ``delete_copies``, the exports and personal reports the kit wrote of this
        participant go too. Returns the copies deleted.
        """
        if self.erased:
            raise Refused(_("Your data has already been erased."))
        if not isinstance(typed, str) or typed.strip() not in {CONFIRM_WORD, confirm_word()}:
            raise Refused(_("To erase your data, type {word} in capitals in the box, then press "
                            "the button again. Nothing has been erased.").format(
                                word=confirm_word()))
        copies = self.copies() if delete_copies is True else []
        self.store.erase_participant(self.participant_id)
        self.erased = True
        if copies:
            from kit.store.copies import delete_copies as delete

            return delete(copies)
        return []
