"""Notebooks that trainers can trust: re-execute, check and create the kit's notebooks.

``kit notebooks --execute`` re-runs notebooks in place on the demo data, ``kit notebooks
--check`` fails when a committed notebook is stale, ``kit notebooks --nbval`` runs strict
nbval exactly as CI does, and ``kit new notebook NAME`` starts a thin notebook from the
template in ``kit/notebooks_templates/``.

Every run is unattended and repeatable: a fresh data folder seeded with the demo cohort,
``KIT_DEMO=1`` and "today" pinned to :data:`DEMO_TODAY`. Saved notebooks are normalised so
that re-executing an unchanged notebook gives the same file: no timing metadata, no widget
state, no random widget model ids (the short ``text/plain`` form of each widget is kept).

Examples
--------
>>> from kit.notebooks import check_notebooks
>>> check_notebooks(["notebooks/01_self_assessment.ipynb"])   # doctest: +SKIP
[]
"""

from __future__ import annotations

import argparse

__all__ = [
    "DEMO_TODAY",
    "DEFAULT_APP",
    "NotebookError",
    "register",
    "demo_environment",
    "execute_notebook",
    "execute_in_place",
    "check_notebooks",
    "compare_outputs",
    "normalise",
    "new_notebook",
    "notebook_paths",
    "default_notebooks_dir",
    "sanitize_config_path",
    "sanitize_patterns",
    "nbval_command",
    "run_nbval",
]

#: The pinned "today" for every notebook run (matches tests/conftest.py).
DEMO_TODAY = "2026-03-02"

#: The app a new notebook shows unless ``--app`` says otherwise.
DEFAULT_APP = "kit.apps.self_assessment:SelfAssessmentApp"

#: Output keys nbval never compares (copied from nbval's ``IPyNbFile.skip_compare``).
SKIP_COMPARE = (
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNEL_NAME = "python3"
_NAME_RE = r"[A-Za-z0-9][A-Za-z0-9_-]*"
_TEMPLATES = "notebooks_templates"
#: ``KIT_*`` variables a notebook run leaves to the caller; every other one is reset.
_PASSED_THROUGH = frozenset({"KIT_CONTENT_PATH"})


class NotebookError(ValueError):
    """A notebook path, name or option the kit cannot use. The message says how to fix it."""


# --------------------------------------------------------------------------- paths


def default_notebooks_dir():
    """The kit's ``notebooks/`` in a source checkout, else ``./notebooks`` of the caller.

    A trainer working in their own repository (kit installed from a wheel) keeps notebooks
    in ``notebooks/`` beside their content, so that is where the commands look.
    """
    from pathlib import Path

    from kit._paths import is_checkout, notebooks_dir

    return notebooks_dir() if is_checkout() else Path.cwd() / "notebooks"


def notebook_paths(paths=None):
    """Expand files and folders into a sorted list of ``.ipynb`` files.

    Parameters
    ----------
    paths : iterable of str or Path, optional
        Notebook files or folders; default :func:`default_notebooks_dir`.

    Returns
    -------
    list of Path

    Raises
    ------
    NotebookError
        A path does not exist or is not a notebook.
    """
    from pathlib import Path

    paths = [default_notebooks_dir()] if not paths else [Path(p) for p in paths]
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts
            )
        elif path.suffix == ".ipynb" and path.is_file():
            found.append(path)
        elif not path.exists():
            raise NotebookError(f"{path}: no such file or folder; give a notebook or a folder of them.")
        else:
            raise NotebookError(f"{path}: not a notebook; give a .ipynb file or a folder of them.")
    return found


def _shown(path) -> str:
    """``path`` relative to the working folder when it is inside it (for messages)."""
    from pathlib import Path

    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def sanitize_config_path():
    """The nbval sanitize file: ``tests/nbval_sanitize.cfg`` in a checkout, else the packaged copy."""
    from kit._paths import PACKAGE_DIR, REPO_ROOT, is_checkout

    in_repo = REPO_ROOT / "tests" / "nbval_sanitize.cfg"
    if is_checkout() and in_repo.is_file():
        return in_repo
    return PACKAGE_DIR / _TEMPLATES / "nbval_sanitize.cfg"


