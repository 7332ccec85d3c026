"""Suppressed cell tables: one round's summaries of every scope and breakdown cell.

A *cell* is a set of people a view may summarise: a group, the whole cohort, or either split
by organisation, sector or role level. :func:`cell_stats` summarises every cell of a round
(never shown as it is), :func:`plans` decides which cells the confidentiality rules let show
(:mod:`kit.analysis.privacy`), and :func:`apply_plans` blanks the rest and says why.
:func:`cell_table` does all three, memoised per frame, or reads the cells of a
:class:`kit.analysis.snapshots.Published` snapshot. The views of :mod:`kit.analysis.team`,
:mod:`kit.analysis.over_rounds` and :mod:`kit.analysis.health` look their rows up here.

What a cell publishes is deliberately small: its head count, mean and standard deviation
(rounded to :data:`DECIMALS`), and how many people fall in each band. No minimum, maximum or
quantile is published at any size (for a small group they are individual answers).
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
    "STAT_COLUMNS",
    "DECIMALS",
    "MEASURES",
    "band_column",
    "plans",
    "cell_stats",
    "homogeneous_cells",
    "apply_plans",
    "cell_table",
]

STAT_COLUMNS = ("n", "mean", "sd")
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

