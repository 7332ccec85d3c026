"""The demo cohort's story, seeded into an empty store: who joins, how they answer in Baseline
and Midpoint, what they share, and the demo participant's own data.

:func:`kit.demo.seed_demo` calls :func:`seed_new_demo` when the demo cohort is not there yet.
Every answer is drawn from one generator seeded with 2026, in a fixed order, so the demo is
the same each time.
"""

from __future__ import annotations

from kit.demo._cast import (
    COLLAB,
    COMMITMENTS,
    DEMO_COHORT,
    DEMO_GROUPS,
    DEMO_ROUNDS,
    HEALTH,
    ORGANISATIONS,
    PROMPT_ANSWERS,
    RELATIONSHIPS,
    ROLE_LEVELS,
    SHARED_EXERCISE,
    DemoCodes,
)

__all__ = ["seed_new_demo"]

#: The group's story: strong on relationships, weak on split systems (on a 1-5 footing).
_LEANING = {"getting-to-know-people": 3.9, "working-through-split-systems": 2.4,
            "showing-up-in-partners-spaces": 2.9}
_MIDPOINT_CHANGE = {"getting-to-know-people": 0.3, "showing-up-in-partners-spaces": 0.8,
                    "conversations-that-change-things": 0.5, "working-through-split-systems": -0.3}
_GROUP_SIZES = {"North": 9, "Central": 8, "South": 7}


def _answers(fw, rng, leaning: dict[str, float], na_rate: float):
    """Answers around a leaning per dimension, given on a 1-5 footing and put on the
    framework's own scale (the self-assessment counts on four points)."""
    lo, hi = fw.scale.min, fw.scale.max
    step = (hi - lo) / 4
    out = {}
    for d in fw.dimensions:
        for item in d.items:
            if fw.scale.not_applicable and rng.random() < na_rate:
                out[item.id] = None
                continue
            v = lo + (leaning[d.id] - 1) * step + rng.gauss(0, 0.7) * step
            if item.reverse:
                v = hi + lo - v
            out[item.id] = int(min(hi, max(lo, round(v))))
    return out


def _demo_trends(health, pid: int, rname: str) -> dict:
    """A demo member's "better, the same or worse since last time?" per area. Drawn from its
    own generator, so the demo's other answers stay as they were."""
    import random

    gen = random.Random(f"trend-{pid}-{rname}")
    first = rname == "Baseline"
    out = {}
    for d in health.dimensions:
        if gen.random() < (0.35 if first else 0.1):
            out[d.id] = None  # first time, or don't know
        elif d.id == "resources-and-risk":
            out[d.id] = gen.choice([-1, -1, 0, 0, 1])
        else:
            out[d.id] = gen.choice([1, 0, 0, -1] if first else [1, 1, 1, 0, 0, -1])
    return out


class _DemoSeeding:
    """One seeding of the demo cohort: the store, both frameworks, the generator, and the
    cohort once it is made."""

    def __init__(self, store):
        import random

        from kit.content import load_framework

        self.store = store
        self.rng = random.Random(2026)
        self.collab = load_framework(COLLAB)
        self.health = load_framework(HEALTH)
        self.dims = [d.id for d in self.collab.dimensions]

    def create(self):
        """Make the cohort (no round open yet); return the store's ``CreatedCohort``."""
        created = self.store.create_cohort(DEMO_COHORT, groups=list(DEMO_GROUPS),
                                           rounds=list(DEMO_ROUNDS), frameworks=[COLLAB, HEALTH],
                                           open_first=False)
        self.cid = created.cohort_id
        self.rounds = {r.name: r for r in self.store.cohort(self.cid).rounds}
        return created

    def join_members(self, created) -> list:
        """The members join their groups: ``(participant id, group, leaning, index)`` each."""
        store, rng, dims = self.store, self.rng, self.dims
        base = {d: 3.3 for d in dims}
        base.update(_LEANING)
        people = []
        for g in DEMO_GROUPS:
            for j in range(_GROUP_SIZES[g]):
                org, sector = ORGANISATIONS[(j + DEMO_GROUPS.index(g)) % len(ORGANISATIONS)]
                p = store.join(created.join_codes[g], display_name=None, organisation=org,
                               sector=sector, role_level=ROLE_LEVELS[j % len(ROLE_LEVELS)])
                leaning = {d: base[d] + rng.gauss(0, 0.5) for d in dims}
                # comfort blankets: half the group sees it one way, half the other
                leaning["letting-go-of-comfort-blankets"] = 4.3 if j % 2 else 2.0
                people.append((p.id, g, leaning, j))
        return people

    def submit_round(self, rname: str, who, shift: dict[str, float]) -> None:
        """Each of ``who`` answers both frameworks in round ``rname``, leaning by ``shift``."""
        store, rng, dims, collab, health = (self.store, self.rng, self.dims, self.collab,
                                            self.health)
        rid = self.rounds[rname].id
        for pid, _g, leaning, _j in who:
            lean = {d: leaning[d] + shift.get(d, 0.0) for d in dims}
            store.submit_response(pid, collab, rid, _answers(collab, rng, lean, 0.05),
                                  {d: rng.choice([3, 4, 4, 5, 5]) if d != "working-through-split-systems" else 5
                                   for d in dims if collab.dimension(d).ask_importance},
                                  key=f"demo-{pid}-{rname}-collab")
            hlean = {d.id: 3.2 + rng.gauss(0, 0.4) + (0.4 if rname != "Baseline" else 0.0)
                     for d in health.dimensions}
            hlean["resources-and-risk"] = 2.3 + rng.gauss(0, 0.3)
            store.submit_response(pid, health, rid, _answers(health, rng, hlean, 0.08), {},
                                  key=f"demo-{pid}-{rname}-health",
                                  trends=_demo_trends(health, pid, rname))

    def submit_mine(self, me_id: int, rname: str, mine: dict[str, float], importance) -> None:
        """The demo participant answers the self-assessment in ``rname``; ``importance(d)`` is
        the importance given to each dimension that asks for it."""
        collab = self.collab
        self.store.submit_response(me_id, collab, self.rounds[rname].id,
                                   _answers(collab, self.rng, mine, 0.0),
                                   {d: importance(d) for d in self.dims
                                    if collab.dimension(d).ask_importance},
                                   key=f"demo-me-{rname}-collab")


