"""Confidentiality rules: which group aggregates may be shown.

Every number the facilitator dashboard shows is a summary over a set of people: a group, a
group's members from one organisation, the whole cohort, and so on. This module decides, for
one measured quantity (say, the "Shared purpose" score in the Baseline round), which of those
sets may be shown. The rules, in order:

1. **Minimum group size.** No summary of fewer than ``K`` people (``min_group_size``, default
   5, never below 3).
2. **No remainder below K.** Within a breakdown (a scope split by organisation, sector or role
   level; or the cohort split into groups) the cells withheld under rule 1 must add up to zero
   or to at least ``K`` people. When they do not, the next-smallest shown cell is withheld too,
   and so on. Otherwise the withheld cells could be worked out by subtracting the shown cells
   from the total. For the cohort split into groups, the cohort-wide total is withheld instead
   of a neighbouring group, so that one small group never blanks out another group's view.
3. **No differencing across views.** Summaries are accepted one at a time (group totals, the
   cohort total, then breakdown cells, largest first). A summary is refused if, together with
   those already accepted, adding and subtracting totals (``mean x n``) could isolate a
   protected set: any single person, any set of fewer than ``K`` people who share every
   attribute, and any withheld cell. This is checked exactly with linear algebra on the
   "atoms" (people who share group, organisation, sector and role level are indistinguishable
   to every view), so it also covers overlaps between different breakdowns.

Counts of who took part are not answers and are shown as they are.

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"group": ["A"] * 6, "organisation": ["X"] * 5 + ["Y"],
...                        "sector": ["NHS"] * 6, "role_level": ["Senior"] * 6})
>>> plan = plan_publication(people, k=5)
>>> plan.shown("A"), plan.shown("A", "organisation", "X"), plan.shown("A", "organisation", "Y")
(True, False, False)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "ALL_GROUPS",
    "NOT_GIVEN",
    "BREAKDOWNS",
    "BREAKDOWN_LABELS",
    "Rules",
    "Plan",
    "plan_publication",
    "plan_from_counts",
    "published_cells",
    "suppressed_note",
    "fill_attributes",
]

#: The scope name for the whole cohort, every group together.
ALL_GROUPS = "All groups"
#: The label for people who left an attribute (organisation, sector, role level) blank.
NOT_GIVEN = "Not given"
#: Attributes a view can be broken down or filtered by, in the order the dashboard offers them.
BREAKDOWNS = ("organisation", "sector", "role_level")
BREAKDOWN_LABELS = {"organisation": "Organisation", "sector": "Sector", "role_level": "Role level"}

_ATTRS = ("group", *BREAKDOWNS)
_TOL = 1e-7


@dataclass(frozen=True)
class Rules:
    """The confidentiality thresholds in force (see :mod:`kit.config`)."""

    min_group_size: int = 5
    min_comment_size: int = 10
    split_threshold: float = 1.0

    def __post_init__(self):
        if self.min_group_size < 3:
            raise ValueError(
                f"min_group_size={self.min_group_size} is too small: it is never below 3 "
                "(set KIT_MIN_GROUP_SIZE to 3 or more)"
            )
        if self.min_comment_size < self.min_group_size:
            raise ValueError(
                f"min_comment_size={self.min_comment_size} is below min_group_size="
                f"{self.min_group_size}; set KIT_MIN_COMMENT_SIZE to at least KIT_MIN_GROUP_SIZE"
            )

    @classmethod
    def from_settings(cls, settings=None) -> Rules:
        if settings is None:
            from kit.config import get_settings

            settings = get_settings()
        return cls(settings.min_group_size, settings.min_comment_size, settings.split_threshold)


def suppressed_note(n: int, k: int) -> str:
    """The words shown in place of a withheld summary of ``n`` people."""
    if n < k:
        return f"fewer than {k} responses"
    return "hidden so that a smaller group cannot be worked out"


def fill_attributes(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` with blank group/organisation/sector/role level read as "Not given"."""
    out = frame.copy()
    for col in _ATTRS:
        if col not in out.columns:
            out[col] = NOT_GIVEN
        else:
            s = out[col].astype("object")
            blank = s.isna() | (s.astype(str).str.strip() == "")
            out[col] = s.where(~blank, NOT_GIVEN).astype(str)
    return out


