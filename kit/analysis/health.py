"""The partnership health check: each area's reading this round and which way it is moving."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.analysis.privacy import ALL_GROUPS, Rules
from kit.analysis.team import _rules, change_over_rounds
from kit.content.models import Framework

__all__ = ["health_check", "trend_word", "STEADY"]

#: A change smaller than this (scale points) reads as "steady".
STEADY = 0.25


def trend_word(change: float) -> str:
    """``"improving"``, ``"declining"``, ``"steady"``, or ``""`` when there is no change to read."""
    if change is None or np.isnan(change):
        return ""
    if change >= STEADY:
        return "improving"
    if change <= -STEADY:
        return "declining"
    return "steady"


def health_check(
    scores: pd.DataFrame,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """Every round's reading per area of the health check, with its band and trend.

    Parameters
    ----------
    scores
        :func:`kit.analysis.people.person_scores` of the partnership health check responses.

    Returns
    -------
    DataFrame
        The columns of :func:`kit.analysis.team.change_over_rounds` plus ``band`` (the band's
        label for the mean) and ``trend`` (against the previous round).
    """
    rules = _rules(rules)
    out = change_over_rounds(scores, framework, group=group, rules=rules)
    out["band"] = [
        framework.band_for(m).label if framework.bands and not np.isnan(m) else ""
        for m in out["mean"].astype(float)
    ]
    out["trend"] = [trend_word(c) for c in out["change"].astype(float)]
    return out
