"""Published snapshots: what the facilitator sees changes only in steps that cannot be differenced.

A live view recomputed after every submission gives away the newest person's answers by
subtraction (``6 x mean6 - 5 x mean5``). So every facilitator view reads a *published
snapshot* of each round instead:

* a round's results are published once, when the round closes, and are final
  (:mod:`kit.publishing` saves what :func:`plan_snapshot` plans: this module only reads and
  decides, it never writes);
* a later snapshot of the same round is published only to release cells held by a member's
  objection to their group's count; it is planned against every earlier one
  (:func:`kit.analysis.privacy.plan_with_history`), so comparing snapshots isolates nobody;
* only people who had joined when the round opened are counted (the store's
  ``members_only`` frames), so made-up members added later cannot pad a group;
* shared free text does not travel in snapshots: it is released in its own batches across the
  whole cohort (:mod:`kit.analysis.free_text`, released by :mod:`kit.publishing`).

The snapshot holds suppressed, rounded summaries only (never an answer). How a round's results
stand against its live answers (:func:`update_status`) is read in
:mod:`kit.analysis.snapshot_status`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import pandas as pd

from kit.analysis.cells import _bands, apply_plans, cell_stats, homogeneous_cells
from kit.analysis.health import TREND_BANDS, trend_person_frame
from kit.analysis.people import item_frame, person_importance, person_scores
from kit.analysis.privacy import (
    ALL_GROUPS,
    BREAKDOWNS,
    Rules,
    Version,
    fill_attributes,
    note_in_words,
    plan_from_counts,
    plan_with_history,
)
from kit.analysis.snapshot_status import (
    UpdateStatus,
    _changes,
    _history,
    _round_row,
    update_status,
)
from kit.analysis.snapshot_status import (
    _count_changes as _count_changes,  # re-exported for the tests
)
from kit.content.models import Framework
from kit.i18n import DEFAULT_LANGUAGE, use_language

__all__ = [
    "Published",
    "SnapshotPlan",
    "UpdateStatus",
    "build_snapshot",
    "held_in",
    "update_status",
    "load_published",
    "plan_snapshot",
    "SnapshotRefused",
]

_ATTRS = ("group", *BREAKDOWNS)
#: Plan a first snapshot from head counts (False: through plan_with_history, for the tests).
_FAST_FIRST = True

#: measure -> (key column, value column, breakdowns)
_MEASURES = {
    "score": ("dimension_id", "score", BREAKDOWNS),
    "item": ("item_id", "score", ()),
    "importance": ("dimension_id", "importance", ()),
    # A team health check's "better, the same or worse?" votes (group totals only): the bands
    # are the three answers, so a cell's band counts are the vote counts.
    "trend": ("dimension_id", "trend", ()),
}


class SnapshotRefused(Exception):
    """An update cannot be published yet; the message says why and when it can."""

    friendly = True


@dataclass
class Published:
    """The cell tables of the latest published snapshot of each round, for one framework.

    Views in :mod:`kit.analysis.team` accept it wherever they accept a per-person frame.
    """

    tables: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)
    group_names: tuple[str, ...] = ()
    published_at: dict[str, object] = field(default_factory=dict)

    def cells(self, measure: str, round: str) -> pd.DataFrame:
        table = self.tables.get((measure, round))
        if table is None:
            key = _MEASURES[measure][0]
            return pd.DataFrame(
                columns=[key, "scope", "by", "value", "n", "mean", "sd", "size", "shown", "note"]
            ).set_index([key, "scope", "by", "value"])
        return table

    def rounds(self) -> list[str]:
        return [r for r, _p in sorted(self.positions.items(), key=lambda kv: kv[1])]

    def round_positions(self) -> pd.Series:
        return pd.Series(self.positions, dtype=int).sort_values(kind="stable")

    def groups(self) -> list[str]:
        return list(self.group_names)

    def filter_options(self, group: str, round: str) -> list[tuple[str, str]]:
        table = self.tables.get(("score", round))
        if table is None:
            return []
        cells = table.reset_index()
        cells = cells[(cells["scope"] == group) & (cells["by"] != "")]
        pairs = sorted({(b, v) for b, v in zip(cells["by"], cells["value"], strict=True)})
        return [(b, v) for by in BREAKDOWNS for (b, v) in pairs if b == by]


def _table_to_json(table: pd.DataFrame) -> list[dict]:
    flat = table.reset_index()
    out = []
    for rec in flat.to_dict(orient="records"):
        out.append({k: (None if isinstance(v, float) and v != v else v) for k, v in rec.items()})
    return out


def _table_from_json(rows: list[dict], key: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        return Published().cells("score" if key == "dimension_id" else "item", "")
    for c in frame.columns:
        if c in ("n", "mean", "sd") or c.startswith("band:"):
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    frame["shown"] = frame["shown"].astype(bool)
    frame["size"] = frame["size"].astype(int)
    if "note" in frame.columns:  # kept in English: shown in the reader's language
        from kit.analysis.rounds import stored_note

        frame["note"] = [stored_note(note_in_words(n)) if isinstance(n, str) else n
                         for n in frame["note"]]
    return frame.set_index([key, "scope", "by", "value"]).sort_index()


# --------------------------------------------------------------------------- building


def _person_frames(responses: pd.DataFrame, importance: pd.DataFrame | None,
                   framework: Framework, trends: pd.DataFrame | None = None
                   ) -> dict[str, pd.DataFrame]:
    frames = {"score": person_scores(responses, framework), "item": item_frame(responses, framework)}
    if importance is not None and not importance.empty:
        frames["importance"] = person_importance(importance, responses)
    if trends is not None and not trends.empty:
        frames["trend"] = trend_person_frame(trends, responses)
    return frames


def _attrs_of(frame: pd.DataFrame) -> dict[int, tuple]:
    people = fill_attributes(frame.drop_duplicates("participant_id")[["participant_id", *_ATTRS]])
    pids = [int(p) for p in people["participant_id"]]
    return dict(zip(pids, zip(*(people[c].tolist() for c in _ATTRS), strict=True), strict=True))


def build_snapshot(
    responses: pd.DataFrame,
    importance: pd.DataFrame | None,
    framework: Framework,
    round: str,
    versions: dict[int, int],
    history: list[dict],
    rules: Rules,
    trends: pd.DataFrame | None = None,
) -> tuple[dict, list[dict]]:
    """Plan and summarise one round of one framework against its earlier snapshots.

    Parameters
    ----------
    responses, importance
        The round's counted answers (members only), as the store's frames.
    versions
        ``{participant_id: submission_id}`` of the answers counted now.
    history
        Earlier snapshots of the same round, oldest first: ``{"slots": [...], "payload": {...}}``
        as the store keeps them.

    Returns
    -------
    (payload, slots)
        ``payload["tables"][measure]`` holds the suppressed cell table rows and
        ``payload["cells"][measure][key]`` the cells shown; ``slots`` one anonymous record per
        counted answer.
    """
    frames = _person_frames(responses, importance, framework, trends)
    attrs = _attrs_of(responses) if len(responses) else {}
    bands = _bands(framework)
    payload: dict = {"tables": {}, "cells": {}, "round": round}
    keys_of: dict[int, dict[str, list]] = {pid: {} for pid in versions}
    for measure, (key, col, breakdowns) in _MEASURES.items():
        frame = frames.get(measure)
        if frame is None or frame.empty:
            continue
        frame = frame[frame["round"] == round]
        if frame.empty:
            continue
        stats = cell_stats(frame, round, key, breakdowns, col,
                           TREND_BANDS if measure == "trend" else
                           bands if measure != "importance" else ())
        hom = homogeneous_cells(stats, key)
        counted = frame[[key, "participant_id"]].drop_duplicates().sort_values(key, kind="stable")
        counted = counted.assign(participant_id=counted["participant_id"].astype(int),
                                 _key=counted[key].astype(str))
        for pid, ks in counted.groupby("participant_id", sort=True)["_key"]:
            keys_of.setdefault(int(pid), {})[measure] = ks.tolist()
        plans, shown_cells = _plan_keys(frame, measure, counted, attrs, versions, history, hom,
                                        rules)
        with use_language(DEFAULT_LANGUAGE):  # notes are kept in English, translated when read
            table = apply_plans(stats, key, plans, rules.min_group_size, rounding=rules.hardened)
        payload["tables"][measure] = _table_to_json(table)
        payload["cells"][measure] = shown_cells
    slots = [
        {"participant_id": pid, "submission_id": sid, "attrs": list(attrs.get(pid, ())),
         "keys": keys_of.get(pid, {})}
        for pid, sid in sorted(versions.items()) if pid in attrs
    ]
    return payload, slots


def _plan_keys(frame: pd.DataFrame, measure: str, counted: pd.DataFrame, attrs: dict,
               versions: dict[int, int], history: list[dict], hom: dict,
               rules: Rules) -> tuple[dict, dict[str, list]]:
    """One plan per value of the measure's key (each dimension, say) against the earlier
    snapshots, and the cells each shows: ``({(key value,): plan}, {key value: [cell, ...]})``."""
    key, _col, breakdowns = _MEASURES[measure]
    k = rules.min_group_size
    plans = {}
    shown_cells: dict[str, list] = {}
    atoms_of = None
    if not history and _FAST_FIRST:  # a first snapshot: head counts per key and attributes are enough
        atoms_of = _first_atoms(counted, attrs, key, breakdowns)
    slots_by_key = [_slots_by_key(snap, measure) for snap in history]
    for kv, part in frame.groupby(key, observed=True):
        if atoms_of is not None:
            atoms = atoms_of.xs(kv, level=0, drop_level=True)
            plan = plan_from_counts(atoms, k, breakdowns, homogeneous=hom.get((kv,), ()),
                                    overlap=rules.hardened)
            plans[(kv,)] = plan
            shown_cells[str(kv)] = [list(c) for c in sorted(plan.published, key=str)]
            continue
        pids = sorted({int(p) for p in part["participant_id"]})
        current = [Version(pid, versions.get(pid, ("p", pid)), _cut(attrs[pid], breakdowns))
                   for pid in pids]
        past = _past_of_key(history, slots_by_key, measure, kv, breakdowns)
        plan = plan_with_history(current, past, k, breakdowns,
                                 homogeneous=hom.get((kv,), ()), overlap=rules.hardened)
        plans[(kv,)] = plan
        shown_cells[str(kv)] = [list(c) for c in sorted(plan.published, key=str)]
    return plans, shown_cells


def _first_atoms(counted: pd.DataFrame, attrs: dict, key: str, breakdowns) -> pd.Series:
    """Head counts per key value and attributes, for a first snapshot of a round."""
    cols = ["group", *breakdowns]
    people = pd.DataFrame([(pid, *_cut(a, breakdowns)) for pid, a in attrs.items()],
                          columns=["participant_id", *cols])
    return counted.merge(people, on="participant_id", how="inner").groupby(
        [key, *cols], observed=True, sort=True).size()


def _slots_by_key(snap: dict, measure: str) -> dict[str, list]:
    """An earlier snapshot's slots, by the key values of ``measure`` they were counted in."""
    by_key: dict[str, list] = {}
    for slot in snap["slots"]:
        for kv_s in slot["keys"].get(measure, []):
            by_key.setdefault(kv_s, []).append(slot)
    return by_key


