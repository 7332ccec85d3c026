"""Synthetic cohorts of any size: as DataFrames without a database
(:func:`synthetic_frames`, for benchmarks), or written through the store's bulk path
(:func:`seed_synthetic`, ``kit demo --participants N``).

Both draw with numpy in the same way: a leaning per person and dimension, answers scattered
around it, reverse-keyed items answered the other way round, some "not applicable", later
rounds a little higher, and about 85% of people answering each later round. The order of the
draws is fixed, so a seed always gives the same cohort.
"""

from __future__ import annotations

from kit.demo._cast import COLLAB, ORGANISATIONS, ROLE_LEVELS

__all__ = ["synthetic_frames", "seed_synthetic"]

_RESPONSE_COLUMNS = ["participant_id", "group_id", "group", "organisation", "sector",
                     "role_level", "round_id", "round", "round_position", "item_id", "value"]
_IMPORTANCE_COLUMNS = ["participant_id", "group_id", "group", "organisation", "sector",
                       "round_id", "round", "round_position", "dimension_id", "importance"]


def _item_arrays(framework):
    """``(item_dim, reverse)``: each item's dimension (by position) and whether it is
    reverse-keyed, as numpy arrays in the framework's item order."""
    import numpy as np

    dim_index = {d.id: j for j, d in enumerate(framework.dimensions)}
    item_dim = np.array([dim_index[framework.dimension_of(i.id).id] for i in framework.items])
    reverse = np.array([i.reverse for i in framework.items])
    return item_dim, reverse


# --------------------------------------------------------------------------- as DataFrames


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
    n_dims = len(framework.dimensions)

    pid = np.arange(1, n + 1)
    group_idx = rng.integers(0, groups, n)
    people = _people_frame(rng, pid, group_idx)
    leaning = rng.normal((lo + hi) / 2 + 0.3, 0.7, (n, n_dims))
    group_shift = rng.normal(0, 0.3, (groups, n_dims))
    resp_parts, imp_parts = [], []
    for r in range(rounds):
        answering = np.ones(n, dtype=bool) if r == 0 else rng.random(n) < 0.85
        idx = np.flatnonzero(answering)
        base = leaning[idx] + group_shift[group_idx[idx]] + 0.15 * r
        resp_parts.append(_round_responses(rng, framework, base, pid[idx], r))
        importance = _round_importance(rng, framework, pid[idx], r)
        if importance is not None:
            imp_parts.append(importance)
    responses = (pd.concat(resp_parts, ignore_index=True)
                 .merge(people, on="participant_id")[_RESPONSE_COLUMNS])
    if imp_parts:
        importance = (pd.concat(imp_parts, ignore_index=True)
                      .merge(people, on="participant_id")[_IMPORTANCE_COLUMNS])
    else:
        importance = pd.DataFrame(columns=_IMPORTANCE_COLUMNS)
    return responses, importance


def _people_frame(rng, pid, group_idx):
    """One row per person: group, organisation, sector and role level (drawn here)."""
    import pandas as pd

    n = len(pid)
    org_idx = rng.integers(0, len(ORGANISATIONS), n)
    role_idx = rng.integers(0, len(ROLE_LEVELS), n)
    return pd.DataFrame({
        "participant_id": pid,
        "group_id": group_idx + 1,
        "group": pd.Categorical([f"Group {g + 1}" for g in group_idx]),
        "organisation": pd.Categorical([ORGANISATIONS[o][0] for o in org_idx]),
        "sector": pd.Categorical([ORGANISATIONS[o][1] for o in org_idx]),
        "role_level": pd.Categorical([ROLE_LEVELS[r] for r in role_idx]),
    })


