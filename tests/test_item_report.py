"""``kit item-report``: evidence for trainers, protected by the minimum group size; and no
shipped item is one most people cannot answer in the synthetic cohort."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kit.analysis.examples import example_framework, responses_frame
from kit.analysis.item_report import NO_CHANCE_LIMIT, item_report
from kit.analysis.privacy import Rules
from kit.commands.main import main
from kit.content import load_framework
from kit.demo import seed_synthetic
from kit.store import Store


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('items') / 'kit.db'}"
    with Store(url) as store:
        created = seed_synthetic(store, 150, groups=3, rounds=2, seed=7)
        fw = load_framework("collaboration-behaviours")
        frame = store.responses_frame(created.cohort_id, fw.id)
    return url, created, fw, frame


def test_no_shipped_item_is_mostly_no_chance_in_the_synthetic_cohort(synthetic):
    _url, _created, fw, frame = synthetic
    report = item_report(frame, fw)
    assert report.items["shown"].all()
    assert set(report.items["item_id"]) == {i.id for i in fw.items}
    over = report.items.loc[report.items["no_chance"] > NO_CHANCE_LIMIT, "item_id"].tolist()
    assert over == [] and report.flagged() == []


def test_figures_follow_their_definitions(synthetic):
    _url, _created, fw, frame = synthetic
    report = item_report(frame, fw, round="Round 1")
    one = frame[frame["round"] == "Round 1"]
    item = fw.dimensions[0].scored_items[0].id
    values = one.loc[one["item_id"] == item, "value"]
    row = report.items.set_index("item_id").loc[item]
    assert row["n"] == values.notna().sum()
    assert row["floor"] == pytest.approx((values.dropna() == fw.scale.min).mean())
    assert row["ceiling"] == pytest.approx((values.dropna() == fw.scale.max).mean())
    assert row["no_chance"] == pytest.approx(values.isna().mean())
    # helpful acts hang together; check items run the other way
    kinds = report.items.set_index("item_id")
    helpful = [i.id for i in fw.items if i.scored]
    checks = [i.id for i in fw.items if i.reverse]
    assert (kinds.loc[helpful, "item_rest"] > 0).all()
    assert (kinds.loc[checks, "item_rest"] < 0).all()
    assert report.areas["alpha"].between(0, 1).all()
    stab = item_report(frame, fw).stability
    assert set(zip(stab["from_round"], stab["to_round"], strict=True)) == {("Round 1", "Round 2")}
    assert (stab["n"] >= 5).all() and stab["r"].notna().all()


def test_everything_rests_on_the_minimum_group_size():
    fw = example_framework(dimensions=1, items=3)  # d1i3 is a check item
    rows = []
    for pid in range(1, 9):  # 8 people: 6 senior, 2 front line
        role = "Front line" if pid <= 2 else "Executive"
        for item, value in (("d1i1", pid % 5 + 1), ("d1i2", (pid + 1) % 5 + 1),
                            ("d1i3", None if pid == 3 else 3)):
            rows.append({"participant_id": pid, "group": "G", "round": "Baseline",
                         "item_id": item, "value": value, "role_level": role})
    frame = responses_frame(rows, rounds=("Baseline",))
    report = item_report(frame, fw, rules=Rules(min_group_size=5))
    assert report.items["shown"].all()
    by_role = report.no_chance_by_role
    # front line (2 people) is withheld, and so is the executive cell, which would give it away
    assert not by_role["shown"].any()
    assert by_role["no_chance"].isna().all() and by_role["n"].isna().all()
    strict = item_report(frame, fw, rules=Rules(min_group_size=10, min_comment_size=10))
    for table in (strict.items, strict.areas):
        assert not table["shown"].any()
        assert table.filter(["floor", "ceiling", "no_chance", "item_rest", "alpha"]).isna().all().all()
        assert set(table["note"]) == {"fewer than 10 responses"}
    assert strict.stability.empty  # one round: nothing to compare


def test_the_command_prints_the_report_and_writes_csv(synthetic, capsys, tmp_path):
    url, created, fw, _frame = synthetic
    code = main(["item-report", "--facilitator-key", created.facilitator_key, "--database", url,
                 "--csv", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "every figure rests on at least" in out and fw.items[0].id in out
    assert "Cronbach's alpha" in out and "Stability between rounds" in out
    items = pd.read_csv(tmp_path / "items.csv")
    assert len(items) == len(fw.items) and np.isfinite(items["floor"]).all()
    code = main(["item-report", "--facilitator-key", created.facilitator_key, "--database", url,
                 "--round", "No such round"])
    assert code == 2 and "No such round" in capsys.readouterr().err
