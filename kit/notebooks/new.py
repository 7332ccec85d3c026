"""``kit new notebook NAME``: a thin app notebook from the template in
``kit/notebooks_templates/``."""

from __future__ import annotations

from kit.notebooks.execute import write_notebook
from kit.notebooks.paths import _TEMPLATES, NotebookError, default_notebooks_dir, shown

__all__ = ["DEFAULT_APP", "new_notebook"]

#: The app a new notebook shows unless ``--app`` says otherwise.
DEFAULT_APP = "kit.apps.self_assessment:SelfAssessmentApp"
_NAME_RE = r"[A-Za-z0-9][A-Za-z0-9_-]*"


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
        raise NotebookError(f"{shown(path)} already exists; choose another name or add --force.")
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
    write_notebook(nb, path)
    return path
