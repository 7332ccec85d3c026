"""Where each round stands, read from the store: what happens next, who counts, and the notes
the publishing step writes into a snapshot, in the reader's language.

Read only: nothing here writes. Publishing (closing a round, resolving an objection) is
:mod:`kit.publishing`, the one home of that write.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kit.i18n import N_, _, format_date, ngettext

__all__ = ["RoundStatus", "round_statuses", "HELD_NOTE", "STATE_WORDS", "stored_note"]

#: The note on a held cell, kept in English in the snapshot and read in the reader's language.
HELD_NOTE = N_("held: a member said the count does not match their group; the set-up key "
               "holder must resolve it")
STATE_WORDS = {"not open": N_("not open yet"), "open": N_("open"), "closed": N_("closed")}
_HELD_COHORT = N_("held: a member of {groups} said the count does not match their group; the "
                  "set-up key holder must resolve it")


_NEVER = re.compile(r"^a group of (\d+) can never reach (\d+)$")
_NEEDS = re.compile(r"^needs (\d+) more answers?$")


def stored_note(note: str) -> str:
    """A note the publishing step wrote (held, or a group too small ever to reach K), kept in
    English in the snapshot, in the current language; other notes as given."""
    m = _NEEDS.match(note)
    if m:
        return ngettext("needs {n} more answer", "needs {n} more answers",
                        int(m.group(1))).format(n=int(m.group(1)))
    m = _NEVER.match(note)
    if m:
        return _("a group of {n} can never reach {k}").format(n=int(m.group(1)),
                                                              k=int(m.group(2)))
    if note == HELD_NOTE:
        return _(HELD_NOTE)
    prefix = "held: a member of "
    suffix = " said the count does not match their group; the set-up key holder must resolve it"
    if note.startswith(prefix) and note.endswith(suffix):
        return _(_HELD_COHORT).format(groups=note[len(prefix):-len(suffix)])
    return note


@dataclass(frozen=True)
class RoundStatus:
    """Where a round stands, for the dashboard and set-up: what happens next and who counts."""

    round: str
    state: str  # "not open", "open" or "closed"
    counted: int  # people the round counts (everyone who has joined, while it is not open)
    answered: int  # counted people who have answered (any framework)
    joined_later: int  # people who joined after it opened (they count from the next round)
    published: bool
    held: tuple[str, ...] = ()
    closed_at: dt.datetime | None = None
    opened_at: dt.datetime | None = None

    @property
    def state_words(self) -> str:
        """The state in plain words: "not open yet", "open since 3 March 2026", "closed on
        …"."""
        if self.state == "open":
            return (_("open since {date}").format(date=format_date(self.opened_at))
                    if self.opened_at else _("open"))
        if self.state == "closed":
            return (_("closed on {date}").format(date=format_date(self.closed_at))
                    if self.closed_at else _("closed"))
        return _("not open yet")

    @property
    def results_words(self) -> str:
        """What became of the round's results: blank until it closes, then published (and
        which groups are held, and why) or not yet published (and what to do)."""
        if self.state != "closed":
            return (_("published when the round closes") if self.state == "open"
                    else _("none yet"))
        if not self.published:
            return _("not published yet: publishing did not finish; close the round again to "
                     "publish them")
        if self.held:
            return _("published; held for {groups}: a member said the count does not match "
                     "their group, and the set-up key holder must resolve it").format(
                groups=", ".join(self.held))
        return _("published, final")

    @property
    def message(self) -> str:
        if self.state == "not open":
            return ngettext(
                "{round} is not open yet. Everyone who has joined by the time it opens is "
                "counted ({n} person so far); anyone joining later counts from the next round. "
                "Open it when the group is ready to answer.",
                "{round} is not open yet. Everyone who has joined by the time it opens is "
                "counted ({n} people so far); anyone joining later counts from the next round. "
                "Open it when the group is ready to answer.", self.counted).format(
                round=self.round, n=self.counted)
        if self.state == "open":
            said = ngettext(
                "{round} is open: {answered} of the {n} person counted has answered. Results "
                "appear when the round closes, once and final.",
                "{round} is open: {answered} of the {n} people counted have answered. Results "
                "appear when the round closes, once and final.", self.counted).format(
                round=self.round, answered=self.answered, n=self.counted)
            if self.joined_later:
                said += " " + ngettext(
                    "{n} person joined after it opened and counts from the next round.",
                    "{n} people joined after it opened and count from the next round.",
                    self.joined_later).format(n=self.joined_later)
            return said
        if not self.published:
            return _("{round} is closed, but publishing its results did not finish. Close it "
                     "again (in set-up, or here) to publish them.").format(round=self.round)
        said = (_("{round} closed on {date}; its results are published and final.").format(
            round=self.round, date=format_date(self.closed_at)) if self.closed_at else
            _("{round} is closed; its results are published and final.").format(
                round=self.round))
        if self.held:
            said += " " + _("Results for {groups} are held: a member said the count does not "
                            "match their group; the set-up key holder must resolve it.").format(
                groups=", ".join(self.held))
        return said


def round_statuses(store, cohort_id: int, framework_id: str) -> list[RoundStatus]:
    """Each round's :class:`RoundStatus`, in order (read only: nothing is published)."""
    part = store.participation(cohort_id)
    out = []
    joined = {g["group"]: g for g in store.membership_summary(cohort_id)}
    total_joined = sum(g["members"] for g in joined.values())
    for r in store.round_details(cohort_id):
        rows = part[part["round"] == r["name"]] if len(part) else part
        counted = int(rows["members"].sum()) if len(rows) else 0
        answered = int(rows["responded"].sum()) if len(rows) else 0
        heads = store.snapshot_heads(cohort_id, framework_id, r["id"])
        out.append(RoundStatus(
            r["name"], r["state"], counted, answered,
            total_joined - counted if r["state"] == "open" else 0, bool(heads),
            tuple(store.held_groups(cohort_id, r["id"])), r.get("closed_at"),
            r.get("opened_at")))
    return out
