"""Evidence for trainers: how each item of a framework behaves in a cohort.

``kit item-report`` prints these tables. Every figure rests on at least the minimum group size
(:class:`kit.analysis.privacy.Rules`): a figure from fewer people is withheld, and when one
role level's figure is withheld, the next smallest is withheld too, so it cannot be worked out
from the rest. No table holds a person's answer.

Tables
------
items
    Per item: its kind (helpful act, check item, event), how many answered on the scale, the
    share at the floor (lowest point) and at the ceiling (top point), the share answering "No
    chance", and the item-rest correlation (with the mean of the area's other helpful acts;
    a check item is expected to correlate negatively).
no_chance_by_role
    Per item and role level: the share answering "No chance". An item that many at one level
    cannot answer is probably not level-neutral.
areas
    Per area: Cronbach's alpha over its helpful acts (people who answered all of them).
stability
    Per area and pair of consecutive rounds: the correlation of people's area scores between
    the two rounds (people who answered both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit.analysis.privacy import Rules, fill_attributes, suppressed_note
from kit.analysis.scoring import MIN_ANSWERED
from kit.content.models import Framework
from kit.i18n import N_, _

__all__ = ["ItemReport", "item_report", "KIND_WORDS", "NO_CHANCE_LIMIT"]

#: An item whose "No chance" share is above this is flagged: most people cannot answer it.
NO_CHANCE_LIMIT = 0.6

KIND_WORDS = {"helpful": N_("helpful act"), "check": N_("check item"), "event": N_("event")}


@dataclass(frozen=True)
class ItemReport:
    """The four tables of an item report, plus the rule they were made under."""

    items: pd.DataFrame
    no_chance_by_role: pd.DataFrame
    areas: pd.DataFrame
    stability: pd.DataFrame
    min_group_size: int

    def flagged(self) -> list[str]:
        """Item ids whose "No chance" share is above :data:`NO_CHANCE_LIMIT`."""
        shown = self.items[self.items["shown"]]
        return shown.loc[shown["no_chance"] > NO_CHANCE_LIMIT, "item_id"].tolist()


def _kind(item) -> str:
    return "check" if item.reverse else "event" if item.event else "helpful"


def _alpha(table: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``table`` (complete rows only)."""
    table = table.dropna()
    k = table.shape[1]
    if k < 2 or len(table) < 2:
        return float("nan")
    total = table.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - table.var(ddof=1).sum() / total))


def _corr(a: pd.Series, b: pd.Series) -> float:
    both = pd.concat([a, b], axis=1).dropna()
    if len(both) < 3 or both.iloc[:, 0].std() == 0 or both.iloc[:, 1].std() == 0:
        return float("nan")
    return float(both.iloc[:, 0].corr(both.iloc[:, 1]))


