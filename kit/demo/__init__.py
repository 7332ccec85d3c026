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

The ``kit demo`` command itself is :mod:`kit.commands.demo`. This package imports only the
default framework ids at the top; everything else loads inside functions. Its parts:
:mod:`kit.demo._cast` (the cohort's names, organisations and words), :mod:`kit.demo._codes`
(the codes file), :mod:`kit.demo._seed` (the demo cohort's story) and
:mod:`kit.demo._synthetic` (cohorts of any size, and the same data as DataFrames).
"""

from __future__ import annotations

from kit.demo._cast import (  # noqa: F401 - the demo's names stay importable from kit.demo
    COLLAB,
    DEMO_COHORT,
    DEMO_GROUPS,
    DEMO_ROUNDS,
    HEALTH,
    ORGANISATIONS,
    ROLE_LEVELS,
    SHARED_EXERCISE,
    DemoCodes,
)
from kit.demo._cast import COMMITMENTS as _COMMITMENTS  # noqa: F401
from kit.demo._cast import PROMPT_ANSWERS as _PROMPT_ANSWERS  # noqa: F401
from kit.demo._cast import RELATIONSHIPS as _RELATIONSHIPS  # noqa: F401
from kit.demo._synthetic import seed_synthetic, synthetic_frames

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


def demo_codes_path():
    """Where the demo's codes are kept: ``<data folder>/demo-codes.json``."""
    from kit.config import get_settings

    return get_settings().data_dir / "demo-codes.json"




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
    from kit.demo._codes import find_cohort, load_codes, save_codes
    from kit.demo._seed import seed_new_demo

    path = demo_codes_path()
    existing = find_cohort(store, DEMO_COHORT)
    if existing is not None:
        codes = load_codes(path, store, existing)
        if codes is None:
            raise RuntimeError(
                f"The demo cohort is already in this database, but its codes file {path} is "
                "missing or belongs to another database, and codes cannot be recovered from the "
                "stored hashes. Use a fresh data folder (KIT_DATA_DIR) or database "
                "(KIT_DATABASE_URL) for the demo."
            )
        return codes
    codes = seed_new_demo(store)
    save_codes(path, store, codes)
    return codes
