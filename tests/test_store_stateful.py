"""Property test: any sequence of submit, revise, replay, close/open and erase keeps the invariants.

* one current submission per participant, framework and round; the rest kept as history;
* revision numbers count up 1, 2, 3... per participant, framework and round;
* a replayed key returns the original submission and adds nothing;
* an erased participant has no rows left anywhere.

SQLite only (each example builds a fresh database), with a small number of examples.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import make_framework
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kit.store import RoundClosed, RoundStateError, Store
from kit.store import tables as t

FRAMEWORK = make_framework()
ANSWER = st.fixed_dictionaries(
    {
        "t1": st.integers(1, 5),
        "t2": st.integers(1, 5),
        "s1": st.integers(1, 5),
        "s2": st.none() | st.integers(1, 5),
    }
)


class SubmitReviseErase(RuleBasedStateMachine):
    @initialize()
    def open_store(self):
        self.folder = Path(tempfile.mkdtemp(prefix="kit-stateful-"))
        self.store = Store(f"sqlite:///{self.folder / 'kit.db'}")
        created = self.store.create_cohort("C", groups=["G"], rounds=["R1", "R2"])
        self.cohort_id = created.cohort_id
        self.code = created.join_codes["G"]
        self.rounds = {r.name: r for r in self.store.rounds(created.cohort_id)}
        self.people = [self.store.join(self.code).id for _ in range(2)]
        # the lifecycle: "not open" -> "open" (who counts fixed) -> "closed" (final), or back
        # to "not open" when closed before anyone counted had answered
        self.state = {"R1": "not open", "R2": "not open"}
        self.counted: dict[str, set] = {"R1": set(), "R2": set()}
        self.store.open_round(self.cohort_id, "R1")
        self.state["R1"], self.counted["R1"] = "open", set(self.people)
        self.erased: list[int] = []
        # model: participant -> key -> (submission id, round name)
        self.keys: dict[int, dict[str, tuple[int, str]]] = {p: {} for p in self.people}
        # model: (participant, round) -> (current submission id, answers)
        self.current: dict[tuple[int, str], tuple[int, dict]] = {}

    def teardown(self):
        if hasattr(self, "store"):
            self.store.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    @rule(
        who=st.integers(0, 1),
        key=st.sampled_from(["a", "b", "c", "d"]),
        round_name=st.sampled_from(["R1", "R2"]),
        answers=ANSWER,
    )
    def submit(self, who, key, round_name, answers):
        pid = self.people[who]
        known = self.keys[pid].get(key)
        try:
            sub = self.store.submit_response(
                pid, FRAMEWORK, self.rounds[round_name].id, answers, {}, key=key
            )
        except RoundClosed:
            assert known is None and self.state[round_name] != "open"
            return
        if known is not None:
            assert sub.replayed and sub.id == known[0]
            return
        assert self.state[round_name] == "open" and not sub.replayed
        now = self.current.get((pid, round_name))
        if now is not None and now[1] == answers:  # unchanged: no new revision, no change
            assert sub.unchanged and sub.id == now[0]
            return
        same_round = [k for k, (_, r) in self.keys[pid].items() if r == round_name]
        assert sub.revision == len(same_round) + 1 and not sub.unchanged
        self.keys[pid][key] = (sub.id, round_name)
        self.current[(pid, round_name)] = (sub.id, dict(answers))

    @rule(round_name=st.sampled_from(["R1", "R2"]), is_open=st.booleans())
    def switch_round(self, round_name, is_open):
        # One open round at a time; a closed round never opens again; closing a round that is
        # not open is refused. Each refusal changes nothing.
        others_open = any(v == "open" for k, v in self.state.items() if k != round_name)
        state = self.state[round_name]
        if is_open:
            if state == "open":
                return
            if others_open or state == "closed":
                with pytest.raises(RoundStateError):
                    self.store.open_round(self.cohort_id, round_name)
                return
            self.store.open_round(self.cohort_id, round_name)
            self.state[round_name], self.counted[round_name] = "open", set(self.people)
        else:
            if state != "open":
                with pytest.raises(RoundStateError):
                    self.store.close_round(self.cohort_id, round_name)
                return
            closed = self.store.close_round(self.cohort_id, round_name)
            answered = any((p, round_name) in self.current
                           for p in self.counted[round_name] if p in self.people)
            assert closed.state == ("closed" if answered else "not open")
            self.state[round_name] = closed.state
            assert [r.state for r in self.store.rounds(self.cohort_id)] == [
                self.state["R1"], self.state["R2"]]

    @rule(who=st.integers(0, 1))
    def erase(self, who):
        pid = self.people[who]
        self.store.erase_participant(pid)
        self.erased.append(pid)
        del self.keys[pid]
        self.current = {k: v for k, v in self.current.items() if k[0] != pid}
        self.people[who] = self.store.join(self.code).id
        self.keys[self.people[who]] = {}

    @invariant()
    def history_matches_the_model(self):
        if not hasattr(self, "store"):
            return
        for pid, keys in self.keys.items():
            subs = self.store.list_submissions(pid)
            assert {s.key: s.id for s in subs} == {k: v[0] for k, v in keys.items()}
            for round_name in ("R1", "R2"):
                mine = [s for s in subs if s.round_id == self.rounds[round_name].id]
                assert sorted(s.revision for s in mine) == list(range(1, len(mine) + 1))
                assert sum(not s.superseded for s in mine) == (1 if mine else 0)
                if mine:  # the current one is the newest revision
                    assert not max(mine, key=lambda s: s.revision).superseded

    @invariant()
    def erased_people_leave_nothing(self):
        if not hasattr(self, "store") or not self.erased:
            return
        with self.store.engine.connect() as conn:
            for table in (*t.PARTICIPANT_TABLES, t.participants):
                column = table.c.id if table is t.participants else table.c.participant_id
                left = conn.execute(
                    sa.select(sa.func.count()).select_from(table).where(column.in_(self.erased))
                )
                assert left.scalar() == 0, table.name
            orphans = conn.execute(
                sa.select(sa.func.count())
                .select_from(t.answers)
                .where(t.answers.c.submission_id.not_in(sa.select(t.submissions.c.id)))
            ).scalar()
            assert orphans == 0


SubmitReviseErase.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSubmitReviseErase = SubmitReviseErase.TestCase