def _past_of_key(history: list[dict], slots_by_key: list[dict[str, list]], measure: str, kv,
                 breakdowns) -> list[tuple[list[Version], list[tuple]]]:
    """Each earlier snapshot of one key value: ``(versions it counted, cells it showed)``."""
    past = []
    for snap, by_key in zip(history, slots_by_key, strict=True):
        slots = by_key.get(str(kv), [])
        vs = [Version(s["participant_id"] if s["participant_id"] is not None
                      else ("erased", s["submission_id"]),
                      s["submission_id"], _cut(tuple(s["attrs"]), breakdowns))
              for s in slots]
        cells = [tuple(c) for c in snap["payload"].get("cells", {})
                 .get(measure, {}).get(str(kv), [])]
        past.append((vs, [(c[0], c[1], c[2]) for c in cells]))
    return past


def _cut(attrs: tuple, breakdowns) -> tuple:
    """Attributes as the planner sees them for a measure: the group plus its breakdowns."""
    full = ("group", *BREAKDOWNS)
    wanted = ("group", *breakdowns)
    return tuple(attrs[full.index(a)] for a in wanted)


@dataclass(frozen=True)
class SnapshotPlan:
    """A snapshot ready to save (:func:`plan_snapshot`): what :func:`kit.publishing.publish_snapshot`
    writes, and nothing else."""

    round_id: int
    round: str
    framework_id: str
    payload: dict
    slots: list


