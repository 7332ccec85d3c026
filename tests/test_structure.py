"""The layers stay in order (docs/architecture.md): import-linter's contracts hold and can
fail, the reports do not reach up into the apps, and the default framework is named in one
place."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

REPORTS_WITHOUT_APPS = textwrap.dedent("""
    import sys

    from kit.demo import seed_demo
    from kit.report.group import group_report_html
    from kit.report.join_sheet import join_sheet_html
    from kit.report.personal import personal_report_html
    from kit.store import Store

    with Store() as store:
        codes = seed_demo(store)
        page = personal_report_html(store, codes.participant_id)
        assert "Your commitments" in page and "In progress" in page, "report incomplete"
        group_report_html(store, codes.cohort_id)
    import kit.commands.report, kit.report.pdf  # noqa: E401,F401
    apps = sorted(m for m in sys.modules if m == "kit.apps" or m.startswith("kit.apps."))
    print("APPS:", apps)
""")


def test_the_reports_are_built_without_importing_the_apps(tmp_path):
    """kit.report used to import kit.apps (profile loading, commitment status labels) while
    the apps import kit.report: a cycle. Both now sit below, in kit.analysis and kit.store."""
    env = {**os.environ, "KIT_DATA_DIR": str(tmp_path / "data"), "KIT_TODAY": "2026-05-01",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", REPORTS_WITHOUT_APPS], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "APPS: []" in done.stdout, done.stdout


# -- the floors, as import-linter contracts in pyproject.toml ----------------------------------
def _lint_imports(root: Path, config: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` (import-linter) on the ``kit`` package found under ``root``."""
    command = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(command), "--config", str(config), "--no-cache"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)


def test_the_floors_hold():
    """The contracts in pyproject.toml (layers, forbidden crossings, no cycles) are kept.
    ``make test`` runs the same check (``make lint-imports``)."""
    done = _lint_imports(ROOT, ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _floors() -> list[list[str]]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["id"] == "floors")["layers"]
    return [[m.strip() for m in _parts(layer)] for layer in layers]


def _parts(layer: str) -> list[str]:
    import re

    return [part for part in re.split(r"[|:]", layer) if part.strip()]


def test_every_part_of_the_kit_stands_on_a_floor():
    """A new package or top-level module must be placed on a floor, or the layers contract
    would not see what it imports."""
    named = {m for floor in _floors() for m in floor}
    parts = {f"kit.{p.stem}" for p in (ROOT / "kit").glob("*.py") if p.name != "__init__.py"}
    parts |= {f"kit.{p.parent.name}" for p in (ROOT / "kit").glob("*/__init__.py")}
    assert parts - named == set(), "add these to [tool.importlinter] layers in pyproject.toml"
    assert named - parts == set(), "the layers name modules that no longer exist"


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("store/tables.py", "import kit.apps.errors", "kit.store is not allowed to import kit.apps"),
    ("analysis/scoring.py", "import kit.report.group", "kit.analysis is not allowed to import"),
    ("charts/_theme.py", "import kit.store.info", "kit.charts is not allowed to import kit.store"),
    ("forms/messages.py", "import kit.store.errors", "kit.forms is not allowed to import"),
    ("voila/_kernel.py", "import kit.voila._pool", "kit.voila._kernel is not allowed to import"),
    ("commands/store.py", "import kit.store._rights", "kit.commands is not allowed to import"),
])
def test_a_crossing_breaks_a_contract(tmp_path, module, line, broken):
    """The check can fail: a copy of the kit with one forbidden import added is refused,
    naming the crossing."""
    import shutil

    shutil.copytree(ROOT / "kit", tmp_path / "kit",
                    ignore=shutil.ignore_patterns("__pycache__", "locale", "_shipped",
                                                  "jupyter", "schemas", "*.j2"))
    target = tmp_path / "kit" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    done = _lint_imports(tmp_path, ROOT / "pyproject.toml")
    assert done.returncode == 1, done.stdout[-3000:]
    assert broken in " ".join(done.stdout.split()), done.stdout[-3000:]


