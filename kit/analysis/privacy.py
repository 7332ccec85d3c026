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
3. **No combination says anything about fewer than K people.** Summaries are accepted one at
   a time (group totals, the cohort total, then breakdown cells, largest first). A summary is
   refused if, together with those already accepted (and every cell an earlier snapshot
   showed), some combination of shown cells with any weights would be non-zero on fewer than
   ``K`` people (one person, a withheld cell under ``K``, or a difference such as ``group -
   organisation X - role level Y = a - b``), or would give a withheld homogeneous cell's
   total. Every number a cell shows (count, total, sum of squares, band counts) is a sum over
   its members, so this covers them all. It is checked exactly on the "atoms" (people who
   share group, organisation, sector and role level are indistinguishable to every view),
   weighed by their size, in whole numbers (:mod:`kit.analysis._combinations`); the
   planner's floating-point span checks only what is not about fewer than K people: the
   total of a homogeneous cell, and the difference of one person's answer versions.
4. **No overlap by fewer than K** (``overlap``): two shown cells may not differ by 1 to K-1
   people on either side, which also guards one person against a few others (answers are
   bounded, so ``a - (b1 + ... + b4)`` at an end of the range pins all five).

Counts of who took part are not answers and are shown as they are.

The thresholds (:class:`Rules`) and the words shown for a withheld cell are defined in
:mod:`kit.analysis.rules` and importable from here.

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

from kit.analysis.rules import WITHHELD_NOTE, Rules, note_in_words, suppressed_note
from kit.i18n import N_, _

__all__ = [
    "ALL_GROUPS",
    "NOT_GIVEN",
    "BREAKDOWNS",
    "BREAKDOWN_LABELS",
    "Rules",
    "Plan",
    "plan_publication",
    "plan_from_counts",
    "plan_with_history",
    "Version",
    "WITHHELD_NOTE",
    "published_cells",
    "suppressed_note",
    "note_in_words",
    "fill_attributes",
]

#: The scope name for the whole cohort, every group together. It is also the scope's key in
#: every table, so it stays English there: show it with ``_(ALL_GROUPS)``.
ALL_GROUPS = N_("All groups")
#: The label for people who left an attribute (organisation, sector, role level) blank. A
#: value in the tables too: show it with ``_(NOT_GIVEN)``.
NOT_GIVEN = N_("Not given")
#: Attributes a view can be broken down or filtered by, in the order the dashboard offers them.
BREAKDOWNS = ("organisation", "sector", "role_level")
#: Their names, marked for translation: show them with ``_(BREAKDOWN_LABELS[by])``.
BREAKDOWN_LABELS = {"organisation": N_("Organisation"), "sector": N_("Sector"),
                    "role_level": N_("Role level")}

_ATTRS = ("group", *BREAKDOWNS)
_TOL = 1e-7


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
    homogeneous: set = field(default_factory=set)

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
        n = self.size(scope, by, value)
        if 0 < n < self.k:
            return suppressed_note(n, self.k)
        return _(WITHHELD_NOTE)


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


def plan_from_counts(
    atoms: pd.Series,
    k: int,
    breakdowns: Sequence[str] = BREAKDOWNS,
    *,
    homogeneous: Iterable[Cell] = (),
    overlap: bool = True,
) -> Plan:
    """Like :func:`plan_publication`, from head counts indexed by ``(group, *breakdowns)``.

    ``homogeneous`` names cells whose members all gave the same value (they are withheld:
    showing them would show each member's answer). ``overlap=False`` switches the overlap
    rule off (for the tests' control runs only). Plans are cached by their inputs.
    """
    if k < 3:
        raise ValueError(f"k={k} is too small: the minimum group size is never below 3")
    atoms = atoms[atoms > 0]
    homogeneous = frozenset(homogeneous)
    signature = (k, tuple(breakdowns), tuple(atoms.items()), homogeneous, overlap)
    cached = _CACHE.get(signature)
    if cached is not None:
        _CACHE.move_to_end(signature)
        return cached
    keys = list(atoms.index)
    if keys and not isinstance(keys[0], tuple):
        keys = [(a,) for a in keys]
    sigs = [(key,) for key in keys]
    plan = _plan(sigs, atoms.to_numpy(dtype=float), k, tuple(breakdowns),
                 homogeneous=homogeneous, overlap=overlap)
    _CACHE[signature] = plan
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return plan


@dataclass(frozen=True)
class Version:
    """One person's answer as counted in a snapshot: who, which submission, their attributes."""

    person: object
    version: object
    attrs: tuple  # (group, *breakdowns) with blanks as NOT_GIVEN


