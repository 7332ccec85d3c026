"""Which notebooks a command works on, where they live, and the nbval sanitize rules."""

from __future__ import annotations

__all__ = [
    "NotebookError",
    "default_notebooks_dir",
    "notebook_paths",
    "sanitize_config_path",
    "sanitize_patterns",
    "nbval_plugin",
    "shown",
]

_TEMPLATES = "notebooks_templates"


class NotebookError(ValueError):
    """A notebook path, name or option the kit cannot use. The message says how to fix it."""


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


def shown(path) -> str:
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


def nbval_plugin():
    """nbval's plugin module, whose comparison rules ``--check`` and ``--execute`` share.

    Raises
    ------
    NotebookError
        nbval is not installed, with the command that installs it.
    """
    try:
        from nbval import plugin
    except ImportError as exc:
        raise NotebookError(
            "checking notebooks uses nbval's own rules, and nbval is not installed "
            f"({exc}): install it with `pip install 'nbval>=0.11'` (it comes with "
            "`pip install -e '.[test]'`)."
        ) from exc
    return plugin


def sanitize_patterns(path=None) -> list[tuple[str, str]]:
    """The ``(regex, replacement)`` pairs of a sanitize file, read by nbval's own reader.

    nbval takes each ``regex:`` line with the ``replace:`` line right after it; section
    headers and comments are for people.
    """
    from pathlib import Path

    text = Path(path or sanitize_config_path()).read_text(encoding="utf-8")
    pairs = nbval_plugin().get_sanitize_patterns(text)
    # nbval keeps them in a dict keyed by regex: a repeated regex keeps the last replacement
    return list(dict(pairs).items())