def item_report(responses: pd.DataFrame, framework: Framework, *,
                round: str | None = None, rules: Rules | None = None) -> ItemReport:
    """The item report of ``framework`` over a cohort's responses (``Store.responses_frame``).

    ``round`` limits every table but ``stability`` to one round (default: all rounds, each
    person-round a case).
    """
    rules = rules or Rules()
    k = rules.min_group_size
    lo, hi = framework.scale.min, framework.scale.max
    known = {i.id for i in framework.items}
    frame = responses[responses["item_id"].isin(known)].copy()
    if "role_level" not in frame.columns:
        frame["role_level"] = None
    frame = fill_attributes(frame) if len(frame) else frame
    every = frame
    if round is not None:
        frame = frame[frame["round"] == round]
    frame["case"] = list(zip(frame["participant_id"], frame["round"], strict=True))
    wide = frame.pivot_table(index="case", columns="item_id", values="value", aggfunc="first",
                             dropna=False) if len(frame) else pd.DataFrame()
    answered_any = frame.groupby("item_id", observed=True)["case"].nunique() if len(frame) else {}

    item_rows = []
    for dim in framework.dimensions:
        helpful = [i.id for i in dim.scored_items]
        for item in dim.items:
            col = wide[item.id] if item.id in wide.columns else pd.Series(dtype=float)
            cases = int(answered_any.get(item.id, 0)) if len(frame) else 0
            on_scale = col.dropna()
            n = len(on_scale)
            rest_ids = [h for h in helpful if h != item.id and h in wide.columns]
            rest = wide[rest_ids].mean(axis=1) if rest_ids else pd.Series(dtype=float)
            shown = n >= k and cases >= k
            item_rows.append({
                "item_id": item.id, "dimension_id": dim.id, "area": dim.title,
                "kind": _(KIND_WORDS[_kind(item)]), "n": n,
                "floor": float((on_scale == lo).mean()) if shown else np.nan,
                "ceiling": float((on_scale == hi).mean()) if shown else np.nan,
                "no_chance": float(1 - n / cases) if shown else np.nan,
                "item_rest": _corr(col, rest) if shown and rest_ids else np.nan,
                "shown": shown, "note": "" if shown else suppressed_note(min(n, cases), k),
            })
    items = pd.DataFrame(item_rows, columns=["item_id", "dimension_id", "area", "kind", "n",
                                             "floor", "ceiling", "no_chance", "item_rest",
                                             "shown", "note"])

    role_rows = []
    if len(frame):
        per = frame.assign(na=frame["value"].isna()).groupby(
            ["item_id", "role_level"], observed=True)["na"].agg(["size", "mean"]).reset_index()
        for item_id, part in per.groupby("item_id", observed=True, sort=False):
            part = part.sort_values("size")
            hidden = set(part.loc[part["size"] < k, "role_level"])
            if len(hidden) == 1 and len(part) > 1:  # one withheld cell could be worked out
                hidden.add(part.loc[~part["role_level"].isin(hidden), "role_level"].iloc[0])
            for row in part.itertuples():
                show = row.role_level not in hidden
                role_rows.append({"item_id": item_id, "role_level": row.role_level,
                                  "n": int(row.size) if show else np.nan,
                                  "no_chance": float(row.mean) if show else np.nan,
                                  "shown": show,
                                  "note": "" if show else suppressed_note(int(row.size), k)})
    no_chance_by_role = pd.DataFrame(role_rows, columns=["item_id", "role_level", "n",
                                                         "no_chance", "shown", "note"])

    area_rows = []
    for dim in framework.dimensions:
        helpful = [i.id for i in dim.scored_items if i.id in wide.columns]
        complete = wide[helpful].dropna() if helpful else pd.DataFrame()
        shown = len(complete) >= k and len(helpful) >= 2
        area_rows.append({"dimension_id": dim.id, "area": dim.title, "items": len(helpful),
                          "n": len(complete), "alpha": _alpha(complete) if shown else np.nan,
                          "shown": shown,
                          "note": "" if shown else suppressed_note(len(complete), k)})
    areas = pd.DataFrame(area_rows, columns=["dimension_id", "area", "items", "n", "alpha",
                                             "shown", "note"])

    stability = _stability(every, framework, k)
    return ItemReport(items, no_chance_by_role, areas, stability, k)


def _stability(frame: pd.DataFrame, framework: Framework, k: int) -> pd.DataFrame:
    cols = ["dimension_id", "area", "from_round", "to_round", "n", "r", "shown", "note"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    helpful = {i.id: framework.dimension_of(i.id).id for i in framework.items if i.scored}
    part = frame[frame["item_id"].isin(helpful)].dropna(subset=["value"])
    part = part.assign(dimension_id=part["item_id"].map(helpful))
    scores = part.groupby(["participant_id", "round", "dimension_id"], observed=True)["value"] \
        .agg(["mean", "size"]).reset_index()
    scores = scores[scores["size"] >= MIN_ANSWERED]
    order = (frame.groupby("round", observed=True)["round_position"].min()
             .sort_values(kind="stable").index.tolist())
    rows = []
    for a, b in zip(order, order[1:], strict=False):
        for dim in framework.dimensions:
            s = scores[scores["dimension_id"] == dim.id]
            x = s[s["round"] == a].set_index("participant_id")["mean"]
            y = s[s["round"] == b].set_index("participant_id")["mean"]
            both = x.index.intersection(y.index)
            n = len(both)
            shown = n >= k
            rows.append({"dimension_id": dim.id, "area": dim.title, "from_round": str(a),
                         "to_round": str(b), "n": n,
                         "r": _corr(x.loc[both], y.loc[both]) if shown else np.nan,
                         "shown": shown, "note": "" if shown else suppressed_note(n, k)})
    return pd.DataFrame(rows, columns=cols)
