"""Reading never writes: opening the dashboard, building a cohort's data, every facilitator
view, chart, table, CSV and the group report send no INSERT, UPDATE or DELETE to the database
(issue 26, item 3: publishing has one home, kit.publishing, and reads are reads).

Every statement the engine sends is watched through SQLAlchemy's ``before_cursor_execute``
event, on a demo cohort in SQLite with a round published and a batch of shared answers that
could form if a read were allowed to release it.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from kit.store import Store

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE)\b", re.IGNORECASE)


@contextmanager
def watching_writes(store):
    """Yield a list that collects every write statement ``store``'s engine sends."""
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if WRITE.match(statement):
            seen.append(" ".join(statement.split())[:200])

    sa.event.listen(store.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", before)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo cohort (Baseline published, Midpoint open), with five more members whose
    shared answers would form a new batch of K if anything released one."""
    from kit.demo import seed_demo

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('reads') / 'kit.db'}")
    codes = seed_demo(store)
    extra = [store.join(codes.join_code).id for _ in range(5)]
    for n, pid in enumerate(extra):  # written straight to the store: no release after them
        store.save_reflection(pid, "what-will-i-do-monday",
                              {"what-stood-out": "x", "monday": f"Unreleased answer {n}"},
                              finished=True, shared=True)
    yield store, codes
    store.close()


def test_the_watch_sees_a_write_and_the_fixture_has_a_batch_to_release(demo, tmp_path):
    """Controls: the watch is known to bite (releasing a batch is a write it sees, reading the
    view is not), and the demo cohort below holds a batch a read could release."""
    from kit.analysis.free_text import decide_batch, texts_on_view
    from kit.analysis.privacy import Rules
    from kit.publishing import release_texts

    rules = Rules(5, 10, 1.0)
    with Store(f"sqlite:///{tmp_path / 'control.db'}") as store:
        created = store.create_cohort("Control", groups=["A"], rounds=["R1"], open_first=False)
        for n in range(10):
            pid = store.join(created.join_codes["A"]).id
            store.save_reflection(pid, "ex", {"s": f"text {n}"}, finished=True, shared=True)
        with watching_writes(store) as seen:
            view = texts_on_view(store, created.cohort_id, "ex", "s", rules)
        assert seen == [] and not view.shown and "next batch" in view.note
        with watching_writes(store) as seen:
            assert release_texts(store, created.cohort_id, "ex", "s", rules=rules) == 1
        assert any(s.startswith("INSERT") for s in seen), seen
        assert texts_on_view(store, created.cohort_id, "ex", "s", rules).shown
    store, codes = demo
    live = store.shared_texts(codes.cohort_id, "what-will-i-do-monday", "monday")
    last = store.text_batch(codes.cohort_id, "what-will-i-do-monday")
    assert decide_batch(live, last).release, "the demo fixture leaves a batch ready to release"


@pytest.mark.slow
def test_building_the_cohort_and_every_view_writes_nothing(demo):
    from kit.analysis.cohort import VIEWS, CohortData
    from kit.analysis.privacy import ALL_GROUPS, BREAKDOWNS
    from kit.report.group import csv_bytes, group_report_csvs, group_report_html, view_tables

    store, codes = demo
    with watching_writes(store) as seen:
        data = CohortData.from_store(store, codes.cohort_id)
        assert data.answered_rounds, "the demo has a published round"
        for view in VIEWS:  # each choice the view offers
            for group in (*data.groups, ALL_GROUPS) if view.uses_group else (ALL_GROUPS,):
                for rnd in (*data.rounds, None) if view.uses_round else (None,):
                    for by in (*BREAKDOWNS, "all") if view.id == "breakdown" else ("all",):
                        for frame in view_tables(data, view.id, group=group, round=rnd,
                                                 by=by).values():
                            csv_bytes(frame)
        group_report_html(store, codes.cohort_id)
        group_report_csvs(store, codes.cohort_id)
    assert seen == [], f"reading wrote to the database: {seen[:5]}"
    assert not data.prompts or not any("Unreleased answer" in c for p in data.prompts
                                       for c in p.comments.comments)


@pytest.mark.slow
def test_opening_the_dashboard_and_every_view_writes_nothing(demo):
    from kit.analysis.cohort import VIEWS
    from kit.apps.facilitator import FacilitatorDashboard

    store, codes = demo
    with watching_writes(store) as seen:
        dash = FacilitatorDashboard(store)
        dash.key.value = codes.facilitator_key
        dash._open_with_key()
        model = dash.model
        assert model.is_open, dash.messages.text
        rounds = [r for _label, r in model.round_choices()]
        for view in VIEWS:
            model.view = view.id
            for group in [v for _label, v in model.group_choices()]:
                model.group = group
                for rnd in rounds if view.uses_round else rounds[-1:]:
                    model.round = rnd
                    model.charts()
                    for frame in model.tables().values():
                        frame.to_csv()
                    model.status_lines()
                    model.empty_reason()
                    model.round_action()
        model.view, model.round = "profile", model.data.answered_rounds[-1]
        for _label, value in model.filter_choices():
            model.filter = value
            model.charts()
            model.tables()
        model.filter = ""
        model.start_session()
        for _ in range(8):
            model.session_questions()
            model.charts()
            if not model.can_go_on:
                break
            model.next_step()
    assert seen == [], f"opening the dashboard wrote to the database: {seen[:5]}"
