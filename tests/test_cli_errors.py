"""Bad input and bad surroundings give a clear sentence, an exit status of 1 or 2, and leave
every file as it was: no traceback from any ``kit`` command.

Each case runs the real ``kit`` command in a subprocess and compares a fingerprint of the
data folder (every file's bytes) before and after.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kit.store import Store, StoreError

KIT = [sys.executable, "-c", "import sys; from kit.commands.main import main; sys.exit(main())"]


def kit(*args, env: dict | None = None, prefix: list[str] | None = None, timeout=180):
    """Run ``kit ARGS``; returns the completed process (text mode, bytes kept as escapes)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("KIT_DATABASE_URL", None) if "KIT_DATABASE_URL" not in (env or {}) else None
    return subprocess.run(
        [*(prefix or []), *KIT, *args],
        capture_output=True,
        env=full_env,
        timeout=timeout,
        text=True,
        errors="backslashreplace",
    )


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_clear_failure(result, *fragments, status=(1, 2)):
    """Exit 1 or 2, no traceback, a short message on stderr containing every fragment."""
    err = result.stderr
    assert result.returncode in status, (result.returncode, err)
    assert "Traceback" not in err and "Error:" not in err.split("kit", 1)[0], err
    assert err.startswith("kit"), err
    assert len(err.strip().splitlines()) <= 3, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


@pytest.fixture(scope="module")
def _demo_database(tmp_path_factory) -> tuple[Path, str]:
    """One demo database for the module; returns (file, resume code)."""
    from kit.demo import seed_demo

    db = tmp_path_factory.mktemp("demo") / "kit.db"
    with Store(f"sqlite:///{db}") as store:
        codes = seed_demo(store)
    return db, codes.resume_code


@pytest.fixture
def seeded(tmp_path, _demo_database) -> tuple[Path, str]:
    """A data folder holding a copy of the demo database; returns (folder, resume code)."""
    source, resume = _demo_database
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(source, folder / "kit.db")
    return folder, resume


def damage_pages(db: Path, *, from_fraction: float = 0.0) -> None:
    """Overwrite every page from ``from_fraction`` of the file on (never the first page, so the
    header and schema stay readable)."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    first = max(page, int(len(data) * from_fraction) // page * page)
    for start in range(first, len(data), page):
        data[start : start + page] = bytes((start // page * 37 + i) % 251 for i in range(page))
    db.write_bytes(bytes(data))


# -- damaged and empty database files ----------------------------------------------------------
def test_report_on_a_damaged_database_says_so_and_changes_nothing(seeded, tmp_path):
    folder, resume = seeded
    damage_pages(folder / "kit.db")
    before = fingerprint(folder)
    result = kit("report", "--participant", resume, str(tmp_path / "r.html"),
                 env={"KIT_DATA_DIR": str(folder)})
    assert_clear_failure(result, "damaged", str(folder / "kit.db"))
    assert fingerprint(folder) == before
    assert not (tmp_path / "r.html").exists()


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    db = tmp_path / "kit.db"
    db.write_bytes(b"this is a shopping list, not a database\n" * 100)
    before = fingerprint(tmp_path)
    for args in (["cohort", "list"], ["report", "--participant", "AAAA-BBBB-CCCC-DDDD",
                                      str(tmp_path / "out" / "r.html")], ["demo"]):
        result = kit(*args, env={"KIT_DATA_DIR": str(tmp_path)})
        assert_clear_failure(result, "damaged", str(db))
        assert fingerprint(tmp_path) == before


def test_an_empty_database_file_is_not_used_as_a_new_store(tmp_path):
    db = tmp_path / "kit.db"
    db.touch()
    for args in (["cohort", "list"], ["demo"], ["backup", str(tmp_path / "copy.db")]):
        result = kit(*args, env={"KIT_DATA_DIR": str(tmp_path)})
        assert_clear_failure(result, "empty", str(db))
        assert db.stat().st_size == 0
        assert sorted(p.name for p in tmp_path.iterdir()) == ["kit.db"]


def test_backup_of_a_damaged_database_fails_and_says_so(seeded, tmp_path):
    folder, _ = seeded
    damage_pages(folder / "kit.db", from_fraction=0.6)  # the store still opens
    before = fingerprint(folder)
    target = tmp_path / "backups" / "copy.db"
    result = kit("backup", str(target), env={"KIT_DATA_DIR": str(folder)})
    assert_clear_failure(result, "integrity", "no backup was written")
    assert fingerprint(folder) == before
    assert not target.exists() and not target.with_name("copy.db.partial").exists()


def test_backup_of_a_sound_database_still_works(seeded, tmp_path):
    folder, _ = seeded
    target = tmp_path / "copy.db"
    result = kit("backup", str(target), env={"KIT_DATA_DIR": str(folder)})
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


# -- folders that cannot be made or written -------------------------------------------------
def test_a_data_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    before = fingerprint(tmp_path)
    for env, args in (
        ({"KIT_DATA_DIR": str(blocker / "data")}, ["cohort", "list"]),
        ({"KIT_DATA_DIR": str(blocker / "data")}, ["demo"]),
        ({}, ["cohort", "list", "--database", f"sqlite:///{blocker}/sub/kit.db"]),
        ({"KIT_DATABASE_URL": f"sqlite:///{blocker}/sub/kit.db"}, ["purge", "--days", "30"]),
    ):
        result = kit(*args, env={"KIT_DATA_DIR": str(tmp_path / "unused"), **env})
        assert_clear_failure(result, "cannot be made", str(blocker))
        assert fingerprint(tmp_path) == before


def _read_only_prefix() -> list[str]:
    """A command prefix under which the data folder's permissions hold, even for root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be shown")
    drop = "-dac_override,-dac_read_search,-fowner"
    return [setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}"]


