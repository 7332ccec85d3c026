"""Small hand-made frameworks and answer frames, for examples, tests and benchmarks.

They have the shape of the real content and of ``Store.responses_frame``, without needing the
content files or a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from kit.content.models import Band, Dimension, Framework, Item, Scale, ScalePoint

__all__ = ["example_framework", "responses_frame", "importance_frame"]

_LABELS = ("Rarely", "Sometimes", "Often", "Usually", "Almost always")


def example_framework(
    dimensions: int = 3, items: int = 2, *, framework_id: str = "example", reverse_last: bool = True
) -> Framework:
    """A 1-5 framework of ``dimensions`` x ``items``; with three or more items, the last item
    of each is reverse-keyed (a check item, never part of the score).

    Dimension ids are ``d1, d2, ...``; item ids ``d1i1, d1i2, ...``. Every dimension asks for
    importance.
    """
    scale = Scale(tuple(ScalePoint(v, lab) for v, lab in zip(range(1, 6), _LABELS, strict=True)),
                  not_applicable="No chance to do this")
    dims = []
    for d in range(1, dimensions + 1):
        its = tuple(
            Item(f"d{d}i{i}", f"Statement {i} about area {d}", reverse=reverse_last and i == items and items > 2)
            for i in range(1, items + 1)
        )
        dims.append(Dimension(f"d{d}", f"Area {d}", f"Why area {d} matters.", its, ask_importance=True))
    bands = (
        Band("strength", "Strength", 4.0),
        Band("developing", "Developing", 3.0),
        Band("room-to-grow", "Room to grow", 1.0),
    )
    importance = Scale(tuple(ScalePoint(v, str(v)) for v in range(1, 6)))
    return Framework(framework_id, "Example framework", "For tests.", "self", scale, bands,
                     tuple(dims), importance_scale=importance)


def responses_frame(rows: Iterable[Mapping], rounds: Iterable[str] = ("Baseline", "Midpoint", "End")) -> pd.DataFrame:
    """A responses frame from ``rows`` of ``participant_id, group, round, item_id, value`` and
    optional ``organisation, sector, role_level``; fills ``round_position``, ``group_id`` and
    ``round_id`` from the order of ``rounds`` and groups."""
    frame = pd.DataFrame(list(rows))
    for col in ("organisation", "sector", "role_level"):
        if col not in frame.columns:
            frame[col] = None
    positions = {r: i + 1 for i, r in enumerate(rounds)}
    frame["round_position"] = frame["round"].map(positions).astype(int)
    frame["round_id"] = frame["round_position"]
    groups = {g: i + 1 for i, g in enumerate(sorted(frame["group"].unique()))}
    frame["group_id"] = frame["group"].map(groups)
    frame["value"] = frame["value"].astype(float)
    cols = ["participant_id", "group_id", "group", "organisation", "sector", "role_level",
            "round_id", "round", "round_position", "item_id", "value"]
    return frame[cols]


def importance_frame(rows: Iterable[Mapping], rounds: Iterable[str] = ("Baseline", "Midpoint", "End")) -> pd.DataFrame:
    """An importance frame from rows of ``participant_id, group, round, dimension_id,
    importance`` (plus optional organisation, sector)."""
    frame = pd.DataFrame(list(rows))
    for col in ("organisation", "sector"):
        if col not in frame.columns:
            frame[col] = None
    positions = {r: i + 1 for i, r in enumerate(rounds)}
    frame["round_position"] = frame["round"].map(positions).astype(int)
    frame["round_id"] = frame["round_position"]
    groups = {g: i + 1 for i, g in enumerate(sorted(frame["group"].unique()))}
    frame["group_id"] = frame["group"].map(groups)
    cols = ["participant_id", "group_id", "group", "organisation", "sector", "round_id",
            "round", "round_position", "dimension_id", "importance"]
    return frame[cols]