Cell = tuple  # (scope, by, value): by None means the scope's total


@dataclass
class Plan:
    """The outcome for one measured quantity: which cells are shown, and their sizes."""

    k: int
    sizes: dict[Cell, int] = field(default_factory=dict)
    published: set = field(default_factory=set)

    @staticmethod
    def _cell(scope: str, by: str | None = None, value: str | None = None) -> Cell:
        return (scope, by, None if by is None else value)

    def size(self, scope: str, by: str | None = None, value: str | None = None) -> int:
        """How many people the cell holds (0 when nobody)."""
        return self.sizes.get(self._cell(scope, by, value), 0)

    def shown(self, scope: str, by: str | None = None, value: str | None = None) -> bool:
        """True when the summary of this cell may be shown."""
        return self._cell(scope, by, value) in self.published

    def values(self, scope: str, by: str) -> list[str]:
        """The values of ``by`` with anyone in them within ``scope``, sorted."""
        return sorted(v for (s, b, v) in self.sizes if s == scope and b == by)

    def note(self, scope: str, by: str | None = None, value: str | None = None) -> str:
        """Empty when shown, else the reason in words."""
        if self.shown(scope, by, value):
            return ""
        return suppressed_note(self.size(scope, by, value), self.k)


# --------------------------------------------------------------------------- planning

_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 512


def plan_publication(
    people: pd.DataFrame, k: int, breakdowns: Sequence[str] = BREAKDOWNS
) -> Plan:
    """Decide which cells of every view may be shown for one measured quantity.

    Parameters
    ----------
    people
        One row per person who has a value for the quantity, with columns ``group`` and the
        ``breakdowns`` columns (blank values count as "Not given"). Extra columns are ignored.
    k
        The minimum group size.
    breakdowns
        Attributes the dashboard may break this quantity down by (empty: totals only).

    Returns
    -------
    Plan
    """
    if k < 3:
        raise ValueError(f"k={k} is too small: the minimum group size is never below 3")
    people = fill_attributes(people)
    attrs = ["group", *breakdowns]
    atoms = people.groupby(attrs, sort=True, observed=True).size()
    return plan_from_counts(atoms, k, breakdowns)


def plan_from_counts(atoms: pd.Series, k: int, breakdowns: Sequence[str] = BREAKDOWNS) -> Plan:
    """Like :func:`plan_publication`, from head counts indexed by ``(group, *breakdowns)``.

    Plans are cached by their counts, so asking again for the same shape of group is free.
    """
    if k < 3:
        raise ValueError(f"k={k} is too small: the minimum group size is never below 3")
    atoms = atoms[atoms > 0]
    signature = (k, tuple(breakdowns), tuple(atoms.items()))
    cached = _CACHE.get(signature)
    if cached is not None:
        _CACHE.move_to_end(signature)
        return cached
    plan = _plan(atoms, k, tuple(breakdowns))
    _CACHE[signature] = plan
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return plan


