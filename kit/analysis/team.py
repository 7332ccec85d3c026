"""Group summaries of dimension scores, already suppressed under the confidentiality rules.

Every function takes the per-person frame from :func:`kit.analysis.people.person_scores` (or
:func:`~kit.analysis.people.item_frame`) and returns a small table with one row per shown or
withheld cell. A withheld cell keeps its row: its numbers are blank (NaN), ``shown`` is False and
``note`` says why ("fewer than 5 responses"), so nothing silently vanishes.

Individual values never leave this module. What a cell publishes is deliberately small: its head
count, mean and standard deviation (rounded), and how many people fall in each band. No
minimum, maximum or quantile is published at any size (for a small group they are individual
answers). A source may also be a :class:`kit.analysis.snapshots.Published` snapshot, whose cells
were planned against every earlier snapshot.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import numpy as np
import pandas as pd

from kit.analysis.privacy import (
    ALL_GROUPS,
    BREAKDOWNS,
    Plan,
    Rules,
    plan_from_counts,
    suppressed_note,
)
from kit.content.models import Framework
from kit.i18n import _

__all__ = [
    "plans",
    "group_profile",
    "score_distribution",
    "disagreement",
    "item_disagreement",
    "breakdown",
    "change_over_rounds",
    "cohort_overview",
    "cell_table",
    "STAT_COLUMNS",
    "SORTS",
]

STAT_COLUMNS = ("n", "mean", "sd")
#: How the group profile can be ordered.
SORTS = ("framework", "mean", "disagreement")
#: Published means and spreads are rounded to this many decimal places at the source, so every
#: view, download and report carries the same numbers and no more precision than a reader needs.
DECIMALS = 1
#: Measures a cohort publishes, with the key each is summarised by and its breakdowns.
MEASURES = {
    "score": ("dimension_id", BREAKDOWNS),
    "item": ("item_id", ()),
    "importance": ("dimension_id", ()),
    "health": ("dimension_id", ()),
}


def _rules(rules: Rules | None) -> Rules:
    return rules if rules is not None else Rules.from_settings()


def band_column(band_id: str) -> str:
    """The cell-table column holding how many people's scores fall in a band."""
    return f"band:{band_id}"


def plans(
    frame: pd.DataFrame,
    keys: Sequence[str],
    k: int,
    breakdowns: Sequence[str] = BREAKDOWNS,
    homogeneous: dict | None = None,
    overlap: bool = True,
) -> dict[tuple, Plan]:
    """One publication plan per value of ``keys`` (for example per round and dimension)."""
    keys = list(keys)
    if frame.empty:
        return {}
    counts = frame.groupby([*keys, "group", *breakdowns], observed=True, sort=True).size()
    out: dict[tuple, Plan] = {}
    for key, atoms in counts.groupby(level=list(range(len(keys))), sort=False):
        key = key if isinstance(key, tuple) else (key,)
        atoms = atoms.droplevel(list(range(len(keys))))
        hom = (homogeneous or {}).get(key, ())
        out[key] = plan_from_counts(atoms, k, breakdowns, homogeneous=hom, overlap=overlap)
    return out


def _in_scope(frame: pd.DataFrame, group: str, filter: tuple[str, str] | None) -> pd.DataFrame:
    if group != ALL_GROUPS:
        frame = frame[frame["group"] == group]
    if filter is not None:
        by, value = filter
        if by not in BREAKDOWNS:
            raise ValueError(f"cannot filter by {by!r}; choose one of {list(BREAKDOWNS)}")
        frame = frame[frame[by] == value]
    return frame


def _describe(frame: pd.DataFrame, by: list[str], col: str, bands) -> pd.DataFrame:
    band_cols = [band_column(b.id) for b in bands]
    if frame.empty:
        return pd.DataFrame(columns=[*by, *STAT_COLUMNS, "same", *band_cols])
    g = frame.groupby(by, observed=True, sort=False)[col]
    out = g.agg(n="size", mean="mean", sd="std", lo="min", hi="max")
    # Everyone in the cell gave the same value: showing it would show each person's answer.
    out["same"] = (out["n"] >= 2) & ((out["hi"] - out["lo"]).abs() < 1e-9)
    if bands:
        cuts = sorted(bands, key=lambda b: b.min)
        values = frame[col].to_numpy(dtype=float)
        which = np.zeros(len(values), dtype=int)
        for i, b in enumerate(cuts):
            which[values >= b.min - 1e-9] = i
        tmp = frame[by].copy()
        tmp["_band"] = [cuts[i].id for i in which]
        counted = tmp.groupby([*by, "_band"], observed=True).size().unstack("_band", fill_value=0)
        for b in bands:
            out[band_column(b.id)] = counted[b.id] if b.id in counted.columns else 0
    return out.reset_index()[[*by, *STAT_COLUMNS, "same", *band_cols]]


