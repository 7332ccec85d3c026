"""The layers stay in order (docs/architecture.md): the reports do not reach up into the apps,
and the default framework is named in one place."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

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
    import kit.report.cli, kit.report.pdf  # noqa: E401,F401
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


def test_no_module_outside_the_apps_imports_them():
    """Below the apps (analysis, charts, content, forms, report, store) nothing imports
    kit.apps, at the top of a module or inside a function. A package's ``cli.py`` is a
    command, the top layer like ``kit/cli.py``, and may use the apps' rules."""
    below = ("analysis", "charts", "content", "forms", "report", "store", "i18n")
    offenders = []
    for package in below:
        for path in sorted((ROOT / "kit" / package).rglob("*.py")):
            if path.name == "cli.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                text = line.strip()
                if text.startswith(("from kit.apps", "import kit.apps")):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {text}")
    assert offenders == []


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
