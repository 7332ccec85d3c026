"""Change over rounds: each round's group means beside the same scope's earlier rounds.

Each round is summarised over the people who answered in it, from the suppressed cell tables
of :mod:`kit.analysis.cells` (or a published snapshot's). No paired (same-person) difference
is ever published. Groups are listed by name, never ranked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.analysis.cells import _dims, _lookup, _lookup_scopes, _rules, _scores_table
from kit.analysis.privacy import ALL_GROUPS, Rules
from kit.content.models import Framework

__all__ = ["change_over_rounds", "cohort_overview"]


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