@pytest.mark.parametrize("fresh", [False, True], ids=["existing-database", "empty-folder"])
def test_report_and_demo_in_a_read_only_data_folder(seeded, tmp_path, fresh):
    folder, resume = seeded
    if fresh:
        folder = tmp_path / "empty-data"
        folder.mkdir()
    prefix = _read_only_prefix()
    before = fingerprint(folder)
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    for p in modes:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        for args in (["report", "--participant", resume, str(tmp_path / "r.html")], ["demo"]):
            result = kit(*args, env={"KIT_DATA_DIR": str(folder)}, prefix=prefix)
            assert_clear_failure(result, "cannot write", str(folder))
            assert fingerprint(folder) == before
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


# -- settings and arguments the kit cannot use -------------------------------------------
@pytest.mark.parametrize(
    "url", ["postgresql://u:hunter2@[::1:5432/x", "postgresql+psycopg://u:hunter2@db:port/x"]
)
def test_a_malformed_postgresql_url_is_named_without_its_password(tmp_path, url):
    before = fingerprint(tmp_path)
    by_option = kit("cohort", "list", "--database", url, env={"KIT_DATA_DIR": str(tmp_path)})
    assert_clear_failure(by_option, "cannot be read")
    by_setting = kit("cohort", "list", env={"KIT_DATA_DIR": str(tmp_path), "KIT_DATABASE_URL": url})
    assert_clear_failure(by_setting, "KIT_DATABASE_URL", status=(2,))
    for result in (by_option, by_setting):
        assert "hunter2" not in result.stderr + result.stdout
        assert "u:***@" in result.stderr
    assert fingerprint(tmp_path) == before


def test_purge_with_days_beyond_the_calendar(seeded):
    folder, _ = seeded
    before = fingerprint(folder)
    for args, env in (
        (["purge", "--days", "99999999"], {}),
        (["purge", "--days", str(10**12)], {}),
        (["purge"], {"KIT_RETENTION_DAYS": "99999999"}),
    ):
        result = kit(*args, env={"KIT_DATA_DIR": str(folder), **env})
        assert_clear_failure(result, "before the year 1", "Nothing was purged", status=(2,))
        assert fingerprint(folder) == before


@pytest.mark.parametrize("today", ["0001-01-02", "1900-05-05", "9999-12-31"])
def test_a_pinned_today_far_away_is_a_configuration_problem(seeded, today):
    folder, _ = seeded
    before = fingerprint(folder)
    result = kit("purge", "--days", "5", env={"KIT_DATA_DIR": str(folder), "KIT_TODAY": today})
    assert_clear_failure(result, "KIT_TODAY", today, status=(2,))
    assert fingerprint(folder) == before


def test_a_cohort_name_that_is_not_valid_text(seeded):
    folder, _ = seeded
    before = fingerprint(folder)
    result = kit("cohort", "create", "Spring \udcff\udcfe 2026", "--groups", "North",
                 "--rounds", "Baseline", env={"KIT_DATA_DIR": str(folder)})
    assert_clear_failure(result, "not valid text")
    assert "UnicodeEncodeError" not in result.stderr
    assert fingerprint(folder) == before


def test_every_bad_setting_is_reported_at_once(tmp_path):
    result = kit("cohort", "list", env={
        "KIT_DATA_DIR": str(tmp_path),
        "KIT_MIN_GROUP_SIZE": "two",
        "KIT_SPLIT_THRESHOLD": "wide",
        "KIT_TODAY": "yesterday",
        "KIT_DATABASE_URL": "postgresql://kit:pa55word@[::1:5432/kit",
    })
    assert result.returncode == 2 and "Traceback" not in result.stderr
    for name in ("KIT_MIN_GROUP_SIZE", "KIT_SPLIT_THRESHOLD", "KIT_TODAY", "KIT_DATABASE_URL"):
        assert name in result.stderr
    assert "pa55word" not in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- the store itself refuses text that is not valid --------------------------------------------
@pytest.mark.parametrize("bad", ["\udcff", "North \ud800 side", "\udfff" * 3])
def test_lone_surrogates_reaching_the_store_raise_a_store_error(store_url, bad):
    with Store(store_url) as store:
        with pytest.raises(StoreError, match="not valid text"):
            store.create_cohort(bad, groups=["North"], rounds=["Baseline"])
        created = store.create_cohort("Spring", groups=["North"], rounds=["Baseline"])
        with pytest.raises(StoreError, match="not valid text"):
            store.join(created.join_codes["North"], organisation=bad)
        p = store.join(created.join_codes["North"], organisation="Council")
        with pytest.raises(StoreError, match="not valid text"):
            store.add_commitment(p.id, f"Meet {bad}", None, store_today(store))
        assert [c.name for c in store.list_cohorts()] == ["Spring"]
        assert store.list_commitments(p.id) == []


def store_today(store):
    from kit.config import get_settings

    return get_settings().today