def sanitize_patterns(path=None) -> list[tuple[str, str]]:
    """The ``(regex, replacement)`` pairs of a sanitize file, read exactly as nbval reads them.

    nbval takes each ``regex:`` line with the ``replace:`` line right after it; section
    headers and comments are for people.
    """
    import re
    from pathlib import Path

    text = Path(path or sanitize_config_path()).read_text(encoding="utf-8")
    pairs = re.findall(r"^regex: (.*)$\n^replace: (.*)$", text, flags=re.MULTILINE)
    # nbval keeps them in a dict keyed by regex: a repeated regex keeps the last replacement
    return list(dict(pairs).items())


# --------------------------------------------------------------------------- environment


def _env_for_dir(data_dir) -> dict[str, str]:
    import os
    from pathlib import Path

    from kit.config import ENV_VARS

    data_dir = Path(data_dir).resolve()
    env = {name: "" for name in ENV_VARS if name not in _PASSED_THROUGH}
    env.update(
        KIT_DATA_DIR=str(data_dir),
        KIT_DATABASE_URL=f"sqlite:///{data_dir / 'kit.db'}",
        KIT_DEMO="1",
        KIT_TODAY=DEMO_TODAY,
        PYTHONHASHSEED="0",  # set and dict order in any text output stays the same
    )
    if os.environ.get("KIT_CONTENT_PATH", "").strip():
        # absolute, because the kernel starts in the notebook's folder, not here
        env["KIT_CONTENT_PATH"] = os.pathsep.join(
            str(Path(p).expanduser().resolve())
            for p in os.environ["KIT_CONTENT_PATH"].split(os.pathsep) if p.strip()
        )
    return env


class _patched_environ:
    """Set environment variables (and re-read settings) for the ``with`` block only."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.saved: dict[str, str | None] = {}

    def __enter__(self):
        import os

        from kit.config import get_settings

        self.saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        get_settings.cache_clear()
        return self

    def __exit__(self, *exc):
        import os

        from kit.config import get_settings

        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()
        return False


def demo_environment(tmp_dir) -> dict[str, str]:
    """Seed the demo into ``tmp_dir`` and return the environment that runs notebooks on it.

    Parameters
    ----------
    tmp_dir : str or Path
        A folder for the demo database (created if missing). Use a fresh temporary folder.

    Returns
    -------
    dict of str to str
        ``KIT_DATA_DIR`` and ``KIT_DATABASE_URL`` (SQLite in ``tmp_dir``), ``KIT_DEMO=1``,
        ``KIT_TODAY`` = :data:`DEMO_TODAY`, every other ``KIT_*`` setting reset to its default
        (``KIT_CONTENT_PATH`` is passed through), and ``PYTHONHASHSEED=0``. Add it on top of
        ``os.environ`` for a kernel or a ``pytest --nbval`` run.

    Examples
    --------
    >>> import os, subprocess, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:                  # doctest: +SKIP
    ...     env = os.environ | demo_environment(tmp)
    ...     subprocess.run(nbval_command(["notebooks"]), env=env, check=True)
    """
    from pathlib import Path

    data_dir = Path(tmp_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = _env_for_dir(data_dir)
    with _patched_environ(env):
        try:
            from kit.demo import seed_demo
        except ImportError as exc:
            raise NotebookError(
                f"cannot seed the demo data: kit.demo.seed_demo is not importable ({exc}); "
                "reinstall the kit with `pip install -e .`"
            ) from exc
        from kit.store import Store

        with Store(env["KIT_DATABASE_URL"]) as store:
            seed_demo(store)
    return env


class _DemoData:
    """One seeded demo folder, handed out as a fresh copy for each notebook run.

    Seeding happens once; each notebook then starts from an untouched copy, so no notebook
    sees what another one wrote. The chart bundle cache is shared between the copies.
    """

    def __init__(self, root):
        from pathlib import Path

        self.root = Path(root)
        self.template = self.root / "demo"
        demo_environment(self.template)
        (self.template / "cache").mkdir(exist_ok=True)
        self.count = 0

    def fresh_env(self) -> dict[str, str]:
        import os
        import shutil

        self.count += 1
        target = self.root / f"run-{self.count}"
        shutil.copytree(self.template, target, ignore=shutil.ignore_patterns("cache"))
        try:
            os.symlink(self.template / "cache", target / "cache", target_is_directory=True)
        except OSError:  # no symlinks (some Windows set-ups): a cold cache only costs time
            pass
        return _env_for_dir(target)


# --------------------------------------------------------------------------- executing


def _markers(cell) -> dict[str, bool]:
    """nbval's options for a code cell, from its ``# NBVAL_*`` comments and ``nbval-*`` tags."""
    comments = {
        "NBVAL_IGNORE_OUTPUT": ("check", False),
        "PYTEST_VALIDATE_IGNORE_OUTPUT": ("check", False),
        "NBVAL_CHECK_OUTPUT": ("check", True),
        "NBVAL_RAISES_EXCEPTION": ("check_exception", True),
        "NBVAL_SKIP": ("skip", True),
    }
    tags = {k.lower().replace("_", "-"): v for k, v in comments.items()}
    tags["raises-exception"] = ("check_exception", True)
    options = {"check": True, "check_exception": False, "skip": False}
    for tag in cell.get("metadata", {}).get("tags", []) or []:
        if tag in tags:
            key, value = tags[tag]
            options[key] = value
    for line in cell.get("source", "").splitlines():
        line = line.strip()
        if line.startswith("#") and line.lstrip("#").strip() in comments:
            key, value = comments[line.lstrip("#").strip()]
            options[key] = value
    return options