def plan_snapshot(store, cohort_id: int, round: str, framework: Framework,
                  rules: Rules | None = None, *, require_changes: bool = True,
                  held: tuple[str, ...] = ()) -> SnapshotPlan:
    """Plan a new snapshot of one round against its earlier ones; reads, writes nothing.

    :func:`kit.publishing.publish_snapshot` saves it (at round close, with
    ``require_changes=False``, and with the groups ``held`` by an unresolved objection: their
    cells, and the whole cohort's, are withheld with the reason). With ``require_changes`` (the
    tests of the planner), :class:`SnapshotRefused` when fewer than K answers changed since the
    last snapshot.
    """
    rules = rules or Rules.from_settings()
    r = _round_row(store, cohort_id, round)
    history = _history(store, cohort_id, r["id"], framework.id)
    n, versions = _changes(store, cohort_id, r["id"], framework.id, history)
    if require_changes and n < rules.min_group_size:
        status = UpdateStatus(r["name"], bool(history), n, rules.min_group_size, r["is_open"])
        raise SnapshotRefused(status.message)
    responses = store.responses_frame(cohort_id, framework.id, members_only=True,
                                      round_id=r["id"])
    importance = store.importance_frame(cohort_id, framework.id, members_only=True,
                                        round_id=r["id"])
    trends = None
    if framework.lens == "team" and hasattr(store, "trend_frame"):
        trends = store.trend_frame(cohort_id, framework.id, members_only=True, round_id=r["id"])
    payload, slots = build_snapshot(responses, importance, framework, r["name"], versions,
                                    history, rules, trends=trends)
    part = store.participation(cohort_id)
    part = part[part["round"] == r["name"]]
    _never_reach(payload, dict(zip(part["group"], part["members"], strict=True)),
                 rules.min_group_size)
    if held:
        _hold(payload, held)
    return SnapshotPlan(r["id"], r["name"], framework.id, payload, slots)


