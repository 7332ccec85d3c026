"""Importance against performance: what members rate as mattering, beside how it is going."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.analysis.privacy import ALL_GROUPS, Rules, suppressed_note
from kit.analysis.scoring import needs_focus
from kit.analysis.team import _lookup, _rules, cell_table, group_profile
from kit.content.models import Framework
from kit.i18n import N_

__all__ = ["importance_performance", "QUADRANTS"]

#: Quadrant names, keyed by (importance is high, performance is high). "Focus here" itself is
#: decided by :func:`kit.analysis.scoring.needs_focus`, the rule behind a person's priorities.
QUADRANTS = {
    (True, False): N_("Focus here"),
    (True, True): N_("Keep it up"),
    (False, False): N_("Watch"),
    (False, True): N_("Less pressing"),
}


def _quadrant(importance: float, performance: float, iscale, framework: Framework) -> str:
    irange = (float(iscale.min), float(iscale.max))
    prange = (float(framework.scale.min), float(framework.scale.max))
    if needs_focus(importance, performance, irange, prange):
        return "Focus here"
    # needs_focus already covers every high-importance, low-score dimension
    return QUADRANTS[(importance >= sum(irange) / 2, performance >= sum(prange) / 2)]


def importance_performance(
    scores: pd.DataFrame,
    importance: pd.DataFrame,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    round: str,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """Mean importance and mean score per dimension, with the quadrant each falls in.

    "Focus here" uses the same gap rule as a person's priorities
    (:func:`kit.analysis.scoring.needs_focus`: importance at or above the middle of its scale
    and higher than the score, both put on 0-1). Every other dimension takes the quadrant
    given by the middle of each scale. Importance is summarised for whole groups
    only (no breakdowns), under the same rules as scores.

    Parameters
    ----------
    scores
        From :func:`kit.analysis.people.person_scores`.
    importance
        From :func:`kit.analysis.people.person_importance`.

    Returns
    -------
    DataFrame
        dimension_id, dimension, performance, n_performance, importance, n_importance,
        quadrant, shown, note (only dimensions where importance is asked)
    """
    rules = _rules(rules)
    prof = group_profile(scores, framework, group=group, round=round, rules=rules)
    asked = [d.id for d in framework.dimensions if d.ask_importance]
    if not asked and isinstance(importance, pd.DataFrame) and not importance.empty:
        asked = [d.id for d in framework.dimensions if d.id in set(importance["dimension_id"])]
    k = rules.min_group_size
    table = cell_table(importance, round, "dimension_id", k, breakdowns=(), col="importance",
                       overlap=rules.hardened, measure="importance")
    found = _lookup(table, asked, group, k=k).set_index("id")
    rows = []
    iscale = framework.importance_scale or framework.scale
    for d in framework.dimensions:
        if d.id not in asked:
            continue
        p = prof[prof["dimension_id"] == d.id].iloc[0]
        n_imp = int(found.at[d.id, "size"])
        imp_shown = bool(found.at[d.id, "shown"])
        shown = bool(p["shown"]) and imp_shown
        perf = float(p["mean"]) if shown else np.nan
        imean = float(found.at[d.id, "mean"]) if shown else np.nan
        if shown:
            note = ""
        elif not p["shown"]:
            note = p["note"]
        else:
            note = suppressed_note(n_imp, rules.min_group_size)
        rows.append(
            {
                "dimension_id": d.id,
                "dimension": d.title,
                "performance": perf,
                "n_performance": float(p["n"]) if shown else np.nan,
                "importance": imean,
                "n_importance": float(n_imp) if shown else np.nan,
                "quadrant": _quadrant(imean, perf, iscale, framework) if shown else "",
                "shown": shown,
                "note": note,
            }
        )
    cols = ["dimension_id", "dimension", "performance", "n_performance", "importance",
            "n_importance", "quadrant", "shown", "note"]
    return pd.DataFrame(rows, columns=cols)