def cell_stats(
    frame: pd.DataFrame,
    round: str,
    key: str,
    breakdowns: Sequence[str] = BREAKDOWNS,
    col: str = "score",
    bands=(),
) -> pd.DataFrame:
    """Unsuppressed summaries of every cell (scope x breakdown value) for one round.

    Never shown as they are: :func:`cell_table` and :mod:`kit.analysis.snapshots` apply the
    confidentiality plan to them first.
    """
    in_round = frame[frame["round"] == round]
    parts = []
    total = _describe(in_round, [key], col, bands)
    total["scope"], total["by"], total["value"] = ALL_GROUPS, "", ""
    parts.append(total)
    groups = _describe(in_round, [key, "group"], col, bands).rename(columns={"group": "scope"})
    groups["by"], groups["value"] = "", ""
    parts.append(groups)
    for by in breakdowns:
        a = _describe(in_round, [key, by], col, bands).rename(columns={by: "value"})
        a["scope"], a["by"] = ALL_GROUPS, by
        b = _describe(in_round, [key, "group", by], col, bands).rename(
            columns={by: "value", "group": "scope"})
        b["by"] = by
        parts += [a, b]
    parts = [p for p in parts if len(p)]
    band_cols = [band_column(b.id) for b in bands]
    cols = [key, "scope", "by", "value", *STAT_COLUMNS, "same", *band_cols]
    table = pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
    for c in ("scope", "by", "value"):
        table[c] = table[c].astype(str)
    return table


def homogeneous_cells(stats: pd.DataFrame, key: str) -> dict[tuple, set]:
    """``{(key value,): {cell, ...}}`` of cells whose members all gave the same value."""
    out: dict[tuple, set] = {}
    same = stats[stats["same"].astype(bool)]
    for kv, sc, by, v in zip(same[key], same["scope"], same["by"], same["value"], strict=True):
        out.setdefault((kv,), set()).add((sc, by or None, (v or None) if by else None))
    return out


def apply_plans(stats: pd.DataFrame, key: str, pl: dict, k: int, rounding: bool = True) -> pd.DataFrame:
    """Blank the numbers of every cell its plan withholds, say why, and round the rest."""
    table = stats.copy()
    table["size"] = table["n"].astype(int)
    shown, notes = [], []
    for kv, sc, by, v, n in zip(table[key], table["scope"], table["by"], table["value"],
                                table["size"], strict=True):
        plan = pl.get((kv,))
        ok = bool(plan and plan.shown(sc, by or None, v or None))
        shown.append(ok)
        notes.append("" if ok else (plan.note(sc, by or None, v or None) if plan else
                                    suppressed_note(n, k)))
    table["shown"] = shown
    table["note"] = notes
    numbers = [c for c in table.columns if c in STAT_COLUMNS or c.startswith("band:")]
    for c in numbers:
        table[c] = table[c].astype(float).where(table["shown"])
    if rounding:
        table["mean"] = table["mean"].round(DECIMALS)
        table["sd"] = table["sd"].round(DECIMALS)
    table = table.drop(columns=["same"])
    return table.set_index([key, "scope", "by", "value"]).sort_index()


# Summaries are memoised per input frame (frames are treated as read-only once built), so
# the dashboard can flip between views, groups and filters without recomputing.
_MEMO: dict[int, tuple[weakref.ref, dict]] = {}


def _memo(frame: pd.DataFrame) -> dict:
    key = id(frame)
    entry = _MEMO.get(key)
    if entry is None or entry[0]() is not frame:
        ref = weakref.ref(frame, lambda _r, key=key: _MEMO.pop(key, None))
        entry = (ref, {})
        _MEMO[key] = entry
    return entry[1]


