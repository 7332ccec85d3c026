"""Before the day: the forecast of empty views is what closing the round gives.

For random cohorts (groups, organisations, sectors, role levels, K), every view the forecast
says will show does show once everyone counted has answered, and every view it says will be
empty is empty for the stated reason. The round is published with the functions closing uses
(:func:`kit.analysis.snapshots.build_snapshot` and the "never reach" notes of
:func:`kit.analysis.snapshots.publish`), and read back through :class:`CohortData` as the
dashboard reads it.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.analysis import snapshots
from kit.analysis.cohort import VIEWS, CohortData
from kit.analysis.free_text import shared_comments
from kit.analysis.planning import REASONS, forecast_sentences, plan_views
from kit.analysis.privacy import ALL_GROUPS, BREAKDOWNS, WITHHELD_NOTE, Rules
from kit.content.models import Band, Dimension, Framework, Item, Scale, ScalePoint

FW = Framework("f", "F", "", "self", Scale(tuple(ScalePoint(v, str(v)) for v in range(1, 10))),
               (Band("high", "High", 5.0), Band("low", "Low", 1.0)), (Dimension("d", "D", "", (Item("a", "A"), Item("b", "B"), Item("c", "C")),
                              ask_importance=True),))
ROUND = "R1"
#: The views forecast here: every dashboard view but the health check (no health framework).
FORECAST_VIEWS = tuple(v for v in VIEWS if not v.id.startswith("health"))


def _frames(people):
    """Everyone answers; each person's score and importance differ from everyone else's, so no
    cell is one where everyone gave the same answer (which no forecast can know)."""
    rows, imp = [], []
    for p, (g, o, s, r) in enumerate(people):
        a = min(8, p)
        b = min(8, p - a)
        c = p - a - b
        for item, v in zip("abc", (1 + a, 1 + b, 1 + c), strict=True):
            rows.append(dict(participant_id=p + 1, group_id=1, group=g, organisation=o, sector=s,
                             role_level=r, round_id=1, round=ROUND, round_position=1,
                             item_id=item, value=float(v)))
        imp.append(dict(participant_id=p + 1, group_id=1, group=g, organisation=o, sector=s,
                        round_id=1, round=ROUND, round_position=1, dimension_id="d",
                        importance=1.0 + p / 10))
    return pd.DataFrame(rows), pd.DataFrame(imp)


def _closed(people, groups, rules) -> CohortData:
    """The round closed and published as :func:`kit.publishing.close_round` does."""
    resp, imp = _frames(people)
    versions = {p + 1: p + 1 for p in range(len(people))}
    payload, _slots = snapshots.build_snapshot(resp, imp, FW, ROUND, versions, [], rules)
    members = {g: sum(1 for x in people if x[0] == g) for g in groups}
    snapshots._never_reach(payload, members, rules.min_group_size)
    pub = snapshots.Published(group_names=tuple(groups), positions={ROUND: 1})
    keys = {m: spec[0] for m, spec in snapshots._MEASURES.items()}
    for m, rows in payload["tables"].items():
        pub.tables[(m, ROUND)] = snapshots._table_from_json(rows, keys[m])
    return CohortData("c", FW, resp, groups=tuple(groups), rounds=(ROUND,), rules=rules,
                      published=pub)


def _counts(people) -> pd.DataFrame:
    frame = pd.DataFrame(people, columns=["group", *BREAKDOWNS])
    return frame.groupby(["group", *BREAKDOWNS], dropna=False).size().rename(
        "members").reset_index()


def _table(d: CohortData, view: str, scope: str, by: str | None) -> pd.DataFrame:
    if view == "profile":
        return d.profile(scope, ROUND)
    if view == "disagreement":
        return d.disagreement(scope, ROUND)
    if view == "importance":
        return d.importance_performance(scope, ROUND)
    if view == "change":
        return d.change(scope)
    if view == "breakdown":
        return d.breakdown(by, scope, ROUND)
    if view == "overview":
        return d.overview()
    raise AssertionError(view)


GROUPS = ("North", "South", "East")
person = st.tuples(st.sampled_from(GROUPS), st.sampled_from(["Trust", "Council", "Police", ""]),
                   st.sampled_from(["NHS", "Local government", ""]),
                   st.sampled_from(["Senior", "Middle", "Frontline"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(person, min_size=1, max_size=24), k=st.integers(3, 5), extra=st.integers(0, 6),
       fixed=st.booleans())
def test_forecast_matches_what_closing_shows(people, k, extra, fixed):
    rules = Rules(k, k + extra)
    forecasts = plan_views(_counts(people), rules, groups=GROUPS, fixed=fixed,
                           views=FORECAST_VIEWS)
    d = _closed(people, GROUPS, rules)
    size = {g: sum(1 for p in people if p[0] == g) for g in GROUPS}
    size[ALL_GROUPS] = len(people)
    assert {f.view.id for f in forecasts} == {v.id for v in FORECAST_VIEWS}
    for f in forecasts:
        assert f.reason in REASONS
        v = f.view.id
        if v == "participation":
            assert f.shows and not d.participation_table().empty or not people
            continue
        if v == "free_text":  # everyone shares an answer
            said = shared_comments([f"text {i}" for i in range(len(people))], rules=rules)
            assert said.shown == f.shows
            if not f.shows:
                assert f.reason == "too_few_for_texts" and len(people) < rules.min_comment_size
            continue
        table = _table(d, v, f.scope, f.by)
        shown = table["shown"].astype(bool) if len(table) else pd.Series([], dtype=bool)
        assert bool(shown.any()) == f.shows, (v, f.scope, f.by, f.reason)
        if f.shows:
            if v not in ("breakdown", "overview"):
                assert shown.all(), (v, f.scope)
            continue
        assert f.members == size[f.scope]
        notes = set(table["note"]) if len(table) else set()
        if f.reason == "no_members":
            assert size[f.scope] == 0
        elif f.reason == "below_minimum":
            assert 0 < size[f.scope] < k
            if f.scope != ALL_GROUPS and len(table):
                assert notes == {f"a group of {size[f.scope]} can never reach {k}"}
        elif f.reason in ("gives_away", "protected"):
            assert size[f.scope] >= k
            assert notes == {WITHHELD_NOTE} if v != "breakdown" else WITHHELD_NOTE in notes
            if f.reason == "gives_away":
                small = [g for g in GROUPS if 0 < size[g] < k]
                assert list(f.small_groups) == small and 0 < sum(size[g] for g in small) < k
        elif f.reason == "no_cell":
            values = {p[BREAKDOWNS.index(f.by) + 1] or "Not given" for p in people
                      if f.scope in (ALL_GROUPS, p[0])}
            for value in values:
                n = sum(1 for p in people if f.scope in (ALL_GROUPS, p[0])
                        and (p[BREAKDOWNS.index(f.by) + 1] or "Not given") == value)
                assert n < k, (f.scope, f.by, value, n)
        elif f.reason == "cells_protected":
            assert WITHHELD_NOTE in notes
        elif f.reason == "no_group":
            assert all(not g for g in shown)
        else:
            raise AssertionError(f.reason)
    # Every empty forecast has a sentence; none when everything shows.
    sentences = forecast_sentences(forecasts, rules, fixed=fixed)
    assert bool(sentences) == any(not f.shows for f in forecasts)


def test_group_of_three_and_texts_in_words():
    """The issue's cohort: groups of 7 and 3 from five organisations, the round open."""
    people = ([("A", "Trust", "", "Senior")] * 2 + [("A", "Council", "", "Senior")] * 2
              + [("A", "Police", "", "Senior")] + [("A", "Charity", "", "Senior")] * 2
              + [("B", "School", "", "Senior")] * 3)
    rules = Rules(5, 10)
    said = " ".join(forecast_sentences(plan_views(_counts(people), rules, groups=("A", "B"),
                                                  fixed=True), rules, fixed=True))
    assert "B has 3 counted members and can never reach the minimum of 5" in said
    assert "no organisation in A has 5 or more members" in said
    assert "B has fewer than 5 members" in said  # the whole cohort's results are withheld
    assert "In their words" not in said  # 10 members: texts can show if all ten share
    fewer = forecast_sentences(plan_views(_counts(people[:9]), rules, groups=("A", "B")), rules)
    assert any("\u201cIn their words\u201d needs at least 10 members" in s for s in fewer)
    assert any("B has 2 members so far, fewer than the minimum of 5: unless 3 more join before the round opens" in s for s in fewer)


