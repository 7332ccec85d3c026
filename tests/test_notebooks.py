"""Notebooks that trainers can trust (kit.notebooks, the nbval sanitize file, the CI workflow).

Fast tests check the rules; tests marked ``slow`` start real kernels: they run strict nbval on
deliberately broken copies of an app notebook (the check must bite), on the untouched copy and
on a notebook made by ``kit new notebook`` (both must pass), and ``kit notebooks --check`` on a
stale copy.
"""

from __future__ import annotations

import ast
import configparser
import copy
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import nbformat
import pytest
import yaml

from kit import notebooks as kn
from kit._paths import PACKAGE_DIR, REPO_ROOT, notebooks_dir
from kit.notebooks import check as kn_check
from kit.notebooks import environment as kn_env
from kit.notebooks import execute as kn_execute

SANITIZE = REPO_ROOT / "tests" / "nbval_sanitize.cfg"
WORKFLOW = REPO_ROOT / ".github" / "workflows" / "nbval.yml"
TRAINERS = REPO_ROOT / "docs" / "trainers.md"
APP_NOTEBOOKS = sorted(p for p in notebooks_dir().glob("*.ipynb"))
MAX_CODE_CELLS = 4
MAX_LINES = 5


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def text_output(text: str, kind="execute_result"):
    out = {"output_type": kind, "data": {"text/plain": text}, "metadata": {}}
    if kind == "execute_result":
        out["execution_count"] = 1
    return nbformat.from_dict(out)


# --------------------------------------------------------------------------- (a) app notebooks


@pytest.mark.parametrize("path", APP_NOTEBOOKS, ids=[p.stem for p in APP_NOTEBOOKS])
def test_app_notebook_is_committed_executed(path):
    nb = nbformat.read(path, as_version=4)
    cells = code_cells(nb)
    assert cells, f"{path.name}: no code cells"
    never = [i for i, c in enumerate(cells, 1) if c.source.strip() and c.execution_count is None]
    assert not never, f"{path.name}: code cells {never} not executed; run `make notebooks`"
    assert cells[-1].outputs, f"{path.name}: the last cell has no saved output; run `make notebooks`"
    assert "widgets" not in nb.metadata, f"{path.name}: widget state saved; run `make notebooks`"
    for cell in cells:
        assert "execution" not in cell.metadata, f"{path.name}: timing metadata saved"
        for out in cell.outputs:
            assert out.output_type != "error", f"{path.name}: a saved output is an error"
            assert kn.WIDGET_VIEW not in out.get("data", {}), f"{path.name}: widget model id saved"


@pytest.mark.parametrize("path", APP_NOTEBOOKS, ids=[p.stem for p in APP_NOTEBOOKS])
def test_app_notebook_is_thin(path):
    nb = nbformat.read(path, as_version=4)
    cells = code_cells(nb)
    assert len(cells) <= MAX_CODE_CELLS, f"{path.name}: {len(cells)} code cells; move logic into kit/"
    assert nb.cells[0].cell_type == "markdown", f"{path.name}: start with a markdown introduction"
    for number, cell in enumerate(cells, 1):
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert len(lines) <= MAX_LINES, f"{path.name}: code cell {number} has {len(lines)} lines"
        python = "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(python)):
            assert not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            ), f"{path.name}: code cell {number} defines a function or class; put it in kit/"


@pytest.mark.parametrize("path", APP_NOTEBOOKS, ids=[p.stem for p in APP_NOTEBOOKS])
def test_app_notebook_ignores_output_only_with_a_reason(path):
    """nbval only obeys a comment that is exactly the marker; the reason goes on its own line."""
    known = {"NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION", "NBVAL_CHECK_OUTPUT"}
    for number, cell in enumerate(code_cells(nbformat.read(path, as_version=4)), 1):
        lines = [line.strip() for line in cell.source.splitlines()]
        for i, line in enumerate(lines):
            if "NBVAL_" not in line:
                continue
            where = f"{path.name}: code cell {number}"
            assert line.lstrip("#").strip() in known, f"{where}: nbval ignores {line!r}"
            nearby = lines[max(i - 1, 0) : i] + lines[i + 1 : i + 2]
            assert any(n.startswith("#") and "NBVAL_" not in n for n in nearby), (
                f"{where}: say why on a comment line next to {line!r}"
            )


# --------------------------------------------------------------------------- sanitize rules