def test_the_store_parts_are_private_to_the_store():
    """The "store-private" contract names every private module of kit.store and every other
    part of the kit, so a new module is covered without editing the contract by hand."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"]
                    if c["id"] == "store-private")
    private = {f"kit.store.{p.stem}" for p in (ROOT / "kit" / "store").glob("_*.py")
               if p.name != "__init__.py"}
    assert set(contract["forbidden_modules"]) == private
    others = {m for floor in _floors() for m in floor} - {"kit.store"}
    assert set(contract["source_modules"]) == others


def test_every_repository_method_is_a_store_method():
    """The store is a thin front: each public method of a repository is delegated by name
    (kit.store.store.DELEGATED), and the delegation reaches the repository."""
    import inspect

    from kit.store import Store
    from kit.store.store import DELEGATED, StoreParts

    assert set(DELEGATED) == set(StoreParts.__dataclass_fields__)
    for part, (repository, names) in DELEGATED.items():
        public = {n for n, _fn in inspect.getmembers(repository, inspect.isfunction)
                  if not n.startswith("_")}
        assert public == set(names), part
        for name in names:
            assert inspect.unwrap(getattr(Store, name)) is getattr(repository, name)
    with Store("sqlite:///:memory:") as store:
        assert type(store.parts.cohorts).__name__ == "CohortsRepository"
        assert store.list_cohorts() == []


def _string_constants(tree):
    """Every string constant in ``tree`` that is not a docstring (docstrings show examples)."""
    import ast

    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                id(node) not in docstrings:
            yield node


def test_the_default_framework_ids_are_written_once():
    import ast

    from kit.content import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK

    home = ROOT / "kit" / "content" / "models.py"
    ids = {DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK}
    found = []
    for path in sorted((ROOT / "kit").rglob("*.py")):
        if path == home:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in _string_constants(tree)
                  if node.value in ids]
    assert found == [], "use kit.content.DEFAULT_SELF_FRAMEWORK / DEFAULT_TEAM_FRAMEWORK"


def test_the_journal_and_self_assessment_step_with_one_base():
    """Next, Back, Go to and the end checks are written once (kit.apps.stepped)."""
    from kit.apps.journal_model import JournalModel
    from kit.apps.self_assessment_model import SelfAssessmentModel
    from kit.apps.stepped import SteppedModel

    moving = ("next", "back", "go_to", "n_steps", "current", "is_first", "is_last",
              "first_gap")
    for model in (JournalModel, SelfAssessmentModel):
        assert issubclass(model, SteppedModel)
        again = [name for name in moving if name in vars(model)]
        assert not again, f"{model.__name__} writes its own {again}; use kit.apps.stepped"


# -- the analysis decides and reads; it never writes (publishing has one home) -----------------
_WRITE_MARKS = (r"self\._write\(", r"\.transaction\(", r"run_write\(", r"self\._writer\b",
                r"raw_connection\(", r"\.(insert|update|delete)\(\)")


def store_write_methods() -> set[str]:
    """The names of :class:`kit.store.Store`'s methods that write, found by reading their code:
    those that open a write transaction or build an INSERT, UPDATE or DELETE, and those that
    call such a method (so a new write method is caught without editing this list)."""
    import inspect
    import re

    from kit.store import Store
    from kit.store.store import DELEGATED

    sources = {}
    for owner in (*(repository for repository, _names in DELEGATED.values()), Store):
        sources |= {name: inspect.getsource(fn) for name, fn in
                    inspect.getmembers(owner, predicate=inspect.isfunction)
                    if not name.startswith("__")}
    writes = {n for n, src in sources.items() if any(re.search(m, src) for m in _WRITE_MARKS)}
    while more := {n for n, src in sources.items() if n not in writes
                   and any(f"self.{w}(" in src for w in writes)}:
        writes |= more
    return writes


def _common_method_names() -> set[str]:
    """Method names that str, list, dict, set, pandas or the kit outside its store also have
    (``", ".join(...)`` is not ``Store.join``, a content ``Problem.compact()`` is not
    ``Store.compact``): such a call counts only on something named like a store."""
    import ast

    import pandas as pd

    names = {n for kind in (str, list, dict, set, pd.DataFrame, pd.Series, pd.Index)
             for n in dir(kind)}
    for path in (ROOT / "kit").rglob("*.py"):
        if "store" not in path.relative_to(ROOT / "kit").parts[:1]:
            names |= {node.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                      if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return names


def write_calls(source: str, writes: set[str], common: set[str]) -> list[str]:
    """Every place in ``source`` that could write: a Store write method called, the store's
    engine or transactions reached, SQL executed, or a database library imported."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"line {node.lineno}: imports {n}" for n in names
                      if n.split(".")[0] in {"sqlalchemy", "sqlite3", "psycopg", "psycopg2"}]
        if not isinstance(node, ast.Attribute):
            continue
        owner = ast.unparse(node.value)
        if node.attr in {"engine", "_write", "_writer", "_read", "raw_connection", "execute",
                         "executemany", "begin", "transaction", "reading", "parts"}:
            found.append(f"line {node.lineno}: {owner}.{node.attr}")
        elif node.attr in writes and (node.attr not in common or "store" in owner.lower()):
            found.append(f"line {node.lineno}: {owner}.{node.attr} (a Store write method)")
    return found


def test_the_store_write_methods_are_found_by_reading_the_store():
    writes = store_write_methods()
    assert {"save_snapshot", "release_text_batch", "save_reflection", "erase_participant",
            "close_round", "submit_response", "record_membership_event"} <= writes
    assert not writes & {"text_batch", "shared_texts", "snapshot_heads", "snapshot_payload",
                         "responses_frame", "participation", "round_details", "cohort"}


def test_the_analysis_has_no_write_path():
    """kit.analysis decides and reads: no module under it calls a Store write method, reaches
    the store's engine or transactions, runs SQL or imports a database library. Writes that
    change what a facilitator sees live in kit.publishing; the other writes in the apps."""
    writes, common = store_write_methods(), _common_method_names()
    found = []
    for path in sorted((ROOT / "kit" / "analysis").rglob("*.py")):
        found += [f"{path.relative_to(ROOT)}, {where}"
                  for where in write_calls(path.read_text(encoding="utf-8"), writes, common)]
    assert found == [], "move these writes to kit.publishing (or the app that makes them)"


@pytest.mark.parametrize("line", [
    "store.save_snapshot(1, 2, 'fw', 'why', {}, [])",
    "store.release_text_batch(1, 'ex', {}, None)",
    "store.join('CODE')",
    "conn.execute(t.x.insert())",
    "import sqlalchemy as sa",
    "with store._write(work): pass",
    "store.transaction(work)",
    "with store.reading() as conn: pass",
])
def test_a_write_in_the_analysis_is_found(line):
    """The check can fail: each kind of write path is named."""
    assert write_calls(line, store_write_methods(), _common_method_names())
    assert not write_calls("', '.join(['a'])\nseen = set(); seen.add(1)\n"
                           "store.text_batch(1, 'ex')", store_write_methods(),
                           _common_method_names())