def _never_reach(payload: dict, members: dict, k: int) -> None:
    """A withheld cell of a group that counts fewer than K people says so: more answers would
    not help (kept in English, read in the reader's language by
    :func:`kit.analysis.rounds.stored_note`)."""
    for rows in payload["tables"].values():
        for row in rows:
            m = members.get(row.get("scope"))
            if m is not None and 0 < m < k and not row.get("shown"):
                row["note"] = f"a group of {int(m)} can never reach {k}"


def _hold(payload: dict, held: tuple[str, ...]) -> None:
    """Withhold the cells of the ``held`` groups and of the whole cohort, saying why."""
    from kit.analysis.rounds import HELD_NOTE

    cohort_note = ("held: a member of " + ", ".join(held) + " said the count does not match "
                   "their group; the set-up key holder must resolve it")
    scopes = set(held) | {ALL_GROUPS}
    for measure, rows in payload["tables"].items():
        for row in rows:
            if row.get("scope") not in scopes:
                continue
            row["shown"] = False
            row["note"] = HELD_NOTE if row["scope"] != ALL_GROUPS else cohort_note
            for c in list(row):
                if c in ("mean", "sd") or c.startswith("band:"):
                    row[c] = None
        for kv, cells in payload["cells"].get(measure, {}).items():
            payload["cells"][measure][kv] = [c for c in cells if c[0] not in scopes]
    payload["held"] = sorted(held)


def held_in(payload: dict) -> list[str]:
    """The groups a snapshot's payload held (empty when nothing was held)."""
    return list(payload.get("held", []))


# Parsed payloads of published snapshots, which never change once saved: the dashboard reads
# them on every open, so each is read and parsed once per process.
_PAYLOADS: OrderedDict = OrderedDict()
_PAYLOADS_SIZE = 64


def _payload(store, head: dict) -> tuple[dict, dict]:
    """``(payload, {measure: parsed table})`` of one snapshot, cached per snapshot."""
    url = str(getattr(store, "url", ""))
    key = (url, head["id"], head["created_at"])
    cacheable = bool(url) and ":memory:" not in url and url.rstrip("/") not in ("sqlite:", "sqlite:/")
    hit = _PAYLOADS.get(key) if cacheable else None
    if hit is not None:
        _PAYLOADS.move_to_end(key)
        return hit
    payload = store.snapshot_payload(head["id"])
    keys = {m: spec[0] for m, spec in _MEASURES.items()}
    tables = {measure: _table_from_json(rows, keys[measure])
              for measure, rows in payload.get("tables", {}).items()}
    hit = (payload, tables)
    if cacheable:
        _PAYLOADS[key] = hit
        if len(_PAYLOADS) > _PAYLOADS_SIZE:
            _PAYLOADS.popitem(last=False)
    return hit


def load_published(store, cohort_id: int, framework: Framework) -> Published:
    """The latest snapshot of each round of ``framework`` in a cohort."""
    pub = Published(group_names=tuple(g.name for g in store.cohort(cohort_id).groups))
    latest: dict[int, dict] = {}
    for head in store.snapshot_heads(cohort_id, framework.id):
        latest[head["round_id"]] = head
    for r in store.round_details(cohort_id):
        head = latest.get(r["id"])
        if head is None:
            continue
        pub.positions[r["name"]] = r["position"]
        pub.published_at[r["name"]] = head["created_at"]
        _payload_dict, tables = _payload(store, head)
        for measure, table in tables.items():
            pub.tables[(measure, r["name"])] = table.copy()  # the cached one stays untouched
    return pub
