"""Is a committed notebook stale? Re-run it in memory and compare its outputs with strict
nbval's own comparison (``kit notebooks --check``).

The comparison is nbval's: its ``IPyNbCell.compare_outputs`` (with ``sanitize`` and
``format_output_compare``), ``coalesce_streams`` and sanitize-file reader, called on a small
stand-in for the pytest item those methods belong to (:class:`_NbvalCell`). So ``--check``
and CI's ``pytest --nbval`` cannot disagree about what counts as a change. nbval offers no
library function for this (its comparison is a method of a pytest test item that needs a
running pytest session), hence the stand-in; ``tests/test_notebooks.py`` pins the attributes
it provides against nbval's source.
"""

from __future__ import annotations

from kit.notebooks.environment import DemoData
from kit.notebooks.execute import execute_notebook, markers, plain_error
from kit.notebooks.paths import nbval_plugin, notebook_paths, sanitize_patterns, shown

__all__ = ["SKIP_COMPARE", "check_notebooks", "compare_outputs"]

#: The output keys strict nbval never compares: ``IPyNbFile.skip_compare`` as nbval builds it
#: in ``IPyNbFile.__init__`` when run without ``--nbdime``, which only a running pytest
#: collector can do; ``tests/test_notebooks.py`` checks this copy against nbval's source.
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


class _NbvalCell:
    """What nbval's ``IPyNbCell.compare_outputs`` reads from the pytest item it belongs to.

    ``parent`` stands for the notebook's ``IPyNbFile`` (``skip_compare``,
    ``sanitize_patterns``); ``ihook`` answers pytest's ``pytest_assertrepr_compare`` with
    nothing, so nbval describes a mismatch in its own plain form. After a comparison,
    ``comparison_traceback`` holds nbval's explanation.
    """

    def __init__(self, plugin, patterns):
        from collections import OrderedDict
        from types import MethodType, SimpleNamespace

        self.parent = SimpleNamespace(skip_compare=SKIP_COMPARE,
                                      sanitize_patterns=OrderedDict(patterns))
        self.colors = plugin.nocolors
        self.config = None
        self.ihook = SimpleNamespace(pytest_assertrepr_compare=lambda **_: [])
        self.comparison_traceback: list[str] = []
        for name in ("compare_outputs", "sanitize", "format_output_compare"):
            setattr(self, name, MethodType(getattr(plugin.IPyNbCell, name), self))


def _short(value, limit=120) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text.strip().replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _reason(traceback: list[str]) -> str:
    """nbval's explanation of a mismatch, in one line."""
    import re
    import textwrap

    lines = [line for line in traceback if line and line.strip()]
    first = lines[0].strip() if lines else "outputs differ"
    fields = re.fullmatch(r"(Missing|Unexpected) output fields from running code: \{(.*)\}", first)
    if fields:
        names = ", ".join(sorted(n.strip().strip("'\"") for n in fields.group(2).split(",")))
        if fields.group(1) == "Missing":
            return f"output {names} is committed but no longer produced"
        return f"output {names} is produced but not committed"
    key = re.fullmatch(r"mismatch '(.*)'", first)
    if key and len(lines) >= 5:  # mismatch, header, committed, separator, fresh
        before, after = textwrap.dedent(lines[2]), textwrap.dedent(lines[4])
        return f"{key.group(1)} differs: committed {_short(before)!r}, now {_short(after)!r}"
    return _short(first.split("<<<<")[0], 200)


def compare_outputs(committed, fresh, patterns) -> str | None:
    """Compare one cell's outputs as strict nbval does; None when they match, else why not.

    ``committed`` and ``fresh`` are lists of outputs (dicts or notebook nodes); they are not
    changed. ``patterns`` are the ``(regex, replacement)`` pairs of :func:`sanitize_patterns`.
    """
    import copy

    import nbformat

    plugin = nbval_plugin()
    cell = _NbvalCell(plugin, patterns)
    # as nbval's runtest: both sides' streams coalesced (in place, hence the copies)
    test = plugin.coalesce_streams(nbformat.from_dict(copy.deepcopy(list(fresh))))
    ref = plugin.coalesce_streams(nbformat.from_dict(copy.deepcopy(list(committed))))
    if cell.compare_outputs(test, ref):
        return None
    return _reason(cell.comparison_traceback)


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
            name = shown(path)
            committed = nbformat.read(path, as_version=4)
            never = _unexecuted(committed)
            if never:
                cells = ", ".join(map(str, never))
                problems.append(f"{name}: not executed (code cell {cells} has no output saved); "
                                + fix.format(name))
                continue
            demo = demo or DemoData(tmp)
            try:
                fresh = execute_notebook(path, env=demo.fresh_env(), timeout=timeout)
            except Exception as exc:  # noqa: BLE001 - any failure is reported, then the next one
                problems.append(f"{name}: running it failed: {plain_error(exc).splitlines()[-1]}")
                continue
            old_cells = [c for c in committed.cells if c.cell_type == "code"]
            new_cells = [c for c in fresh.cells if c.cell_type == "code"]
            for number, (old, new) in enumerate(zip(old_cells, new_cells, strict=True), start=1):
                options = markers(old)
                if options["skip"] or not options["check"]:
                    continue
                why = compare_outputs(old.get("outputs", []), new.get("outputs", []), patterns)
                if why:
                    first_line = old.source.strip().splitlines()[0] if old.source.strip() else ""
                    problems.append(
                        f"{name}: code cell {number} ({_short(first_line, 50)}): {why}; "
                        + fix.format(name)
                    )
    return problems
