"""``kit demo``: seed the demo cohort, or generate a synthetic cohort of any size.

With no sizing options, ``kit demo`` seeds **the demo cohort** ("Demo cohort": 24 people in three
groups from an NHS trust, a county council, the police, the voluntary sector and others; rounds
Baseline and Midpoint with some change between them, some "not observed" answers, health-check
responses and shared reflections), plus one demo participant with personal data for the
participant apps. Running it again changes nothing and prints the same codes.

The store keeps only hashes of codes, so the codes made when the demo was seeded are kept in
``<data folder>/demo-codes.json`` (the demo's data is made up; those codes open nothing else).

With ``--participants N`` (and optionally ``--groups``, ``--rounds``, ``--seed``) it adds a
synthetic cohort of ``N`` people through the store's bulk write path, one transaction per
round, with a progress bar. For benchmarks,
:func:`synthetic_frames` builds the same shape of data as DataFrames without a database.

The ``kit demo`` command itself is :mod:`kit.commands.demo`. This module imports only the
default framework ids at the top; everything else loads inside functions.
"""

from __future__ import annotations

from collections import namedtuple

from kit.content.models import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK

__all__ = [
    "seed_demo",
    "seed_synthetic",
    "synthetic_frames",
    "DemoCodes",
    "DEMO_COHORT",
    "DEMO_GROUPS",
    "DEMO_ROUNDS",
    "demo_codes_path",
]

DEMO_COHORT = "Demo cohort"
DEMO_GROUPS = ("North", "Central", "South")
DEMO_ROUNDS = ("Baseline", "Midpoint", "End")
COLLAB = DEFAULT_SELF_FRAMEWORK
HEALTH = DEFAULT_TEAM_FRAMEWORK
SHARED_EXERCISE = ("what-will-i-do-monday", "monday")

#: (organisation, sector) of the demo's partner organisations.
ORGANISATIONS = (
    ("Northshire NHS Foundation Trust", "NHS and health"),
    ("Northshire County Council", "Local council"),
    ("Northshire Police", "Police and justice"),
    ("Northshire Voluntary Action", "Voluntary and community"),
    ("Riverside Housing Association", "Housing"),
    ("Northshire Integrated Care Board", "NHS and health"),
)
ROLE_LEVELS = ("Senior leader", "Service manager", "Team leader")


class DemoCodes(namedtuple(
    "DemoCodes", "join_code resume_code facilitator_key cohort_id participant_id join_codes",
    defaults=((),),
)):
    """The codes that open the demo: the join code for group North, the demo participant's
    resume code and the facilitator key, with the ids they belong to (``join_codes`` holds
    ``(group, code)`` pairs for every group)."""

    __slots__ = ()


def demo_codes_path():
    """Where the demo's codes are kept: ``<data folder>/demo-codes.json``."""
    from kit.config import get_settings

    return get_settings().data_dir / "demo-codes.json"


# --------------------------------------------------------------------------- synthetic data