def _round_responses(rng, framework, base, pids, r: int):
    """The answers in round ``r`` of the people ``pids``, leaning by ``base`` (person by
    dimension): one row per person and item."""
    import numpy as np
    import pandas as pd

    lo, hi = framework.scale.min, framework.scale.max
    items = framework.items
    item_dim, reverse = _item_arrays(framework)
    raw = base[:, item_dim] + rng.normal(0, 0.8, (len(pids), len(items)))
    raw = np.where(reverse, hi + lo - raw, raw)
    values = np.clip(np.rint(raw), lo, hi)
    if framework.scale.not_applicable:
        values[rng.random(values.shape) < 0.04] = np.nan
    return pd.DataFrame({
        "participant_id": np.repeat(pids, len(items)),
        "round_id": r + 1,
        "round": f"Round {r + 1}",
        "round_position": r,
        "item_id": np.tile([i.id for i in items], len(pids)),
        "value": values.ravel(),
    })


def _round_importance(rng, framework, pids, r: int):
    """The importance the people ``pids`` give in round ``r`` to each dimension that asks for
    it; ``None`` when the framework asks for none."""
    import numpy as np
    import pandas as pd

    asked = [d for d in framework.dimensions if d.ask_importance]
    if not asked or framework.importance_scale is None:
        return None
    ilo, ihi = framework.importance_scale.min, framework.importance_scale.max
    imp = np.clip(np.rint(rng.normal((ilo + ihi) / 2 + 0.5, 1.0, (len(pids), len(asked)))), ilo, ihi)
    return pd.DataFrame({
        "participant_id": np.repeat(pids, len(asked)),
        "round_id": r + 1,
        "round": f"Round {r + 1}",
        "round_position": r,
        "dimension_id": np.tile([d.id for d in asked], len(pids)),
        "importance": imp.ravel(),
    })


# --------------------------------------------------------------------------- through the store


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

    ids = _add_people(store, created.cohort_id, rng, participants, group_names, step("People"))
    lo, hi = fw.scale.min, fw.scale.max
    # a leaning on a 1-5 footing, put on the framework's scale
    unit = (hi - lo) / 4
    leaning = lo + (rng.normal(3.2, 0.7, (participants, len(fw.dimensions))) - 1) * unit
    for r, rname in enumerate(round_names):
        if r and publish:
            from kit.publishing import close_round

            close_round(store, created.cohort_id, round_names[r - 1])
        elif r:
            store.close_round(created.cohort_id, round_names[r - 1])
        store.open_round(created.cohort_id, rname)  # after everyone has joined
        batch = _round_batch(rng, fw, leaning, ids, r, rname)
        store.submit_responses(fw, info.round(rname).id, batch, progress=step(rname))
    return created


def _add_people(store, cohort_id: int, rng, participants: int, group_names: list[str], bar):
    """Add ``participants`` people in one transaction, spread over the groups in turn, with
    drawn organisations and role levels; return their ids (a numpy array)."""
    import numpy as np

    groups = len(group_names)
    org_idx = rng.integers(0, len(ORGANISATIONS), participants)
    role_idx = rng.integers(0, len(ROLE_LEVELS), participants)
    people = [
        {"group": group_names[i % groups], "organisation": ORGANISATIONS[o][0],
         "sector": ORGANISATIONS[o][1], "role_level": ROLE_LEVELS[r]}
        for i, (o, r) in enumerate(zip(org_idx.tolist(), role_idx.tolist(), strict=True))
    ]
    ids = np.array(store.add_participants(cohort_id, people))
    if bar is not None:
        bar(participants, participants)
    return ids


def _round_batch(rng, fw, leaning, ids, r: int, rname: str) -> list:
    """The :class:`kit.store.BulkResponse` of everyone answering round ``r`` (all of them in
    the first round, about 85% later)."""
    import numpy as np

    from kit.store import BulkResponse

    lo, hi = fw.scale.min, fw.scale.max
    unit = (hi - lo) / 4
    items = fw.items
    item_ids = [i.id for i in items]
    item_dim, reverse = _item_arrays(fw)
    asked = [d.id for d in fw.dimensions if d.ask_importance]
    # "No chance" is likelier for acts that are rare by nature (events) than for the rest
    na_rate = np.array([0.25 if i.event else 0.04 for i in items])
    participants = len(ids)
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
    return batch
