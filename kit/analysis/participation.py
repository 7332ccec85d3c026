"""Who has taken part: head counts per group and round (counts, never answers)."""

from __future__ import annotations

import pandas as pd

from kit.analysis.cells import _rules
from kit.analysis.privacy import Rules

__all__ = ["participation_table", "participation_from_responses"]


def participation_from_responses(responses: pd.DataFrame, members: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count people who answered per group and round, from a responses frame.

    ``members`` (group, members) adds the group sizes; without it ``members`` is the number of
    distinct people seen in any round of that group.
    """
    if responses.empty:
        return pd.DataFrame(columns=["group", "round", "round_position", "members", "responded"])
    responded = (
        responses.groupby(["group", "round"], observed=True)
        .agg(round_position=("round_position", "min"), responded=("participant_id", "nunique"))
        .reset_index()
    )
    if members is None:
        members = responses.groupby("group", observed=True)["participant_id"].nunique().rename("members").reset_index()
    out = responded.merge(members, on="group", how="left")
    return out[["group", "round", "round_position", "members", "responded"]]


def participation_table(participation: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """Add the response rate and whether there are enough responses to show scores.

    Parameters
    ----------
    participation
        ``Store.participation(cohort_id)``: group, round, members, responded (``round_position``
        is used for ordering when present).

    Returns
    -------
    DataFrame
        group, round, members, responded, rate (0-1), enough (responded >= min group size),
        still_needed (how many more responses before scores can show; blank for a group
        smaller than the minimum, which no number of answers would help) and note (in
        English, as the snapshots keep it: "a group of 3 can never reach 5", or "needs 2 more
        answers")

    Examples
    --------
    >>> from kit.analysis.privacy import Rules
    >>> part = pd.DataFrame({"group": ["A", "B"], "round": ["R", "R"], "members": [3, 8],
    ...                      "responded": [3, 3]})
    >>> participation_table(part, Rules(min_group_size=5))[["still_needed", "note"]].values.tolist()
    [[<NA>, 'a group of 3 can never reach 5'], [2, 'needs 2 more answers']]
    """
    rules = _rules(rules)
    out = participation.copy()
    missing = [c for c in ("group", "round", "members", "responded") if c not in out.columns]
    if missing:
        raise ValueError(f"the participation frame has no column(s) {missing}; expected group, round, members, responded")
    out["members"] = out["members"].fillna(0).astype(int)
    out["responded"] = out["responded"].fillna(0).astype(int)
    out["rate"] = (out["responded"] / out["members"].where(out["members"] > 0)).fillna(0.0)
    out["enough"] = out["responded"] >= rules.min_group_size
    k = rules.min_group_size
    never = out["members"] < k  # more answers would not help: the group is too small
    out["still_needed"] = (k - out["responded"]).clip(lower=0).astype("Int64").mask(never)
    out["note"] = [
        f"a group of {m} can never reach {k}" if m < k
        else (f"needs {k - r} more answer{'s' if k - r != 1 else ''}" if r < k else "")
        for m, r in zip(out["members"], out["responded"], strict=True)]
    sort = ["group", "round_position"] if "round_position" in out.columns else ["group"]
    out = out.sort_values(sort, kind="stable").reset_index(drop=True)
    cols = ["group", "round", "members", "responded", "rate", "enough", "still_needed", "note"]
    if "round_position" in out.columns:
        cols.insert(2, "round_position")
    return out[cols]