def _plan(atoms: pd.Series, k: int, breakdowns: tuple[str, ...]) -> Plan:
    atom_keys = list(atoms.index)
    if atom_keys and not isinstance(atom_keys[0], tuple):
        atom_keys = [(a,) for a in atom_keys]
    counts = atoms.to_numpy(dtype=float)
    n_atoms = len(atom_keys)
    attrs = ("group", *breakdowns)

    # Every candidate cell, as a 0/1 vector over atoms.
    members: dict[Cell, np.ndarray] = {}

    def add(cell: Cell, mask: np.ndarray) -> None:
        if mask.any():
            members[cell] = mask

    groups = sorted({a[0] for a in atom_keys})
    group_of = np.array([a[0] for a in atom_keys], dtype=object)
    add((ALL_GROUPS, None, None), np.ones(n_atoms, dtype=bool))
    for g in groups:
        add((g, None, None), group_of == g)
    for j, by in enumerate(breakdowns, start=1):
        col = np.array([a[j] for a in atom_keys], dtype=object)
        for value in sorted(set(col)):
            in_value = col == value
            add((ALL_GROUPS, by, value), in_value)
            for g in groups:
                add((g, by, value), in_value & (group_of == g))

    plan = Plan(k=k)
    plan.sizes = {cell: int(counts[m].sum()) for cell, m in members.items()}
    size = plan.sizes

    # Rules 1 and 2, partition by partition.
    allowed = {cell for cell, n in size.items() if n >= k}
    protected: list[np.ndarray] = []
    partitions: list[tuple[Cell, list[Cell]]] = [
        ((ALL_GROUPS, None, None), [(g, None, None) for g in groups])
    ]
    for scope in [ALL_GROUPS, *groups]:
        for by in breakdowns:
            cells = [c for c in members if c[0] == scope and c[1] == by]
            partitions.append(((scope, None, None), cells))
    for total, cells in partitions:
        hidden = [c for c in cells if c not in allowed]
        for c in hidden:
            if 0 < size[c] < k:
                protected.append(members[c].astype(float))
        remainder = sum(size[c] for c in hidden)
        if 0 < remainder < k:
            is_groups = total == (ALL_GROUPS, None, None) and all(c[1] is None for c in cells)
            shown = [] if is_groups else sorted((c for c in cells if c in allowed), key=lambda c: (size[c], c))
            while shown and 0 < remainder < k:
                c = shown.pop(0)
                allowed.discard(c)
                remainder += size[c]
            if 0 < remainder < k:
                allowed.discard(total)
        if 0 < remainder < k:
            mask = np.zeros(n_atoms, dtype=bool)
            for c in hidden:
                mask |= members[c]
            protected.append(mask.astype(float))
    for cell, n in size.items():
        if cell[1] is None and 0 < n < k:
            protected.append(members[cell].astype(float))
    for i in range(n_atoms):
        if counts[i] < k:
            e = np.zeros(n_atoms)
            e[i] = 1.0
            protected.append(e)

    # Rule 3: accept cells one at a time; refuse any that would let a protected set be derived.
    order = sorted(
        allowed,
        key=lambda c: (
            c[1] is not None,                 # totals first
            c[0] == ALL_GROUPS,               # groups before the cohort
            attrs.index(c[1]) if c[1] else 0,
            -size[c],
            str(c[0]),
            str(c[2]),
        ),
    )
    if not protected:
        plan.published = set(order)
        return plan
    residual = np.array(protected)        # protected vectors minus their projection so far
    basis: list[np.ndarray] = []
    published = set()
    for cell in order:
        v = members[cell].astype(float)
        r = v.copy()
        for _ in range(2):  # Gram-Schmidt twice for numerical safety
            for b in basis:
                r -= (b @ r) * b
        norm = np.linalg.norm(r)
        if norm <= _TOL * max(1.0, np.linalg.norm(v)):
            published.add(cell)  # already implied by what is shown: nothing new revealed
            continue
        b = r / norm
        trial = residual - np.outer(residual @ b, b)
        if np.any(np.linalg.norm(trial, axis=1) <= _TOL):
            continue  # refusing keeps every protected set underivable
        basis.append(b)
        residual = trial
        published.add(cell)
    plan.published = published
    return plan


def published_cells(plan: Plan) -> Iterable[Cell]:
    """Every shown cell of ``plan`` (for audits and tests)."""
    return iter(sorted(plan.published, key=str))
