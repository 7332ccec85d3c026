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