def normalise(nb):
    """Make a saved notebook depend only on its code and the demo data.

    Removes timing metadata (``cell.metadata.execution``), stored widget state
    (``metadata.widgets``), widget views (random model ids; the ``text/plain`` form stays) and
    the Python patch version in ``language_info``. Outputs are otherwise kept as they are.
    Changes ``nb`` in place and returns it.
    """
    nb.metadata.pop("widgets", None)
    info = nb.metadata.get("language_info")
    if isinstance(info, dict):
        info.pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is not None and WIDGET_VIEW in data:
                data.pop(WIDGET_VIEW)
                if not data:
                    continue
            kept.append(output)
        cell.outputs = kept
    return nb


def execute_notebook(path, *, env=None, timeout=300):
    """Run a notebook in a fresh kernel and return it executed and normalised (not saved).

    Parameters
    ----------
    path : str or Path
        The notebook. The kernel starts in its folder, as under nbval.
    env : dict of str to str, optional
        Extra environment for the kernel, on top of ``os.environ``. Default: a fresh
        temporary folder seeded by :func:`demo_environment`, removed afterwards.
    timeout : int
        Seconds allowed for each cell.

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        A cell raised an exception (unless it is marked ``NBVAL_RAISES_EXCEPTION``).
    """
    import os
    import tempfile
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    if env is None:
        with tempfile.TemporaryDirectory(prefix="kit-notebook-") as tmp:
            return execute_notebook(path, env=demo_environment(tmp), timeout=timeout)

    nb = nbformat.read(path, as_version=4)
    # nbclient knows the "raises-exception" tag, not nbval's comment marker: tag for the run only
    added = []
    for cell in nb.cells:
        if cell.cell_type == "code" and _markers(cell)["check_exception"]:
            tags = cell.metadata.setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
                added.append(cell)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=KERNEL_NAME,  # the venv's python3 spec: "python" becomes sys.executable
        resources={"metadata": {"path": str(path.parent.resolve())}},
        record_timing=False,
        store_widget_state=False,
    )
    client.execute(env={**os.environ, **env})
    for cell in added:
        cell.metadata["tags"].remove("raises-exception")
        if not cell.metadata["tags"]:
            del cell.metadata["tags"]
    return normalise(nb)


def _write(nb, path) -> None:
    import nbformat

    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def execute_in_place(paths=None, *, timeout=300, log=None) -> list:
    """Re-execute notebooks and save them with their outputs, each on a fresh copy of the demo.

    Parameters
    ----------
    paths : iterable of str or Path, optional
        Notebooks or folders; default :func:`default_notebooks_dir`.
    log : callable, optional
        Called with one line of progress per notebook.

    Returns
    -------
    list of Path
        The notebooks that were written. A notebook whose run fails is left untouched and the
        error is raised after naming it.
    """
    import tempfile

    written = []
    targets = notebook_paths(paths)
    with tempfile.TemporaryDirectory(prefix="kit-notebooks-") as tmp:
        demo = _DemoData(tmp)
        for path in targets:
            if log:
                log(f"executing {_shown(path)}")
            try:
                nb = execute_notebook(path, env=demo.fresh_env(), timeout=timeout)
            except Exception as exc:
                raise NotebookError(
                    f"{_shown(path)}: running it failed, so it was left as it was:\n{_plain(exc)}"
                ) from exc
            _write(nb, path)
            written.append(path)
    return written


# --------------------------------------------------------------------------- checking


