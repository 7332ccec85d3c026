"""Shared free text in batches across the whole cohort (attack family 2).

The reader keeps every view of "In their words" they ever saw. Texts must join and leave only
in batches no reader can split (each side of a change zero or at least K texts), a withdrawal
(un-share, edit, erasure) must hide the text at once, and erasure must remove it from the
database at once. Texts do not depend on rounds or on submitting an assessment.
"""

from __future__ import annotations

import random

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.analysis.free_text import texts_on_view
from kit.analysis.privacy import Rules
from kit.publishing import release_texts
from kit.store import Store
from kit.store import tables as t

K = 5
RULES = Rules(K, 10, 1.0)
EX, STEP = "attack-ex", "shared"


class Cohort:
    def __init__(self, path):
        self.store = Store(f"sqlite:///{path / 'texts.db'}")
        self.created = self.store.create_cohort("Texts", groups=["A", "B"], rounds=["R1"],
                                                open_first=False)
        self.cid = self.created.cohort_id
        self.entry: dict[int, int] = {}
        self.views: list[set[str]] = []
        self.n = 0

    def join(self, group="A") -> int:
        return self.store.join(self.created.join_codes[group]).id

    def share(self, pid, text=None, shared=True) -> str:
        self.n += 1
        text = text or f"text {self.n} by {pid}"
        self.entry[pid] = self.store.save_reflection(
            pid, EX, {STEP: text}, entry_id=self.entry.get(pid), finished=True, shared=shared)
        return text

    def look(self):
        # the release the last write made (the journal and My data call it after theirs), then
        # what the facilitator's view reads
        release_texts(self.store, self.cid, EX, STEP, rules=RULES)
        view = texts_on_view(self.store, self.cid, EX, STEP, RULES)
        self.views.append(set(view.comments))
        return view

    def released_rows(self) -> list[str]:
        with self.store._read() as conn:
            return [r[0] for r in conn.execute(sa.select(t.released_texts.c.text)).all()]


def splits(views: list[set[str]]) -> list[str]:
    """Changes between two consecutive non-empty views that fewer than K texts make up."""
    found = []
    shown = [v for v in views if v]
    for before, after in zip(shown, shown[1:], strict=False):
        gone, new = before - after, after - before
        if 0 < len(gone) < K or 0 < len(new) < K:
            found.append(f"{len(gone)} text(s) left and {len(new)} joined in one change")
    return found


def test_shown_from_ten_sharers_whatever_the_round_and_without_any_assessment(tmp_path):
    c = Cohort(tmp_path)
    people = [c.join("A" if i % 2 else "B") for i in range(10)]
    texts = [c.share(p) for p in people[:9]]
    view = c.look()
    assert not view.shown and "10" in view.note and "9" in view.note
    texts.append(c.share(people[9]))
    view = c.look()
    assert sorted(view.comments) == sorted(texts) and view.people == 10


def test_one_new_text_waits_for_a_batch_of_k(tmp_path):
    c = Cohort(tmp_path)
    people = [c.join() for _ in range(15)]
    first = {c.share(p) for p in people[:10]}
    c.look()
    late = []
    for p in people[10:14]:
        late.append(c.share(p))
        assert set(c.look().comments) == first, "a new text waits until K have gathered"
    late.append(c.share(people[14]))
    assert set(c.look().comments) == first | set(late)
    assert splits(c.views) == []


def test_an_unshare_or_edit_hides_the_view_at_once_until_a_batch_forms(tmp_path):
    c = Cohort(tmp_path)
    people = [c.join() for _ in range(12)]
    texts = {p: c.share(p) for p in people}
    c.look()
    c.share(people[0], texts[people[0]], shared=False)  # un-share
    view = c.look()
    assert not view.shown and "withdrawn or changed" in view.note
    assert texts[people[0]] not in view.comments
    for p in people[1:4]:  # three edits: still fewer than K changes on the leaving side
        c.share(p, f"edited by {p}")
        assert not c.look().shown
    c.share(people[4], "edited by the fifth")
    view = c.look()
    assert not view.shown, "five left, but only four new: the joining side is not whole yet"
    c.share(c.join(), "a newcomer")
    view = c.look()
    assert view.shown and texts[people[0]] not in view.comments
    assert splits(c.views) == []


def test_erasure_removes_the_text_from_the_database_at_once_and_hides_the_view(tmp_path):
    c = Cohort(tmp_path)
    people = [c.join() for _ in range(11)]
    texts = {p: c.share(p) for p in people}
    c.look()
    assert texts[people[3]] in c.released_rows()
    c.store.erase_participant(people[3])
    assert texts[people[3]] not in c.released_rows(), "the released copy goes with the writer"
    view = c.look()
    assert not view.shown and texts[people[3]] not in view.comments


def test_control_without_batches_one_edit_shows_who_changed(tmp_path):
    """Control: the live texts (no batches) change by one text when one person edits, which
    the reader sees; with batches (above) they never do."""
    c = Cohort(tmp_path)
    people = [c.join() for _ in range(10)]
    for p in people:
        c.share(p)
    views = [set(c.store.shared_texts(c.cid, EX, STEP).values())]
    c.share(people[2], "an edit")
    views.append(set(c.store.shared_texts(c.cid, EX, STEP).values()))
    assert splits(views), "the harness sees a one-text change in the live texts"


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(events=st.lists(st.sampled_from(["join", "share", "edit", "unshare", "erase", "same"]),
                       min_size=5, max_size=40),
       seed=st.integers(0, 10_000))
