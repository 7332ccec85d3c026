"""Group summaries on small frames whose answers are worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kit.analysis import (
    ALL_GROUPS,
    Rules,
    breakdown,
    change_over_rounds,
    cohort_overview,
    disagreement,
    group_profile,
    health_check,
    importance_performance,
    item_disagreement,
    item_frame,
    participation_table,
    person_importance,
    person_scores,
    score_distribution,
    shared_comments,
)
from kit.analysis.examples import example_framework, importance_frame, responses_frame
from kit.analysis.privacy import WITHHELD_NOTE

FW = example_framework(dimensions=2, items=2)   # two helpful acts per area, no check items
RULES = Rules(min_group_size=5, min_comment_size=10, split_threshold=1.0)


def _rows(values: dict[int, dict[str, float | None]], group="G", rnd="Baseline", org=None):
    rows = []
    for pid, answers in values.items():
        for item, v in answers.items():
            rows.append({"participant_id": pid, "group": group, "round": rnd, "item_id": item,
                         "value": np.nan if v is None else v,
                         "organisation": (org or {}).get(pid), "sector": None, "role_level": None})
    return rows


# five people; d1 = mean(d1i1, d1i2) (both answered alike, so d1 = d1i1)
FIVE = {
    1: {"d1i1": 5, "d1i2": 5, "d2i1": 3, "d2i2": 3},   # d1 = 5,   d2 = 3
    2: {"d1i1": 4, "d1i2": 4, "d2i1": 1, "d2i2": 1},   # d1 = 4,   d2 = 1
    3: {"d1i1": 3, "d1i2": 3, "d2i1": 5, "d2i2": 5},   # d1 = 3,   d2 = 5
    4: {"d1i1": 2, "d1i2": 2, "d2i1": 2, "d2i2": 2},   # d1 = 2,   d2 = 2
    5: {"d1i1": 1, "d1i2": 1, "d2i1": 4, "d2i2": 4},   # d1 = 1,   d2 = 4
}


@pytest.fixture
def scores():
    return person_scores(responses_frame(_rows(FIVE)), FW)


def test_person_scores_reverse_keying_and_not_applicable(scores):
    got = scores.set_index(["participant_id", "dimension_id"])["score"]
    assert got[(1, "d1")] == 5.0
    assert got[(3, "d1")] == 3.0
    assert got[(2, "d2")] == 1.0   # (1 + 1) / 2
    assert scores.set_index(["participant_id", "dimension_id"])["answered"][(3, "d1")] == 2
    # one answered item is "not enough answers": no score for that person and dimension
    one = FIVE | {3: {"d1i1": 3, "d1i2": None, "d2i1": 5, "d2i2": 5}}
    thin = person_scores(responses_frame(_rows(one)), FW).set_index(["participant_id", "dimension_id"])
    assert (3, "d1") not in thin.index and thin.loc[(3, "d2"), "score"] == 5.0


def test_group_profile_numbers(scores):
    prof = group_profile(scores, FW, group="G", round="Baseline", rules=RULES).set_index("dimension_id")
    d1 = prof.loc["d1"]
    assert d1["n"] == 5 and d1["mean"] == 3.0
    assert d1["sd"] == round(np.std([5, 4, 3, 2, 1], ddof=1), 1)  # published rounded
    # no minimum, maximum or quantile is ever published: for five people they are the answers
    assert not {"min", "q1", "median", "q3", "max"} & set(prof.columns)
    assert d1["band"] == "Developing" and d1["shown"] and d1["note"] == ""


def test_profile_sorts(scores):
    by_mean = group_profile(scores, FW, group="G", round="Baseline", sort="mean", rules=RULES)
    assert by_mean["dimension_id"].tolist() == ["d1", "d2"]  # 3.0 vs 3.0: framework order breaks the tie
    by_sd = group_profile(scores, FW, group="G", round="Baseline", sort="disagreement", rules=RULES)
    assert by_sd["sd"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="sort='x' is not a choice"):
        group_profile(scores, FW, group="G", round="Baseline", sort="x", rules=RULES)


def test_fewer_than_k_keeps_the_row_with_a_note():
    four = {k: v for k, v in FIVE.items() if k <= 4}
    s = person_scores(responses_frame(_rows(four)), FW)
    prof = group_profile(s, FW, group="G", round="Baseline", rules=RULES)
    assert len(prof) == 2
    assert not prof["shown"].any()
    assert prof["mean"].isna().all() and prof["n"].isna().all()
    assert set(prof["note"]) == {"fewer than 5 responses"}
    assert score_distribution(s, FW, group="G", round="Baseline", rules=RULES).empty


def test_k_of_three_shows_four():
    four = {k: v for k, v in FIVE.items() if k <= 4}
    s = person_scores(responses_frame(_rows(four)), FW)
    prof = group_profile(s, FW, group="G", round="Baseline", rules=Rules(3, 10, 1.0))
    assert prof["shown"].all()


def test_distribution_counts_people_per_band_not_values(scores):
    dist = score_distribution(scores, FW, group="G", round="Baseline", rules=RULES)
    assert "value" not in dist.columns
    d1 = dist[dist["dimension_id"] == "d1"].set_index("band")["count"].to_dict()
    assert d1 == {"room-to-grow": 2, "developing": 1, "strength": 2}  # 1, 2 | 3 | 4, 5
    assert dist["count"].sum() == 10


def test_disagreement_flags_split_and_sorts(scores):
    table = disagreement(scores, FW, group="G", round="Baseline", rules=RULES)
    assert table["sd"].tolist() == sorted(table["sd"].tolist(), reverse=True)
    assert table["split"].all()  # both sds are about 1.58
    assert "range" not in table.columns
    calm = disagreement(scores, FW, group="G", round="Baseline", rules=Rules(5, 10, 2.0))
    assert not calm["split"].any()


def test_item_disagreement_has_no_means(scores):
    one_na = FIVE | {3: {"d1i1": 3, "d1i2": None, "d2i1": 5, "d2i2": 5}}
    items = item_disagreement(item_frame(responses_frame(_rows(one_na)), FW), FW, group="G",
                              round="Baseline", rules=RULES)
    assert "mean" not in items.columns
    row = items.set_index("item_id").loc["d1i2"]
    assert not row["shown"]  # only four people answered it
    assert row["note"] == "fewer than 5 responses"
    assert items.set_index("item_id").loc["d1i1", "sd"] == round(np.std([5, 4, 3, 2, 1], ddof=1), 1)


def test_breakdown_suppresses_small_cells_and_remainder():
    org = {1: "A", 2: "A", 3: "A", 4: "A", 5: "A", 6: "B"}
    six = dict(FIVE) | {6: {"d1i1": 5, "d1i2": 5, "d2i1": 5, "d2i2": 5}}
    s = person_scores(responses_frame(_rows(six, org=org)), FW)
    table = breakdown(s, FW, by="organisation", group="G", round="Baseline", rules=RULES)
    # A (5) alone would give B (1) away by subtraction from the group of 6
    assert not table["shown"].any()
    assert set(table["note"]) == {"fewer than 5 responses", WITHHELD_NOTE}
    assert len(table) == 4  # 2 organisations x 2 dimensions, rows kept


def test_change_over_rounds_and_overview():
    later = {pid: {k: (v if v is None else min(5, v + 1)) for k, v in a.items()}
             for pid, a in FIVE.items()}
    rows = _rows(FIVE) + _rows(later, rnd="Midpoint")
    s = person_scores(responses_frame(rows), FW)
    ch = change_over_rounds(s, FW, group="G", rules=RULES)
    assert ch["round"].tolist()[:2] == ["Baseline", "Midpoint"]
    d1 = ch[ch["dimension_id"] == "d1"].set_index("round")
    # d1 scores become 5, 5, 4, 3, 2 -> 3.8
    assert d1.loc["Midpoint", "mean"] == pytest.approx(3.8)
    assert d1.loc["Midpoint", "change"] == pytest.approx(0.8)
    assert d1.loc["Midpoint", "n"] == 5
    ov = cohort_overview(s, FW, rules=RULES)
    assert set(ov["group"]) == {"G"}
    assert ov["change"].notna().sum() == 2


def test_health_check_trend():
    later = {pid: {k: (v if v is None else min(5, v + 1)) for k, v in a.items()}
             for pid, a in FIVE.items()}
    s = person_scores(responses_frame(_rows(FIVE) + _rows(later, rnd="Midpoint")), FW)
    hc = health_check(s, FW, group="G", rules=RULES)
    mid = hc[hc["round"] == "Midpoint"].set_index("dimension_id")
    assert mid.loc["d1", "trend"] == "improving"
    assert mid.loc["d1", "band"] == "Developing"


def test_importance_performance_quadrants(scores):
    imp = importance_frame([{"participant_id": p, "group": "G", "round": "Baseline",
                             "dimension_id": d,
                             "importance": (5 if p != 1 else 4) if d == "d1" else 2 + (p == 2)}
                            for p in FIVE for d in ("d1", "d2")])
    table = importance_performance(scores, person_importance(imp), FW, group="G", round="Baseline",
                                   rules=RULES).set_index("dimension_id")
    # d1: matters a lot (4.8) and scores below the top band (3.0): the rule behind a person's
    # "Where to focus" puts it in "Focus here"
    assert table.loc["d1", "importance"] == 4.8 and table.loc["d1", "quadrant"] == "Focus here"
    # d2 matters less (2.2) and is below the top band (3.0): "Watch", whatever the middle of
    # the scale; quadrants split on the same two lines as the rule, never on the middle
    assert table.loc["d2", "quadrant"] == "Watch"


def test_focus_here_and_personal_priority_agree():
    """The team's "Focus here" and a person's priority follow one rule for any pair of means."""
    from kit.analysis.importance import _quadrant
    from kit.analysis.personal import profile_from_answers
    from kit.analysis.scoring import needs_focus

    fw = example_framework(dimensions=1, items=2, reverse_last=False)
    for imp in range(1, 6):
        for score in range(1, 6):
            profile = profile_from_answers(fw, {"d1i1": score, "d1i2": score}, {"d1": imp})
            personal = bool(profile.priorities)
            team = _quadrant(float(imp), float(score), fw.importance_scale, fw) == "Focus here"
            want = needs_focus(imp, score, (1, 5), fw.top_band.min)
            assert personal == team == want, (imp, score)
            # nothing in the top band is ever a gap
            assert not (want and score >= fw.top_band.min)


def test_all_groups_scope_and_filters_validate(scores):
    prof = group_profile(scores, FW, group=ALL_GROUPS, round="Baseline", rules=RULES)
    assert prof["shown"].all()
    with pytest.raises(ValueError, match="cannot filter by 'postcode'"):
        group_profile(scores, FW, group="G", round="Baseline", filter=("postcode", "X"), rules=RULES)
    with pytest.raises(ValueError, match="cannot break down by"):
        breakdown(scores, FW, by="postcode", group="G", round="Baseline", rules=RULES)


def test_participation_table():
    part = pd.DataFrame({"group": ["A", "A"], "round": ["Baseline", "Midpoint"],
                         "members": [8, 8], "responded": [8, 3]})
    t = participation_table(part, RULES)
    assert t["rate"].tolist() == [1.0, 0.375]
    assert t["enough"].tolist() == [True, False]
    assert t["still_needed"].tolist() == [0, 2]
    with pytest.raises(ValueError, match="no column"):
        participation_table(part.drop(columns="members"), RULES)


def test_shared_comments_threshold_and_shuffle():
    few = shared_comments([f"answer {i}" for i in range(9)], rules=RULES)
    assert not few.shown and "at least 10" in few.note
    many = [f"answer {i}" for i in range(12)] + ["  ", ""]
    orders = {shared_comments(many, rules=RULES).comments for _ in range(6)}
    assert all(sorted(o) == sorted(many[:12]) for o in orders)
    assert len(orders) > 1  # a fresh random order each time
    assert not shared_comments(many, people=9, rules=RULES).shown


def test_shared_comments_count_distinct_people_not_entries():
    from kit.analysis.free_text import shared_comments_from_entries

    # Five people with two finished reflections each: ten answers, but only five people.
    entries = [(pid, f"answer {pid}-{n}") for pid in range(5) for n in range(2)]
    few = shared_comments_from_entries(entries + [(9, "  ")], rules=RULES)
    assert not few.shown and few.people == 5 and "(5 so far)" in few.note
    enough = shared_comments_from_entries(entries + [(pid, f"x {pid}") for pid in range(5, 10)],
                                          rules=RULES)
    assert enough.shown and enough.people == 10 and len(enough.comments) == 10  # one each
    assert all(isinstance(c, str) for c in enough.comments)  # no ids in the output


def test_free_text_threshold_counts_people_end_to_end(tmp_path):
    """Through the store, the dashboard's data and the group report."""
    from kit.analysis.cohort import CohortData
    from kit.report.group import all_tables, report_page
    from kit.store import Store

    with Store(f"sqlite:///{tmp_path / 'kit.db'}") as store:
        created = store.create_cohort("C", groups=["A"], rounds=["R"])
        code = created.join_codes["A"]
        pids = [store.join(code, f"P{n}").id for n in range(5)]
        for pid in pids:
            for n in range(2):
                store.save_reflection(pid, "what-will-i-do-monday",
                                      {"monday": f"secret {pid}-{n}"}, finished=True,
                                      shared=True)
        entries = store.shared_prompt_entries(created.cohort_id, "what-will-i-do-monday", "monday")
        assert len(entries) == 10 and len({p for p, _t in entries}) == 5
        assert len(store.shared_prompt_answers(created.cohort_id, "what-will-i-do-monday",
                                               "monday")) == 10
        data = CohortData.from_store(store, created.cohort_id, rules=RULES)
        prompt = next(p for p in data.prompts if p.exercise_id == "what-will-i-do-monday")
        assert not prompt.comments.shown and prompt.comments.people < RULES.min_comment_size
        page = report_page(data)
        assert "secret" not in page
        assert not any("secret" in t.to_csv() for t in all_tables(data).values())


def test_missing_columns_name_the_fix():
    with pytest.raises(ValueError, match="no column"):
        person_scores(pd.DataFrame({"participant_id": [1]}), FW)


def test_withheld_importance_is_said_to_be_withheld_never_read_as_no_area(scores):
    from kit.charts.team_compare import describe_importance

    # only four people rated importance: below the minimum group size of five
    imp = importance_frame([{"participant_id": p, "group": "G", "round": "Baseline",
                             "dimension_id": d, "importance": 5}
                            for p in list(FIVE)[:4] for d in ("d1", "d2")])
    table = importance_performance(scores, person_importance(imp), FW, group="G",
                                   round="Baseline", rules=RULES)
    assert not table["shown"].any() and set(table["quadrant"]) == {""}
    words = describe_importance(table)
    assert "cannot be shown yet" in words and "fewer than 5 responses" in words
    assert "No area" not in words
    # one area shown, one withheld: the words speak only of the areas that can be shown
    part = table.copy()
    part.loc[0, ["shown", "quadrant", "importance", "performance"]] = [True, "Keep it up", 4.5, 4.5]
    words = describe_importance(part)
    assert words.startswith("Of the areas that can be shown, none")
    assert "Not shown: " in words
