"""Notebooks that trainers can trust: re-execute, check and create the kit's notebooks.

``kit notebooks --execute`` re-runs notebooks in place on the demo data, ``kit notebooks
--check`` fails when a committed notebook is stale, ``kit notebooks --nbval`` runs strict
nbval exactly as CI does, and ``kit new notebook NAME`` starts a thin notebook from the
template in ``kit/notebooks_templates/``.

One module per job:

* :mod:`kit.notebooks.paths`: which notebooks, where they live, the nbval sanitize rules;
* :mod:`kit.notebooks.environment`: the demo data folder and settings every run gets;
* :mod:`kit.notebooks.execute`: run a notebook in a fresh kernel and save it normalised;
* :mod:`kit.notebooks.check`: re-run in memory and compare with nbval's own comparison;
* :mod:`kit.notebooks.strict`: the strict ``pytest --nbval`` command CI runs;
* :mod:`kit.notebooks.new`: a new thin notebook from the template;
* :mod:`kit.commands.notebooks`: the ``kit notebooks`` and ``kit new notebook`` commands.

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

from kit.notebooks.check import SKIP_COMPARE, check_notebooks, compare_outputs
from kit.notebooks.environment import DEMO_TODAY, demo_environment
from kit.notebooks.execute import (
    KERNEL_NAME,
    WIDGET_VIEW,
    execute_in_place,
    execute_notebook,
    normalise,
)
from kit.notebooks.new import DEFAULT_APP, new_notebook
from kit.notebooks.paths import (
    NotebookError,
    default_notebooks_dir,
    notebook_paths,
    sanitize_config_path,
    sanitize_patterns,
)
from kit.notebooks.strict import nbval_command, run_nbval

__all__ = [
    "DEMO_TODAY",
    "DEFAULT_APP",
    "KERNEL_NAME",
    "NotebookError",
    "SKIP_COMPARE",
    "WIDGET_VIEW",
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
