"""The fast disclosure planner takes exactly the decisions of the original one.

``tests/_plan_reference.py`` keeps the original planner (pure Python, O(cells^2)); here both
plan the same random cohorts, with and without earlier snapshots, revisers, erasures, small
groups, homogeneous cells and the overlap rule, and must agree on every cell.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from kit.analysis import privacy
from kit.analysis.privacy import ALL_GROUPS, BREAKDOWNS, Version
from tests._plan_reference import _plan as reference_plan


def _versions(rng: random.Random, n_people: int, n_groups: int, breakdowns,
              start: int = 0) -> list[Version]:
    orgs = ["A", "B", "C", privacy.NOT_GIVEN][: rng.randint(1, 4)]
    out = []
    for p in range(start, start + n_people):
        attrs = [f"G{rng.randrange(n_groups)}"]
        for by in breakdowns:
            attrs.append(rng.choice(orgs) if by != "role_level" else rng.choice(["R1", "R2"]))
        out.append(Version(p, ("v", p, 0), tuple(attrs)))
    return out


def _capture(monkeypatch):
    """Run plan_with_history, returning the inputs it gave the planner."""
    seen = {}
    real = privacy._plan

    def spy(*args, **kwargs):
        seen["args"], seen["kwargs"] = args, kwargs
        return real(*args, **kwargs)

    monkeypatch.setattr(privacy, "_plan", spy)
    return seen


def _same(fast, ref):
    assert fast.sizes == ref.sizes
    assert fast.homogeneous == ref.homogeneous
    assert fast.published == ref.published, (
        sorted(fast.published ^ ref.published, key=str)
    )


@pytest.mark.parametrize("seed", range(40))
def test_one_snapshot_matches_reference(seed, monkeypatch):
    rng = random.Random(seed)
    breakdowns = BREAKDOWNS[: rng.randint(0, 3)]
    k = rng.choice([3, 5])
    people = _versions(rng, rng.randint(1, 90), rng.randint(1, 8), breakdowns)
    hom = set()
    if rng.random() < 0.3:
        hom.add((f"G{rng.randrange(3)}", None, None))
    seen = _capture(monkeypatch)
    fast = privacy.plan_with_history(people, [], k, breakdowns, homogeneous=hom,
                                     overlap=rng.random() < 0.8)
    ref = reference_plan(*seen["args"], **seen["kwargs"])
    _same(fast, ref)


@pytest.mark.parametrize("seed", range(40))
def test_with_history_matches_reference(seed, monkeypatch):
    rng = random.Random(1000 + seed)
    breakdowns = BREAKDOWNS[: rng.randint(0, 3)]
    k = rng.choice([3, 5])
    n_groups = rng.randint(1, 6)
    first = _versions(rng, rng.randint(5, 70), n_groups, breakdowns)
    history = []
    current = first
    for _snap in range(rng.randint(1, 3)):
        plan = privacy.plan_with_history(current, history, k, breakdowns)
        history.append((current, plan.published))
        nxt = []
        for v in current:
            roll = rng.random()
            if roll < 0.1:
                continue  # erased
            if roll < 0.25:
                v = Version(v.person, (*v.version[:2], v.version[2] + 1), v.attrs)  # revised
            nxt.append(v)
        nxt += _versions(rng, rng.randint(0, 12), n_groups, breakdowns,
                         start=1000 * len(history))  # late responders
        current = nxt
    seen = _capture(monkeypatch)
    fast = privacy.plan_with_history(current, history, k, breakdowns,
                                     overlap=rng.random() < 0.9)
    ref = reference_plan(*seen["args"], **seen["kwargs"])
    _same(fast, ref)


def test_a_large_cohort_matches_reference():
    rng = np.random.default_rng(3)
    n = 600
    import pandas as pd

    people = pd.DataFrame({
        "group": [f"G{i % 40}" for i in range(n)],
        "organisation": rng.choice(["A", "B", "C", "D"], n),
        "sector": rng.choice(["S1", "S2"], n),
        "role_level": rng.choice(["R1", "R2", "R3"], n),
    })
    atoms = people.groupby(["group", *BREAKDOWNS]).size()
    sigs = [(key,) for key in atoms.index]
    args = (sigs, atoms.to_numpy(dtype=float), 5, BREAKDOWNS)
    _same(privacy._plan(*args), reference_plan(*args))
    assert privacy._plan(*args).shown(ALL_GROUPS)
