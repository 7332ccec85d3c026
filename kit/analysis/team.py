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

The cell machinery lives in :mod:`kit.analysis.cells` and the views across rounds in
:mod:`kit.analysis.over_rounds`; their names stay importable from here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.analysis.cells import (
    DECIMALS,
    MEASURES,
    STAT_COLUMNS,
    _bands,
    _dims,
    _lookup,
    _rules,
    _scores_table,
    apply_plans,
    band_column,
    cell_stats,
    cell_table,
    homogeneous_cells,
    plans,
)
from kit.analysis.over_rounds import change_over_rounds, cohort_overview
from kit.analysis.privacy import ALL_GROUPS, BREAKDOWNS, Rules
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
    # defined in kit.analysis.cells since issue 26, still importable from here
    "DECIMALS",
    "MEASURES",
    "band_column",
    "cell_stats",
    "homogeneous_cells",
    "apply_plans",
]

#: How the group profile can be ordered.
SORTS = ("framework", "mean", "disagreement")


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


