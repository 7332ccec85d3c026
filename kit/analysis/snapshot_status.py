"""How a round's published results stand against its live answers, read from the store.

:func:`update_status` counts the answers new, revised or erased since a round's last snapshot
(:mod:`kit.analysis.snapshots` plans the snapshots themselves). Read only: nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.analysis.privacy import Rules
from kit.content.models import Framework
from kit.i18n import _, ngettext

__all__ = ["UpdateStatus", "update_status"]


@dataclass(frozen=True)
class UpdateStatus:
    """How a round's published results stand against its live answers."""

    round: str
    published: bool
    changes: int
    needed: int
    is_open: bool

    @property
    def can_publish(self) -> bool:
        return self.changes >= self.needed

    @property
    def message(self) -> str:
        """How many answers changed since the round's last snapshot, in the current language."""
        if self.changes == 0:
            if not self.published:
                return _("{round}: no answers counted yet.").format(round=self.round)
            return _("{round}: no answers changed since its results were published.").format(
                round=self.round)
        what = ngettext("{n} response new, revised or erased",
                        "{n} responses new, revised or erased", self.changes).format(n=self.changes)
        if self.published:
            return _("{round}: {what} since its results were published; published results "
                     "are final and do not change.").format(round=self.round, what=what)
        return _("{round}: {what}; results appear when the round closes.").format(
            round=self.round, what=what)


def _round_row(store, cohort_id: int, round: str) -> dict:
    for r in store.round_details(cohort_id):
        if r["name"] == round or r["id"] == round:
            return r
    raise KeyError(f"cohort {cohort_id} has no round {round!r}")


def _history(store, cohort_id: int, round_id: int, framework_id: str) -> list[dict]:
    return [{"id": s["id"], "payload": s["payload"], "slots": store.snapshot_slots(s["id"])}
            for s in store.snapshots(cohort_id, framework_id, round_id)]


def _changes(store, cohort_id: int, round_id: int, framework_id: str,
             history: list[dict] | None = None) -> tuple[int, dict[int, int]]:
    current = store.current_versions(cohort_id, framework_id, round_id)
    history = history if history is not None else _history(store, cohort_id, round_id, framework_id)
    if not history:
        return len(current), current
    last = {s["submission_id"]: s["participant_id"] for s in history[-1]["slots"]}
    if hasattr(store, "unchanged_versions"):  # Submit pressed again, same answers: no change
        current = store.unchanged_versions(current, last)
    return _count_changes(current, last), current


def _last_versions(store, cohort_id: int, round_id: int, framework_id: str):
    """``(published?, {submission_id: participant_id} of the latest snapshot)``, cheaply."""
    heads = store.snapshot_heads(cohort_id, framework_id, round_id)
    if not heads:
        return False, {}
    return True, store.snapshot_versions(heads[-1]["id"])


def _count_changes(current: dict[int, int], last: dict[int, int | None]) -> int:
    now_ids = set(current.values())
    added_or_revised = len(now_ids - set(last))
    erased = len([sid for sid in last if sid not in now_ids
                  and (last[sid] is None or last[sid] not in current)])
    return added_or_revised + erased


def update_status(store, cohort_id: int, round: str, framework: Framework | str,
                  rules: Rules | None = None, *, _row: dict | None = None) -> UpdateStatus:
    """How many answers changed since the round's last snapshot, and how many are needed."""
    rules = rules or Rules.from_settings()
    fw_id = framework if isinstance(framework, str) else framework.id
    return _status(store, cohort_id, _row or _round_row(store, cohort_id, round), fw_id, rules)[0]


def _status(store, cohort_id: int, r: dict, fw_id: str, rules: Rules):
    """``(UpdateStatus, how many answers are counted now)`` of round row ``r``."""
    if hasattr(store, "count_changes"):  # counted in the database: no id lists read
        heads = store.snapshot_heads(cohort_id, fw_id, r["id"])
        n, now = store.count_changes(cohort_id, fw_id, r["id"], heads[-1]["id"] if heads else None)
        return UpdateStatus(r["name"], bool(heads), n, rules.min_group_size, r["is_open"]), now
    published, last = _last_versions(store, cohort_id, r["id"], fw_id)
    current = store.current_versions(cohort_id, fw_id, r["id"])
    if published and hasattr(store, "unchanged_versions"):
        current = store.unchanged_versions(current, last)
    n = _count_changes(current, last) if published else len(current)
    return UpdateStatus(r["name"], published, n, rules.min_group_size, r["is_open"]), len(current)