def plan_with_history(
    current: Sequence[Version],
    history: Sequence[tuple[Sequence[Version], Iterable[Cell]]],
    k: int,
    breakdowns: Sequence[str] = BREAKDOWNS,
    *,
    homogeneous: Iterable[Cell] = (),
    overlap: bool = True,
) -> Plan:
    """Plan a new snapshot given every snapshot already published for the same quantity.

    Each earlier snapshot is ``(versions it counted, cells it showed)``. The reader is assumed
    to have kept every earlier snapshot and to know when each person answered, revised or
    erased. So people are told apart by their attributes *and* by which snapshots counted
    which version of their answer: a late responder, a reviser and an erased person each form
    their own small set, protected like any other. Earlier cells join the reasoning as already
    known, and the overlap rule compares new cells with old ones too.
    """
    if k < 3:
        raise ValueError(f"k={k} is too small: the minimum group size is never below 3")
    snaps = [list(v for v in vs) for vs, _cells in history] + [list(current)]
    n_snap = len(snaps)
    index: dict[object, int] = {}
    per_version: list[list] = []
    person_of: list[object] = []
    for s, versions in enumerate(snaps):
        for v in versions:
            i = index.get(v.version)
            if i is None:
                i = index[v.version] = len(per_version)
                per_version.append([None] * n_snap)
                person_of.append(v.person)
            per_version[i][s] = tuple(v.attrs)
    counts: dict[tuple, int] = {}
    persons_of_sig: dict[tuple, set] = {}
    for sig, person in zip(per_version, person_of, strict=True):
        sig = tuple(sig)
        counts[sig] = counts.get(sig, 0) + 1
        persons_of_sig.setdefault(sig, set()).add(person)
    sigs = sorted(counts, key=repr)
    # A person with several versions (a reviser) must not be isolated by a difference of them.
    sig_pos = {sig: i for i, sig in enumerate(sigs)}
    people: dict[object, set] = {}
    for sig, persons in persons_of_sig.items():
        for p in persons:
            people.setdefault(p, set()).add(sig_pos[sig])
    small = {i for i, sig in enumerate(sigs) if counts[sig] < k}
    subspaces = [sorted(ix & small) for ix in people.values() if len(ix & small) > 1]
    return _plan(
        sigs, np.array([counts[s] for s in sigs], dtype=float), k, tuple(breakdowns),
        history=[set(cells) for _vs, cells in history], subspaces=subspaces,
        homogeneous=frozenset(homogeneous), overlap=overlap,
    )


def _plan(
    sigs: list[tuple],
    counts: np.ndarray,
    k: int,
    breakdowns: tuple[str, ...],
    *,
    history: Sequence[set] = (),
    subspaces: Sequence[list[int]] = (),
    homogeneous: frozenset = frozenset(),
    overlap: bool = True,
) -> Plan:
    """The planner. ``sigs[i]`` lists atom i's attributes in each snapshot (None: absent);
    the last entry is the snapshot being planned. The linear algebra and the overlap rule run
    in :mod:`kit.analysis._planner`.

    The steps: code every atom's attributes (:func:`_codes`), list the candidate cells of the
    snapshot being planned (:func:`_candidate_cells`), apply rules 1 and 2
    (:func:`_rules_1_and_2`), then accept cells one at a time under rule 3 and the overlap
    rule (:func:`_rule_3`), with every cell an earlier snapshot showed already known.
    """
    counts = np.asarray(counts, dtype=float)
    cur = len(sigs[0]) - 1 if sigs else 0
    attrs = ("group", *breakdowns)
    names, codes = _codes(sigs, attrs)
    members, by_partition, groups = _candidate_cells(codes[cur], names, breakdowns)

    plan = Plan(k=k)
    plan.sizes = {cell: int(counts[m].sum()) for cell, m in members.items()}
    size = plan.sizes

    allowed = _rules_1_and_2(size, k, groups, breakdowns, by_partition, homogeneous)
    plan.homogeneous = {cell for cell in homogeneous if cell in size and size[cell] >= k}
    # Sets of fewer than k people (one atom, a cell or remainder hidden under rules 1 and 2)
    # are protected by the combination check below; a homogeneous cell of k or more is
    # withheld, so its total must not be derivable either.
    protected: list[np.ndarray] = [members[cell] for cell in sorted(plan.homogeneous, key=str)]

    # Earlier snapshots' cells are already known to the reader.
    known: list[np.ndarray] = []
    for s, cells in enumerate(history):
        for cell in sorted(cells, key=str):
            m = _mask_at(codes[s], names, attrs, cell)
            if len(m):
                known.append(m)

    plan.published = _rule_3(allowed, size, attrs, members, sigs, counts, k,
                             protected=protected, subspaces=subspaces, known=known,
                             overlap=overlap)
    return plan


def _codes(sigs: list[tuple], attrs: tuple[str, ...]) -> tuple[list[dict], np.ndarray]:
    """Attribute codes per snapshot: ``codes[s][j][i]`` is atom i's value of ``attrs[j]`` in
    snapshot s (-1 when absent); ``names[j]`` maps a value to its code."""
    n_atoms = len(sigs)
    n_snap = len(sigs[0]) if sigs else 1
    names: list[dict] = [{} for _ in attrs]
    codes = np.full((n_snap, len(attrs), n_atoms), -1, dtype=np.int64)
    for i, sig in enumerate(sigs):
        for s, a in enumerate(sig):
            if a is None:
                continue
            for j, v in enumerate(a):
                codes[s, j, i] = names[j].setdefault(v, len(names[j]))
    return names, codes


