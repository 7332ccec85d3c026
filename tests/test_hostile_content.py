"""Hostile content and text: exploding YAML, spreadsheet formulas, oversized ids, and copies
left behind after an erase."""

from __future__ import annotations

import ast
import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from kit.commands.main import main
from kit.config import get_settings
from kit.store import InvalidResponse, Store
from kit.store.validation import MAX_ENTRIES, MAX_ID, MAX_STEPS

LAUGHS = """\
schema_version: 1
id: laughs
title: Laughs
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""

#: Runs code with at most 1 GB of memory, as a guard that expansion never happens.
_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from kit.commands.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("KIT_DATA_DIR", str(folder))
    monkeypatch.delenv("KIT_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield folder
    monkeypatch.undo()
    get_settings.cache_clear()


# -- YAML that expands exponentially -----------------------------------------------------------
@pytest.mark.parametrize("name", ["laughs.yaml", "frameworks/laughs.yaml"])
def test_kit_validate_refuses_a_billion_laughs_file(tmp_path, name):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LAUGHS, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", _LIMITED, "validate", str(path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    out = result.stdout + result.stderr
    assert "aliases" in out and str(path) in out
    assert "MemoryError" not in out and "Traceback" not in out


def test_content_on_the_search_path_is_refused_not_expanded(tmp_path, monkeypatch):
    (tmp_path / "laughs.yaml").write_text(LAUGHS, encoding="utf-8")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from kit.content import ContentError, list_frameworks, load_exercises\n"
        "for load in (list_frameworks, load_exercises):\n"
        "    try:\n"
        "        load()\n"
        "    except ContentError as exc:\n"
        "        print('refused', 'aliases' in str(exc))\n"
        "    else:\n"
        "        print('loaded')\n"
    )
    env = {**__import__("os").environ, "KIT_CONTENT_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert "MemoryError" not in result.stderr
    # The file is neither a framework nor an exercise; whichever loader looks at it refuses or skips it.
    assert all(line in ("refused True", "loaded") for line in lines if line), lines


def test_aliases_within_reason_still_load(tmp_path):
    from kit.content._yaml import read_yaml

    doc = read_yaml(tmp_path / "x.yaml", text="base: &b {a: 1, b: 2}\none: *b\ntwo: {<<: *b, c: 3}\n")
    assert doc.problems == []
    assert doc.data["two"] == {"a": 1, "b": 2, "c": 3}


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path):
    from kit.content._yaml import read_yaml

    doc = read_yaml(tmp_path / "x.yaml", text="a: &a [1, *a]\n")
    assert doc.data is None and "its own anchor" in doc.problems[0].message


# -- CSV cells that a spreadsheet would run -----------------------------------------------------
FORMULAS = ["=HYPERLINK(\"http://evil\")", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"]


def _csv_cells(folder: Path):
    for path in sorted(folder.glob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        for row in rows:
            for cell in row:
                yield path.name, cell


def test_kit_export_neutralises_formula_cells(data_dir, capsys):
    from kit.config import get_settings as settings

    with Store() as store:
        created = store.create_cohort("Spring", groups=["North"], rounds=["Baseline"])
        p = store.join(created.join_codes["North"], organisation=FORMULAS[0], sector=FORMULAS[1])
        for text in FORMULAS:
            store.add_commitment(p.id, f"{text} commit", None, settings().today)
            store.add_relationship(p.id, f"{text} label", text, text, "monthly", 3, 3)
        store.save_reflection(p.id, "what-so-what-now-what", {"what": FORMULAS[2]})
    out = data_dir.parent / "export"
    assert main(["export", "--participant", p.resume_code, "--out", str(out)]) == 0
    cells = list(_csv_cells(out))
    assert {name for name, _ in cells} >= {"commitments.csv", "relationships.csv"}
    risky = [(n, c) for n, c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert risky == []
    assert any(c.startswith("'=HYPERLINK") for _, c in cells)


def test_every_csv_the_kit_writes_goes_through_the_one_helper():
    """No module but kit/_csv.py writes CSV itself (csv.writer, DictWriter or to_csv)."""
    root = Path(__file__).resolve().parents[1] / "kit"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "_csv.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"writer", "DictWriter", "to_csv"}:
                offenders.append(f"{path.relative_to(root)}:{node.lineno} {node.attr}")
    assert offenders == []


# -- size limits hold at the store ----------------------------------------------------------
@pytest.fixture
def participant(store_url):
    with Store(store_url) as store:
        created = store.create_cohort("Spring", groups=["North"], rounds=["Baseline"])
        p = store.join(created.join_codes["North"])
        yield store, p.id, store.open_round(created.cohort_id, "Baseline").id  # joined first


def test_reflection_step_ids_and_step_count_are_bounded(participant):
    store, pid, _ = participant
    with pytest.raises(InvalidResponse, match="at most"):
        store.save_reflection(pid, "gibbs", {"x" * (MAX_ID + 1): "text"})
    with pytest.raises(InvalidResponse, match="at most"):
        store.save_reflection(pid, "gibbs", {f"step-{i}": "t" for i in range(MAX_STEPS + 1)})
    store.save_reflection(pid, "gibbs", {f"step-{i}": "t" for i in range(MAX_STEPS)})
    store.save_reflection(pid, "gibbs", {"x" * MAX_ID: "text"})


def test_draft_ids_and_entries_are_bounded(participant):
    store, pid, rid = participant
    fw = "collaboration-behaviours"
    with pytest.raises(InvalidResponse, match="at most"):
        store.save_draft(pid, fw, rid, {"i" * (MAX_ID + 1): 3})
    with pytest.raises(InvalidResponse, match="at most"):
        store.save_draft(pid, fw, rid, {f"item-{i}": 3 for i in range(MAX_ENTRIES + 1)})
    with pytest.raises(InvalidResponse, match="at most"):
        store.save_draft(pid, "f" * (MAX_ID + 1), rid, {})
    assert store.load_draft(pid, fw, rid) is None


def test_a_response_with_huge_unknown_ids_is_refused_briefly(participant):
    from kit.content import load_framework

    store, pid, rid = participant
    fw = load_framework("collaboration-behaviours")
    huge = "z" * 1_000_000
    with pytest.raises(InvalidResponse) as exc:
        store.submit_response(pid, fw, rid, {huge: 3}, {}, key="k1")
    assert huge[:100] not in str(exc.value) and len(str(exc.value)) < 20_000
    with pytest.raises(InvalidResponse, match="at most"):
        store.submit_response(pid, fw, rid, {f"i{n}": 3 for n in range(MAX_ENTRIES + 1)}, {},
                              key="k2")


# -- kit erase and the copies the kit wrote --------------------------------------------------
def test_erase_lists_and_offers_to_delete_the_kit_made_copies(data_dir, capsys):
    from kit.apps.my_data_model import MyDataModel

    with Store() as store:
        created = store.create_cohort("Spring", groups=["North"], rounds=["Baseline"])
        alice = store.join(created.join_codes["North"], display_name="Alice")
        bob = store.join(created.join_codes["North"], display_name="Bob")
    export_a = data_dir / "exports" / "alice"
    export_b = data_dir / "exports" / "bob"
    report_a = data_dir / "reports" / "alice.html"
    backup = data_dir / "backups" / "kit-backup.db"
    assert main(["export", "--participant", alice.resume_code, "--out", str(export_a)]) == 0
    assert main(["export", "--participant", bob.resume_code, "--out", str(export_b)]) == 0
    assert main(["report", "--participant", alice.resume_code, str(report_a)]) == 0
    assert main(["backup", str(backup)]) == 0
    capsys.readouterr()

    with Store() as store:
        model = MyDataModel(store, alice.id)
        kinds = sorted((c.kind, c.path.name) for c in model.copies())
        assert kinds == [("backup", "kit-backup.db"), ("export", "alice"),
                         ("report", "alice.html")]

    assert main(["erase", "--participant", alice.resume_code, "--yes"]) == 0
    out = capsys.readouterr().out
    assert str(export_a) in out and str(report_a) in out and str(backup) in out
    assert "--delete-copies" in out
    assert export_a.exists() and report_a.exists()  # --yes alone keeps them, and says so

    assert main(["erase", "--participant", bob.resume_code, "--yes", "--delete-copies"]) == 0
    out = capsys.readouterr().out
    assert str(export_b) in out and "Deleted 1" in out
    assert not export_b.exists()
    assert backup.exists()  # backups hold everyone: never deleted by the kit


def test_my_data_erase_can_delete_the_participants_own_copies(data_dir, capsys):
    from kit.apps.my_data_model import MyDataModel

    with Store() as store:
        created = store.create_cohort("Spring", groups=["North"], rounds=["Baseline"])
        carol = store.join(created.join_codes["North"])
    export = data_dir / "exports" / "carol"
    report = data_dir / "carol.html"
    assert main(["export", "--participant", carol.resume_code, "--out", str(export)]) == 0
    assert main(["report", "--participant", carol.resume_code, str(report)]) == 0
    with Store() as store:
        model = MyDataModel(store, carol.id)
        assert {c.kind for c in model.copies()} == {"export", "report"}
        gone = model.erase("ERASE", delete_copies=True)
    assert sorted(p.name for p in gone) == ["carol", "carol.html"]
    assert not export.exists() and not report.exists()
