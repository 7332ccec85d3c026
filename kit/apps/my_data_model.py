"""State and rules of "My data": export everything, and erase after a clear confirmation."""

from __future__ import annotations

import datetime as dt
import json
import logging

from kit.apps.errors import Refused
from kit.apps.identity import AboutYou, clean_about_you
from kit.i18n import N_, _, ngettext

__all__ = ["MyDataModel", "CONFIRM_WORD", "confirm_word"]

log = logging.getLogger(__name__)

# Translators: the word a person types to confirm erasing their data; one word, in capitals.
CONFIRM_WORD = N_("ERASE")


def confirm_word() -> str:
    """The confirmation word in the current language (``ERASE`` is always accepted too)."""
    return _(CONFIRM_WORD)


def _default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _release_after_erasure(store, cohort_id: int) -> None:
    """Give a batch of the cohort's shared answers its chance after an erasure
    (:func:`kit.publishing.release_texts`; the erased text itself went with the erasure)."""
    from kit.publishing import release_texts
    from kit.store.errors import StoreError

    try:
        release_texts(store, cohort_id)
    except StoreError:  # erased all the same; the batch waits for the next change or close
        log.warning("data erased, but releasing a batch of shared answers failed; it is "
                    "released at the next change to sharing or round close", exc_info=True)


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
            raise Refused(_("Your data has been erased; there is nothing to change."))
        about = clean_about_you(organisation, sector, role_level, other=other_organisation)
        self.store.update_participant(self.participant_id, **about.as_fields())
        return about

    # -- the resume code: seen again, or replaced ---------------------------------------------
    def uses_resume_code(self) -> bool:
        """True when this participant signs in with a resume code (not a hub account, not this
        computer's private work)."""
        return not self.erased and self.store.has_resume_code(self.participant_id)

    def new_resume_code(self) -> str:
        """A new resume code; the old one stops working at once. Returns the new code, the
        only time it is known in plaintext."""
        if self.erased:
            raise Refused(_("Your data has been erased; there is no resume code to replace."))
        if not self.store.has_resume_code(self.participant_id):
            raise Refused(_("You do not sign in with a resume code, so there is none to "
                            "replace."))
        return self.store.new_resume_code(self.participant_id)

    def export(self) -> dict:
        if self.erased:
            raise Refused(_("Your data has been erased; there is nothing left to export."))
        return self.store.export_participant(self.participant_id)

    def summary(self) -> list[tuple[str, str]]:
        """What the kit holds about this participant, in plain words: ``(heading, sentence)``
        pairs for the page (the JSON download has every detail)."""
        data = self.export()
        who = data["participant"]
        details = [
            _("name: {name}").format(name=who["display_name"]) if who.get("display_name")
            else _("no name"),
            _("organisation: {organisation}").format(organisation=who["organisation"])
            if who.get("organisation") else "",
            _("sector: {sector}").format(sector=_(who["sector"])) if who.get("sector") else "",
            _("role: {role}").format(role=_(who["role_level"])) if who.get("role_level") else ""]
        where = (_("You are in the group {group} of {cohort}.").format(group=who["group"],
                                                                        cohort=who["cohort"])
                 if who.get("cohort") else _("You are working on your own, outside any group."))
        subs = [s for s in data["submissions"] if not s.get("superseded")]
        rounds = sorted({s["round"] for s in subs if s.get("round")})
        answered = sum(len(s["answers"]) for s in subs)
        refl = data["reflections"]
        finished = sum(1 for r in refl if r["finished"])
        shared = sum(1 for r in refl if r.get("shared"))
        status: dict[str, int] = {}
        for c in data["commitments"]:
            status[c["status"]] = status.get(c["status"], 0) + 1
        names = {"open": N_("{n} not started"), "in_progress": N_("{n} in progress"),
                 "done": N_("{n} done"), "dropped": N_("{n} dropped")}
        plan = ", ".join(_(names[k]).format(n=n) if k in names else f"{n} {k}"
                         for k, n in status.items())
        people = len(data["relationships"])
        n_subs, n_drafts, n_refl = len(subs), len(data["drafts"]), len(refl)
        n_commit = len(data["commitments"])

        about = (where + " " + _("Details held: {details}.").format(
            details="; ".join(d for d in details if d)))
        if not who.get("private_label"):
            about += " " + _("Your resume code is held only in a scrambled form that cannot be "
                             "turned back into the code.")
        if subs:
            selfs = ngettext("{n} self-assessment ({ratings} ratings) in {rounds}.",
                             "{n} self-assessments ({ratings} ratings) in {rounds}.",
                             n_subs).format(n=n_subs, ratings=answered, rounds=", ".join(rounds))
        else:
            selfs = _("No self-assessment submitted yet.")
        if n_drafts:
            selfs += " " + ngettext("{n} unfinished draft.", "{n} unfinished drafts.",
                                    n_drafts).format(n=n_drafts)
        if refl:
            journal = ngettext("{n} entry: {finished} finished, {drafts} drafts.",
                               "{n} entries: {finished} finished, {drafts} drafts.",
                               n_refl).format(n=n_refl, finished=finished,
                                              drafts=n_refl - finished)
            journal += " " + (ngettext("{n} answer shared with the whole cohort without your name.",
                                       "{n} answers shared with the whole cohort without your name.",
                                       shared).format(n=shared) if shared
                              else _("Nothing shared with the cohort."))
        else:
            journal = _("No journal entries.")
        plan_text = (ngettext("{n} commitment ({plan}).", "{n} commitments ({plan}).",
                              n_commit).format(n=n_commit, plan=plan) if n_commit
                     else _("No commitments."))
        map_text = (ngettext("{n} person on your map.", "{n} people on your map.",
                             people).format(n=people) if people
                    else _("Nobody on your map yet."))
        return [
            (_("About you"), about),
            (_("Self-assessments"), selfs),
            (_("Reflection journal"), journal),
            (_("Action plan"), plan_text),
            (_("Partnership map"), map_text),
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
        cohort_id = self.store.participant(self.participant_id).cohort_id
        self.store.erase_participant(self.participant_id)
        self.erased = True
        if cohort_id is not None:  # their shared answers left: a batch may form without them
            _release_after_erasure(self.store, cohort_id)
        if copies:
            from kit.store.copies import delete_copies as delete

            return delete(copies)
        return []
