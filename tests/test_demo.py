"""The demo cohort: seeded once, with fixed content and codes that open it."""

from __future__ import annotations

import json

import pytest

from kit.demo import DEMO_COHORT, demo_codes_path, seed_demo, synthetic_frames
from kit.store import Store


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'kit.db'}"
    with Store(url) as store:
        codes = seed_demo(store)
    return url, codes


def test_seed_demo_is_idempotent(seeded):
    url, codes = seeded
    with Store(url) as store:
        again = seed_demo(store)
        assert again == codes
        assert [c.name for c in store.list_cohorts()].count(DEMO_COHORT) == 1


def test_codes_open_the_demo(seeded):
    url, codes = seeded
    with Store(url) as store:
        assert store.cohort_by_facilitator_key(codes.facilitator_key).id == codes.cohort_id
        me = store.resume(codes.resume_code)
        assert me.id == codes.participant_id and me.cohort_id == codes.cohort_id
        assert len(store.list_relationships(me.id)) == 6
        commitments = store.list_commitments(me.id)
        assert len(commitments) == 3
        from kit.config import get_settings

        overdue = [c for c in commitments if c.due < get_settings().today and c.status != "done"]
        assert len(overdue) == 1
        assert len(store.list_reflections(me.id)) == 2
        scores = store.participant_scores(me.id, "collaboration-behaviours")
        assert scores["round"].nunique() == 2
    saved = json.loads(demo_codes_path().read_text())["databases"]
    assert codes.facilitator_key in {e["facilitator_key"] for e in saved.values()}


def test_demo_content(seeded):
    url, codes = seeded
    with Store(url) as store:
        info = store.cohort(codes.cohort_id)
        assert [g.name for g in info.groups] == ["North", "Central", "South"]
        responses = store.responses_frame(codes.cohort_id, "collaboration-behaviours")
        assert responses["participant_id"].nunique() == 25
        assert responses["value"].isna().any()  # some "not observed"
        assert set(responses["round"]) == {"Baseline", "Midpoint"}
        assert responses["organisation"].str.contains("Police").any()
        health = store.responses_frame(codes.cohort_id, "partnership-health-check")
        assert health["participant_id"].nunique() >= 20
        assert len(store.shared_prompt_answers(codes.cohort_id, "what-will-i-do-monday", "monday")) >= 10


def test_missing_codes_file_is_explained(seeded, monkeypatch, tmp_path):
    url, _ = seeded
    monkeypatch.setattr("kit.demo.demo_codes_path", lambda: tmp_path / "nothing.json")
    with Store(url) as store, pytest.raises(RuntimeError, match="codes file"):
        seed_demo(store)


def test_cli_prints_the_codes(tmp_path, capsys):
    from kit.commands.main import main

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["demo", "--database", url]) == 0
    first = capsys.readouterr().out
    assert main(["demo", "--database", url]) == 0
    assert capsys.readouterr().out == first
    assert "facilitator key" in first and "resume code" in first and "join code" in first


def test_cli_synthetic_cohort(tmp_path, capsys):
    from kit.commands.main import main

    url = f"sqlite:///{tmp_path / 'syn.db'}"
    assert main(["demo", "--participants", "12", "--groups", "2", "--rounds", "2", "--seed", "4",
                 "--database", url]) == 0
    out = capsys.readouterr().out
    assert "facilitator key" in out and "--publish" in out
    with Store(url) as store:
        [cohort] = store.list_cohorts()
        frame = store.responses_frame(cohort.id, "collaboration-behaviours")
        assert frame["participant_id"].nunique() == 12
        # closed but not published (opening the dashboard never publishes): --publish does it
        closed = [r for r in store.rounds(cohort.id) if not r.is_open]
        assert closed and not any(
            store.snapshots(cohort.id, "collaboration-behaviours", r.id) for r in closed)
    assert main(["demo", "--groups", "2"]) == 2
    assert main(["demo", "--participants", "0"]) == 2
    assert main(["demo", "--publish"]) == 2


def test_cli_synthetic_cohort_published_at_once(tmp_path, capsys):
    """``--publish``: the earlier rounds are closed as a facilitator closes them, which
    publishes their results."""
    from kit.commands.main import main
    from kit.content.models import DEFAULT_SELF_FRAMEWORK

    url = f"sqlite:///{tmp_path / 'syn.db'}"
    assert main(["demo", "--participants", "30", "--groups", "2", "--rounds", "2", "--seed", "4",
                 "--publish", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "closed rounds' results are published" in out
    with Store(url) as store:
        [cohort] = store.list_cohorts()
        closed = [r for r in store.rounds(cohort.id) if not r.is_open]
        assert closed, "the synthetic cohort's earlier rounds are closed"
        for r in closed:
            assert store.snapshots(cohort.id, DEFAULT_SELF_FRAMEWORK, r.id), r.name


def test_synthetic_frames_shape():
    responses, importance = synthetic_frames(200, groups=4, rounds=3, seed=1)
    assert responses["participant_id"].nunique() == 200
    assert responses["group"].nunique() == 4
    assert list(responses["round"].unique()) == ["Round 1", "Round 2", "Round 3"]
    assert responses["value"].dropna().between(1, 5).all()
    assert 0 < responses["value"].isna().mean() < 0.1
    assert set(importance.columns) >= {"participant_id", "dimension_id", "importance", "round"}
    again, _ = synthetic_frames(200, groups=4, rounds=3, seed=1)
    assert again.equals(responses)
    with pytest.raises(ValueError, match="at least one"):
        synthetic_frames(0)


def test_demo_sectors_are_ones_the_partnership_map_offers():
    """Editing a demo relationship must not silently change its sector."""
    from kit.apps.partnership_model import SECTORS
    from kit.demo import _RELATIONSHIPS, ORGANISATIONS

    assert {sector for _, sector in ORGANISATIONS} <= set(SECTORS)
    assert {rel[2] for rel in _RELATIONSHIPS} <= set(SECTORS)