def cell_table(
    frame,
    round: str,
    key: str,
    k: int,
    breakdowns: Sequence[str] = BREAKDOWNS,
    col: str = "score",
    *,
    bands=(),
    overlap: bool = True,
    measure: str | None = None,
) -> pd.DataFrame:
    """Summaries of every cell (scope x breakdown value) for one round, already suppressed.

    ``frame`` is a per-person frame (the cells are planned now, as one snapshot with no
    history) or a :class:`kit.analysis.snapshots.Published` (the cells of its published
    snapshot are read, ``measure`` naming which).

    Returns
    -------
    DataFrame
        indexed by ``(key, scope, by, value)`` (``by`` and ``value`` are "" for totals), with
        ``n``, ``mean`` and ``sd`` (rounded to :data:`DECIMALS`), one ``band:<id>`` count per
        band, ``size`` (head count, kept for notes), ``shown`` and ``note``. Numbers of
        withheld cells are blank. No minimum, maximum or quantile is ever published: for small
        groups they are individual answers.
    """
    if hasattr(frame, "cells"):
        return frame.cells(measure or ("importance" if col == "importance" else
                                       "item" if key == "item_id" else "score"), round)
    memo = _memo(frame)
    mkey = ("cells", round, key, k, tuple(breakdowns), col, tuple(bands), overlap)
    if mkey in memo:
        return memo[mkey]
    stats = cell_stats(frame, round, key, breakdowns, col, bands)
    in_round = frame[frame["round"] == round]
    pl = plans(in_round, [key], k, breakdowns, homogeneous_cells(stats, key), overlap)
    table = apply_plans(stats, key, pl, k, rounding=overlap)
    memo[mkey] = table
    return table


def _lookup(
    table: pd.DataFrame, ids: list[str], scope: str, by: str = "", value: str = "", k: int = 5
) -> pd.DataFrame:
    """Rows for ``ids`` in one cell, with a withheld row for ids nobody answered."""
    rows = []
    band_cols = [c for c in table.columns if c.startswith("band:")]
    for i in ids:
        idx = (i, scope, by, value)
        if idx in table.index:
            rows.append({"id": i, **table.loc[idx].to_dict()})
        else:
            rows.append({"id": i, **{c: np.nan for c in (*STAT_COLUMNS, *band_cols)}, "size": 0,
                         "shown": False, "note": suppressed_note(0, k)})
    out = pd.DataFrame(rows)
    if out.empty:
        out = pd.DataFrame(columns=["id", *STAT_COLUMNS, *band_cols, "size", "shown", "note"])
    out["shown"] = out["shown"].astype(bool)
    out["n"] = out["n"].astype(float)
    return out


def _lookup_scopes(table: pd.DataFrame, ids: list[str], scopes: list[str],
                   k: int) -> pd.DataFrame | None:
    """:func:`_lookup` of the totals of several scopes at once, scope after scope (None when
    the table's index has repeats)."""
    if not table.index.is_unique or not len(ids) or not len(scopes):
        return None
    idx = pd.MultiIndex.from_arrays([
        list(ids) * len(scopes),
        np.repeat(np.array(scopes, dtype=object), len(ids)),
        [""] * (len(ids) * len(scopes)),
        [""] * (len(ids) * len(scopes)),
    ])
    found = table.reindex(idx)
    missing = ~idx.isin(table.index)
    out = found.reset_index(drop=True)
    out.insert(0, "id", list(ids) * len(scopes))
    miss = np.asarray(missing)
    if miss.any():
        out.loc[miss, "size"] = 0
        out.loc[miss, "shown"] = False
        out.loc[miss, "note"] = suppressed_note(0, k)
    out["shown"] = out["shown"].astype(bool)
    out["n"] = out["n"].astype(float)
    return out


def _dims(framework: Framework) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dimension_id": [d.id for d in framework.dimensions],
            "dimension": [d.title for d in framework.dimensions],
            "order": range(len(framework.dimensions)),
        }
    )


def group_profile(
    scores: pd.DataFrame,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    round: str,
    filter: tuple[str, str] | None = None,
    sort: str = "framework",
    rules: Rules | None = None,
) -> pd.DataFrame:
    """The spread of scores per dimension for one group (or the cohort) in one round.

    Parameters
    ----------
    scores
        From :func:`kit.analysis.people.person_scores`.
    group
        A group name, or :data:`ALL_GROUPS`.
    filter
        ``(attribute, value)``, e.g. ``("sector", "Police")``: only members with that value.
        Shown only when the matching breakdown cell may be shown.
    sort
        ``"framework"`` (the framework's order), ``"mean"`` (highest first) or
        ``"disagreement"`` (most mixed first). Withheld rows always come last.

    Returns
    -------
    DataFrame
        dimension_id, dimension, n, mean, sd, band, shown, note
    """
    rules = _rules(rules)
    if sort not in SORTS:
        raise ValueError(f"sort={sort!r} is not a choice; use one of {list(SORTS)}")
    if filter is not None and filter[0] not in BREAKDOWNS:
        raise ValueError(f"cannot filter by {filter[0]!r}; choose one of {list(BREAKDOWNS)}")
    k = rules.min_group_size
    table = _scores_table(scores, framework, round, rules)
    by, value = filter if filter is not None else ("", "")
    dims = _dims(framework)
    found = _lookup(table, dims["dimension_id"].tolist(), group, by, value, k)
    found = found.drop(columns=[c for c in found.columns if c.startswith("band:")])
    out = pd.concat([dims, found.drop(columns=["id", "size"])], axis=1)
    out["band"] = [
        framework.band_for(m).label if framework.bands and not np.isnan(m) else ""
        for m in out["mean"]
    ]
    if sort == "mean":
        out = out.sort_values(["shown", "mean", "order"], ascending=[False, False, True])
    elif sort == "disagreement":
        out = out.sort_values(["shown", "sd", "order"], ascending=[False, False, True])
    cols = ["dimension_id", "dimension", *STAT_COLUMNS, "band", "shown", "note"]
    return out[cols].reset_index(drop=True)


