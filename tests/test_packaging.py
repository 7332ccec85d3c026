"""The distribution itself: dependencies agree, the public door holds, the command answers."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

import kit
from kit.commands.main import COMMAND_MODULES, build_parser, main

ROOT = Path(__file__).resolve().parent.parent

# pip name -> conda-forge name, where they differ
CONDA_NAMES = {"psycopg[binary]": "psycopg", "brotli": "brotli-python"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\s]", requirement, maxsplit=1)[0].strip().lower()


def _pip_to_conda(requirement: str) -> str:
    name = _name(requirement)
    spec = requirement[len(name):].strip() if requirement.lower().startswith(name) else ""
    return CONDA_NAMES.get(name, name) + spec


def test_environment_yml_matches_pyproject_runtime_dependencies():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = {_pip_to_conda(r).replace(" ", "") for r in pyproject["project"]["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {
        d.replace(" ", "")
        for d in env["dependencies"]
        if isinstance(d, str) and not d.startswith(("python=", "pip"))
    }
    assert conda == runtime, (
        "environment.yml and pyproject.toml disagree.\n"
        f"only in pyproject.toml: {sorted(runtime - conda)}\n"
        f"only in environment.yml: {sorted(conda - runtime)}"
    )
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section or "." in pip_section


def test_public_api_matches_all():
    expected = {
        "ConfigError", "ContentError", "Exercise", "Framework", "Settings", "Store", "StoreError",
        "__version__", "dimension_scores", "get_settings", "group_report_html", "list_frameworks",
        "load_exercise", "load_exercises", "load_framework", "personal_report_html",
        "validate_paths",
    }
    assert set(kit.__all__) == expected, "kit.__all__ drifted: update this test and the docs together"
    for name in kit.__all__:
        assert getattr(kit, name) is not None, name


def test_unknown_attribute_names_the_public_ones():
    with pytest.raises(AttributeError, match="public names"):
        kit.not_a_thing  # noqa: B018


def test_import_kit_is_light():
    code = (
        "import sys, kit, kit.commands.main; heavy = [m for m in ('pandas', 'altair', 'sqlalchemy', "
        "'ipywidgets', 'jsonschema') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import kit pulled in: {out.stdout.strip()}"


def test_every_command_module_is_present():
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name)


def _subcommands(parser):
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            return action.choices
    return {}


def test_help_on_every_subcommand(capsys):
    parser = build_parser()
    subs = _subcommands(parser)
    expected = {"serve", "validate", "demo", "cohort", "export", "erase", "report", "backup", "purge",
                "notebooks", "new"}
    assert expected <= set(subs), f"missing subcommands: {sorted(expected - set(subs))}"
    for name in subs:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: kit" in capsys.readouterr().out


def test_console_script_help():
    exe = Path(sys.executable).with_name("kit")
    assert exe.exists(), "the 'kit' console script is not installed"
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    assert "serve" in out.stdout and "validate" in out.stdout


@pytest.mark.slow
def test_wheel_carries_content_notebooks_and_the_command(tmp_path):
    """``pip install .`` must give a working kit without the source tree."""
    import zipfile

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    wheel = next(tmp_path.glob("partnering_kit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    must = [
        "kit/_shipped/frameworks/collaboration-behaviours.yaml",
        "kit/_shipped/frameworks/partnership-health-check.yaml",
        "kit/_shipped/notebooks/01_self_assessment.ipynb",
        "kit/content/schemas/framework.v1.json",
        "kit/store/migrations/env.py",
    ]
    missing = [m for m in must if m not in names]
    assert not missing, f"wheel lacks {missing}"
    assert sum(n.startswith("kit/_shipped/exercises/") for n in names) >= 8
    assert any(n.startswith("kit/store/migrations/versions/") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "kit = kit.commands.main:main" in zipfile.ZipFile(wheel).read(entry).decode()