def test_random_histories_never_change_the_view_by_fewer_than_k(tmp_path_factory, events, seed):
    c = Cohort(tmp_path_factory.mktemp("texts"))
    rng = random.Random(seed)
    members = [c.join() for _ in range(9)]
    current: dict[int, str] = {}
    withdrawn: set[str] = set()
    for p in members:
        current[p] = c.share(p)
    for ev in events:
        if ev == "join":
            members.append(c.join())
        elif ev == "share":
            p = rng.choice(members)
            if p in current:
                continue
            current[p] = c.share(p)
        elif ev in ("edit", "unshare", "same") and current:
            p = rng.choice(sorted(current))
            if ev == "edit":
                withdrawn.add(current[p])
                current[p] = c.share(p)
            elif ev == "same":
                c.share(p, current[p])  # saved again unchanged: not a change
            else:
                withdrawn.add(current.pop(p))
                c.share(p, "never shown", shared=False)
        elif ev == "erase" and current:
            p = rng.choice(sorted(current))
            withdrawn.add(current.pop(p))
            c.store.erase_participant(p)
            members.remove(p)
            assert not set(c.released_rows()) & {t for t in withdrawn if t not in current.values()}
        view = c.look()
        assert not set(view.comments) & withdrawn, "a withdrawn text is never shown again"
        assert set(view.comments) <= set(current.values())
        assert not view.comments or len(view.comments) >= RULES.min_comment_size
    assert splits(c.views) == []


# -- released on the write that changes sharing, never on a read -------------------------------
def _shared_exercise():
    from kit.content import load_exercises

    return next(ex for ex in load_exercises() if getattr(ex, "shared_step", None))


def _write_in_journal(store, pid, ex, text, shared=True, entry_id=None):
    """A member writes the shared answer in the journal and finishes it, sharing or not."""
    from kit.apps.journal_model import JournalModel

    journal = JournalModel(store, pid, [ex])
    if entry_id is None:
        journal.start(ex.id)
    else:
        journal.open_entry(entry_id)
    journal.set_answer(ex.shared_step, text)
    journal.set_shared(shared)
    return journal.finish()


def test_the_journal_releases_a_batch_when_the_tenth_member_shares(tmp_path):
    """Nobody opens the dashboard: the member's own save releases the batch, and reading the
    view afterwards writes nothing and shows it."""
    from kit.apps.my_data_model import MyDataModel

    ex = _shared_exercise()
    c = Cohort(tmp_path)
    people = [c.join() for _ in range(12)]
    entries = {}
    for n, p in enumerate(people[:9]):
        entries[p] = _write_in_journal(c.store, p, ex, f"answer {n}")
    assert c.store.text_batch(c.cid, ex.id) is None, "nine sharers: no batch yet"
    entries[people[9]] = _write_in_journal(c.store, people[9], ex, "answer 9")
    batch = c.store.text_batch(c.cid, ex.id)
    assert batch is not None and len(batch["shown"]) == 10, "the tenth share released it"
    view = texts_on_view(c.store, c.cid, ex.id, ex.shared_step)
    assert sorted(view.comments) == sorted(f"answer {n}" for n in range(10))
    # un-sharing in the journal hides the view at once (a read, nothing released)
    _write_in_journal(c.store, people[0], ex, "answer 0", shared=False, entry_id=entries[people[0]])
    assert not texts_on_view(c.store, c.cid, ex.id, ex.shared_step).shown
    # four more withdrawals (My data erasures and edits) and five new sharers release a batch
    for p in people[1:3]:
        MyDataModel(c.store, p).erase("ERASE")
    for p in people[3:5]:
        _write_in_journal(c.store, p, ex, f"edited by {p}", entry_id=entries[p])
    assert not texts_on_view(c.store, c.cid, ex.id, ex.shared_step).shown
    for n, p in enumerate([*people[10:12], c.join()]):
        _write_in_journal(c.store, p, ex, f"newcomer {n}")
    view = texts_on_view(c.store, c.cid, ex.id, ex.shared_step)
    assert view.shown and "answer 0" not in view.comments and "newcomer 2" in view.comments
    assert not {"answer 1", "answer 2", "answer 3", "answer 4"} & set(view.comments)


def test_closing_a_round_releases_what_was_shared_straight_to_the_store(tmp_path):
    """Shares written without the journal (an older installation, a script) are released when
    a round closes, and until then the view says truly why they are not shown."""
    from kit.publishing import close_round

    ex = _shared_exercise()
    c = Cohort(tmp_path)
    for n in range(10):
        c.store.save_reflection(c.join(), ex.id, {ex.shared_step: f"direct {n}"}, finished=True,
                                shared=True)
    view = texts_on_view(c.store, c.cid, ex.id, ex.shared_step)
    assert not view.shown and "10 people have shared" in view.note and "next batch" in view.note
    c.store.open_round(c.cid, "R1")
    close_round(c.store, c.cid, "R1")
    assert len(texts_on_view(c.store, c.cid, ex.id, ex.shared_step).comments) == 10
