"""Group summaries of dimension scores, already suppressed under the confidentiality rules.

Every function takes the per-person frame from :func:`kit.analysis.people.person_scores` (or
:func:`~kit.analysis.people.item_frame`) and returns a small table with one row per shown or
withheld cell. A withheld cell keeps its row: its numbers are blank (NaN), ``shown`` is False and
``note`` says why ("fewer than 5 responses"), so nothing silently vanishes.

Individual values never leave this module; the distribution table gives only how many people's
scores round to each point on the scale, for groups that may be shown.
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

STAT_COLUMNS = ("n", "mean", "sd", "min", "q1", "median", "q3", "max")
#: How the group profile can be ordered.
SORTS = ("framework", "mean", "disagreement")


def _rules(rules: Rules | None) -> Rules:
    return rules if rules is not None else Rules.from_settings()


def plans(
    frame: pd.DataFrame,
    keys: Sequence[str],
    k: int,
    breakdowns: Sequence[str] = BREAKDOWNS,
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
        out[key] = plan_from_counts(atoms, k, breakdowns)
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


def _describe(frame: pd.DataFrame, by: list[str], col: str = "score") -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[*by, *STAT_COLUMNS])
    g = frame.groupby(by, observed=True, sort=False)[col]
    out = g.agg(n="size", mean="mean", sd="std", min="min", max="max")
    q = g.quantile([0.25, 0.5, 0.75]).unstack()
    out["q1"], out["median"], out["q3"] = q[0.25], q[0.5], q[0.75]
    return out.reset_index()[[*by, *STAT_COLUMNS]]


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
    frame: pd.DataFrame,
    round: str,
    key: str,
    k: int,
    breakdowns: Sequence[str] = BREAKDOWNS,
    col: str = "score",
) -> pd.DataFrame:
    """Summaries of every cell (scope x breakdown value) for one round, already suppressed.

    Returns
    -------
    DataFrame
        indexed by ``(key, scope, by, value)`` (``by`` and ``value`` are "" for totals), with
        the :data:`STAT_COLUMNS`, ``size`` (head count, kept for notes), ``shown`` and ``note``.
        Numbers of withheld cells are blank.
    """
    memo = _memo(frame)
    mkey = ("cells", round, key, k, tuple(breakdowns), col)
    if mkey in memo:
        return memo[mkey]
    in_round = frame[frame["round"] == round]
    parts = []
    total = _describe(in_round, [key], col)
    total["scope"], total["by"], total["value"] = ALL_GROUPS, "", ""
    parts.append(total)
    groups = _describe(in_round, [key, "group"], col).rename(columns={"group": "scope"})
    groups["by"], groups["value"] = "", ""
    parts.append(groups)
    for by in breakdowns:
        a = _describe(in_round, [key, by], col).rename(columns={by: "value"})
        a["scope"], a["by"] = ALL_GROUPS, by
        b = _describe(in_round, [key, "group", by], col).rename(columns={by: "value", "group": "scope"})
        b["by"] = by
        parts += [a, b]
    parts = [p for p in parts if len(p)]
    cols = [key, "scope", "by", "value", *STAT_COLUMNS]
    table = pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
    pl = plans(in_round, [key], k, breakdowns)
    table["size"] = table["n"].astype(int)
    table["shown"] = [
        bool(pl.get((kv,)) and pl[(kv,)].shown(sc, by or None, v or None))
        for kv, sc, by, v in zip(table[key], table["scope"], table["by"], table["value"], strict=True)
    ]
    table["note"] = [
        "" if s else suppressed_note(n, k) for s, n in zip(table["shown"], table["size"], strict=True)
    ]
    for c in STAT_COLUMNS:
        table[c] = table[c].astype(float).where(table["shown"])
    table = table.set_index([key, "scope", "by", "value"]).sort_index()
    memo[mkey] = table
    return table


def _lookup(
    table: pd.DataFrame, ids: list[str], scope: str, by: str = "", value: str = "", k: int = 5
) -> pd.DataFrame:
    """Rows for ``ids`` in one cell, with a withheld row for ids nobody answered."""
    rows = []
    for i in ids:
        idx = (i, scope, by, value)
        if idx in table.index:
            rows.append({"id": i, **table.loc[idx].to_dict()})
        else:
            rows.append({"id": i, **{c: np.nan for c in STAT_COLUMNS}, "size": 0,
                         "shown": False, "note": suppressed_note(0, k)})
    out = pd.DataFrame(rows)
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
        dimension_id, dimension, n, mean, sd, min, q1, median, q3, max, band, shown, note
    """
    rules = _rules(rules)
    if sort not in SORTS:
        raise ValueError(f"sort={sort!r} is not a choice; use one of {list(SORTS)}")
    if filter is not None and filter[0] not in BREAKDOWNS:
        raise ValueError(f"cannot filter by {filter[0]!r}; choose one of {list(BREAKDOWNS)}")
    k = rules.min_group_size
    table = cell_table(scores, round, "dimension_id", k)
    by, value = filter if filter is not None else ("", "")
    dims = _dims(framework)
    found = _lookup(table, dims["dimension_id"].tolist(), group, by, value, k)
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
    scores: pd.DataFrame,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    round: str,
    filter: tuple[str, str] | None = None,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """How many people's scores round to each scale point, for dimensions that may be shown.

    This is the "dots" layer of the group profile: anonymous and rounded to the scale, so it
    shows the shape of the group without any one person's exact score or who gave it.

    Returns
    -------
    DataFrame
        dimension_id, dimension, value, count
    """
    rules = _rules(rules)
    profile = group_profile(scores, framework, group=group, round=round, filter=filter, rules=rules)
    shown = set(profile.loc[profile["shown"], "dimension_id"])
    frame = _in_scope(scores[scores["round"] == round], group, filter)
    frame = frame[frame["dimension_id"].isin(shown)]
    lo, hi = framework.scale.min, framework.scale.max
    value = np.clip(np.rint(frame["score"].to_numpy(dtype=float)), lo, hi).astype(int)
    counts = (
        pd.DataFrame({"dimension_id": frame["dimension_id"].to_numpy(), "value": value})
        .groupby(["dimension_id", "value"], observed=True)
        .size()
        .rename("count")
        .reset_index()
    )
    out = _dims(framework).merge(counts, on="dimension_id", how="inner")
    return out.sort_values(["order", "value"]).drop(columns="order").reset_index(drop=True)


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
        dimension_id, dimension, n, mean, sd, range, split, shown, note. ``split`` is True when
        the standard deviation is above ``rules.split_threshold``.
    """
    rules = _rules(rules)
    prof = group_profile(scores, framework, group=group, round=round, rules=rules)
    prof["range"] = prof["max"] - prof["min"]
    prof["split"] = prof["sd"] > rules.split_threshold
    prof = prof.sort_values(["shown", "sd"], ascending=[False, False], kind="stable")
    cols = ["dimension_id", "dimension", "n", "mean", "sd", "range", "split", "shown", "note"]
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
        item_id, item, dimension_id, dimension, n, sd, range, split, shown, note
    """
    rules = _rules(rules)
    k = rules.min_group_size
    table = cell_table(items, round, "item_id", k, breakdowns=())
    meta = pd.DataFrame(
        [
            {"item_id": i.id, "item": i.text, "dimension_id": d.id, "dimension": d.title}
            for d in framework.dimensions
            for i in d.items
        ]
    )
    found = _lookup(table, meta["item_id"].tolist(), group, k=k)
    out = pd.concat([meta, found.drop(columns=["id", "size"])], axis=1)
    out["range"] = out["max"] - out["min"]
    out["split"] = out["sd"] > rules.split_threshold
    out = out.sort_values(["shown", "sd"], ascending=[False, False], kind="stable")
    cols = ["item_id", "item", "dimension_id", "dimension", "n", "sd", "range", "split", "shown", "note"]
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
    table = cell_table(scores, round, "dimension_id", k)
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


def _by_round(
    scores: pd.DataFrame, framework: Framework, groups: list[str], rules: Rules
) -> pd.DataFrame:
    k = rules.min_group_size
    rounds = (
        scores.groupby("round", observed=True)["round_position"].min().sort_values(kind="stable")
    )
    dims = _dims(framework)
    parts = []
    for rnd, pos in rounds.items():
        table = cell_table(scores, rnd, "dimension_id", k)
        for group in groups:
            found = _lookup(table, dims["dimension_id"].tolist(), group, k=k)
            part = pd.concat([dims, found[["n", "mean", "sd", "shown", "note"]]], axis=1)
            part["group"], part["round"], part["round_position"] = group, rnd, int(pos)
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
    scores: pd.DataFrame,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    rules: Rules | None = None,
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
    return _by_round(scores, framework, [group], rules)


def cohort_overview(
    scores: pd.DataFrame, framework: Framework, *, rules: Rules | None = None
) -> pd.DataFrame:
    """Every group against its own earlier rounds (never a ranking of groups).

    Groups are listed by name, not by score. Columns as :func:`change_over_rounds`.
    """
    rules = _rules(rules)
    groups = sorted(scores["group"].unique().tolist())
    return _by_round(scores, framework, groups, rules)