def _mask_at(codes_s: np.ndarray, names: list[dict], attrs: tuple[str, ...],
             cell: Cell) -> np.ndarray:
    """The atoms a cell held in one snapshot (``codes_s``: that snapshot's codes)."""
    scope, by, value = cell
    ok = codes_s[0] >= 0
    if scope != ALL_GROUPS:
        ok &= codes_s[0] == names[0].get(scope, -2)
    if by is not None:
        j = attrs.index(by)
        ok &= codes_s[j] == names[j].get(value, -2)
    return np.flatnonzero(ok)


def _candidate_cells(
    codes_cur: np.ndarray, names: list[dict], breakdowns: tuple[str, ...]
) -> tuple[dict[Cell, np.ndarray], dict[tuple, list[Cell]], list[str]]:
    """Every candidate cell of the snapshot being planned (``codes_cur``: its codes), as the
    atoms it holds: ``(members, the breakdown cells of each (scope, by), the groups)``."""
    from kit.analysis._planner import _split

    present_idx = np.flatnonzero(codes_cur[0] >= 0)
    gcode = codes_cur[0]
    members: dict[Cell, np.ndarray] = {}
    by_partition: dict[tuple, list[Cell]] = {}

    def add(cell: Cell, idx: np.ndarray) -> None:
        if len(idx):
            members[cell] = idx
            if cell[1] is not None:
                by_partition.setdefault((cell[0], cell[1]), []).append(cell)

    group_name = {c: g for g, c in names[0].items()}
    per_group = _split(gcode[present_idx], present_idx)
    groups = sorted(group_name[c] for c in per_group)
    gcode_of = names[0]
    add((ALL_GROUPS, None, None), present_idx)
    for g in groups:
        add((g, None, None), per_group[gcode_of[g]])
    n_groups_code = max(len(names[0]), 1)
    for j, by in enumerate(breakdowns, start=1):
        col = codes_cur[j]
        value_name = {c: v for v, c in names[j].items()}
        per_value = _split(col[present_idx], present_idx)
        combos = _split(col[present_idx] * n_groups_code + gcode[present_idx], present_idx)
        for vc in sorted(per_value, key=lambda c: value_name[c]):
            value = value_name[vc]
            add((ALL_GROUPS, by, value), per_value[vc])
            for g in groups:
                idx = combos.get(vc * n_groups_code + gcode_of[g])
                if idx is not None:
                    add((g, by, value), idx)
    return members, by_partition, groups


def _rules_1_and_2(size: dict[Cell, int], k: int, groups: list[str],
                   breakdowns: tuple[str, ...], by_partition: dict[tuple, list[Cell]],
                   homogeneous: frozenset) -> set[Cell]:
    """The cells rules 1 and 2 allow, partition by partition; homogeneous cells are withheld
    outright."""
    allowed = {cell for cell, n in size.items() if n >= k and cell not in homogeneous}
    partitions: list[tuple[Cell, list[Cell]]] = [
        ((ALL_GROUPS, None, None), [(g, None, None) for g in groups])
    ]
    for scope in [ALL_GROUPS, *groups]:
        for by in breakdowns:
            partitions.append(((scope, None, None), by_partition.get((scope, by), [])))
    for total, cells in partitions:
        hidden = [c for c in cells if c not in allowed]
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
    return allowed


def _rule_3(allowed: set[Cell], size: dict[Cell, int], attrs: tuple[str, ...],
            members: dict[Cell, np.ndarray], sigs: list[tuple], counts: np.ndarray, k: int, *,
            protected: list[np.ndarray], subspaces: Sequence[list[int]],
            known: list[np.ndarray], overlap: bool) -> set[Cell]:
    """Rule 3: accept cells one at a time; refuse any that would let a combination on fewer
    than k people, a homogeneous cell's total or a difference of one person's versions be
    derived, or (the overlap rule) that differs from a shown cell by 1 to k-1 people.
    Returns the cells shown."""
    from kit.analysis._combinations import Combinations
    from kit.analysis._planner import _Shown, _Span, blocks_of

    n_atoms = len(sigs)
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
    span = _Span(n_atoms, blocks_of(sigs), protected, subspaces)
    shown_cells = _Shown(n_atoms, counts, k)
    combos = Combinations(counts, k)
    for m in known:
        span.try_add(m, force=True)
        shown_cells.add(m)
        combos.add(m, force=True)
    published = set()
    for cell in order:
        m = members[cell]
        if overlap and shown_cells.too_close(m):
            continue
        v = combos.reduce(m)
        if combos.reveals(v):
            continue  # some combination of shown cells would isolate fewer than k people
        if not span.try_add(m):
            continue
        combos.commit(v)
        shown_cells.add(m)
        published.add(cell)
    return published


def published_cells(plan: Plan) -> Iterable[Cell]:
    """Every shown cell of ``plan`` (for audits and tests)."""
    return iter(sorted(plan.published, key=str))
