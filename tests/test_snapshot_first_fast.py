"""A round's first snapshot, planned from head counts, equals the one planned version by version."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.analysis import snapshots
from kit.analysis.privacy import Rules
from kit.content import load_framework
from kit.demo import synthetic_frames


@pytest.mark.parametrize("n, groups", [(40, 3), (160, 12)])
def test_first_snapshot_fast_path_matches(n, groups, monkeypatch):
    fw = load_framework("collaboration-behaviours")
    responses, importance = synthetic_frames(n, groups=groups, rounds=1, seed=5, framework=fw)
    # blanks and a missing organisation must read as "Not given" either way
    responses.loc[responses["participant_id"] % 7 == 0, "organisation"] = None
    round_name = str(responses["round"].iloc[0])
    versions = {int(p): 1000 + int(p) for p in pd.unique(responses["participant_id"])}
    rules = Rules(5, 10, 1.0)
    fast = snapshots.build_snapshot(responses, importance, fw, round_name, versions, [], rules)
    monkeypatch.setattr(snapshots, "_FAST_FIRST", False)
    slow = snapshots.build_snapshot(responses, importance, fw, round_name, versions, [], rules)
    assert fast == slow
    assert any(fast[0]["cells"]["score"].values())