def _coalesce(outputs) -> list[dict]:
    """nbval's stream handling: merge streams of one name, apply backspaces and bare returns."""
    import re

    backspace = re.compile(r"[^\n]\b")
    carriage = re.compile(r"^.*\r(?=[^\n])", re.MULTILINE)
    merged: list[dict] = []
    streams: dict[str, dict] = {}
    for output in outputs:
        output = dict(output)
        if output.get("output_type") == "stream":
            if output["name"] in streams:
                streams[output["name"]]["text"] += output["text"]
                continue
            streams[output["name"]] = output
        merged.append(output)
    for output in streams.values():
        text = output["text"]
        while True:
            shorter = backspace.sub("", text)
            if len(shorter) == len(text):
                break
            text = shorter
        output["text"] = carriage.sub("", text)
    return merged


def _flatten(outputs, patterns) -> dict[str, list]:
    """Outputs keyed as nbval compares them: each MIME type and other field, sanitised."""
    import re

    def clean(value):
        if isinstance(value, list):  # nbformat may keep multi-line text as a list
            value = "".join(value)
        if not isinstance(value, str):
            return value
        for regex, replace in patterns:
            value = re.sub(regex, replace, value)
        return value

    flat: dict[str, list] = {}
    for output in _coalesce(outputs):
        if output.get("output_type") == "stream":
            output = {"output_type": "stream", output["name"]: output["text"]}
        for key, value in output.items():
            if key in SKIP_COMPARE:
                continue
            if key == "data":
                for mime, content in value.items():
                    if mime not in SKIP_COMPARE:
                        flat.setdefault(mime, []).append(clean(content))
            else:
                flat.setdefault(key, []).append(clean(value))
    return flat


def _short(value, limit=120) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text.strip().replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def compare_outputs(committed, fresh, patterns) -> str | None:
    """Compare one cell's outputs as strict nbval does; None when they match, else why not."""
    old = _flatten(committed, patterns)
    new = _flatten(fresh, patterns)
    if set(old) - set(new):
        return f"output {', '.join(sorted(set(old) - set(new)))} is committed but no longer produced"
    if set(new) - set(old):
        return f"output {', '.join(sorted(set(new) - set(old)))} is produced but not committed"
    for key, values in old.items():
        if len(values) != len(new[key]):
            return f"{len(values)} committed {key} output(s) but {len(new[key])} now"
        for before, after in zip(values, new[key], strict=True):
            if before != after:
                return f"{key} differs: committed {_short(before)!r}, now {_short(after)!r}"
    return None


