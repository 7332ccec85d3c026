"""The disclosure planner as it was before it was made fast, kept to check the fast one.

A verbatim copy of ``kit.analysis.privacy._plan`` (pure Python, O(cells^2)) at the time the
planner was rewritten in :mod:`kit.analysis._planner`; ``tests/test_planner_equivalence.py``
checks that both take the same decisions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kit.analysis.privacy import ALL_GROUPS, Cell, Plan

_TOL = 1e-7


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
    the last entry is the snapshot being planned."""
    n_atoms = len(sigs)
    cur = len(sigs[0]) - 1 if sigs else 0
    attrs = ("group", *breakdowns)

    def mask_at(s: int, cell: Cell) -> np.ndarray:
        scope, by, value = cell
        j = attrs.index(by) if by is not None else None
        out = np.zeros(n_atoms, dtype=bool)
        for i, sig in enumerate(sigs):
            a = sig[s]
            if a is None:
                continue
            if scope != ALL_GROUPS and a[0] != scope:
                continue
            if j is not None and a[j] != value:
                continue
            out[i] = True
        return out

    present = np.array([sig[cur] is not None for sig in sigs], dtype=bool)
    cur_attrs = [sig[cur] for sig in sigs]

    # Every candidate cell of the snapshot being planned, as a 0/1 vector over atoms.
    members: dict[Cell, np.ndarray] = {}

    def add(cell: Cell, mask: np.ndarray) -> None:
        if mask.any():
            members[cell] = mask

    groups = sorted({a[0] for a in cur_attrs if a is not None})
    group_of = np.array([a[0] if a is not None else None for a in cur_attrs], dtype=object)
    add((ALL_GROUPS, None, None), present.copy())
    for g in groups:
        add((g, None, None), present & (group_of == g))
    for j, by in enumerate(breakdowns, start=1):
        col = np.array([a[j] if a is not None else None for a in cur_attrs], dtype=object)
        for value in sorted({v for v in col if v is not None}):
            in_value = present & (col == value)
            add((ALL_GROUPS, by, value), in_value)
            for g in groups:
                add((g, by, value), in_value & (group_of == g))

    plan = Plan(k=k)
    plan.sizes = {cell: int(counts[m].sum()) for cell, m in members.items()}
    size = plan.sizes

    # Rules 1 and 2, partition by partition; homogeneous cells are withheld outright.
    allowed = {cell for cell, n in size.items() if n >= k and cell not in homogeneous}
    plan.homogeneous = {cell for cell in homogeneous if cell in size and size[cell] >= k}
    partitions: list[tuple[Cell, list[Cell]]] = [
        ((ALL_GROUPS, None, None), [(g, None, None) for g in groups])
    ]
    for scope in [ALL_GROUPS, *groups]:
        for by in breakdowns:
            cells = [c for c in members if c[0] == scope and c[1] == by]
            partitions.append(((scope, None, None), cells))
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
    # Sets of fewer than k people are protected by the combination check.
    protected = [members[cell].astype(float) for cell in sorted(plan.homogeneous, key=str)]

    # Earlier snapshots' cells are already known to the reader.
    known: list[np.ndarray] = []
    for s, cells in enumerate(history):
        for cell in sorted(cells, key=str):
            m = mask_at(s, cell)
            if m.any():
                known.append(m)

    # Rule 3: accept cells one at a time; refuse any that would let a protected set (or any
    # difference of one person's versions) be derived, or that overlaps a shown cell by
    # fewer than k people on either side.
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
    basis: list[np.ndarray] = []
    residual = np.array(protected) if protected else np.zeros((0, n_atoms))
    sub_res = [np.eye(n_atoms)[ix] for ix in subspaces]
    sub_rank = [len(ix) for ix in subspaces]
    shown_masks: list[np.ndarray] = []

    def project(v: np.ndarray) -> np.ndarray:
        r = v.astype(float).copy()
        for _ in range(2):  # Gram-Schmidt twice for numerical safety
            for b in basis:
                r -= (b @ r) * b
        return r

    def too_close(m: np.ndarray) -> bool:
        if not overlap:
            return False
        for other in shown_masks:
            a_not_b = counts[m & ~other].sum()
            b_not_a = counts[other & ~m].sum()
            if 0 < a_not_b < k or 0 < b_not_a < k:
                return True
        return False

    def try_add(v: np.ndarray, force: bool = False) -> bool:
        nonlocal residual
        r = project(v)
        norm = np.linalg.norm(r)
        if norm <= _TOL * max(1.0, np.linalg.norm(v)):
            return True  # already implied by what is shown: nothing new revealed
        b = r / norm
        trial = residual - np.outer(residual @ b, b) if len(residual) else residual
        trial_sub = [R - np.outer(R @ b, b) for R in sub_res]
        if not force:
            if len(trial) and np.any(np.linalg.norm(trial, axis=1) <= _TOL):
                return False
            for R, rank in zip(trial_sub, sub_rank, strict=True):
                if np.linalg.matrix_rank(R, tol=1e-6) < rank:
                    return False
        basis.append(b)
        residual = trial
        sub_res[:] = trial_sub
        return True

    # The exact combination check (fewer than k people) is shared with the fast planner and
    # checked against brute force in tests/test_cell_combinations.py.
    from kit.analysis._combinations import Combinations

    combos = Combinations(counts, k)
    for m in known:
        try_add(m.astype(float), force=True)
        shown_masks.append(m)
        combos.add(np.flatnonzero(m), force=True)
    published = set()
    for cell in order:
        m = members[cell]
        if too_close(m):
            continue
        if combos.reveals(np.flatnonzero(m)):
            continue
        if not try_add(m.astype(float)):
            continue
        combos.add(np.flatnonzero(m), force=True)
        shown_masks.append(m)
        published.add(cell)
    plan.published = published
    return plan