def test_nobody_yet():
    rules = Rules(5, 10)
    said = forecast_sentences(plan_views(pd.DataFrame(), rules, groups=("A",)), rules)
    assert said[0].startswith("A has no members yet")


def _guide() -> str:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "facilitator-guide.md").read_text(
        encoding="utf-8")
    return " ".join(text.split())


def test_the_guide_gives_a_fallback_for_each_warning_in_the_apps_words():
    """Every warning the apps give, for the guide's own examples, is quoted in the guide's
    section "Before the day: views that will be empty" (up to the list of views)."""
    guide = _guide()
    section = guide.split("## Before the day: views that will be empty", 1)[1].split("## ", 1)[0]
    rules = Rules(5, 10)
    views = [v for v in VIEWS if not v.id.startswith("health")]
    north = ([("North", "Trust", "", "")] * 2 + [("North", "Council", "", "")] * 2
             + [("North", "Police", "", "")] + [("North", "Charity", "", "")] * 2)
    cases = [
        (north + [("South", "School", "", "")] * 3, ("North", "South"), True),
        ([("North", "Trust", "", "")] * 6 + [("South", "School", "", "")] * 2,
         ("North", "South", "East"), False),
        ([("North", "Trust", "", "")] * 3 + [("South", "School", "", "")] * 3,
         ("North", "South"), True),
    ]
    seen = set()
    for people, groups, fixed in cases:
        forecasts = plan_views(_counts(people), rules, groups=groups, fixed=fixed, views=views)
        seen |= {f.reason for f in forecasts if not f.shows}
        for sentence in forecast_sentences(forecasts, rules, fixed=fixed):
            if (groups == ("North", "South") and fixed and len(people) == 6
                    and "Cohort overview" not in sentence[:20]):
                continue  # already quoted, for South, from the first case
            quoted = sentence.split(": \u201c")[0] if "these views" in sentence else sentence
            quoted = quoted.split(" \u201cGroup profile\u201d")[0]
            assert quoted.replace("\u2026", "") in section, sentence
    assert {"no_members", "below_minimum", "gives_away", "no_cell", "no_group",
            "too_few_for_texts"} <= seen