def seed_new_demo(store) -> DemoCodes:
    """Seed the demo cohort into ``store`` (which does not hold it yet); return its codes."""
    from kit.config import get_settings
    from kit.content import load_exercises
    from kit.publishing import close_round

    today = get_settings().today
    seeding = _DemoSeeding(store)
    created = seeding.create()
    cid = created.cohort_id
    people = seeding.join_members(created)
    # the demo participant joins with everyone else, before Baseline opens, so is counted
    me = store.join(created.join_codes["North"], display_name="Sam (demo)",
                    organisation=ORGANISATIONS[0][0], sector=ORGANISATIONS[0][1],
                    role_level=ROLE_LEVELS[1])
    # Baseline opens once everyone has joined (a round counts the members it opened with)
    store.open_round(cid, "Baseline")
    seeding.submit_round("Baseline", people, {})  # Baseline: everyone answers
    mine = {d: 3.0 for d in seeding.dims}
    mine.update({"getting-to-know-people": 4.0, "working-through-split-systems": 2.0})
    seeding.submit_mine(me.id, "Baseline", mine, lambda d: 4)
    # Closing Baseline publishes its results, once and final (kit.publishing)
    close_round(store, cid, "Baseline")
    store.open_round(cid, "Midpoint")
    midpoint = [p for p in people if p[3] != 6]  # a few people have not answered yet
    seeding.submit_round("Midpoint", midpoint, _MIDPOINT_CHANGE)

    exercises = {e.id: e for e in load_exercises()}
    _share_prompt_answers(store, cid, people, exercises)
    mine.update({"showing-up-in-partners-spaces": 3.8, "working-through-split-systems": 2.6})
    seeding.submit_mine(me.id, "Midpoint", mine,
                        lambda d: 5 if d == "working-through-split-systems" else 4)
    _personal_data(store, me.id, exercises, today)
    # Midpoint stays open: its results are published when the facilitator closes it
    return DemoCodes(created.join_codes["North"], me.resume_code, created.facilitator_key, cid,
                     me.id, tuple(sorted(created.join_codes.items())))


def _share_prompt_answers(store, cid: int, people, exercises: dict) -> None:
    """Finished reflections on the shared prompt from a dozen people, released to the group."""
    ex_id, step_id = SHARED_EXERCISE
    if ex_id not in exercises:
        return
    ex = exercises[ex_id]
    for (pid, _g, _l, _j), text in zip(people, PROMPT_ANSWERS, strict=False):
        answers = {s.id: "" for s in ex.steps}
        answers.update({ex.steps[0].id: "A joint session on shared outcomes.",
                        step_id: text})
        answers = {k: v for k, v in answers.items() if v}
        # the demo's group members chose to share their answer with the group
        store.save_reflection(pid, ex_id, answers, finished=True, shared=True)
    # as the journal does after each shared answer: a batch is released once one can form
    from kit.publishing import release_texts

    release_texts(store, cid, ex_id, step_id)


def _personal_data(store, me_id: int, exercises: dict, today) -> None:
    """The demo participant's reflections, commitments and partnership map."""
    import datetime as dt

    ex_id, step_id = SHARED_EXERCISE
    reflection_ex = [e for e in exercises.values() if e.id != ex_id][:1]
    if ex_id in exercises:
        ex = exercises[ex_id]
        store.save_reflection(me_id, ex_id, {
            ex.steps[0].id: "How much the housing officer knew that we never asked about.",
            ex.steps[1].id: "We keep designing around our own budgets, not around the family.",
            step_id: "Phone the housing officer and set up a monthly walk-round together.",
        }, finished=True, include_in_report=True)
    for ex in reflection_ex:
        store.save_reflection(me_id, ex.id, {ex.steps[0].id: (
            "A case conference where three agencies each thought another was leading.")},
            finished=False)
    for text, dim, days, status in COMMITMENTS:
        cid_ = store.add_commitment(me_id, text, dim, today + dt.timedelta(days=days))
        if status != "open":
            store.review_commitment(me_id, cid_, status, "Drafted the proposal with finance.")
    for label, org, sector, contact, strength, trust in RELATIONSHIPS:
        store.add_relationship(me_id, label, org, sector, contact, strength, trust)
