"""Shared test set-up.

* Every test session gets its own data folder and a pinned "today", so nothing touches the
  developer's real kit data and outputs are repeatable.
* Tests marked ``browser`` or ``postgres`` skip when Chromium or PostgreSQL is missing, except
  under ``CI=true``, where a missing one fails the run instead.
* ``store_url`` runs a test against SQLite and against the real PostgreSQL server, each
  isolated: a fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_BASE = os.environ.get("KIT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CHROMIUM = os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium")
PINNED_TODAY = "2026-03-02"

# --cpu-burn=N / KIT_TEST_CPU_BURN=N: run the suite with every core busy (tests/cpu_burn.py).
pytest_plugins = ["cpu_burn"]


def pytest_configure(config):
    os.environ.setdefault("KIT_TODAY", PINNED_TODAY)


@pytest.fixture(scope="session", autouse=True)
def _isolated_data_dir(tmp_path_factory):
    """Point KIT_DATA_DIR at a temporary folder for the whole session."""
    from kit.config import get_settings

    data = tmp_path_factory.mktemp("kit-data")
    old = {k: os.environ.get(k) for k in ("KIT_DATA_DIR", "KIT_DATABASE_URL")}
    os.environ["KIT_DATA_DIR"] = str(data)
    os.environ.pop("KIT_DATABASE_URL", None)
    get_settings.cache_clear()
    yield data
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    get_settings.cache_clear()


def _missing(what: str, why: str):
    if IN_CI:
        pytest.fail(f"{what} is required when CI=true but is not available: {why}")
    pytest.skip(f"{what} not available: {why}")


def postgres_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(PG_BASE)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


@pytest.fixture(scope="session")
def pg_available():
    reason = postgres_available()
    if reason:
        _missing("PostgreSQL on 127.0.0.1:5432", reason)
    return True


@pytest.fixture
def pg_url(pg_available):
    """A SQLAlchemy URL for a fresh, empty PostgreSQL schema, dropped after the test."""
    import sqlalchemy as sa

    schema = f"kit_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f'create schema "{schema}"'))
    url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    yield url
    with engine.begin() as conn:
        conn.execute(sa.text(f'drop schema "{schema}" cascade'))
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'kit.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """Run the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kit.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        _missing("Chromium", f"{CHROMIUM} not found (apt-get install chromium chromium-driver)")
    try:
        import playwright  # noqa: F401
    except ImportError as exc:
        _missing("Playwright for Python", str(exc))
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


# ---------------------------------------------------------------------------------------------
# Store fixtures (owned by the store engineer; appended, nothing above changed)
# ---------------------------------------------------------------------------------------------


def make_framework(framework_id: str = "test-fw", *, not_applicable: str | None = "Not observed"):
    """A small framework built straight from the dataclasses: two dimensions, five items.

    ``trust`` asks for importance (1-5); ``t2`` is reverse-keyed and ``s3`` is optional.
    """
    from kit.content.models import Band, Dimension, Framework, Item, Scale, ScalePoint

    scale = Scale(tuple(ScalePoint(v, f"point {v}") for v in range(1, 6)), not_applicable=not_applicable)
    return Framework(
        id=framework_id,
        title="Test framework",
        description="A framework made for tests.",
        lens="self",
        scale=scale,
        importance_scale=Scale(tuple(ScalePoint(v, f"importance {v}") for v in range(1, 6))),
        bands=(Band("strength", "Strength", 4.0), Band("developing", "Developing", 1.0)),
        dimensions=(
            Dimension(
                "trust", "Trust", "Why trust matters.",
                (Item("t1", "I keep my word."), Item("t2", "I hold back information.", reverse=True)),
                ask_importance=True,
            ),
            Dimension(
                "shared", "Shared purpose", "Why purpose matters.",
                (Item("s1", "We agree outcomes."), Item("s2", "We review together."),
                 Item("s3", "We celebrate.", required=False)),
            ),
        ),
    )


@pytest.fixture
def small_framework():
    """The small test framework from :func:`make_framework`."""
    return make_framework()


@pytest.fixture
def kit_store(store_url):
    """An open :class:`kit.store.Store` on SQLite and on PostgreSQL (via ``store_url``)."""
    from kit.store import Store

    with Store(store_url) as s:
        yield s


@pytest.fixture
def store_cohort(kit_store):
    """A cohort with groups North and South and rounds Baseline (open), Midpoint and End.

    Baseline is opened at creation (``open_first=True``), so the store's tests can answer at
    once; it counts nobody who joins afterwards. Tests of who counts make their own cohort
    with the default (every round not open yet) and open the round after people join.
    """
    return kit_store.create_cohort(
        "Spring 2026", groups=["North", "South"], rounds=["Baseline", "Midpoint", "End"],
        frameworks=["test-fw"], open_first=True,
    )
