"""The store's subcommands: cohort, export, erase, backup, purge."""

from __future__ import annotations

import argparse
import io
import re

import pytest

from kit.commands import store as store_cli
from kit.store import Store

CODE = r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}"


def run(argv, capsys):
    """Run a store subcommand the way ``kit`` does; returns (status, stdout, stderr)."""
    parser = argparse.ArgumentParser(prog="kit")
    store_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    status = int(args.func(args) or 0)
    out = capsys.readouterr()
    return status, out.out, out.err


def test_cli_module_imports_only_argparse():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(store_cli))
    top = {a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    top |= {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
    assert top <= {"argparse", "sys", "__future__"}


def test_cohort_create_list_and_rounds(store_url, capsys):
    db = ["--database", store_url]
    status, out, _ = run(
        [
            "cohort",
            "create",
            "Spring 2026",
            "--groups",
            "North",
            "South",
            "--rounds",
            "Baseline",
            "Midpoint",
            "End",
            "--frameworks",
            "collaboration-behaviours",
            *db,
        ],
        capsys,
    )
    assert status == 0
    codes = dict(re.findall(rf"^\s+(North|South)\s+({CODE})$", out, re.M))
    assert set(codes) == {"North", "South"}
    key = re.search(rf"Facilitator key \(keep it private\): ({CODE})", out).group(1)

    # every round starts not open: people join first (tests/test_round_lifecycle.py)
    assert "No round is open yet" in out
    status, out, _ = run(["cohort", "list", *db], capsys)
    assert status == 0 and "Spring 2026" in out and "open round: none" in out
    status, out, _ = run(["cohort", "round", "open", "Baseline", "--key", key, *db], capsys)
    assert status == 0 and "'Baseline'" in out and "counts the 0 people who had joined" in out

    status, _, err = run(["cohort", "round", "open", "Midpoint", "--key", key, *db], capsys)
    assert status == 1 and "'Baseline' is still open. Close it first" in err  # one at a time
    status, out, _ = run(["cohort", "round", "close", "Baseline", "--key", key, *db], capsys)
    # nobody answered: nothing to publish, and Baseline is back to not open
    assert status == 0 and "Nobody counted in Baseline had answered" in out
    status, out, _ = run(["cohort", "round", "open", "Midpoint", "--key", key, *db], capsys)
    assert status == 0 and "'Midpoint'" in out
    with Store(store_url) as store:
        cohort = store.cohort_by_facilitator_key(key)
        assert store.current_round(cohort.id).name == "Midpoint"
        assert store.join(codes["South"]).group_id == cohort.group("South").id

    status, out, err = run(["cohort", "round", "close", "Finale", "--key", key, *db], capsys)
    assert status == 1 and "no round 'Finale'" in err and "Traceback" not in err
    status, _, err = run(["cohort", "round", "open", "End", "--key", "WRONG-KEY", *db], capsys)
    assert status == 1 and err.startswith("kit: That facilitator key")


def test_export_and_erase(store_url, capsys, tmp_path, monkeypatch):
    with Store(store_url) as store:
        created = store.create_cohort("C", groups=["G"], rounds=["R"])
        p = store.join(created.join_codes["G"], display_name="Robin")
        store.save_reflection(p.id, "ex", {"what": "words"})
    db = ["--database", store_url]

    status, out, _ = run(
        ["export", "--participant", p.resume_code, "--out", str(tmp_path / "x"), *db], capsys
    )
    assert (
        status == 0
        and (tmp_path / "x" / f"participant-{p.id}.json").is_file()
        and "reflections.csv" in out
    )

    status, _, err = run(["export", "--participant", "AAAA-AAAA-AAAA-AAAA", *db], capsys)
    assert status == 1 and "resume code was not recognised" in err

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    status, _, err = run(["erase", "--participant", p.resume_code, *db], capsys)
    assert status == 2 and "--yes" in err

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    status, out, _ = run(["erase", "--participant", p.resume_code, *db], capsys)
    assert status == 1 and "Nothing was erased" in out

    status, out, _ = run(["erase", "--participant", p.resume_code, "--yes", *db], capsys)
    assert status == 0 and f"Erased participant {p.id}" in out
    with Store(store_url) as store:
        assert store.list_reflections(p.id) == []


def test_backup_and_purge(store_url, capsys, tmp_path, monkeypatch):
    from kit.config import get_settings

    db = ["--database", store_url]
    status, out, err = run(["backup", str(tmp_path / "b.db"), *db], capsys)
    if store_url.startswith("sqlite"):
        assert status == 0 and (tmp_path / "b.db").is_file()
    else:
        assert status == 1 and "pg_dump" in err

    monkeypatch.delenv("KIT_RETENTION_DAYS", raising=False)
    get_settings.cache_clear()
    status, _, err = run(["purge", *db], capsys)
    assert status == 2 and "KIT_RETENTION_DAYS" in err
    monkeypatch.setenv("KIT_RETENTION_DAYS", "365")
    get_settings.cache_clear()
    try:
        status, out, _ = run(["purge", *db], capsys)
        assert status == 0 and "Purged 0 cohorts" in out and "365 days" in out
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_bad_database_url_is_a_friendly_error(capsys):
    status, _, err = run(["cohort", "list", "--database", "mysql://nowhere/kit"], capsys)
    assert status == 1 and "sqlite:///" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [["cohort"], ["erase"]])
def test_missing_arguments_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        run(argv, capsys)
    assert exc.value.code == 2


def test_closing_a_round_publishes_its_results_so_the_dashboard_need_not(store_url, capsys,
                                                                         monkeypatch):
    """``kit cohort round close`` works out the confidentiality plan then, so the first
    facilitator to open the dashboard does not wait for it."""
    from kit import publishing
    from kit.analysis.cohort import CohortData
    from kit.content import load_framework

    fw = load_framework("collaboration-behaviours")
    with Store(store_url) as store:
        created = store.create_cohort("C", groups=["A", "B"], rounds=["R1", "R2"],
                                      open_first=False)
        people = [store.join(created.join_codes[g]).id for g in ("A", "B") for _ in range(7)]
        rid = store.open_round(created.cohort_id, "R1").id
        for n, pid in enumerate(people):
            answers = {i.id: fw.scale.min + (n + j) % len(fw.scale.values) for j, i in enumerate(fw.items)}
            importance = {d.id: 1 + n % 5 for d in fw.dimensions if d.ask_importance}
            store.submit_response(pid, fw.id, rid, answers, importance, key=f"k{n}")
        key = created.facilitator_key
        cid = created.cohort_id
        assert store.snapshot_heads(cid, fw.id) == []

    status, out, err = run(["cohort", "round", "close", "R1", "--key", key,
                            "--database", store_url], capsys)
    assert status == 0, err
    assert "R1 is closed" in out and "published and final" in out and "Published in" in out
    with Store(store_url) as store:
        heads = store.snapshot_heads(cid, fw.id)
        assert heads, "closing the round published it"
        # opening the dashboard only reads: it publishes nothing
        published = []
        real = publishing.publish_snapshot
        monkeypatch.setattr(publishing, "publish_snapshot",
                            lambda *a, **k: published.append(a) or real(*a, **k))
        CohortData.from_store(store, cid)
        assert published == []
        assert store.snapshot_heads(cid, fw.id) == heads


def test_a_round_closed_when_publishing_fails_stays_closed_and_says_so(store_url, capsys,
                                                                      monkeypatch):
    from kit import publishing
    from kit.content import load_framework

    fw = load_framework("collaboration-behaviours")
    with Store(store_url) as store:
        created = store.create_cohort("C", groups=["A"], rounds=["R1"])
        pid = store.join(created.join_codes["A"]).id
        rid = store.open_round(created.cohort_id, "R1").id
        store.submit_response(pid, fw.id, rid, {i.id: 3 for i in fw.items}, {}, key="k")
    real = publishing.publish_closed
    monkeypatch.setattr(publishing, "publish_closed",
                        lambda *a, **k: (_ for _ in ()).throw(OSError("database is locked")))
    db = ["--database", store_url]
    status, out, err = run(["cohort", "round", "close", "R1", "--key",
                            created.facilitator_key, *db], capsys)
    assert status == 1
    assert "R1 is closed, but publishing its results did not finish" in err
    assert "database is locked" in err and "Close it again" in err and "Traceback" not in err
    with Store(store_url) as store:
        assert store.current_round(created.cohort_id) is None
        assert store.snapshot_heads(created.cohort_id, fw.id) == []
    monkeypatch.setattr(publishing, "publish_closed", real)
    status, out, err = run(["cohort", "round", "close", "R1", "--key",
                            created.facilitator_key, *db], capsys)  # closing again publishes
    assert status == 0 and "published and final" in out, err
    with Store(store_url) as store:
        assert len(store.snapshot_heads(created.cohort_id, fw.id)) == 1
