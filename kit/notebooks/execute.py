"""Running notebooks: in a fresh kernel on the demo data, normalised so that re-running an
unchanged notebook saves the same file (``kit notebooks --execute``)."""

from __future__ import annotations

from kit.notebooks.environment import DemoData, demo_environment
from kit.notebooks.paths import NotebookError, notebook_paths, shown

__all__ = ["WIDGET_VIEW", "KERNEL_NAME", "markers", "normalise", "execute_notebook",
           "execute_in_place", "write_notebook", "plain_error"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNEL_NAME = "python3"


def markers(cell) -> dict[str, bool]:
    """nbval's options for a code cell (``check``, ``check_exception``, ``skip``), found by
    nbval's own readers of ``# NBVAL_*`` comments and ``nbval-*`` tags, combined as its
    collector combines them (comments win over tags; outputs are checked unless marked)."""
    import warnings

    from kit.notebooks.paths import nbval_plugin

    plugin = nbval_plugin()
    with warnings.catch_warnings():  # nbval warns about conflicting markers; the last wins
        warnings.simplefilter("ignore")
        options = dict(plugin.find_metadata_tags(cell.get("metadata", {})))
        options.update(plugin.find_comment_markers(cell.get("source", "")))
    return {"check": bool(options.get("check", True)),
            "check_exception": bool(options.get("check_exception", False)),
            "skip": bool(options.get("skip", False))}


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
        if cell.cell_type == "code" and markers(cell)["check_exception"]:
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
    with tempfile.TemporaryDirectory(prefix="kit-kernel-") as sockets:
        if os.name == "posix":
            # Unix sockets, as under kit serve: no TCP ports to race for, and no kernel
            # warning that it "is running over TCP without encryption" on every run.
            km = client.create_kernel_manager()
            km.transport = "ipc"
            km.connection_file = str(Path(sockets) / "kernel.json")  # sockets beside it
        client.execute(env={**os.environ, **env})
    for cell in added:
        cell.metadata["tags"].remove("raises-exception")
        if not cell.metadata["tags"]:
            del cell.metadata["tags"]
    return normalise(nb)


def write_notebook(nb, path) -> None:
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
        demo = DemoData(tmp)
        for path in targets:
            if log:
                log(f"executing {shown(path)}")
            try:
                nb = execute_notebook(path, env=demo.fresh_env(), timeout=timeout)
            except Exception as exc:
                raise NotebookError(
                    f"{shown(path)}: running it failed, so it was left as it was:\n{plain_error(exc)}"
                ) from exc
            write_notebook(nb, path)
            written.append(path)
    return written


def plain_error(exc: Exception) -> str:
    """An error's text without terminal colour codes (cell errors carry them)."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip() or type(exc).__name__