def _plain(exc: Exception) -> str:
    """An error's text without terminal colour codes (cell errors carry them)."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip() or type(exc).__name__


def _last_line(exc: Exception) -> str:
    """The last line of an error: for a cell error, ``Name: message``."""
    return _plain(exc).splitlines()[-1]


def _unexecuted(nb) -> list[int]:
    """Numbers (from 1) of code cells with code that were never run."""
    return [
        number
        for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1)
        if cell.source.strip() and cell.get("execution_count") is None
    ]


def check_notebooks(paths=None, *, timeout=300, sanitize=None) -> list[str]:
    """Re-run notebooks in memory and list every way the committed ones are stale.

    A notebook is stale when a code cell was never executed, when running it fails, or when a
    cell's fresh outputs differ from the committed ones after sanitising with the nbval rules
    (cells marked ``NBVAL_IGNORE_OUTPUT`` or ``NBVAL_SKIP`` are not compared).

    Parameters
    ----------
    paths : iterable of str or Path, optional
        Notebooks or folders; default :func:`default_notebooks_dir`.
    sanitize : str or Path, optional
        Sanitize file; default :func:`sanitize_config_path`.

    Returns
    -------
    list of str
        One line per problem, each naming the notebook, the cell and the fix. Empty when all
        notebooks are up to date.
    """
    import tempfile

    import nbformat

    patterns = sanitize_patterns(sanitize)
    problems: list[str] = []
    targets = notebook_paths(paths)
    fix = "refresh it with `kit notebooks --execute {}`"
    with tempfile.TemporaryDirectory(prefix="kit-check-") as tmp:
        demo = None
        for path in targets:
            shown = _shown(path)
            committed = nbformat.read(path, as_version=4)
            never = _unexecuted(committed)
            if never:
                cells = ", ".join(map(str, never))
                problems.append(f"{shown}: not executed (code cell {cells} has no output saved); "
                                + fix.format(shown))
                continue
            demo = demo or _DemoData(tmp)
            try:
                fresh = execute_notebook(path, env=demo.fresh_env(), timeout=timeout)
            except Exception as exc:  # noqa: BLE001 - any failure is reported, then the next one
                problems.append(f"{shown}: running it failed: {_last_line(exc)}")
                continue
            old_cells = [c for c in committed.cells if c.cell_type == "code"]
            new_cells = [c for c in fresh.cells if c.cell_type == "code"]
            for number, (old, new) in enumerate(zip(old_cells, new_cells, strict=True), start=1):
                options = _markers(old)
                if options["skip"] or not options["check"]:
                    continue
                why = compare_outputs(old.get("outputs", []), new.get("outputs", []), patterns)
                if why:
                    first_line = old.source.strip().splitlines()[0] if old.source.strip() else ""
                    problems.append(
                        f"{shown}: code cell {number} ({_short(first_line, 50)}): {why}; "
                        + fix.format(shown)
                    )
    return problems


# --------------------------------------------------------------------------- nbval


def nbval_command(paths=None, *, sanitize=None, workers: int = 0) -> list[str]:
    """The strict nbval command line that ``make nbval`` and CI run.

    Parameters
    ----------
    paths : iterable of str or Path, optional
        Notebooks or folders; default :func:`default_notebooks_dir`.
    sanitize : str or Path, optional
        Sanitize file; default :func:`sanitize_config_path`.
    workers : int
        Run notebooks on this many processes (``pytest-xdist``, one notebook per process).
    """
    import sys

    targets = [str(p) for p in (paths or [default_notebooks_dir()])]
    cmd = [
        sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env",
        # one "--opt=value" word: pytest would otherwise count the file's folder when it
        # picks the root folder, and notebooks outside it would get clashing test ids
        f"--nbval-sanitize-with={sanitize or sanitize_config_path()}",
        "-p", "no:cacheprovider", *targets,
    ]
    if workers:
        cmd += ["-n", str(workers), "--dist", "loadscope"]
    return cmd


def run_nbval(paths=None, *, sanitize=None, workers: int = 0, echo=print) -> int:
    """Run strict nbval on the demo environment (fresh seeded folder); return pytest's exit code."""
    import os
    import shlex
    import subprocess
    import tempfile

    cmd = nbval_command(paths, sanitize=sanitize, workers=workers)
    with tempfile.TemporaryDirectory(prefix="kit-nbval-") as tmp:
        env = demo_environment(tmp)
        if echo:
            shown = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if v)
            echo(f"{shown} {shlex.join(cmd)}")
        return subprocess.run(cmd, env={**os.environ, **env}, check=False).returncode


# --------------------------------------------------------------------------- new notebook


def _title_from(name: str) -> str:
    import re

    words = re.sub(r"^\d+[_-]*", "", name).replace("_", " ").replace("-", " ").strip()
    return (words[:1].upper() + words[1:]) if words else name


def new_notebook(name, *, title=None, app=DEFAULT_APP, folder=None, force=False):
    """Create ``NAME.ipynb`` from the thin template: a markdown introduction, an import, a call.

    Parameters
    ----------
    name : str
        File name without ``.ipynb``: letters, digits, ``_`` and ``-``, e.g. ``07_team_habits``.
    title : str, optional
        The heading; default made from the name ("Team habits").
    app : str
        ``module:Class`` of the app to show; the class needs ``from_environment()``.
    folder : str or Path, optional
        Where to write; default :func:`default_notebooks_dir`.
    force : bool
        Overwrite an existing notebook.

    Returns
    -------
    Path
        The new notebook (not yet executed: run ``kit notebooks --execute PATH``).
    """
    import html
    import importlib
    import re
    from pathlib import Path

    import nbformat

    from kit._paths import PACKAGE_DIR

    name = str(name).removesuffix(".ipynb")
    if not re.fullmatch(_NAME_RE, name):
        raise NotebookError(
            f"notebook name {name!r} is not allowed: use letters, digits, '_' and '-' only, "
            "starting with a letter or digit (for example 07_team_habits)."
        )
    module_name, _, cls_name = app.partition(":")
    if not module_name or not cls_name.isidentifier():
        raise NotebookError(f"--app {app!r} is not of the form module:Class (for example {DEFAULT_APP}).")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise NotebookError(f"--app {app!r}: cannot import {module_name!r} ({exc}).") from exc
    cls = getattr(module, cls_name, None)
    if cls is None or not callable(getattr(cls, "from_environment", None)):
        raise NotebookError(
            f"--app {app!r}: {module_name} has no class {cls_name} with a from_environment() method."
        )
    target = Path(folder) if folder else default_notebooks_dir()
    path = target / f"{name}.ipynb"
    if path.exists() and not force:
        raise NotebookError(f"{_shown(path)} already exists; choose another name or add --force.")
    title = (title or _title_from(name)).strip()
    intro = (
        "Say in two or three sentences who this is for, what they will do here and how long "
        "it takes. Everything else lives in the app, where it is tested."
    )
    nb = nbformat.read(PACKAGE_DIR / _TEMPLATES / "app.ipynb", as_version=4)
    # placeholders: {{title}} and {{intro}} in markdown; APP_MODULE and APP_CLASS in code,
    # where they keep the template valid Python for linters
    fill = {
        # a title is text, not markup: escape it (markdown shows &amp; as &)
        "markdown": {"{{title}}": html.escape(title, quote=False), "{{intro}}": intro},
        "code": {"APP_MODULE": module_name, "APP_CLASS": cls_name},
    }
    for cell in nb.cells:
        for token, value in fill.get(cell.cell_type, {}).items():
            cell.source = cell.source.replace(token, value)
    target.mkdir(parents=True, exist_ok=True)
    _write(nb, path)
    return path


