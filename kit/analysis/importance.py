"""Importance against performance: what members rate as mattering, beside how it is going."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.analysis.cells import _lookup, _rules, cell_table
from kit.analysis.privacy import ALL_GROUPS, Rules, suppressed_note
from kit.analysis.scoring import matters_a_lot, needs_focus
from kit.analysis.team import group_profile
from kit.content.models import Framework
from kit.i18n import N_

__all__ = ["importance_performance", "QUADRANTS", "quadrant_lines"]

#: Quadrant names, keyed by (matters a lot, in the top band). "Focus here" is exactly
#: :func:`kit.analysis.scoring.needs_focus`, the rule behind a person's "Where to focus".
QUADRANTS = {
    (True, False): N_("Focus here"),
    (True, True): N_("Keep it up"),
    (False, False): N_("Watch"),
    (False, True): N_("Less pressing"),
}


def quadrant_lines(framework: Framework) -> tuple[float, float]:
    """``(performance line, importance line)``: where the top band starts on the rating scale,
    and the second-highest point of the importance scale ("Matters a lot"). The chart draws its
    quadrant lines here, so marks, quadrants and words follow one rule."""
    iscale = framework.importance_scale or framework.scale
    lo, hi = float(iscale.min), float(iscale.max)
    line = hi - 1 if hi - lo >= 2 else hi
    return float(framework.top_band.min), line


def _quadrant(importance: float, performance: float, iscale, framework: Framework) -> str:
    irange = (float(iscale.min), float(iscale.max))
    top = float(framework.top_band.min)
    if needs_focus(importance, performance, irange, top):
        return "Focus here"
    return QUADRANTS[(matters_a_lot(importance, irange), performance >= top)]


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

    "Focus here" is the rule behind a person's "Where to focus"
    (:func:`kit.analysis.scoring.needs_focus`): the group's mean importance is at or above
    "Matters a lot" and its mean score is below the top band. The other quadrants split on the
    same two lines (:func:`quadrant_lines`); importance and score are never subtracted.
    Importance is summarised for whole groups only (no breakdowns), under the same rules as
    scores. A withheld cell has no quadrant and a note saying why.

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
