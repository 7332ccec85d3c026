"""Brute-force differencing attacks on every view the facilitator dashboard offers.

For small, deliberately awkward cohorts (groups of 4-7, organisations of 1, 2 and 4 people,
people skipping rounds and answering "not applicable") we collect every number the dashboard
can show: every view x every group or cohort scope x every round x every breakdown and filter.
For each published summary we rebuild, from the raw answers, the set of people behind it (and
check its ``n`` and mean match). Then, per measured quantity, we ask linear algebra whether any
combination of published totals (``mean x n``), added or subtracted in any way, isolates one
person: that is, whether a person's indicator vector lies in the span of the published sets.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.analysis.cohort import VIEWS, CohortData
from kit.analysis.examples import example_framework, importance_frame, responses_frame
from kit.analysis.privacy import ALL_GROUPS, BREAKDOWNS, WITHHELD_NOTE, Rules, plan_publication
from kit.analysis.scoring import MIN_ANSWERED

FW = example_framework(dimensions=2, items=2)
ROUNDS = ("Baseline", "Midpoint")
ORG_SECTOR = {"Trust": "NHS", "Council": "Local government", "Police": "Policing",
              "Charity": "Voluntary", "Hospice": "Voluntary"}


def build_cohort(people: list[dict], answers, k: int = 5) -> CohortData:
    """people: dicts with participant_id, group, organisation, role_level, rounds (set).
    answers(pid, round, item_id) -> value or None."""
    rows, imp = [], []
    for p in people:
        for rnd in p["rounds"]:
            for item in FW.items:
                v = answers(p["participant_id"], rnd, item.id)
                rows.append({**{c: p[c] for c in ("participant_id", "group", "organisation", "role_level")},
                             "sector": ORG_SECTOR.get(p["organisation"]), "round": rnd,
                             "item_id": item.id, "value": np.nan if v is None else v})
            for d in FW.dimensions:
                v = answers(p["participant_id"], rnd, d.id)
                if v is not None:
                    imp.append({"participant_id": p["participant_id"], "group": p["group"],
                                "organisation": p["organisation"],
                                "sector": ORG_SECTOR.get(p["organisation"]), "round": rnd,
                                "dimension_id": d.id, "importance": v})
    return CohortData("Test", FW, responses_frame(rows, ROUNDS),
                      importance=importance_frame(imp, ROUNDS) if imp else None,
                      health_framework=FW, health_responses=responses_frame(rows, ROUNDS),
                      rules=Rules(k, max(10, k), 1.0))


# ---------------------------------------------------------------- ground truth from raw answers


def truth(cd: CohortData):
    """Per-person dimension scores and importance, computed here independently."""
    r = cd.responses.copy()
    r = r[r["value"].notna()]
    rev = {i.id: i.reverse for i in FW.items}
    dim = {i.id: d.id for d in FW.dimensions for i in d.items}
    r["score"] = [6 - v if rev[i] else v for i, v in zip(r["item_id"], r["value"], strict=True)]
    r["dimension_id"] = r["item_id"].map(dim)
    agg = r.groupby(["participant_id", "round", "dimension_id"])["score"].agg(["mean", "size"])
    scores = agg.loc[agg["size"] >= MIN_ANSWERED, "mean"]  # fewer answers: "not enough answers"
    items = r.set_index(["participant_id", "round", "item_id"])["score"]
    imp = (cd.importance.set_index(["participant_id", "round", "dimension_id"])["importance"]
           if cd.importance is not None else pd.Series(dtype=float))
    people = cd.responses.drop_duplicates("participant_id").set_index("participant_id")
    people = people[["group", "organisation", "sector", "role_level"]].astype(object)
    people = people.where(people.notna(), "Not given")
    return scores, items, imp, people


def members(people, group, by=None, value=None):
    sel = people if group == ALL_GROUPS else people[people["group"] == group]
    if by is not None:
        sel = sel[sel[by] == value]
    return set(sel.index)


class Published:
    """Every published summary, as (quantity, set of people), with consistency checks."""

    def __init__(self, cd: CohortData):
        self.cd = cd
        self.scores, self.items, self.imp, self.people = truth(cd)
        self.sets: dict[tuple, set[frozenset]] = {}
        self.k = cd.rules.min_group_size

    def add(self, quantity, pids, n, mean=None, values=None):
        values = self.scores if values is None else values
        rnd, key = quantity[1], quantity[2]
        have = {p for p in pids if (p, rnd, key) in values.index}
        assert n == len(have), (quantity, n, sorted(have))
        assert n >= self.k, f"{quantity}: a summary of {n} people was shown (minimum {self.k})"
        if mean is not None:
            true = np.mean([values[(p, rnd, key)] for p in have])
            assert mean == pytest.approx(true, abs=0.05 + 1e-9), quantity  # published rounded
        self.sets.setdefault(quantity, set()).add(frozenset(have))

    def recoverable(self) -> list[tuple]:
        """(quantity, person) pairs that adding and subtracting published totals isolates."""
        found = []
        for quantity, sets in self.sets.items():
            everyone = sorted(set().union(*sets))
            index = {p: i for i, p in enumerate(everyone)}
            m = np.zeros((len(sets), len(everyone)))
            for row, s in enumerate(sets):
                m[row, [index[p] for p in s]] = 1
            rank = np.linalg.matrix_rank(m)
            for p in everyone:
                e = np.zeros(len(everyone))
                e[index[p]] = 1
                if np.linalg.matrix_rank(np.vstack([m, e])) == rank:
                    found.append((quantity, p))
        return found


def publish_everything(cd: CohortData) -> Published:
    """Walk every view x scope x round x breakdown/filter and record what is shown."""
    pub = Published(cd)
    views = {v.id for v in VIEWS}
    assert views == {"participation", "profile", "disagreement", "breakdown", "importance",
                     "change", "health", "health_spread", "health_breakdown", "overview",
                     "free_text"}
    for rnd in cd.rounds:
        for group in cd.scopes:
            filters = [None, *cd.filter_options(group, rnd)]
            for f in filters:
                # the sort order changes only the order of rows, not what is shown
                prof = cd.profile(group, rnd, filter=f)
                for row in prof[prof["shown"]].itertuples():
                    pids = members(pub.people, group, *(f or (None, None)))
                    pub.add(("score", rnd, row.dimension_id), pids, row.n, row.mean)
                dist = cd.distribution(group, rnd, filter=f)
                shown = set(prof.loc[prof["shown"], "dimension_id"])
                assert set(dist["dimension_id"]) <= shown
            dis = cd.disagreement(group, rnd)
            for row in dis[dis["shown"]].itertuples():
                pub.add(("score", rnd, row.dimension_id), members(pub.people, group), row.n, row.mean)
            items = cd.item_disagreement(group, rnd)
            for row in items[items["shown"]].itertuples():
                pub.add(("item", rnd, row.item_id), members(pub.people, group), row.n,
                        values=pub.items)
            for by in BREAKDOWNS:
                bd = cd.breakdown(by, group, rnd)
                for row in bd[bd["shown"]].itertuples():
                    pub.add(("score", rnd, row.dimension_id),
                            members(pub.people, group, by, row.value), row.n, row.mean)
            spread, dist = cd.health_spread(group, rnd)
            for row in spread[spread["shown"]].itertuples():
                pub.add(("health", rnd, row.dimension_id), members(pub.people, group), row.n, row.mean)
            assert set(dist["dimension_id"]) <= set(spread.loc[spread["bands_shown"], "dimension_id"])
            assert set(spread.loc[spread["bands_shown"], "dimension_id"]) <= set(
                spread.loc[spread["shown"], "dimension_id"])
            for _dim, counts in dist.groupby("dimension_id"):
                assert counts["count"].max() < counts["count"].sum()  # never one band for all
            hb = cd.health_breakdown(group, rnd)
            for row in hb[hb["shown"]].itertuples():
                pub.add(("health", rnd, row.dimension_id),
                        members(pub.people, group, "organisation", row.value), row.n, row.mean)
            ip = cd.importance_performance(group, rnd)
            for row in ip[ip["shown"]].itertuples():
                pids = members(pub.people, group)
                pub.add(("score", rnd, row.dimension_id), pids, row.n_performance, row.performance)
                pub.add(("importance", rnd, row.dimension_id), pids, row.n_importance,
                        row.importance, values=pub.imp)
    for group in cd.scopes:
        for table, kind in ((cd.change(group), "score"), (cd.health(group), "health")):
            for row in table[table["shown"]].itertuples():
                pub.add((kind, row.round, row.dimension_id), members(pub.people, group), row.n, row.mean)
    ov = cd.overview()
    for row in ov[ov["shown"]].itertuples():
        pub.add(("score", row.round, row.dimension_id), members(pub.people, row.group), row.n, row.mean)
    return pub


# ---------------------------------------------------------------- crafted cohorts

ORG_PATTERNS = {
    "1-2-4": ["Police"] + ["Council"] * 2 + ["Trust"] * 4,
    "4-2-1": ["Trust"] * 4 + ["Council"] * 2 + ["Police"],
    "all-one": ["Trust"] * 7,
    "2-2-2-1": ["Trust"] * 2 + ["Council"] * 2 + ["Charity"] * 2 + ["Police"],
    "5-1-1": ["Trust"] * 5 + ["Police", "Hospice"],
}


def crafted(sizes, pattern, seed, *, skip_round=True, na_rate=0.15):
    rng = np.random.default_rng(seed)
    people, pid = [], 0
    orgs = ORG_PATTERNS[pattern]
    for gi, size in enumerate(sizes):
        for j in range(size):
            pid += 1
            rounds = set(ROUNDS)
            if skip_round and j == size - 1 and gi % 2 == 0:
                rounds = {"Baseline"}  # someone who only answered the first round
            people.append({"participant_id": pid, "group": f"G{gi + 1}",
                           "organisation": orgs[j % len(orgs)] if j < len(orgs) else orgs[0],
                           "role_level": ("Senior", "Middle")[j % 2], "rounds": rounds})
    table = {}

    def answers(p, rnd, key):
        if (p, rnd, key) not in table:
            table[(p, rnd, key)] = None if rng.random() < na_rate else int(rng.integers(1, 6))
        return table[(p, rnd, key)]

    return build_cohort(people, answers)


CASES = [
    ((4,), "1-2-4"),
    ((5,), "1-2-4"),
    ((6,), "4-2-1"),
    ((5, 6), "1-2-4"),
    ((4, 5, 6, 7), "1-2-4"),
    ((6, 7), "5-1-1"),
    ((7, 7), "2-2-2-1"),
    ((6, 4), "4-2-1"),
]


@pytest.mark.parametrize(("sizes", "pattern"), CASES, ids=[f"{s}-{p}" for s, p in CASES])
@pytest.mark.parametrize("seed", [0])
def test_no_one_can_be_singled_out(sizes, pattern, seed):
    cd = crafted(sizes, pattern, seed)
    pub = publish_everything(cd)
    assert pub.recoverable() == []


def test_the_attack_finds_a_leak_when_rules_are_off():
    """The attack itself works: publish every cell with at least K people, no other rule."""
    cd = crafted((6,), "5-1-1", 0, skip_round=False, na_rate=0)
    pub = Published(cd)
    for by in BREAKDOWNS:
        for value in pub.people[by].unique():
            pids = members(pub.people, "G1", by, value)
            if len(pids) >= 5:
                pub.sets.setdefault(("score", "Baseline", "d1"), set()).add(frozenset(pids))
    pub.sets[("score", "Baseline", "d1")].add(frozenset(members(pub.people, "G1")))
    assert pub.recoverable(), "a group of 6 with a Trust cell of 5 exposes the sixth person"


def test_the_views_do_show_something_for_a_healthy_cohort():
    cd = crafted((7, 7), "all-one", 3, skip_round=False, na_rate=0)
    pub = publish_everything(cd)
    assert ("score", "Baseline", "d1") in pub.sets
    assert len(pub.sets[("score", "Baseline", "d1")]) >= 3  # two groups and the cohort


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(3, 8), min_size=1, max_size=3),
    orgs=st.lists(st.sampled_from(sorted(ORG_SECTOR)), min_size=8, max_size=8),
    roles=st.lists(st.sampled_from(["Senior", "Middle", None]), min_size=8, max_size=8),
    seed=st.integers(0, 10_000),
    k=st.sampled_from([3, 5]),
)
def test_random_cohorts_never_single_anyone_out(sizes, orgs, roles, seed, k):
    rng = np.random.default_rng(seed)
    people, pid = [], 0
    for gi, size in enumerate(sizes):
        for j in range(size):
            pid += 1
            rounds = set(ROUNDS) if rng.random() > 0.2 else {"Baseline"}
            people.append({"participant_id": pid, "group": f"G{gi}", "organisation": orgs[j],
                           "role_level": roles[j], "rounds": rounds})
    vals = {}

    def answers(p, rnd, key):
        return vals.setdefault((p, rnd, key), None if rng.random() < 0.1 else int(rng.integers(1, 6)))

    cd = build_cohort(people, answers, k=k)
    assert publish_everything(cd).recoverable() == []


# ---------------------------------------------------------------- the planner's own rules


def _people(spec):
    rows = []
    for group, org, sector, n in spec:
        rows += [{"group": group, "organisation": org, "sector": sector, "role_level": "Any"}] * n
    return pd.DataFrame(rows)


def test_small_group_is_withheld():
    plan = plan_publication(_people([("A", "X", "S", 4)]), k=5)
    assert not plan.shown("A")
    assert plan.note("A") == "fewer than 5 responses"


def test_remainder_rule_hides_the_next_smallest_sibling():
    # 6 + 5 + 2 = 13: the 2 is withheld, so the 5 must go too or 13 - 6 - 5 gives it away
    plan = plan_publication(_people([("A", "X", "S1", 6), ("A", "Y", "S1", 5), ("A", "Z", "S1", 2)]), k=5)
    assert plan.shown("A")
    assert plan.shown("A", "organisation", "X")
    assert not plan.shown("A", "organisation", "Y")
    assert not plan.shown("A", "organisation", "Z")
    assert plan.note("A", "organisation", "Y") == WITHHELD_NOTE


def test_small_group_withholds_the_cohort_total_not_a_neighbour():
    plan = plan_publication(_people([("A", "X", "S", 6), ("B", "X", "S", 7), ("C", "X", "S", 2)]), k=5)
    assert plan.shown("A") and plan.shown("B")
    assert not plan.shown(ALL_GROUPS)


def test_overlapping_breakdowns_cannot_be_subtracted():
    # organisation X has 5 and sector S1 has 6 (X plus one person from Y): never both
    plan = plan_publication(
        _people([("A", "X", "S1", 5), ("A", "Y", "S1", 1), ("A", "Y", "S2", 5)]), k=5
    )
    both = plan.shown("A", "organisation", "X") and plan.shown("A", "sector", "S1")
    assert not both


def test_k_is_never_below_three():
    with pytest.raises(ValueError, match="never below 3"):
        Rules(min_group_size=2)
    with pytest.raises(ValueError, match="never below 3"):
        plan_publication(_people([("A", "X", "S", 5)]), k=2)


def test_rules_follow_settings(monkeypatch):
    from kit.config import get_settings

    monkeypatch.setenv("KIT_MIN_GROUP_SIZE", "7")
    get_settings.cache_clear()
    try:
        assert Rules.from_settings().min_group_size == 7
    finally:
        monkeypatch.delenv("KIT_MIN_GROUP_SIZE")
        get_settings.cache_clear()


def test_plans_are_exhaustive_for_tiny_partitions():
    """Every split of 8 people into two groups and up to three organisations."""
    for a in range(1, 8):
        for x, y in itertools.product(range(0, a + 1), range(0, 9 - a)):
            spec = [("A", "X", "S", x), ("A", "Y", "S", a - x), ("B", "X", "S", y), ("B", "Y", "S", 8 - a - y)]
            spec = [s for s in spec if s[3] > 0]
            plan = plan_publication(_people(spec), k=3)
            shown = sorted(plan.published, key=str)
            for cell in shown:
                assert plan.sizes[cell] >= 3
