"""The disclosure planner's engine: the rules of :mod:`kit.analysis.privacy`, fast.

:func:`plan` takes exactly the decisions of the original planner (kept, for the tests, in
``tests/_plan_reference.py``) but scales to a programme of 100,000 people:

* cells are built from integer codes with numpy, never by testing each atom in Python;
* the overlap rule compares a candidate cell only with the shown cells it shares an atom with
  (an inverted index from atoms to shown cells); disjoint cells are settled by their sizes;
* the span of what is shown is kept as orthonormal bases per *block* (atoms whose groups are
  linked, in any snapshot) plus one small dense basis for the cells that cross blocks (the
  whole cohort's cells), kept orthogonal to the block bases. Projecting a group's cell then
  costs the size of its group, not of the cohort;
* a protected set is checked only when the new direction can reach it (a non-zero dot
  product) and its residual is nearly used up; it is then checked exactly.

In exact arithmetic every test is the original's: "is this cell implied by what is shown",
"would showing it make a protected set derivable", "do two shown cells differ by fewer than
K people".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_TOL = 1e-7
#: A protected set is checked exactly once its squared residual, less the part the new
#: direction would take, falls below this (an exact zero is the only thing that matters).
_NEAR = 1e-3


def _split(keys: np.ndarray, index: np.ndarray) -> dict:
    """``{key: sorted atom indices}`` for integer ``keys`` of the atoms in ``index``."""
    if len(index) == 0:
        return {}
    order = np.argsort(keys, kind="stable")
    skeys = keys[order]
    uniq, first = np.unique(skeys, return_index=True)
    bounds = [*first.tolist(), len(skeys)]
    return {int(u): np.sort(index[order[bounds[i]:bounds[i + 1]]]) for i, u in enumerate(uniq)}


class _Span:
    """The span of the shown cells, and what it would reveal.

    ``L``: per block, an orthonormal basis (rows over the block's atoms) of the shown vectors
    that lie in that block. ``C``: an orthonormal basis (dense rows) of the rest, orthogonal to
    every block basis. Together they span exactly what the shown cells span.
    """

    def __init__(self, n: int, block_of: np.ndarray, protected: list[np.ndarray],
                 subspaces: Sequence[list[int]]):
        self.n = n
        self.block_of = block_of
        self.blocks = _split(block_of, np.arange(n))
        self.local = np.empty(n, dtype=np.int64)
        for idx in self.blocks.values():
            self.local[idx] = np.arange(len(idx))
        self.Q: dict[int, np.ndarray] = {}
        self.C = np.zeros((0, n))
        self.protected = protected
        lens = np.array([len(p) for p in protected], dtype=np.int64)
        self.prow = np.repeat(np.arange(len(protected)), lens)
        self.pcol = np.concatenate(protected) if protected else np.zeros(0, dtype=np.int64)
        self.res2 = lens.astype(float)  # squared residual of each protected set, running
        self.poisoned = bool(np.any(lens == 0))  # a protected set already derivable
        self.sub_res = [np.eye(n)[ix] for ix in subspaces]
        self.sub_rank = [len(ix) for ix in subspaces]

    # ------------------------------------------------------------------ projections

    def _block_of(self, idx: np.ndarray):
        if len(idx) == 0:
            return None
        blk = self.block_of[idx]
        first = blk[0]
        return int(first) if np.all(blk == first) else None

    def residual(self, idx: np.ndarray):
        """``(r, r_local, block)``: the 0/1 vector on ``idx`` less its projection on the span;
        ``r_local`` is its part orthogonal to its block's basis only (None across blocks)."""
        beta = self._block_of(idx)
        full = np.zeros(self.n)
        full[idx] = 1.0
        r_local = None
        if beta is not None:
            atoms = self.blocks[beta]
            r = np.zeros(len(atoms))
            r[self.local[idx]] = 1.0
            Q = self.Q.get(beta)
            if Q is not None:
                for _ in range(2):
                    r -= Q.T @ (Q @ r)
            r_local = r
            full[atoms] = r
            if len(self.C):
                for _ in range(2):
                    full -= self.C.T @ (self.C @ full)
                    if Q is not None:
                        part = full[atoms]
                        full[atoms] = part - Q.T @ (Q @ part)
            return full, r_local, beta
        for _ in range(2):
            for b in np.unique(self.block_of[np.flatnonzero(full)]).tolist():
                Q = self.Q.get(b)
                if Q is not None:
                    atoms = self.blocks[b]
                    part = full[atoms]
                    full[atoms] = part - Q.T @ (Q @ part)
            if len(self.C):
                full -= self.C.T @ (self.C @ full)
        return full, None, None

    # ------------------------------------------------------------------ adding a cell

    def _reaches_protected(self, b: np.ndarray, dots: np.ndarray) -> bool:
        """True when adding direction ``b`` would make some protected set derivable."""
        near = np.flatnonzero((np.abs(dots) > 1e-12) & (self.res2 - dots * dots < _NEAR))
        for i in near.tolist():
            r, _loc, _b = self.residual(self.protected[i])
            if np.linalg.norm(r - (r @ b) * b) <= _TOL:
                return True
        return False

    def try_add(self, idx: np.ndarray, force: bool = False) -> bool:
        """Add the 0/1 vector on ``idx`` unless it would reveal a protected set (see
        ``_plan`` in ``tests/_plan_reference.py``); True when added or already implied."""
        r, r_local, beta = self.residual(idx)
        norm = np.linalg.norm(r)
        if norm <= _TOL * max(1.0, np.sqrt(len(idx))):
            return True
        b = r / norm
        dots = (np.bincount(self.prow, weights=b[self.pcol], minlength=len(self.protected))
                if len(self.protected) else np.zeros(0))
        trial_sub = None
        if self.sub_res:
            trial_sub = [R - np.outer(R @ b, b) for R in self.sub_res]
        if not force:
            if self.poisoned or self._reaches_protected(b, dots):
                return False
            for R, rank in zip(trial_sub or (), self.sub_rank, strict=True):
                if np.linalg.matrix_rank(R, tol=1e-6) < rank:
                    return False
        elif len(self.protected) and not self.poisoned:
            self.poisoned = self._reaches_protected(b, dots)
        self._extend(r, b, r_local, beta)
        self.res2 = self.res2 - dots * dots
        if trial_sub is not None:
            self.sub_res = trial_sub
        return True

    def _extend(self, r, b, r_local, beta) -> None:
        if beta is None:
            self.C = np.vstack([self.C, b[None, :]])
            return
        q = r_local / np.linalg.norm(r_local)
        Q = self.Q.get(beta)
        self.Q[beta] = q[None, :] if Q is None else np.vstack([Q, q[None, :]])
        if len(self.C):
            atoms = self.blocks[beta]
            a = self.C[:, atoms] @ q
            a2 = float(a @ a)
            if a2 > 0.0:
                # C <- (I - a a^T)^(-1/2) C (I - q q^T): orthonormal again, orthogonal to q.
                self.C[:, atoms] -= np.outer(a, q)
                gamma = (1.0 / np.sqrt(1.0 - a2) - 1.0) / a2
                self.C += gamma * np.outer(a, a @ self.C)


class _Shown:
    """The shown cells, for the overlap rule: an inverted index from atoms to cells."""

    def __init__(self, n: int, counts: np.ndarray, k: int):
        self.counts = counts
        self.k = k
        self.by_atom: list[list[int]] = [[] for _ in range(n)]
        self.totals: list[float] = []
        self.small: set[int] = set()  # shown cells of 1 to k-1 people

    def add(self, idx: np.ndarray) -> None:
        j = len(self.totals)
        total = float(self.counts[idx].sum())
        self.totals.append(total)
        if 0 < total < self.k:
            self.small.add(j)
        for a in idx.tolist():
            self.by_atom[a].append(j)

    def too_close(self, idx: np.ndarray) -> bool:
        """True when a shown cell and this one differ by 1 to k-1 people on either side."""
        if not self.totals:
            return False
        k = self.k
        common: dict[int, float] = {}
        counts = self.counts
        for a in idx.tolist():
            lst = self.by_atom[a]
            if lst:
                c = float(counts[a])
                for j in lst:
                    common[j] = common.get(j, 0.0) + c
        mine = float(counts[idx].sum())
        for j, both in common.items():
            a_not_b = mine - both
            b_not_a = self.totals[j] - both
            if 0 < a_not_b < k or 0 < b_not_a < k:
                return True
        if len(common) < len(self.totals):  # some shown cells share nobody with this one
            if 0 < mine < k:
                return True
            if any(j not in common for j in self.small):
                return True
        return False


def blocks_of(sigs: list[tuple]) -> np.ndarray:
    """A block number per atom: atoms whose groups are linked in any snapshot share one."""
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    firsts = []
    for sig in sigs:
        gs = [a[0] for a in sig if a is not None]
        firsts.append(gs[0] if gs else None)
        root = find(gs[0]) if gs else None
        for g in gs[1:]:
            other = find(g)
            if other != root:
                parent[other] = root
    numbers: dict = {}
    return np.array([numbers.setdefault(find(g) if g is not None else None, len(numbers))
                     for g in firsts], dtype=np.int64)
