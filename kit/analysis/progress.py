"""One person across rounds: scores per round under the edition each answered, the change
since the first round, the then-test ("looking back, how often did you do this before the
programme?") and what they committed to in each area.

Scores made under different editions of a framework are never compared.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from kit.analysis.network import _field
from kit.analysis.profile import (
    COUNT_COLUMNS,
    Change,
    LookingBack,
    Profile,
    _counts,
    _make_profile,
)
from kit.analysis.scoring import dimension_readings
from kit.content.models import Framework
from kit.i18n import N_, _

__all__ = [
    "looking_back",
    "history_from_scores",
    "profile_from_history",
    "changes",
    "commitments_by_area",
    "HISTORY_COLUMNS",
    "NOT_SURE",
]

log = logging.getLogger(__name__)

#: what a then-test answer of ``None`` reads as
NOT_SURE = N_("Not sure")


def looking_back(framework: Framework, then: Mapping[str, int | None] | None,
                 history: pd.DataFrame | None = None,
                 latest_round: str | None = None) -> tuple[LookingBack, ...]:
    """The then-test answers of one submission in framework order, each beside the first score
    the person gave that area in an earlier round under the same edition (from ``history``,
    leaving out ``latest_round``). Areas not answered are left out; answers off the scale are
    ignored (the store refuses them).

    Examples
    --------
    >>> from kit.content import load_framework
    >>> fw = load_framework("collaboration-behaviours")
    >>> [b.label for b in looking_back(fw, {fw.dimensions[0].id: 2})]
    ['Once']
    """
    then = dict(then or {})
    scale = framework.scale
    out = []
    for d in framework.dimensions:
        if d.id not in then:
            continue
        value = then[d.id]
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value not in scale.values):
            continue
        label = _(NOT_SURE) if value is None else scale.label(value)
        earlier_round = earlier = None
        if history is not None and not history.empty:
            part = history[(history["dimension_id"] == d.id) & history["score"].notna()]
            if latest_round is not None:
                part = part[part["round"].astype(str) != str(latest_round)]
            if "version" in part.columns:
                part = part[part["version"].fillna(framework.version).astype(int)
                            == framework.version]
            if len(part):
                first = part.sort_values("round_position", kind="stable").iloc[0]
                earlier_round, earlier = str(first["round"]), float(first["score"])
        out.append(LookingBack(d.id, d.title, value, label, earlier_round, earlier))
    return tuple(out)


HISTORY_COLUMNS = ["round_id", "round", "round_position", "dimension_id", "score",
                   "forward_answered", "version", *COUNT_COLUMNS]


def _edition(framework: Framework, version) -> Framework | None:
    if version is None or (isinstance(version, float) and math.isnan(version)):
        return framework
    version = int(version)
    if version == framework.version:
        return framework
    from kit.content import load_edition

    return load_edition(framework, version)


def history_from_scores(framework: Framework, frame: pd.DataFrame) -> pd.DataFrame:
    """Dimension scores per round from the store's ``participant_scores`` frame.

    Accepts an item-level long frame (``item_id`` and ``value``: raw answers, NaN = not
    applicable; optionally ``framework_version``, the edition each answer was given to) or a
    dimension-level one (``dimension_id`` and ``score``). Each round is scored under the edition
    it answered, never re-read under another. Returns :data:`HISTORY_COLUMNS` sorted by round
    position (the counts are missing for a dimension-level frame).
    """
    if frame is None or len(frame) == 0:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    df = frame.copy()
    for col, default in (("round_id", None), ("round", _("This round")), ("round_position", 0)):
        if col not in df.columns:
            df[col] = default
    df["round"] = df["round"].fillna(_("Private"))
    df["round_position"] = df["round_position"].fillna(0)
    if "framework_version" not in df.columns:
        df["framework_version"] = framework.version
    keys = ["round_id", "round", "round_position"]
    if "dimension_id" in df.columns and "score" in df.columns and "item_id" not in df.columns:
        out = df[keys + ["dimension_id", "score"]].copy()
        out["version"] = df["framework_version"]
        for col in ("forward_answered", *COUNT_COLUMNS):
            out[col] = df[col] if col in df.columns else np.nan
    else:
        if "item_id" not in df.columns or "value" not in df.columns:
            raise ValueError(
                "participant scores need either item_id and value columns or dimension_id and "
                f"score columns; got {sorted(df.columns)}"
            )
        rows = []
        for key, part in df.groupby(["round", "round_position", "framework_version"],
                                    dropna=False, sort=False):
            edition = _edition(framework, key[2])
            if edition is None:  # an edition no longer kept: its answers cannot be read
                log.info("%s: edition %s of framework %r is not kept, so its %d answers are "
                         "left out of the history", key[0], key[2], framework.id, len(part))
                continue
            answers = _answers_in(edition, part, key[0])
            round_id = part["round_id"].iloc[0]
            for dim_id, r in dimension_readings(edition, answers).items():
                c = _counts(r)
                rows.append((round_id, key[0], key[1], dim_id, r.score, r.answered,
                             edition.version, *(c[k] for k in COUNT_COLUMNS)))
        out = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    out["score"] = pd.to_numeric(out["score"], errors="coerce")
    return out.sort_values(["round_position", "dimension_id"], kind="stable").reset_index(drop=True)


def _answers_in(edition: Framework, part: pd.DataFrame, round_name) -> dict:
    """``{item_id: value}`` of one round's answers to ``edition`` (None: not applicable),
    leaving out items retired from the framework since (logged, so none vanishes unseen)."""
    answers = {}
    retired = []
    for item_id, value in zip(part["item_id"], part["value"], strict=True):
        try:
            edition.item(item_id)
        except KeyError:
            retired.append(item_id)  # an item retired from the framework since
            continue
        answers[item_id] = None if pd.isna(value) else int(value)
    if retired:
        log.info("%s: %d answers to items no longer in edition %s of framework %r are left "
                 "out of the scores: %s", round_name, len(retired), edition.version,
                 edition.id, ", ".join(sorted(map(str, retired))))
    return answers


def changes(framework: Framework, history: pd.DataFrame,
            version: int | None = None) -> tuple[Change, ...]:
    """Change per dimension from the first round to the latest round that scored it, among the
    rounds answered under ``version`` (default: every round); scores made under different
    editions are never compared."""
    if history is None or history.empty:
        return ()
    if version is not None and "version" in history.columns:
        history = history[history["version"].fillna(version).astype(int) == int(version)]
    out = []
    for d in framework.dimensions:
        part = history[(history["dimension_id"] == d.id) & history["score"].notna()]
        part = part.sort_values("round_position", kind="stable")
        if part["round"].nunique() < 2:
            continue
        first, last = part.iloc[0], part.iloc[-1]
        out.append(Change(d.id, d.title, str(first["round"]), str(last["round"]),
                          float(first["score"]), float(last["score"])))
    return tuple(out)


def profile_from_history(framework: Framework, history: pd.DataFrame,
                         importance: Mapping[str, int] | None = None,
                         then: Mapping[str, int | None] | None = None) -> Profile | None:
    """The latest round's profile, with change since the first round answered under the same
    edition, and the latest round's then-test (``then``, see :func:`looking_back`). ``None``
    with no data.

    When the latest round answered an earlier edition, the profile is that edition's, and says
    so (:attr:`Profile.edition_note`).
    """
    if history is None or history.empty or history["score"].notna().sum() == 0:
        return None
    scored = history[history["score"].notna()]
    latest_pos = scored["round_position"].max()
    latest = history[history["round_position"] == latest_pos]
    round_name = str(latest["round"].iloc[0])
    version = latest["version"].iloc[0] if "version" in latest.columns else None
    edition = _edition(framework, version) or framework
    scores = dict(zip(latest["dimension_id"], latest["score"], strict=True))
    counts = {d: {k: row.get(k) for k in COUNT_COLUMNS}
              for d, row in zip(latest["dimension_id"], latest.to_dict("records"), strict=True)}
    others = ()
    if "version" in history.columns:
        v = history["version"].fillna(edition.version).astype(int)
        other = history[v != edition.version].drop_duplicates("round")
        others = tuple((str(r), int(n)) for r, n in zip(
            other["round"], other["version"].fillna(edition.version), strict=True))
    profile = _make_profile(edition, round_name, scores, dict(importance or {}),
                            changes(edition, history, edition.version), counts=counts,
                            current_version=framework.version, other_editions=others)
    if then:
        profile = replace(profile, looking_back=looking_back(edition, then, history, round_name))
    return profile


def commitments_by_area(framework: Framework, commitments: Iterable) -> list[tuple[str, list]]:
    """``[(area title, [commitment, ...]), ...]`` in framework order, then commitments with no
    area (under "Other"), each list oldest first: what the person committed to in each area, to
    read beside how the area changed."""
    by: dict[str | None, list] = {}
    for c in commitments:
        by.setdefault(_field(c, "dimension_id"), []).append(c)
    out = []
    for d in framework.dimensions:
        if d.id in by:
            out.append((d.title, sorted(by.pop(d.id), key=lambda c: _field(c, "id"))))
    rest = [c for cs in by.values() for c in cs]
    if rest:
        out.append((_("Other"), sorted(rest, key=lambda c: _field(c, "id"))))
    return out