def test_sanitize_file_is_valid_configparser_and_matches_packaged_copy():
    parser = configparser.ConfigParser()
    parser.read(SANITIZE, encoding="utf-8")
    assert parser.sections(), "no sections"
    for section in parser.sections():
        assert set(parser[section]) == {"regex", "replace"}, section
    packaged = PACKAGE_DIR / "notebooks_templates" / "nbval_sanitize.cfg"
    assert SANITIZE.read_text() == packaged.read_text(), "copy tests/nbval_sanitize.cfg to the kit"
    # nbval's own reader sees the same pairs as ConfigParser
    pairs = kn.sanitize_patterns(SANITIZE)
    assert pairs == [(parser[s]["regex"], parser[s]["replace"]) for s in parser.sections()]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<Thing object at 0x7f3a2b1c9d40>", "<Thing object at 0xADDRESS>"),
        ("saved 2026-03-02T14:05:09.123456+00:00", "saved TIMESTAMP"),
        ("saved 2026-03-02 14:05:09", "saved TIMESTAMP"),
        ("id 1b4e28ba-2fa1-11d2-883f-0016d3cca427 done", "id UUID done"),
        ("key 9f86d081884c7d659a2feaa0c55ad015", "key HEXID"),
        ("wrote /tmp/kit-nbval-x1y2/kit.db.", "wrote TEMP_PATH"),
        ("wrote /var/folders/ab/cd/T/kit/kit.db", "wrote TEMP_PATH"),
        (r"wrote C:\Users\ann\AppData\Local\Temp\kit\kit.db", "wrote TEMP_PATH"),
    ],
)
def test_sanitize_replaces_what_varies_by_nature(raw, clean):
    pats = kn.sanitize_patterns(SANITIZE)
    assert kn.compare_outputs([text_output(raw)], [text_output(clean)], pats) is None
    assert kn.compare_outputs([text_output(raw)], [text_output(clean + "!")], pats) is not None


@pytest.mark.parametrize(
    "kept",
    ["Round closes 2026-03-16", "4.2 out of 5 across 12 people", "SelfAssessmentApp(demo)", "Band 0x"],
)
def test_sanitize_keeps_real_content(kept):
    """Dates are pinned by KIT_TODAY, so a changed date is a real change."""
    pats = kn.sanitize_patterns(SANITIZE)
    changed = kept.replace("2", "9") if "2" in kept else kept + "9"
    assert "differs" in kn.compare_outputs([text_output(kept)], [text_output(changed)], pats)


# --------------------------------------------------------------------------- comparison rules


def test_compare_outputs_mirrors_nbval():
    pats = kn.sanitize_patterns(SANITIZE)
    a = [text_output("App(ok)")]
    assert kn.compare_outputs(a, [text_output("App(ok)", "display_data")], pats) is None
    assert "differs" in kn.compare_outputs(a, [text_output("App(changed)")], pats)
    assert "no longer produced" in kn.compare_outputs(a, [], pats)
    assert "not committed" in kn.compare_outputs([], a, pats)
    # widget views and images are never compared, streams are merged before comparing
    view = nbformat.from_dict({"output_type": "display_data", "metadata": {},
                               "data": {kn.WIDGET_VIEW: {"model_id": "abc"}, "text/plain": "W"}})
    other = copy.deepcopy(view)
    other.data[kn.WIDGET_VIEW]["model_id"] = "def"
    assert kn.compare_outputs([view], [other], pats) is None
    one = [nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": "a\nb\n"})]
    two = [nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": t})
           for t in ("a\n", "b\n")]
    assert kn.compare_outputs(one, two, pats) is None


def test_the_comparison_is_nbvals_own():
    """compare_outputs calls nbval's methods on a stand-in for its pytest item: the stand-in
    provides what those methods read, and SKIP_COMPARE is nbval's tuple."""
    import inspect
    import re

    from nbval import plugin

    source = inspect.getsource(plugin.IPyNbCell.compare_outputs)
    source += inspect.getsource(plugin.IPyNbCell.sanitize)
    source += inspect.getsource(plugin.IPyNbCell.format_output_compare)
    used = set(re.findall(r"self\.(\w+)", source)) | {
        f"parent.{n}" for n in re.findall(r"self\.parent\.(\w+)", source)}
    cell = kn_check._NbvalCell(plugin, [])
    for name in used:
        assert hasattr(cell, name) or (name.startswith("parent.") and
                                       hasattr(cell.parent, name.split(".", 1)[1])), name
    init = inspect.getsource(plugin.IPyNbFile.__init__)
    found = re.search(r"self\.skip_compare = (\([^)]*\))", init)
    base = ast.literal_eval(found.group(1))
    images = ast.literal_eval(re.search(r"self\.skip_compare \+ (\([^)]*\))", init).group(1))
    assert kn.SKIP_COMPARE == base + images


def test_markers_follow_nbval_comments_and_tags():
    ignore = nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\n# the kernel id is random\nx")
    assert kn_execute.markers(ignore)["check"] is False
    # like nbval, a marker with more text on its line is not a marker
    assert kn_execute.markers(nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT: why\nx"))["check"] is True
    raises = nbformat.v4.new_code_cell("1/0", metadata={"tags": ["raises-exception"]})
    assert kn_execute.markers(raises)["check_exception"] is True
    assert kn_execute.markers(nbformat.v4.new_code_cell("x  # not NBVAL_SKIP")) == {
        "check": True, "check_exception": False, "skip": False}


def test_normalise_strips_widget_state_timing_and_model_ids():
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"x": 1}}}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.9"}
    cell = nbformat.v4.new_code_cell("App.from_environment()", execution_count=1)
    cell.metadata["execution"] = {"iopub.execute_input": "2026-03-02T10:00:00Z"}
    cell.outputs = [
        nbformat.from_dict({"output_type": "display_data", "metadata": {},
                            "data": {kn.WIDGET_VIEW: {"model_id": "a1"}, "text/plain": "App()"}}),
        nbformat.from_dict({"output_type": "display_data", "metadata": {},
                            "data": {kn.WIDGET_VIEW: {"model_id": "a2"}}}),
    ]
    nb.cells.append(cell)
    kn.normalise(nb)
    assert "widgets" not in nb.metadata and nb.metadata.language_info == {"name": "python"}
    assert "execution" not in cell.metadata
    assert [o.data for o in cell.outputs] == [{"text/plain": "App()"}]
    nbformat.validate(nb)