def synthetic_frames(
    n: int,
    groups: int = 3,
    rounds: int = 2,
    seed: int = 0,
    framework=None,
):
    """Synthetic ``(responses, importance)`` frames shaped like the store's, with no database.

    Each person has a leaning per dimension; answers scatter around it, reverse-keyed items are
    answered the other way round, about 4% of answers are "not applicable", and later rounds
    drift upwards a little. About 85% of people answer each later round.

    Parameters
    ----------
    n
        Number of participants.
    groups, rounds
        How many groups (``Group 1``...) and rounds (``Round 1``...).
    framework
        A :class:`kit.content.Framework`; defaults to the shipped collaboration framework.

    Examples
    --------
    >>> responses, importance = synthetic_frames(50, groups=2, rounds=2, seed=1)  # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    if n < 1 or groups < 1 or rounds < 1:
        raise ValueError(f"need at least one participant, group and round (got n={n}, groups={groups}, rounds={rounds})")
    if framework is None:
        from kit.content import load_framework

        framework = load_framework(COLLAB)
    rng = np.random.default_rng(seed)
    lo, hi = framework.scale.min, framework.scale.max
    items = framework.items
    dim_index = {d.id: j for j, d in enumerate(framework.dimensions)}
    item_dim = np.array([dim_index[framework.dimension_of(i.id).id] for i in items])
    reverse = np.array([i.reverse for i in items])
    n_items, n_dims = len(items), len(framework.dimensions)

    pid = np.arange(1, n + 1)
    group_idx = rng.integers(0, groups, n)
    org_idx = rng.integers(0, len(ORGANISATIONS), n)
    role_idx = rng.integers(0, len(ROLE_LEVELS), n)
    leaning = rng.normal((lo + hi) / 2 + 0.3, 0.7, (n, n_dims))
    group_shift = rng.normal(0, 0.3, (groups, n_dims))
    people = pd.DataFrame({
        "participant_id": pid,
        "group_id": group_idx + 1,
        "group": pd.Categorical([f"Group {g + 1}" for g in group_idx]),
        "organisation": pd.Categorical([ORGANISATIONS[o][0] for o in org_idx]),
        "sector": pd.Categorical([ORGANISATIONS[o][1] for o in org_idx]),
        "role_level": pd.Categorical([ROLE_LEVELS[r] for r in role_idx]),
    })
    resp_parts, imp_parts = [], []
    for r in range(rounds):
        answering = np.ones(n, dtype=bool) if r == 0 else rng.random(n) < 0.85
        idx = np.flatnonzero(answering)
        base = leaning[idx] + group_shift[group_idx[idx]] + 0.15 * r
        raw = base[:, item_dim] + rng.normal(0, 0.8, (len(idx), n_items))
        raw = np.where(reverse, hi + lo - raw, raw)
        values = np.clip(np.rint(raw), lo, hi)
        if framework.scale.not_applicable:
            values[rng.random(values.shape) < 0.04] = np.nan
        frame = pd.DataFrame({
            "participant_id": np.repeat(pid[idx], n_items),
            "round_id": r + 1,
            "round": f"Round {r + 1}",
            "round_position": r,
            "item_id": np.tile([i.id for i in items], len(idx)),
            "value": values.ravel(),
        })
        resp_parts.append(frame)
        asked = [d for d in framework.dimensions if d.ask_importance]
        if asked and framework.importance_scale is not None:
            ilo, ihi = framework.importance_scale.min, framework.importance_scale.max
            imp = np.clip(np.rint(rng.normal((ilo + ihi) / 2 + 0.5, 1.0, (len(idx), len(asked)))), ilo, ihi)
            imp_parts.append(pd.DataFrame({
                "participant_id": np.repeat(pid[idx], len(asked)),
                "round_id": r + 1,
                "round": f"Round {r + 1}",
                "round_position": r,
                "dimension_id": np.tile([d.id for d in asked], len(idx)),
                "importance": imp.ravel(),
            }))
    cols = ["participant_id", "group_id", "group", "organisation", "sector", "role_level",
            "round_id", "round", "round_position", "item_id", "value"]
    responses = pd.concat(resp_parts, ignore_index=True).merge(people, on="participant_id")[cols]
    icols = ["participant_id", "group_id", "group", "organisation", "sector", "round_id", "round",
             "round_position", "dimension_id", "importance"]
    if imp_parts:
        importance = pd.concat(imp_parts, ignore_index=True).merge(people, on="participant_id")[icols]
    else:
        importance = pd.DataFrame(columns=icols)
    return responses, importance


# --------------------------------------------------------------------------- seeding

_PROMPT_ANSWERS = (
    "Ring the housing officer I keep emailing and ask for twenty minutes over coffee.",
    "Stop sending my deputy to the joint panel and go myself for the next three meetings.",
    "Ask the police inspector what a good week looks like for her team, and listen.",
    "Share our waiting-list data with the council before they ask for it.",
    "Spend a morning at the voluntary sector hub instead of inviting them to our building.",
    "Name the budget problem out loud at the partnership board instead of working round it.",
    "Book a walk-through of a family's journey with colleagues from three agencies.",
    "Invite a frontline social worker to co-chair our next planning session.",
    "Write down the three 'comfort blankets' I reach for when a meeting gets tense.",
    "Ask the charity lead what we do that makes her job harder, and act on one thing.",
    "Agree one shared measure with the trust that we both report on.",
    "Introduce two of my team to their opposite numbers in the council.",
)

_COMMITMENTS = (
    ("Meet the council's early help lead in person before the next board.", "getting-to-know-people", -14, "open"),
    ("Raise the split budget openly at the partnership board and propose one pooled pilot.", "working-through-split-systems", 21, "in_progress"),
    ("Spend half a day each month in a partner's building.", "showing-up-in-partners-spaces", 45, "open"),
)

_RELATIONSHIPS = (
    ("Early help lead", "Northshire County Council", "Local council", "monthly", 3, 4),
    ("Neighbourhood inspector", "Northshire Police", "Police and justice", "quarterly", 2, 3),
    ("Hub coordinator", "Northshire Voluntary Action", "Voluntary and community", "weekly", 4, 5),
    ("Tenancy sustainment manager", "Riverside Housing Association", "Housing", "rarely", 1, 2),
    ("Place-based partnership director", "Northshire Integrated Care Board", "NHS and health", "monthly", 3, 3),
    ("Community mental health lead", "Northshire NHS Foundation Trust", "NHS and health", "weekly", 5, 4),
)


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


def _find_cohort(store, name: str):
    for c in store.list_cohorts():
        if c.name == name:
            return c
    return None


def _db_key(store) -> str:
    """The store's URL without any password: the key of its entry in the codes file."""
    url = str(getattr(store, "url", "") or "")
    try:
        import sqlalchemy as sa

        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unusual URL is still a usable key
        return url