# --------------------------------------------------------------------------- command line


def register(subparsers) -> None:
    """Add ``kit notebooks`` and ``kit new notebook`` to the ``kit`` command."""
    p = subparsers.add_parser(
        "notebooks",
        help="re-execute, check or nbval-test the notebooks on the demo data",
        description=(
            "Run notebooks unattended on a fresh copy of the demo data "
            f"(KIT_DEMO=1, KIT_TODAY={DEMO_TODAY}). Default: every notebook in notebooks/."
        ),
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="notebooks or folders of notebooks")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--execute", action="store_true",
                      help="re-run each notebook and save it with its outputs")
    mode.add_argument("--check", action="store_true",
                      help="exit 1 naming every notebook whose saved outputs are stale")
    mode.add_argument("--nbval", action="store_true",
                      help="run strict nbval exactly as CI does")
    p.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell (default 300)")
    p.add_argument("--workers", type=int, default=0,
                   help="with --nbval: run notebooks on this many processes (pytest-xdist)")
    p.add_argument("--sanitize-with", metavar="FILE", default=None,
                   help="nbval sanitize file (default tests/nbval_sanitize.cfg or the packaged one)")
    p.set_defaults(func=_notebooks_command)

    new = subparsers.add_parser("new", help="start a new notebook from a template")
    kinds = new.add_subparsers(dest="kind", metavar="KIND", required=True)
    nb = kinds.add_parser(
        "notebook",
        help="a thin app notebook: introduction, import, one call",
        description="Create notebooks/NAME.ipynb from the thin template, then execute it.",
    )
    nb.add_argument("name", metavar="NAME", help="file name without .ipynb, e.g. 07_team_habits")
    nb.add_argument("--title", help="heading of the notebook (default made from NAME)")
    nb.add_argument("--app", default=DEFAULT_APP, help=f"module:Class to show (default {DEFAULT_APP})")
    nb.add_argument("--dir", dest="folder", default=None, help="folder to write into (default notebooks/)")
    nb.add_argument("--force", action="store_true", help="overwrite an existing notebook")
    nb.add_argument("--no-execute", dest="execute", action="store_false",
                    help="only write the file; do not run it to save its outputs")
    nb.set_defaults(func=_new_command)


def _notebooks_command(args: argparse.Namespace) -> int:
    import sys

    try:
        if args.nbval:
            return run_nbval(args.paths, sanitize=args.sanitize_with, workers=args.workers)
        if args.execute:
            written = execute_in_place(args.paths, timeout=args.timeout, log=print)
            print(f"{len(written)} notebook(s) executed and saved.")
            return 0
        targets = notebook_paths(args.paths)
        problems = check_notebooks(targets, timeout=args.timeout, sanitize=args.sanitize_with)
    except NotebookError as exc:
        print(f"kit notebooks: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {len(targets)} notebook(s).", file=sys.stderr)
        return 1
    print(f"{len(targets)} notebook(s) up to date.")
    return 0


def _new_command(args: argparse.Namespace) -> int:
    import sys

    try:
        path = new_notebook(args.name, title=args.title, app=args.app, folder=args.folder,
                            force=args.force)
        print(f"created {_shown(path)}")
        if args.execute:
            execute_in_place([path], log=print)
    except NotebookError as exc:
        print(f"kit new notebook: {exc}", file=sys.stderr)
        return 1
    print(f"next: edit the introduction, then `kit notebooks --check {_shown(path)}`")
    return 0
