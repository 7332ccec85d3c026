"""Exact check that no combination of shown cells isolates fewer than K people.

Every number a cell publishes (its total, its sum of squares, how many fall in each band) is a
sum over the cell's members. So whatever a reader can work out of one measure is a linear
combination of the shown cells' 0/1 vectors over the *atoms* (people who share group,
organisation, sector and role level and so look the same to every view). A combination whose
non-zero entries fall on fewer than K people, such as ``group - organisation X - role level Y
= person a - person b``, is a statement about fewer than K people: with band counts it gives
both people's bands. :class:`Combinations` refuses any cell that would put such a vector in the
span of the shown cells.

How it stays exact and fast:

* the span is kept in reduced row echelon form with integer rows (each row divided by the
  greatest common divisor of its entries), so no rounding ever decides anything;
* atoms of at least K people ("big") are pivoted first. A vector of the span that avoids
  every big atom is then a combination of the rows whose pivot is a small atom (``Z``), and
  only such a vector can weigh fewer than K people;
* a candidate cell reduced against the span either touches a big atom (then it adds nothing
  to ``Z`` and reveals nothing new) or lies on small atoms only; then it reveals a light
  vector exactly when it is within fewer than K people of ``Z``, that is when
  ``cell - z`` is supported on fewer than K people for some ``z`` in ``Z``. That is searched
  depth first over which rows of ``Z`` take part and which columns are left over, each branch
  forced by a column that nothing yet cancels, so the search is complete and stops at K - 1
  people.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd

__all__ = ["Combinations"]


def _normalise(v: dict[int, int]) -> dict[int, int]:
    g = 0
    for x in v.values():
        g = gcd(g, x)
        if g == 1:
            return v
    return {c: x // g for c, x in v.items()} if g > 1 else v


def _solvable(rows: list[dict[int, int]], target: dict[int, int], cols: list[int]) -> bool:
    """Is ``sum c_j rows[j][f] == target[f]`` for every f in ``cols`` solvable (exactly)?"""
    m = [[Fraction(r.get(f, 0)) for r in rows] + [Fraction(target.get(f, 0))] for f in cols]
    n = len(rows)
    rank = 0
    for col in range(n):
        piv = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if piv is None:
            continue
        m[rank], m[piv] = m[piv], m[rank]
        p = m[rank][col]
        for i in range(len(m)):
            if i != rank and m[i][col] != 0:
                f = m[i][col] / p
                m[i] = [a - f * b for a, b in zip(m[i], m[rank], strict=True)]
        rank += 1
    return all(row[n] == 0 for row in m[rank:])


class Combinations:
    """The shown cells' span, and whether a new cell would reveal fewer than ``k`` people.

    Parameters
    ----------
    counts
        People per atom.
    k
        The minimum group size.

    Examples
    --------
    Atoms a, b (one person each) and c, d (five people each); with ``a + c`` shown,
    showing ``b + c`` would give ``a - b``, while ``b + d`` gives nothing on fewer than five:

    >>> s = Combinations([1, 1, 5, 5], k=5)
    >>> s.add([0, 2])
    True
    >>> s.reveals([1, 2]), s.reveals([1, 3])
    (True, False)
    """

    def __init__(self, counts, k: int):
        self.w = [int(round(float(c))) for c in counts]
        self.k = k
        self.rows: dict[int, dict[int, int]] = {}  # pivot -> integer row (pivot entry > 0)
        self.holders: dict[int, set[int]] = {}     # non-pivot column -> pivots of rows using it
        self.poisoned = False                      # a light vector is already in the span
        self.limit = 200_000                       # search nodes before refusing (fail closed)

    def _small(self, c: int) -> bool:
        return self.w[c] < self.k

    def reduce(self, idx) -> dict[int, int]:
        """The 0/1 vector on atoms ``idx`` less its part in the span (integer, scaled)."""
        v = {int(a): 1 for a in idx}
        for c in [c for c in v if c in self.rows]:
            b = v.get(c, 0)
            if not b:
                continue
            row = self.rows[c]
            a = row[c]
            if a != 1:
                v = {col: a * x for col, x in v.items()}
            for col, x in row.items():
                nv = v.get(col, 0) - b * x
                if nv:
                    v[col] = nv
                else:
                    v.pop(col, None)
        return _normalise(v)

    # ------------------------------------------------------------------ the question

    def reveals(self, v) -> bool:
        """True when adding reduced vector ``v`` (from :meth:`reduce`) or, given atom indices,
        the cell on them, would put a vector on fewer than k people in the span."""
        if not isinstance(v, dict):
            v = self.reduce(v)
        if not v:
            return False  # already implied: nothing new
        if self.poisoned:
            return True
        if any(not self._small(c) for c in v):
            return False
        return self._near(v)

    def _near(self, v: dict[int, int]) -> bool:
        """Is ``v - z`` on fewer than k people for some z in Z (rows with small pivots)?"""
        k, w, rows, holders = self.k, self.w, self.rows, self.holders
        seen: set = set()
        nodes = 0

        def z_rows_at(f: int, J: frozenset) -> list[int]:
            return [p for p in holders.get(f, ()) if p not in J and self._small(p)]

        def search(J: frozenset, T: frozenset, used: int) -> bool:
            nonlocal nodes
            key = (J, T)
            if key in seen:
                return False
            seen.add(key)
            nodes += 1
            if nodes > self.limit:
                return True  # too many combinations to rule out: refuse, to be safe
            cover: dict[int, int] = {}
            for p in J:
                for f in rows[p]:
                    if f != p:
                        cover[f] = cover.get(f, 0) + 1
            relevant = (set(v) | set(cover)) - T - J
            jl = sorted(J)
            if _solvable([rows[p] for p in jl], v, sorted(relevant)):
                return True
            forced = [f for f in relevant
                      if (v.get(f, 0) and not cover.get(f)) or (not v.get(f, 0) and cover.get(f) == 1)]
            if forced:
                f = min(forced, key=lambda c: (len(z_rows_at(c, J)), c))
                choices = [f]
            else:
                choices = sorted(relevant)
            for f in choices:
                if used + w[f] < k and search(J, T | {f}, used + w[f]):
                    return True
                for p in z_rows_at(f, J):
                    if used + w[p] < k and search(J | {p}, T, used + w[p]):
                        return True
            return False

        return search(frozenset(), frozenset(), 0)

    # ------------------------------------------------------------------ adding a cell

    def add(self, idx, force: bool = False) -> bool:
        """Add the cell on atoms ``idx`` unless it reveals (``force``: add anyway, as for a
        cell already published). True when added or already implied."""
        v = self.reduce(idx)
        if not v:
            return True
        if self.reveals(v):
            if not force:
                return False
            self.poisoned = True
        self.commit(v)
        return True

    def commit(self, v: dict[int, int]) -> None:
        """Add reduced vector ``v`` to the span (keeping every invariant above)."""
        if not v:
            return
        big = [c for c in v if not self._small(c)]
        pool = big or list(v)
        p = min(pool, key=lambda c: (len(self.holders.get(c, ())), c))  # least fill-in
        if v[p] < 0:
            v = {c: -x for c, x in v.items()}
        for q in list(self.holders.get(p, ())):
            row = self.rows[q]
            a, b = v[p], row[p]
            new = {c: a * x for c, x in row.items()}
            for c, x in v.items():
                nv = new.get(c, 0) - b * x
                if nv:
                    new[c] = nv
                else:
                    new.pop(c, None)
            new = _normalise(new)
            for c in row:
                if c != q and c not in new:
                    self.holders[c].discard(q)
            for c in new:
                if c != q:
                    self.holders.setdefault(c, set()).add(q)
            self.rows[q] = new
        self.holders.pop(p, None)
        self.rows[p] = v
        for c in v:
            if c != p:
                self.holders.setdefault(c, set()).add(p)