def score_distribution(
    scores,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    round: str,
    filter: tuple[str, str] | None = None,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """How many people's scores fall in each band, for dimensions that may be shown.

    This is the shape of the group without any one person's score: counts per band (the
    framework's bands, or thirds of the scale when it has none), never values, and only for
    cells the rules show.

    Returns
    -------
    DataFrame
        dimension_id, dimension, band, band_label, order (band order, lowest first), count
    """
    rules = _rules(rules)
    k = rules.min_group_size
    table = _scores_table(scores, framework, round, rules)
    by, value = filter if filter is not None else ("", "")
    dims = _dims(framework)
    found = _lookup(table, dims["dimension_id"].tolist(), group, by, value, k)
    bands = sorted(_bands(framework), key=lambda b: b.min)
    rows = []
    for d, (_i, r) in zip(dims.itertuples(), found.iterrows(), strict=True):
        if not r["shown"]:
            continue
        for pos, b in enumerate(bands):
            rows.append({"dimension_id": d.dimension_id, "dimension": d.dimension,
                         "band": b.id, "band_label": b.label, "order": pos,
                         "count": int(r.get(band_column(b.id), 0) or 0)})
    cols = ["dimension_id", "dimension", "band", "band_label", "order", "count"]
    return pd.DataFrame(rows, columns=cols)


def _bands(framework: Framework):
    """The framework's bands, or thirds of the scale when it has none."""
    if framework.bands:
        return framework.bands
    from kit.content.models import Band

    lo, hi = framework.scale.min, framework.scale.max
    step = (hi - lo) / 3
    return (Band("low", _("Lower third"), lo), Band("middle", _("Middle third"), lo + step),
            Band("high", _("Upper third"), lo + 2 * step))


def _scores_table(scores, framework: Framework, round: str, rules: Rules,
                  measure: str = "score") -> pd.DataFrame:
    return cell_table(scores, round, "dimension_id", rules.min_group_size,
                      bands=_bands(framework), overlap=rules.hardened, measure=measure)


def disagreement(
    scores: pd.DataFrame,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    round: str,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """How far apart members are on each dimension, most mixed first.

    Returns
    -------
    DataFrame
        dimension_id, dimension, n, mean, sd, split, shown, note. ``split`` ("mixed") is True
        when the standard deviation is above ``rules.split_threshold``.
    """
    rules = _rules(rules)
    prof = group_profile(scores, framework, group=group, round=round, rules=rules)
    prof["split"] = (prof["sd"] > rules.split_threshold) & prof["shown"]
    prof = prof.sort_values(["shown", "sd"], ascending=[False, False], kind="stable")
    cols = ["dimension_id", "dimension", "n", "mean", "sd", "split", "shown", "note"]
    return prof[cols].reset_index(drop=True)


def item_disagreement(
    items: pd.DataFrame,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    round: str,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """Spread per item (standard deviation and range only), most mixed first.

    Item means are deliberately not given: when someone answers "not applicable" to some
    items, item totals and dimension totals could be combined to single out that person's
    answers. Item spreads are given for whole groups only, never broken down.

    Parameters
    ----------
    items
        From :func:`kit.analysis.people.item_frame`.

    Returns
    -------
    DataFrame
        item_id, item, dimension_id, dimension, n, sd, split, shown, note
    """
    rules = _rules(rules)
    k = rules.min_group_size
    table = cell_table(items, round, "item_id", k, breakdowns=(), overlap=rules.hardened,
                       measure="item")
    meta = pd.DataFrame(
        [
            {"item_id": i.id, "item": i.text, "dimension_id": d.id, "dimension": d.title}
            for d in framework.dimensions
            for i in d.items
        ]
    )
    found = _lookup(table, meta["item_id"].tolist(), group, k=k)
    found = found.drop(columns=[c for c in found.columns if c.startswith("band:")])
    out = pd.concat([meta, found.drop(columns=["id", "size"])], axis=1)
    out["split"] = (out["sd"] > rules.split_threshold) & out["shown"]
    out = out.sort_values(["shown", "sd"], ascending=[False, False], kind="stable")
    cols = ["item_id", "item", "dimension_id", "dimension", "n", "sd", "split", "shown", "note"]
    return out[cols].reset_index(drop=True)


def breakdown(
    scores: pd.DataFrame,
    framework: Framework,
    *,
    by: str,
    group: str = ALL_GROUPS,
    round: str,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """Mean score per dimension for each organisation, sector or role level in a scope.

    Returns
    -------
    DataFrame
        value, dimension_id, dimension, n, mean, shown, note: one row per value and dimension,
        withheld cells kept with blank numbers and a note.
    """
    rules = _rules(rules)
    if by not in BREAKDOWNS:
        raise ValueError(f"cannot break down by {by!r}; choose one of {list(BREAKDOWNS)}")
    k = rules.min_group_size
    table = _scores_table(scores, framework, round, rules)
    cells = table.reset_index()
    cells = cells[(cells["scope"] == group) & (cells["by"] == by)]
    values = sorted(cells["value"].unique().tolist())
    dims = _dims(framework)
    parts = []
    for v in values:
        found = _lookup(table, dims["dimension_id"].tolist(), group, by, v, k)
        part = pd.concat([dims, found[["n", "mean", "shown", "note"]]], axis=1)
        part["value"] = v
        parts.append(part)
    cols = ["value", "dimension_id", "dimension", "n", "mean", "shown", "note"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True).sort_values(["value", "order"])
    return out[cols].reset_index(drop=True)


def _round_positions(scores) -> pd.Series:
    if hasattr(scores, "round_positions"):
        return scores.round_positions()
    return scores.groupby("round", observed=True)["round_position"].min().sort_values(kind="stable")


def _by_round(
    scores, framework: Framework, groups: list[str], rules: Rules, measure: str = "score"
) -> pd.DataFrame:
    k = rules.min_group_size
    rounds = _round_positions(scores)
    dims = _dims(framework)
    parts = []
    ids = dims["dimension_id"].tolist()
    for rnd, pos in rounds.items():
        table = _scores_table(scores, framework, rnd, rules, measure)
        found = _lookup_scopes(table, ids, groups, k)
        if found is None:  # an index with repeats: one lookup at a time
            for group in groups:
                found = _lookup(table, ids, group, k=k)
                part = pd.concat([dims, found[["n", "mean", "sd", "shown", "note"]]], axis=1)
                part["group"], part["round"], part["round_position"] = group, rnd, int(pos)
                parts.append(part)
            continue
        tiled = pd.concat([dims] * len(groups), ignore_index=True)
        part = pd.concat([tiled, found[["n", "mean", "sd", "shown", "note"]]], axis=1)
        part["group"] = np.repeat(np.array(groups, dtype=object), len(ids))
        part["round"], part["round_position"] = rnd, int(pos)
        parts.append(part)
    cols = ["group", "round", "round_position", "dimension_id", "dimension", "n", "mean", "sd",
            "shown", "note", "change"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["group", "order", "round_position"], kind="stable")
    # change against the same group's previous round, only when both are shown
    out["change"] = out.groupby(["group", "dimension_id"], sort=False)["mean"].diff()
    return out[cols].reset_index(drop=True)


def change_over_rounds(
    scores,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    rules: Rules | None = None,
    measure: str = "score",
) -> pd.DataFrame:
    """Each round's mean per dimension for one scope, with head counts and the change.

    Each round is summarised over the people who answered in that round; no paired
    (same-person) differences are published, since those could be combined with round totals
    to single out someone who answered in only one round.

    Returns
    -------
    DataFrame
        group, round, round_position, dimension_id, dimension, n, mean, sd, shown, note,
        change (against the previous round, blank unless both are shown)
    """
    rules = _rules(rules)
    return _by_round(scores, framework, [group], rules, measure)


def cohort_overview(
    scores: pd.DataFrame, framework: Framework, *, rules: Rules | None = None
) -> pd.DataFrame:
    """Every group against its own earlier rounds (never a ranking of groups).

    Groups are listed by name, not by score. Columns as :func:`change_over_rounds`.
    """
    rules = _rules(rules)
    if hasattr(scores, "groups"):
        groups = sorted(scores.groups())
    else:
        groups = sorted(scores["group"].unique().tolist())
    return _by_round(scores, framework, groups, rules)
