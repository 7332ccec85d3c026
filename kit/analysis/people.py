"""Turn the store's long answer frames into per-person scores (before any grouping).

These frames hold one person's values and must never reach a chart or a page: the other
modules in :mod:`kit.analysis` summarise them under the rules in :mod:`kit.analysis.privacy`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.analysis.privacy import fill_attributes
from kit.analysis.scoring import MIN_ANSWERED
from kit.content.models import Framework

__all__ = ["item_frame", "person_scores", "person_importance", "round_order", "RESPONSE_COLUMNS"]

#: Columns of ``Store.responses_frame`` that the analysis reads.
RESPONSE_COLUMNS = (
    "participant_id", "group", "organisation", "sector", "role_level",
    "round", "round_position", "item_id", "value",
)
_KEEP = ["participant_id", "group", "organisation", "sector", "role_level", "round", "round_position"]


def _check(frame: pd.DataFrame, needed: tuple[str, ...], what: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(
            f"the {what} frame has no column(s) {missing}; expected the columns of "
            f"Store.{what}_frame: {list(needed)}"
        )


def _attributes(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per participant: group, organisation, sector, role level (blanks filled)."""
    cols = [c for c in ("group", "organisation", "sector", "role_level") if c in frame.columns]
    people = frame.drop_duplicates("participant_id").set_index("participant_id")[cols]
    return fill_attributes(people)


def _attach(out: pd.DataFrame, people: pd.DataFrame, pids: np.ndarray) -> None:
    """Add each participant's attributes to ``out`` (aligned with ``pids``), as categoricals."""
    pos = people.index.get_indexer(pids)
    for col in ("group", "organisation", "sector", "role_level"):
        cat = pd.Categorical(people[col])
        out[col] = pd.Categorical.from_codes(cat.codes[pos], categories=cat.categories)


def _rounds(frame: pd.DataFrame) -> dict:
    return frame.groupby("round", observed=True)["round_position"].min().to_dict()


def item_frame(responses: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Scored answers, one row per person, round and answered item.

    Reverse-keyed items are flipped (``max + min - value``); "not applicable" answers (NaN)
    and items the framework does not have (for example retired ones) are dropped.

    Returns
    -------
    DataFrame
        participant_id, group, organisation, sector, role_level, round, round_position,
        item_id, dimension_id, score
    """
    _check(responses, tuple(c for c in RESPONSE_COLUMNS if c != "role_level"), "responses")
    frame = responses if "role_level" in responses.columns else responses.assign(role_level=None)
    dim_of = {i.id: d.id for d in framework.dimensions for i in d.items}
    reverse = {i.id: i.reverse for i in framework.items}
    codes, uniques = pd.factorize(frame["item_id"])
    known = np.array([u in dim_of for u in uniques] + [False])
    keep = known[codes] & frame["value"].notna().to_numpy()
    codes = codes[keep]
    value = frame["value"].to_numpy(dtype=float)[keep]
    flip = np.array([reverse.get(u, False) for u in uniques] + [False])[codes]
    lo, hi = framework.scale.min, framework.scale.max
    pids = frame["participant_id"].to_numpy()[keep]
    out = pd.DataFrame({"participant_id": pids})
    _attach(out, _attributes(frame), pids)
    rounds = frame["round"].to_numpy()[keep]
    out["round"] = pd.Categorical(rounds)
    positions = _rounds(frame)
    out["round_position"] = out["round"].map(positions).astype(int)
    item_cat = pd.Categorical.from_codes(codes, categories=pd.Index(uniques))
    out["item_id"] = item_cat
    out["dimension_id"] = item_cat.map(dim_of)
    out["score"] = np.where(flip, hi + lo - value, value)
    return out


def person_scores(responses: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Each person's dimension score per round: the mean of their answers to its helpful
    acts (check items and events are left out, as in the personal profile).

    A dimension where someone answered fewer than
    :data:`kit.analysis.scoring.MIN_ANSWERED` items on the scale (the rest "not applicable"
    or left out) has no row for them: it is "not enough answers", the same rule as the
    personal profile.

    Returns
    -------
    DataFrame
        participant_id, group, organisation, sector, role_level, round, round_position,
        dimension_id, score, answered (number of items behind the score)

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.content.models import *
    >>> fw = Framework("f", "F", "", "self", Scale(tuple(ScalePoint(v, str(v)) for v in range(1, 6))),
    ...                (), (Dimension("d", "D", "", (Item("a", "A"), Item("b", "B", reverse=True))),))
    >>> r = pd.DataFrame({"participant_id": [1, 1], "group": "G", "organisation": None,
    ...     "sector": None, "role_level": None, "round": "R", "round_position": 1,
    ...     "item_id": ["a", "b"], "value": [4.0, 2.0]})
    >>> person_scores(r, fw).empty   # one helpful act answered: not enough for a score
    True
    """
    items = item_frame(responses, framework)
    # Only helpful acts make a score: check items (habits to watch) and events never do.
    scored = {i.id for i in framework.items if i.scored}
    items = items[items["item_id"].isin(scored).to_numpy()]
    grouped = items.groupby(["participant_id", "round", "dimension_id"], observed=True, sort=True)["score"]
    agg = grouped.agg(score="mean", answered="size").reset_index()
    agg = agg[agg["answered"] >= MIN_ANSWERED].reset_index(drop=True)
    pids = agg["participant_id"].to_numpy()
    out = pd.DataFrame({"participant_id": pids})
    frame = responses if "role_level" in responses.columns else responses.assign(role_level=None)
    _attach(out, _attributes(frame), pids)
    out["round"] = agg["round"].to_numpy()
    out["round_position"] = agg["round"].map(_rounds(responses)).astype(int).to_numpy()
    out["dimension_id"] = agg["dimension_id"].to_numpy()
    out["score"] = agg["score"].to_numpy()
    out["answered"] = agg["answered"].to_numpy()
    return out


def person_importance(importance: pd.DataFrame, responses: pd.DataFrame | None = None) -> pd.DataFrame:
    """Importance ratings, one row per person, round and dimension (blanks dropped).

    ``Store.importance_frame`` has no ``role_level``; it is taken from ``responses`` when given.
    """
    _check(
        importance,
        ("participant_id", "group", "organisation", "sector", "round", "round_position",
         "dimension_id", "importance"),
        "importance",
    )
    frame = importance[importance["importance"].notna()].copy()
    if "role_level" not in frame.columns:
        if responses is not None and "role_level" in responses.columns and len(responses):
            roles = responses.drop_duplicates("participant_id").set_index("participant_id")["role_level"]
            frame["role_level"] = frame["participant_id"].map(roles)
        else:
            frame["role_level"] = None
    frame = fill_attributes(frame)
    frame["importance"] = frame["importance"].astype(float)
    return frame[_KEEP + ["dimension_id", "importance"]].reset_index(drop=True)


def round_order(frame: pd.DataFrame) -> list[str]:
    """Round names in the order they were run (by ``round_position``)."""
    if frame.empty:
        return []
    pos = frame.groupby("round", observed=True)["round_position"].min().sort_values(kind="stable")
    return [str(r) for r in pos.index]