# --------------------------------------------------------------------------- paths and names


def test_notebook_paths_expands_folders_and_names_bad_paths(tmp_path):
    (tmp_path / "b.ipynb").write_text("{}")
    (tmp_path / "a.ipynb").write_text("{}")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text("{}")
    assert [p.name for p in kn.notebook_paths([tmp_path])] == ["a.ipynb", "b.ipynb"]
    with pytest.raises(kn.NotebookError, match="missing.ipynb: no such file"):
        kn.notebook_paths([tmp_path / "missing.ipynb"])
    (tmp_path / "notes.txt").write_text("")
    with pytest.raises(kn.NotebookError, match="notes.txt: not a notebook"):
        kn.notebook_paths([tmp_path / "notes.txt"])


@pytest.mark.parametrize("name", ["../escape", "has space", "", "_hidden", "a/b"])
def test_new_notebook_refuses_bad_names(tmp_path, name):
    with pytest.raises(kn.NotebookError, match="not allowed"):
        kn.new_notebook(name, folder=tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("app", "why"),
    [("no_colon", "module:Class"), ("kit.nowhere:App", "cannot import"),
     ("kit.config:Settings", "from_environment")],
)
def test_new_notebook_refuses_bad_apps(tmp_path, app, why):
    with pytest.raises(kn.NotebookError, match=why):
        kn.new_notebook("07_x", app=app, folder=tmp_path)


def test_new_notebook_writes_thin_template_and_will_not_overwrite(tmp_path, monkeypatch):
    fake = type(sys)("kit_fake_app")
    fake.DemoApp = type("DemoApp", (), {"from_environment": classmethod(lambda cls: cls())})
    monkeypatch.setitem(sys.modules, "kit_fake_app", fake)
    path = kn.new_notebook("07_team_habits", app="kit_fake_app:DemoApp", folder=tmp_path)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].source.startswith("# Team habits\n")
    assert [c.source for c in code_cells(nb)] == [
        "from kit_fake_app import DemoApp", "DemoApp.from_environment()"]
    assert nb.metadata.kernelspec.name == "python3"
    with pytest.raises(kn.NotebookError, match="already exists"):
        kn.new_notebook("07_team_habits", app="kit_fake_app:DemoApp", folder=tmp_path)
    kn.new_notebook("07_team_habits", title='Say "hi" \\ o/', app="kit_fake_app:DemoApp",
                    folder=tmp_path, force=True)
    assert nbformat.read(path, as_version=4).cells[0].source.startswith('# Say "hi" \\ o/')
    kn.new_notebook("07_team_habits", title="Health & care <b>", app="kit_fake_app:DemoApp",
                    folder=tmp_path, force=True)
    assert nbformat.read(path, as_version=4).cells[0].source.startswith("# Health &amp; care &lt;b&gt;")


# --------------------------------------------------------------------------- command line


