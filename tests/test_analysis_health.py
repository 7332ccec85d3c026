"""The health check's "where we differ", "across organisations" and trend votes (issue 25
item 3): rules over random cohorts, read through the self-assessment's own suppressed cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.analysis.examples import example_framework, responses_frame
from kit.analysis.health import (
    NO_VOTES_NOTE,
    across_organisations,
    trend_person_frame,
    trend_votes,
    where_we_differ,
)
from kit.analysis.people import person_scores
from kit.analysis.privacy import ALL_GROUPS, Rules
from kit.analysis.team import breakdown, disagreement

FW = example_framework(dimensions=3, items=2, framework_id="hc-fw")
ORGS = ("Trust", "Council", "Police")


def _cohort(sizes, seed, orgs_seed=0):
    rng = np.random.default_rng(seed)
    rows, votes, pid = [], [], 0
    for gi, size in enumerate(sizes):
        for j in range(size):
            pid += 1
            org = ORGS[(j + orgs_seed) % len(ORGS)]
            who = {"participant_id": pid, "group": f"G{gi}", "organisation": org,
                   "round": "R1"}
            for item in FW.items:
                v = None if rng.random() < 0.1 else int(rng.integers(1, 6))
                rows.append({**who, "item_id": item.id, "value": np.nan if v is None else v})
            for d in FW.dimensions:
                if rng.random() < 0.8:
                    vote = [1, 0, -1, None][int(rng.integers(0, 4))]
                    votes.append({**who, "dimension_id": d.id, "trend": vote,
                                  "round_position": 1, "sector": None, "role_level": None})
    responses = responses_frame(rows, ("R1",))
    trends = pd.DataFrame(votes, columns=["participant_id", "group", "organisation", "sector",
                                          "role_level", "round", "round_position",
                                          "dimension_id", "trend"])
    return responses, trends


sizes_st = st.lists(st.integers(2, 9), min_size=1, max_size=3)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=sizes_st, seed=st.integers(0, 10_000), k=st.sampled_from([3, 5]))
def test_where_we_differ_shows_only_what_how_our_habits_vary_shows(sizes, seed, k):
    responses, _trends = _cohort(sizes, seed)
    scores = person_scores(responses, FW)
    rules = Rules(k, max(10, k), 1.0)
    for group in (*sorted(scores["group"].unique()), ALL_GROUPS):
        spread, dist = where_we_differ(scores, FW, group=group, round="R1", rules=rules)
        same = disagreement(scores, FW, group=group, round="R1", rules=rules)
        # the same rows, shown and withheld alike, as the self-assessment's view
        pd.testing.assert_frame_equal(spread[same.columns].reset_index(drop=True), same)
        shown = spread[spread["shown"]]
        assert (shown["n"] >= k).all()
        assert set(dist["dimension_id"]) == set(spread.loc[spread["bands_shown"], "dimension_id"])
        assert set(dist["dimension_id"]) <= set(shown["dimension_id"])
        for dim, counts in dist.groupby("dimension_id"):
            assert counts["count"].max() < counts["count"].sum(), dim  # never one band for all
            n = int(spread.loc[spread["dimension_id"] == dim, "n"].iloc[0])
            assert counts["count"].sum() == n
        # every area without its band counts says why
        assert (spread.loc[~spread["bands_shown"], "bands_note"].str.len() > 0).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=sizes_st, seed=st.integers(0, 10_000), k=st.sampled_from([3, 5]),
       orgs_seed=st.integers(0, 2))
def test_across_organisations_is_the_self_assessments_breakdown(sizes, seed, k, orgs_seed):
    responses, _trends = _cohort(sizes, seed, orgs_seed)
    scores = person_scores(responses, FW)
    rules = Rules(k, max(10, k), 1.0)
    for group in (*sorted(scores["group"].unique()), ALL_GROUPS):
        table = across_organisations(scores, FW, group=group, round="R1", rules=rules)
        pd.testing.assert_frame_equal(
            table, breakdown(scores, FW, by="organisation", group=group, round="R1", rules=rules))
        assert (table.loc[table["shown"], "n"] >= k).all()
        assert (table.loc[~table["shown"], "mean"].isna()).all()
        assert (table.loc[~table["shown"], "note"].str.len() > 0).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=sizes_st, seed=st.integers(0, 10_000), k=st.sampled_from([3, 5]))
def test_trend_votes_are_counts_shown_only_under_the_minimum_size(sizes, seed, k):
    responses, trends = _cohort(sizes, seed)
    votes = trend_person_frame(trends)
    assert votes["trend"].isin([1.0, 0.0, -1.0]).all()  # "first time or don't know" not counted
    rules = Rules(k, max(10, k), 1.0)
    for group in (*sorted(responses["group"].unique()), ALL_GROUPS):
        table = trend_votes(votes, FW, group=group, round="R1", rules=rules)
        assert list(table["dimension_id"]) == [d.id for d in FW.dimensions]
        in_scope = votes if group == ALL_GROUPS else votes[votes["group"] == group]
        for r in table.itertuples():
            mine = in_scope[in_scope["dimension_id"] == r.dimension_id]["trend"]
            if r.shown:
                assert r.n >= k and r.n == len(mine)
                assert (r.better, r.same, r.worse) == (
                    (mine == 1).sum(), (mine == 0).sum(), (mine == -1).sum())
                # everyone giving one answer would tell each person's vote
                assert max(r.better, r.same, r.worse) < r.n
            else:
                assert np.isnan(r.better) and np.isnan(r.same) and np.isnan(r.worse)
                assert r.note
                if len(mine) == 0:
                    assert r.note == NO_VOTES_NOTE
                elif len(mine) < k:
                    assert str(k) in r.note


def test_unanimous_votes_are_withheld_with_their_reason():
    rows = [{"participant_id": p, "group": "A", "organisation": "X", "sector": None,
             "role_level": None, "round": "R1", "round_position": 1,
             "dimension_id": FW.dimensions[0].id, "trend": 1} for p in range(1, 7)]
    table = trend_votes(trend_person_frame(pd.DataFrame(rows)), FW, group="A", round="R1",
                        rules=Rules(5, 10, 1.0))
    first = table.iloc[0]
    # the planner's own reason for a cell where everyone gave one value
    assert not first["shown"] and first["note"] and np.isnan(first["better"])
