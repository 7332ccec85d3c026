"""The group report: standalone, offline, escaped, and only suppressed numbers."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from kit.demo import seed_demo
from kit.report.group import csv_zip, group_report_csvs, group_report_html
from kit.store import Store

PAYLOAD = "<script>alert('x')</script> & more"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'kit.db'}"
    store = Store(url)
    codes = seed_demo(store)
    # shared-prompt answers carrying a script, from five counted members who then revise their
    # Midpoint answers, so that the facilitator can publish an update with the new texts
    from kit.analysis.privacy import Rules
    from kit.analysis.snapshots import publish
    from kit.content import load_exercises, load_framework

    info = store.cohort(codes.cohort_id)
    fw = load_framework("collaboration-behaviours")
    mid = info.round("Midpoint").id
    counted = sorted(store.current_versions(codes.cohort_id, fw.id, mid))[:5]
    for n, pid in enumerate(counted):
        store.save_reflection(pid, "what-will-i-do-monday",
                              {"what-stood-out": "x", "monday": f"{PAYLOAD} {n}"}, finished=True,
                              shared=True)
        answers = {i.id: 3 for i in fw.items}
        store.submit_response(pid, fw, mid, answers, {}, key=f"revise-{pid}")
    shared = [e for e in load_exercises() if getattr(e, "shared_step", None)]
    publish(store, codes.cohort_id, "Midpoint", fw, Rules.from_settings(), exercises=shared)
    yield store, codes, info
    store.close()


@pytest.fixture(scope="module")
def page(demo):
    store, codes, _ = demo
    return group_report_html(store, codes.cohort_id)


def test_report_is_offline(page):
    assert "cdn.jsdelivr" not in page
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=['\"]?https?:", page)
    assert not re.search(r"<img[^>]+src=['\"]?https?:", page)
    assert "vegaEmbed" in page


def test_report_escapes_free_text(page):
    assert PAYLOAD not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page


def test_report_has_every_view_with_words(page):
    for title in ("Who has taken part", "Group profile", "How our habits vary",
                  "Across organisations and sectors", "Importance and performance",
                  "Change over rounds", "Partnership health check", "Cohort overview",
                  "In their words"):
        assert f"<h2>{title}</h2>" in page
    assert page.count("<strong>In words:</strong>") >= 10
    assert "no score is shown for fewer than 5 people" in page


def test_group_report_for_one_group(demo):
    store, codes, info = demo
    north = info.group("North").id
    page = group_report_html(store, codes.cohort_id, group_id=north, round="Baseline")
    assert "For group North, round Baseline" in page
    with pytest.raises(KeyError, match="no group with id"):
        group_report_html(store, codes.cohort_id, group_id=99999)


def test_one_groups_report_carries_only_that_groups_participation(demo):
    """Group North's report (page, PDF source and tables) never names another group nor gives
    its counts: "Who has taken part" and the cohort overview keep North's rows only."""
    import pandas as pd

    from kit.analysis.cohort import CohortData
    from kit.report.group import all_tables, report_page

    store, codes, info = demo
    others = [g.name for g in info.groups if g.name != "North"]
    assert others
    north = info.group("North").id
    page = group_report_html(store, codes.cohort_id, group_id=north)
    svg_page = report_page(CohortData.from_store(store, codes.cohort_id), "North", charts="svg")
    for text in (page, svg_page):
        for name in others:
            assert not re.search(rf"\b{name}\b", text), name
    tables = all_tables(CohortData.from_store(store, codes.cohort_id), "North")
    for name, table in tables.items():
        if "group" in table.columns:
            assert set(table["group"].astype(str)) <= {"North"}, name
    part = tables["participation-north.csv"]
    whole = store.participation(codes.cohort_id)
    assert list(part["members"]) == list(whole[whole["group"] == "North"]["members"])
    csvs = b"".join(group_report_csvs(store, codes.cohort_id, north).values()).decode()
    for name in others:
        assert name not in csvs
    # the whole cohort's report still has every group
    cohort = group_report_csvs(store, codes.cohort_id)
    frame = pd.read_csv(io.BytesIO(cohort["participation.csv"]))
    assert set(frame["group"]) == {g.name for g in info.groups}


def test_csvs_are_suppressed_tables(demo):
    store, codes, info = demo
    files = group_report_csvs(store, codes.cohort_id, info.group("North").id)
    assert "participation-north.csv" in files
    by_org = [v for k, v in files.items() if k.startswith("by-organisation")][0].decode()
    assert "fewer than 5 responses" in by_org or "hidden so that" in by_org
    assert "participant_id" not in "".join(f.decode() for f in files.values())
    blob = csv_zip({"a.csv": __import__("pandas").DataFrame({"x": ["=cmd()"]})})
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        assert z.read("a.csv").decode().splitlines()[1] == "'=cmd()"