def test_cli_requires_a_mode_and_check_flags_unexecuted(tmp_path, capsys):
    from kit.commands.main import main

    with pytest.raises(SystemExit):
        main(["notebooks"])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    path = tmp_path / "fresh.ipynb"
    nbformat.write(nb, path)
    assert main(["notebooks", "--check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "fresh.ipynb: not executed (code cell 1" in err and "kit notebooks --execute" in err
    assert main(["notebooks", "--check", str(tmp_path / "nope.ipynb")]) == 1
    assert "nope.ipynb: no such file" in capsys.readouterr().err


def test_nbval_command_is_strict_and_parallel_by_notebook():
    cmd = kn.nbval_command(["notebooks"], workers=2)
    assert cmd[:3] == [sys.executable, "-m", "pytest"]
    assert "--nbval" in cmd and "--nbval-lax" not in cmd and "--nbval-current-env" in cmd
    assert f"--nbval-sanitize-with={SANITIZE}" in cmd
    assert cmd[-4:] == ["-n", "2", "--dist", "loadscope"]


def test_demo_environment_resets_other_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_MIN_GROUP_SIZE", "7")
    env = kn_env._env_for_dir(tmp_path)
    assert env["KIT_DEMO"] == "1" and env["KIT_TODAY"] == "2026-03-02"
    assert env["KIT_MIN_GROUP_SIZE"] == ""
    assert env["KIT_DATABASE_URL"] == f"sqlite:///{tmp_path.resolve() / 'kit.db'}"
    from kit.config import load_settings

    settings = load_settings(env)
    assert settings.demo and str(settings.today) == "2026-03-02" and settings.min_group_size == 5


# --------------------------------------------------------------------------- workflow and docs


def test_workflow_is_reusable_and_runs_strict_nbval():
    flow = yaml.safe_load(WORKFLOW.read_text())
    on = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert set(on) == {"workflow_call"}
    inputs = on["workflow_call"]["inputs"]
    assert {"python-version", "notebooks", "package"} <= set(inputs)
    assert inputs["python-version"]["default"] == "3.11"
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    runs = "\n".join(s.get("run", "") for s in steps)
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert "kit notebooks --nbval" in runs and "--nbval-lax" not in runs


def test_trainer_guide_covers_the_workflow():
    text = TRAINERS.read_text()
    for needle in ["kit validate", "docs/content.md", "kit new notebook", "make notebooks",
                   "kit notebooks --execute", "make test", "make nbval", "nbval.yml",
                   "NBVAL_IGNORE_OUTPUT", "KIT_TODAY"]:
        assert needle in text, f"docs/trainers.md does not mention {needle}"


# --------------------------------------------------------------------------- real kernels


@pytest.mark.slow
def test_kernel_is_this_interpreter(tmp_path, capfd):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.prefix)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "prefix.ipynb"
    nbformat.write(nb, path)
    out = kn.execute_notebook(path, env=kn_env._env_for_dir(tmp_path)).cells[0].outputs
    assert out[0].text.strip() == sys.prefix
    if os.name == "posix":  # Unix sockets: the kernel does not warn about unencrypted TCP
        assert "without encryption" not in capfd.readouterr().err


def _app_notebook():
    """The first app notebook whose last cell shows something, or skip until they exist."""
    for path in APP_NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        cells = code_cells(nb)
        if cells and any("text/plain" in o.get("data", {}) for o in cells[-1].outputs):
            return path, nb
    pytest.skip("no executed app notebook in notebooks/ yet")


def _corrupt_last_text(nb):
    nb = copy.deepcopy(nb)
    for out in code_cells(nb)[-1].outputs:
        if "text/plain" in out.get("data", {}):
            out.data["text/plain"] = "DeliberatelyWrong()"
            return nb
    raise AssertionError("no text/plain output to corrupt")


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory):
    return kn.demo_environment(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def nbval_outcomes(tmp_path_factory, demo_env):
    """Run strict nbval once over several notebooks; return {file stem: [cell outcomes]}."""
    import os

    src, nb = _app_notebook()
    folder = tmp_path_factory.mktemp("nbval")
    nbformat.write(nb, folder / "untouched.ipynb")
    nbformat.write(_corrupt_last_text(nb), folder / "wrong_output.ipynb")
    raising = copy.deepcopy(nb)
    raising.cells.append(nbformat.v4.new_code_cell(
        "raise RuntimeError('deliberately broken')", execution_count=99))
    nbformat.write(raising, folder / "raises.ipynb")
    made = kn.new_notebook("07_from_template", title="From the template", folder=folder)
    kn_execute.write_notebook(kn.execute_notebook(made, env=demo_env), made)

    report = folder / "report.xml"
    cmd = kn.nbval_command([folder], sanitize=SANITIZE) + [f"--junitxml={report}", "-q"]
    done = subprocess.run(cmd, env={**os.environ, **demo_env}, cwd=folder,
                          capture_output=True, text=True, check=False)
    assert report.exists(), done.stdout + done.stderr
    outcomes: dict[str, list[str]] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        stem = case.get("classname", "").removesuffix(".ipynb")  # "raises.ipynb::Cell 2"
        failed = case.find("failure") is not None or case.find("error") is not None
        outcomes.setdefault(stem, []).append("failed" if failed else "passed")
    outcomes["_log"] = [done.stdout[-3000:]]
    return outcomes


@pytest.mark.slow
def test_nbval_passes_untouched_app_notebook(nbval_outcomes):
    assert nbval_outcomes.get("untouched"), nbval_outcomes
    assert set(nbval_outcomes["untouched"]) == {"passed"}, nbval_outcomes["_log"]


@pytest.mark.slow
def test_nbval_bites_on_a_wrong_expected_output(nbval_outcomes):
    assert "failed" in nbval_outcomes["wrong_output"], nbval_outcomes["_log"]


@pytest.mark.slow
def test_nbval_bites_on_an_exception(nbval_outcomes):
    assert nbval_outcomes["raises"][-1] == "failed", nbval_outcomes["_log"]
    assert set(nbval_outcomes["raises"][:-1]) == {"passed"}, nbval_outcomes["_log"]


@pytest.mark.slow
def test_new_notebook_passes_strict_nbval_once_executed(nbval_outcomes):
    assert nbval_outcomes.get("07_from_template"), nbval_outcomes
    assert set(nbval_outcomes["07_from_template"]) == {"passed"}, nbval_outcomes["_log"]


@pytest.mark.slow
def test_check_flags_only_the_stale_notebook(tmp_path):
    src, nb = _app_notebook()
    good, stale = tmp_path / "good.ipynb", tmp_path / "stale.ipynb"
    nbformat.write(nb, good)
    nbformat.write(_corrupt_last_text(nb), stale)
    problems = kn.check_notebooks([good, stale])
    assert len(problems) == 1, problems
    assert "stale.ipynb: code cell" in problems[0] and "DeliberatelyWrong()" in problems[0]
    assert "kit notebooks --execute" in problems[0]


@pytest.mark.slow
def test_execute_in_place_is_repeatable(tmp_path):
    """Re-executing an unchanged notebook writes the same bytes (no ids, times or state)."""
    src, _ = _app_notebook()
    copy_path = tmp_path / src.name
    copy_path.write_bytes(src.read_bytes())
    kn.execute_in_place([copy_path])
    first = copy_path.read_bytes()
    kn.execute_in_place([copy_path])
    assert copy_path.read_bytes() == first


def test_cli_new_notebook_without_running_it(tmp_path, capsys):
    from kit.commands.main import main

    assert main(["new", "notebook", "07_board_check", "--title", "Board check",
                 "--dir", str(tmp_path), "--no-execute"]) == 0
    nb = nbformat.read(tmp_path / "07_board_check.ipynb", as_version=4)
    assert nb.cells[0].source.startswith("# Board check")
    assert code_cells(nb)[-1].source == kn.DEFAULT_APP.split(":")[1] + ".from_environment()"
    assert "created" in capsys.readouterr().out
    assert main(["new", "notebook", "07_board_check", "--dir", str(tmp_path), "--no-execute"]) == 1
    assert "already exists" in capsys.readouterr().err


def test_errors_are_shown_without_colour_codes():
    exc = RuntimeError("Traceback...\n\x1b[31mRuntimeError\x1b[39m: deliberately broken")
    assert kn_execute.plain_error(exc).splitlines()[-1] == "RuntimeError: deliberately broken"
    assert "\x1b" not in kn_execute.plain_error(exc)


@pytest.mark.slow
def test_execute_leaves_a_failing_notebook_untouched(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('before')"),
                                         nbformat.v4.new_code_cell("1 / 0")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "fails.ipynb"
    nbformat.write(nb, path)
    before = path.read_bytes()
    with pytest.raises(kn.NotebookError, match=r"(?s)fails.ipynb: running it failed.*ZeroDivisionError: division by zero"):
        kn.execute_in_place([path])
    assert path.read_bytes() == before


@pytest.mark.slow
def test_every_app_notebook_is_up_to_date_when_run_by_nbclient():
    """``kit notebooks --check`` (nbclient, not nbval) runs every app notebook cleanly: a widget
    that clears an empty Output once made nbclient fail on the dashboard."""
    assert kn.check_notebooks(APP_NOTEBOOKS) == []