def _read_codes_file(path) -> dict:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("databases", {}) if isinstance(data, dict) else {}


def _load_codes(path, store, cohort):
    """The saved codes for this database's demo cohort, checked against the store."""
    entries = _read_codes_file(path)
    candidates = [entries.get(_db_key(store))] + [v for k, v in entries.items() if k != _db_key(store)]
    for data in candidates:
        try:
            codes = DemoCodes(
                data["join_code"], data["resume_code"], data["facilitator_key"],
                int(data["cohort_id"]), int(data["participant_id"]),
                tuple(sorted(data.get("join_codes", {}).items())),
            )
            if store.cohort_by_facilitator_key(codes.facilitator_key).id == cohort.id:
                return codes
        except Exception:  # noqa: BLE001 - not this database's entry
            continue
    return None


def _save_codes(path, store, codes) -> None:
    import json

    entries = _read_codes_file(path)
    entries[_db_key(store)] = {
        "cohort": DEMO_COHORT,
        "join_code": codes.join_code,
        "join_codes": dict(codes.join_codes),
        "resume_code": codes.resume_code,
        "facilitator_key": codes.facilitator_key,
        "cohort_id": codes.cohort_id,
        "participant_id": codes.participant_id,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    note = "Codes for the made-up demo cohort, one entry per database. They open nothing else."
    tmp.write_text(json.dumps({"note": note, "databases": entries}, indent=2), encoding="utf-8")
    tmp.replace(path)


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


def seed_demo(store):
    """Seed the demo cohort once; later calls return the same codes without adding anything.

    Parameters
    ----------
    store
        An open :class:`kit.store.Store`.

    Returns
    -------
    DemoCodes
        ``join_code`` (group North), ``resume_code`` (the demo participant), ``facilitator_key``,
        ``cohort_id``, ``participant_id``, and ``join_codes`` for every group.

    Raises
    ------
    RuntimeError
        When the demo cohort exists but its codes file is missing or belongs to another
        database (the codes cannot be recovered from hashes).
    """
    import random

    from kit.config import get_settings
    from kit.content import load_exercises, load_framework

    path = demo_codes_path()
    existing = _find_cohort(store, DEMO_COHORT)
    if existing is not None:
        codes = _load_codes(path, store, existing)
        if codes is None:
            raise RuntimeError(
                f"The demo cohort is already in this database, but its codes file {path} is "
                "missing or belongs to another database, and codes cannot be recovered from the "
                "stored hashes. Use a fresh data folder (KIT_DATA_DIR) or database "
                "(KIT_DATABASE_URL) for the demo."
            )
        return codes

    today = get_settings().today
    rng = random.Random(2026)
    collab = load_framework(COLLAB)
    health = load_framework(HEALTH)
    created = store.create_cohort(DEMO_COHORT, groups=list(DEMO_GROUPS), rounds=list(DEMO_ROUNDS),
                                  frameworks=[COLLAB, HEALTH], open_first=False)
    cid = created.cohort_id
    info = store.cohort(cid)
    rounds = {r.name: r for r in info.rounds}

    dims = [d.id for d in collab.dimensions]
    # the group's story: strong on relationships, weak on split systems, split on comfort blankets
    base = {d: 3.3 for d in dims}
    base.update({"getting-to-know-people": 3.9, "working-through-split-systems": 2.4,
                 "showing-up-in-partners-spaces": 2.9})
    midpoint_change = {"getting-to-know-people": 0.3, "showing-up-in-partners-spaces": 0.8,
                       "conversations-that-change-things": 0.5, "working-through-split-systems": -0.3}
    sizes = {"North": 9, "Central": 8, "South": 7}
    people = []
    for g in DEMO_GROUPS:
        for j in range(sizes[g]):
            org, sector = ORGANISATIONS[(j + DEMO_GROUPS.index(g)) % len(ORGANISATIONS)]
            p = store.join(created.join_codes[g], display_name=None, organisation=org, sector=sector,
                           role_level=ROLE_LEVELS[j % len(ROLE_LEVELS)])
            leaning = {d: base[d] + rng.gauss(0, 0.5) for d in dims}
            # comfort blankets: half the group sees it one way, half the other
            leaning["letting-go-of-comfort-blankets"] = 4.3 if j % 2 else 2.0
            people.append((p.id, g, leaning, j))

    # the demo participant joins with everyone else, before Baseline opens, so is counted
    me = store.join(created.join_codes["North"], display_name="Sam (demo)",
                    organisation=ORGANISATIONS[0][0], sector=ORGANISATIONS[0][1],
                    role_level=ROLE_LEVELS[1])
    # Baseline opens once everyone has joined (a round counts the members it opened with)
    store.open_round(cid, "Baseline")

    # Baseline: everyone answers
    def submit_round(rname: str, who, shift: dict[str, float]):
        rid = rounds[rname].id
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

    submit_round("Baseline", people, {})
    mine = {d: 3.0 for d in dims}
    mine.update({"getting-to-know-people": 4.0, "working-through-split-systems": 2.0})
    store.submit_response(me.id, collab, rounds["Baseline"].id, _answers(collab, rng, mine, 0.0),
                          {d: 4 for d in dims if collab.dimension(d).ask_importance},
                          key="demo-me-Baseline-collab")
    # Closing Baseline publishes its results, once and final (kit.publishing)
    from kit.publishing import close_round

    close_round(store, cid, "Baseline")
    store.open_round(cid, "Midpoint")
    midpoint = [p for p in people if p[3] != 6]  # a few people have not answered yet
    submit_round("Midpoint", midpoint, midpoint_change)

    # shared prompt: finished reflections from a dozen people
    exercises = {e.id: e for e in load_exercises()}
    ex_id, step_id = SHARED_EXERCISE
    if ex_id in exercises:
        ex = exercises[ex_id]
        for (pid, _g, _l, _j), text in zip(people, _PROMPT_ANSWERS, strict=False):
            answers = {s.id: "" for s in ex.steps}
            answers.update({ex.steps[0].id: "A joint session on shared outcomes.",
                            step_id: text})
            answers = {k: v for k, v in answers.items() if v}
            # the demo's group members chose to share their answer with the group
            store.save_reflection(pid, ex_id, answers, finished=True, shared=True)

    mine.update({"showing-up-in-partners-spaces": 3.8, "working-through-split-systems": 2.6})
    store.submit_response(me.id, collab, rounds["Midpoint"].id, _answers(collab, rng, mine, 0.0),
                          {d: 5 if d == "working-through-split-systems" else 4
                           for d in dims if collab.dimension(d).ask_importance},
                          key="demo-me-Midpoint-collab")
    reflection_ex = [e for e in exercises.values() if e.id != ex_id][:1]
    if ex_id in exercises:
        ex = exercises[ex_id]
        store.save_reflection(me.id, ex_id, {
            ex.steps[0].id: "How much the housing officer knew that we never asked about.",
            ex.steps[1].id: "We keep designing around our own budgets, not around the family.",
            step_id: "Phone the housing officer and set up a monthly walk-round together.",
        }, finished=True, include_in_report=True)
    for ex in reflection_ex:
        store.save_reflection(me.id, ex.id, {ex.steps[0].id: (
            "A case conference where three agencies each thought another was leading.")},
            finished=False)
    import datetime as dt

    for text, dim, days, status in _COMMITMENTS:
        cid_ = store.add_commitment(me.id, text, dim, today + dt.timedelta(days=days))
        if status != "open":
            store.review_commitment(me.id, cid_, status, "Drafted the proposal with finance.")
    for label, org, sector, contact, strength, trust in _RELATIONSHIPS:
        store.add_relationship(me.id, label, org, sector, contact, strength, trust)

    # Midpoint stays open: its results are published when the facilitator closes it
    codes = DemoCodes(created.join_codes["North"], me.resume_code, created.facilitator_key, cid,
                      me.id, tuple(sorted(created.join_codes.items())))
    _save_codes(path, store, codes)
    return codes


def seed_synthetic(store, participants: int, groups: int = 3, rounds: int = 2, seed: int = 0,
                   *, name: str | None = None, progress=None, publish: bool = False):
    """Add a synthetic cohort of ``participants`` people through the store's bulk write path.

    The people are added in one transaction, then each round in one transaction of its own
    (:meth:`kit.store.Store.submit_responses`), so an interrupted run never leaves a round half
    written. Answers are drawn with numpy as in :func:`synthetic_frames`: a leaning per person
    and dimension, about 4% "not applicable" (25% for events, acts rare by nature), later rounds
    a little higher, and about 85% of people answering each later round.

    Parameters
    ----------
    progress
        ``progress(label)`` returns a ``callback(done, total)`` for one step (``kit demo``
        passes a :class:`kit._progress.ProgressBar`).

    publish
        Close each earlier round as the facilitator would, publishing its results
        (:func:`kit.publishing.close_round`; minutes at 100,000 people). Without it the
        rounds are closed but not published: closing them again publishes them.

    Returns the store's ``CreatedCohort`` (its codes are printed by ``kit demo``).
    """
    import numpy as np

    from kit.content import load_framework
    from kit.store import BulkResponse

    if participants < 1 or groups < 1 or rounds < 1:
        raise ValueError("--participants, --groups and --rounds must each be 1 or more")
    rng = np.random.default_rng(seed)
    fw = load_framework(COLLAB)
    group_names = [f"Group {i + 1}" for i in range(groups)]
    round_names = [f"Round {i + 1}" for i in range(rounds)]
    created = store.create_cohort(name or f"Synthetic cohort ({participants} people, seed {seed})",
                                  groups=group_names, rounds=round_names, frameworks=[COLLAB],
                                  open_first=False)
    info = store.cohort(created.cohort_id)

    def step(label):
        return progress(label) if progress is not None else None

    org_idx = rng.integers(0, len(ORGANISATIONS), participants)
    role_idx = rng.integers(0, len(ROLE_LEVELS), participants)
    people = [
        {"group": group_names[i % groups], "organisation": ORGANISATIONS[o][0],
         "sector": ORGANISATIONS[o][1], "role_level": ROLE_LEVELS[r]}
        for i, (o, r) in enumerate(zip(org_idx.tolist(), role_idx.tolist(), strict=True))
    ]
    bar = step("People")
    ids = np.array(store.add_participants(created.cohort_id, people))
    if bar is not None:
        bar(participants, participants)

    lo, hi = fw.scale.min, fw.scale.max
    items = fw.items
    item_ids = [i.id for i in items]
    dim_index = {d.id: j for j, d in enumerate(fw.dimensions)}
    item_dim = np.array([dim_index[fw.dimension_of(i.id).id] for i in items])
    reverse = np.array([i.reverse for i in items])
    asked = [d.id for d in fw.dimensions if d.ask_importance]
    # a leaning on a 1-5 footing, put on the framework's scale
    unit = (hi - lo) / 4
    leaning = lo + (rng.normal(3.2, 0.7, (participants, len(fw.dimensions))) - 1) * unit
    # "No chance" is likelier for acts that are rare by nature (events) than for the rest
    na_rate = np.array([0.25 if i.event else 0.04 for i in items])
    for r, rname in enumerate(round_names):
        if r and publish:
            from kit.publishing import close_round

            close_round(store, created.cohort_id, round_names[r - 1])
        elif r:
            store.close_round(created.cohort_id, round_names[r - 1])
        store.open_round(created.cohort_id, rname)  # after everyone has joined
        rid = info.round(rname).id
        answering = np.flatnonzero(np.ones(participants, bool) if r == 0
                                   else rng.random(participants) <= 0.85)
        raw = (leaning[answering][:, item_dim] + 0.15 * r * unit
               + rng.normal(0, 0.7 * unit, (len(answering), len(items))))
        raw = np.where(reverse, hi + lo - raw, raw)
        values = np.clip(np.rint(raw), lo, hi).astype(int).tolist()
        na = ((rng.random((len(answering), len(items))) < na_rate)
              if fw.scale.not_applicable else None)
        imp = rng.integers(3, 6, (len(answering), len(asked))).tolist()
        batch = []
        for k, p in enumerate(answering.tolist()):
            row = values[k]
            if na is not None:
                row = [None if gap else v for v, gap in zip(row, na[k].tolist(), strict=True)]
            pid = int(ids[p])
            batch.append(BulkResponse(pid, dict(zip(item_ids, row, strict=True)),
                                      dict(zip(asked, imp[k], strict=True)), f"synthetic-{pid}-{rname}"))
        store.submit_responses(fw, rid, batch, progress=step(rname))
    return created
