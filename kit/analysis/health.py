"""The partnership health check: each area's reading, where members differ, how each
organisation sees it, and which way it is moving.

Every table here is read through the same suppressed cell tables as the self-assessment's
views (:mod:`kit.analysis.team`): "where we differ" is the "how our habits vary" path
(:func:`~kit.analysis.team.disagreement` and :func:`~kit.analysis.team.score_distribution`)
and "across organisations" the breakdown path (:func:`~kit.analysis.team.breakdown`), so a
published snapshot's plan (minimum size, cell combinations, everyone giving one value) holds
for the health check as it does for the self-assessment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.analysis.cells import _dims, _lookup, _rules, band_column, cell_table
from kit.analysis.over_rounds import change_over_rounds
from kit.analysis.privacy import ALL_GROUPS, Rules, fill_attributes, suppressed_note
from kit.analysis.team import breakdown, disagreement, score_distribution
from kit.content.models import Band, Framework
from kit.i18n import N_, _

__all__ = ["health_check", "trend_word", "STEADY", "where_we_differ", "across_organisations",
           "ONE_BAND_NOTE", "TREND_BANDS", "TREND_ANSWERS", "trend_person_frame", "trend_votes",
           "NO_VOTES_NOTE"]

#: The answers to "better, the same or worse since last time?" as stored (English labels,
#: shown through ``_()``); "first time or don't know" is stored as no value and never counted.
TREND_ANSWERS = ((1, "better", N_("Better")), (0, "same", N_("The same")),
                 (-1, "worse", N_("Worse")))
#: The votes as bands, so a published cell's band counts are its vote counts (lowest first).
TREND_BANDS = (Band("worse", "Worse", -1.5), Band("same", "The same", -0.5),
               Band("better", "Better", 0.5))
#: Why an area has no vote counts when nobody counted voted on it (English, shown through
#: ``_()``).
NO_VOTES_NOTE = N_("nobody counted said whether it is better, the same or worse")

#: Why an area's counts per band are not drawn although its spread is shown (English, shown
#: through ``_()``).
ONE_BAND_NOTE = N_("every rating falls in one band, so the counts would tell each member's band")

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


def where_we_differ(
    scores,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    round: str,
    rules: Rules | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How far apart members' health-check ratings are per area, and how many fall in each band.

    The spread is :func:`kit.analysis.team.disagreement` on the health check (the self-
    assessment's "how our habits vary" rules, unchanged). Band counts are given only for areas
    whose spread is shown, and never where one band holds everyone: that would tell each
    member's band.

    Parameters
    ----------
    scores
        Per-person health-check scores, or the health check's published snapshot.

    Returns
    -------
    (spread, distribution)
        ``spread``: dimension_id, dimension, n, mean, sd, split, shown, note, bands_shown,
        bands_note (most differing first). ``distribution``: dimension_id, dimension, band,
        band_label, order, count, for the areas with ``bands_shown`` only.
    """
    rules = _rules(rules)
    spread = disagreement(scores, framework, group=group, round=round, rules=rules)
    dist = score_distribution(scores, framework, group=group, round=round, rules=rules)
    shown_ids = set(spread.loc[spread["shown"].astype(bool), "dimension_id"])
    dist = dist[dist["dimension_id"].isin(shown_ids)]
    totals = dist.groupby("dimension_id")["count"].agg(["sum", "max"])
    one_band = set(totals.index[(totals["sum"] > 0) & (totals["max"] >= totals["sum"])])
    dist = dist[~dist["dimension_id"].isin(one_band)].reset_index(drop=True)
    has_bands = set(dist["dimension_id"])
    spread = spread.assign(
        bands_shown=[d in has_bands for d in spread["dimension_id"]],
        bands_note=[_(ONE_BAND_NOTE) if d in one_band else (n if not s else "")
                    for d, s, n in zip(spread["dimension_id"], spread["shown"], spread["note"],
                                       strict=True)],
    )
    return spread, dist


def across_organisations(
    scores,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    round: str,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """The health check's mean per area for each partner organisation in a scope.

    :func:`kit.analysis.team.breakdown` by organisation: the same plan as the self-
    assessment's "across organisations" view (minimum size, siblings and remainders, every
    combination of cells), withheld cells kept with their reason.
    """
    return breakdown(scores, framework, by="organisation", group=group, round=round,
                     rules=_rules(rules))


def trend_person_frame(trends: pd.DataFrame, responses: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per counted vote (better 1, the same 0, worse -1), "first time or don't know"
    left out: the per-person frame the planner summarises like any score."""
    cols = ["participant_id", "group", "organisation", "sector", "role_level", "round",
            "round_position", "dimension_id", "trend"]
    if trends is None or trends.empty:
        return pd.DataFrame(columns=cols)
    frame = trends[trends["trend"].notna()].copy()
    for c in cols:
        if c not in frame.columns:
            frame[c] = None
    frame = fill_attributes(frame[cols])
    frame["trend"] = frame["trend"].astype(float)
    return frame.reset_index(drop=True)


def trend_votes(
    votes,
    framework: Framework,
    *,
    group: str = ALL_GROUPS,
    round: str,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """How many counted members said each area is better, the same or worse since last time.

    Read through the same suppressed cell tables as every score (:func:`kit.analysis.team.
    cell_table`, measure ``"trend"``): a count is shown only for a cell the plan shows (at
    least the minimum number of voters, safe against every other cell, and never when
    everyone gave the same answer, which would tell each person's vote).

    Parameters
    ----------
    votes
        :func:`trend_person_frame` of the votes, or the health check's published snapshot.

    Returns
    -------
    DataFrame
        dimension_id, dimension, n (voters, "don't know" not counted), better, same, worse,
        shown, note.
    """
    rules = _rules(rules)
    k = rules.min_group_size
    table = cell_table(votes, round, "dimension_id", k, breakdowns=(), col="trend",
                       bands=TREND_BANDS, overlap=rules.hardened, measure="trend")
    dims = _dims(framework)
    found = _lookup(table, dims["dimension_id"].tolist(), group, k=k)
    out = dims[["dimension_id", "dimension"]].copy()
    out["n"] = found["n"].to_numpy()
    for _value, band_id, _label in TREND_ANSWERS:
        col = band_column(band_id)
        out[band_id] = found[col].to_numpy() if col in found.columns else np.nan
    out["shown"] = found["shown"].astype(bool).to_numpy()
    sizes = found["size"].fillna(0).astype(int).to_numpy() if "size" in found.columns else [0] * len(out)
    out["note"] = [
        "" if s else (_(NO_VOTES_NOTE) if size == 0 and note == suppressed_note(0, k) else note)
        for s, size, note in zip(out["shown"], sizes, found["note"], strict=True)
    ]
    return out.reset_index(drop=True)
