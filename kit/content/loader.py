"""Find, validate and load frameworks and exercises.

Search path
-----------
The kit looks for content in this order, and the first file with a given id wins:

1. the shipped folders, :func:`kit._paths.frameworks_dir` and :func:`kit._paths.exercises_dir`;
2. each folder in ``KIT_CONTENT_PATH`` (``get_settings().content_path``), in order.

A trainer's folder may hold both kinds of file. Files in a ``frameworks/`` or ``exercises/``
subfolder are of that kind. A ``.yaml`` file directly in the folder is an exercise when it has a
top-level ``steps`` key and a framework when it has ``scale``, ``dimensions``, ``bands`` or
``lens``. A file's name (without ``.yaml``) must equal its ``id``.

Loading is cached on each file's path, modification time and size; :func:`clear_cache` forgets
everything (tests, or a notebook after editing content). Finding files and checking each one
on its own is :mod:`kit.content._search`; this module loads them, with the checks that reach
across files (an exercise's links to its framework, ids used twice).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path

from kit.content._search import (  # noqa: F401 - KINDS stays importable from here
    KINDS,
    SUFFIXES,
    Checked,
    as_path,
    check,
    content_files,
    default_paths,
    files_of,
    find,
    forget_checked,
    search_folders,
    stamp,
)
from kit.content.models import Exercise, Framework
from kit.content.problems import ContentError, Problem

__all__ = [
    "load_framework",
    "load_edition",
    "list_frameworks",
    "scan_frameworks",
    "load_exercise",
    "load_exercises",
    "validate_paths",
    "content_files",
    "expand_paths",
    "search_folders",
    "default_paths",
    "clear_cache",
    "kind_of",
]


def kind_of(path: Path | str) -> str | None:
    """``"framework"``, ``"exercise"`` or ``None`` (cannot tell) for a content file."""
    return check(Path(path)).kind


def clear_cache() -> None:
    """Forget every loaded file, so the next load reads from disk again."""
    forget_checked()
    _edition_cached.cache_clear()


# ---------------------------------------------------------------------------------- frameworks


def _framework_at(path: Path) -> Framework:
    checked = check(path)
    if checked.kind is None and isinstance(checked.data, dict):
        checked = check(path, "framework")  # asked for a framework: check it as one
    if checked.kind == "exercise":
        raise ContentError([Problem(str(path), None, "", None,
                                    "this file is an exercise, not a framework; use "
                                    "load_exercise for it")])
    if checked.problems:
        raise ContentError(checked.problems)
    return checked.built_for()


def load_framework(name_or_path: str | os.PathLike | Framework) -> Framework:
    """Load a framework by id (searched for on the search path) or by file path.

    Parameters
    ----------
    name_or_path : str, path or Framework
        An id such as ``"collaboration-behaviours"``, or a path to a ``.yaml`` file. A
        :class:`Framework` is returned as it is.

    Returns
    -------
    Framework

    Raises
    ------
    ContentError
        When no such framework exists or the file has problems; ``.problems`` lists them all.

    Examples
    --------
    >>> fw = load_framework("collaboration-behaviours")
    >>> fw.lens, fw.scale.min, fw.scale.max, fw.version
    ('self', 1, 4, 3)
    """
    if isinstance(name_or_path, Framework):
        return name_or_path
    path = as_path(name_or_path)
    if path is None:
        path = find("framework", str(name_or_path))
    return _framework_at(path)


#: The subfolder of a frameworks folder that keeps earlier editions, one file per edition,
#: named ``<id>.v<version>.yaml``. It is not on the search path.
EARLIER = "earlier"


@functools.lru_cache(maxsize=32)
def _edition_cached(path_str: str, mtime_ns: int, size: int) -> Framework:
    from kit.content._schema import schema_problems
    from kit.content._yaml import read_yaml
    from kit.content.build import build_framework

    doc = read_yaml(Path(path_str))
    problems = list(doc.problems)
    if not problems:
        problems += schema_problems(doc, "framework")[0]
    if problems:
        raise ContentError(problems)
    return build_framework(doc.data, source=Path(path_str))


def load_edition(framework: Framework | str, version: int) -> Framework | None:
    """An earlier edition of a framework, kept so that answers given to it are scored under it.

    Earlier editions live in an ``earlier/`` subfolder of a frameworks folder on the search
    path, as ``<id>.v<version>.yaml``. They are a record: checked against the schema only, not
    against the rules a current edition must pass. Returns the current framework when
    ``version`` is its own, and ``None`` when the edition is not kept.

    Examples
    --------
    >>> load_edition("collaboration-behaviours", 2).scale.max
    5
    """
    current = load_framework(framework)
    if version == current.version:
        return current
    name = f"{current.id}.v{int(version)}"
    for folder in search_folders():
        for where in (folder / EARLIER, folder / "frameworks" / EARLIER):
            for suffix in SUFFIXES:
                path = where / f"{name}{suffix}"
                if path.is_file():
                    return _edition_cached(*stamp(path))
    return None


def list_frameworks() -> list[Framework]:
    """Every framework on the search path (first of each id), in search-path order.

    Raises
    ------
    ContentError
        Listing every problem in every framework file that does not load.
    """
    frameworks, problems = scan_frameworks()
    if problems:
        raise ContentError(problems)
    return frameworks


def scan_frameworks() -> tuple[list[Framework], list[Problem]]:
    """The frameworks on the search path that load, and the problems of those that do not.

    For choosers that should still offer the good frameworks when one file is broken (the
    set-up app shows the problems beside the list).
    """
    frameworks: dict[str, Framework] = {}
    problems: list[Problem] = []
    for path in files_of("framework", search_folders()):
        checked = check(path)
        if checked.problems:
            problems += checked.problems
        elif checked.built.id not in frameworks:
            frameworks[checked.built.id] = checked.built_for()
    return list(frameworks.values()), problems


# ----------------------------------------------------------------------------------- exercises


def _framework_lookup(extra: dict[str, Framework] | None = None,
                      broken: dict[str, list[Problem]] | None = None):
    """``find(id)`` for the exercise checks: a Framework, ``None`` when there is no such
    framework, or ContentError when one exists but does not load."""

    def find(ident: str) -> Framework | None:
        if extra and ident in extra:
            return extra[ident]
        if broken and ident in broken:
            raise ContentError(broken[ident])
        try:
            return load_framework(ident)
        except ContentError as err:
            if any(p.file for p in err.problems):
                raise  # the file exists but is broken
            return None

    return find


def _known_framework_ids(extra: Iterable[str] = ()) -> list[str]:
    known = list(extra)
    for path in files_of("framework", search_folders()):
        known.append(path.stem)
    return known


def _exercise_problems(path: Path, checked: Checked,
                       frameworks: dict[str, Framework] | None = None,
                       broken: dict[str, list[Problem]] | None = None) -> list[Problem]:
    """Problems in an exercise file, including links to its framework's dimensions."""
    from kit.content.checks import exercise_problems

    problems = list(checked.problems)
    if isinstance(checked.data, dict) and checked.kind == "exercise":
        known = _known_framework_ids(frameworks or ())
        problems += exercise_problems(checked.doc, _framework_lookup(frameworks, broken), known)
    return problems


def _exercise_at(path: Path) -> Exercise:
    checked = check(path)
    if checked.kind is None and isinstance(checked.data, dict):
        checked = check(path, "exercise")  # asked for an exercise: check it as one
    if checked.kind == "framework":
        raise ContentError([Problem(str(path), None, "", None,
                                    "this file is a framework, not an exercise; use "
                                    "load_framework for it")])
    problems = _exercise_problems(path, checked)
    if problems:
        raise ContentError(problems)
    return checked.built_for()


def load_exercise(name_or_path: str | os.PathLike) -> Exercise:
    """Load one exercise by id (searched for on the search path) or by file path.

    Raises
    ------
    ContentError
        When no such exercise exists, or the file or its links to a framework have problems.

    Examples
    --------
    >>> load_exercise("what-will-i-do-monday").model
    'driscoll'
    """
    path = as_path(name_or_path)
    if path is None:
        path = find("exercise", str(name_or_path))
    return _exercise_at(path)


def load_exercises(folder: Path | str | None = None) -> list[Exercise]:
    """Every exercise: by default from the shipped folder and the search path (first of each
    id wins); with ``folder``, only the exercises in that folder.

    Raises
    ------
    ContentError
        Listing every problem in every exercise file that does not load.
    """
    folders = search_folders() if folder is None else [Path(folder)]
    local: dict[str, Framework] = {}
    if folder is not None:  # frameworks beside the exercises count even off the search path
        for path in files_of("framework", folders):
            built = check(path).built
            if built is not None:
                local.setdefault(built.id, built)
    exercises: dict[str, Exercise] = {}
    problems: list[Problem] = []
    for path in files_of("exercise", folders):
        checked = check(path)
        found = _exercise_problems(path, checked, local)
        if found:
            problems += found
        elif checked.built.id not in exercises:
            exercises[checked.built.id] = checked.built_for()
    if problems:
        raise ContentError(problems)
    return list(exercises.values())


# ---------------------------------------------------------------------------------- validation


def expand_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[Problem]]:
    """The content files named by ``paths`` (folders expanded), and problems for bad paths."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found = content_files(path)
        elif path.is_file():
            if path.suffix not in SUFFIXES:
                problems.append(Problem(str(path), None, "", None,
                                        "kit content files end in .yaml or .yml; rename the "
                                        "file or leave it out"))
                continue
            found = [path]
        else:
            problems.append(Problem(str(path), None, "", None,
                                    "no such file or folder; check the path"))
            continue
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files, problems


def validate_paths(paths: Iterable[Path | str]) -> list[Problem]:
    """Check content files and folders; return every problem found (empty when all is well).

    Folders are read as on the search path (their own YAML files plus ``frameworks/`` and
    ``exercises/`` subfolders). Frameworks are checked first, so exercises can link to a
    framework given in the same call even when it is not on the search path. An id used by two
    of the given files is a problem.

    Examples
    --------
    >>> from kit import _paths
    >>> validate_paths([_paths.frameworks_dir()])
    []
    """
    files, problems = expand_paths(paths)
    checked = {f: check(f) for f in files}
    frameworks: dict[str, Framework] = {}
    broken: dict[str, list[Problem]] = {}
    first_file: dict[tuple[str, str], Path] = {}

    def note_id(path: Path, kind: str, ident: object) -> None:
        if not isinstance(ident, str):
            return
        if (kind, ident) in first_file:
            doc = checked[path].doc
            problems.append(doc.problem(
                ("id",), f"the {kind} id '{ident}' is also used by "
                         f"{first_file[(kind, ident)]}; only the first on the search path is "
                         "used, so give one of them a different id", value=ident))
        else:
            first_file[(kind, ident)] = path

    for path in files:
        c = checked[path]
        if c.kind == "framework" or c.kind is None:
            problems += c.problems
            if isinstance(c.data, dict) and c.kind:
                note_id(path, "framework", c.data.get("id"))
            if c.built is not None:
                frameworks.setdefault(c.built.id, c.built)
            elif c.kind and isinstance(c.data, dict) and isinstance(c.data.get("id"), str):
                broken.setdefault(c.data["id"], c.problems)
    for path in files:
        c = checked[path]
        if c.kind == "exercise":
            problems += _exercise_problems(path, c, frameworks, broken)
            if isinstance(c.data, dict):
                note_id(path, "exercise", c.data.get("id"))
    # Languages incomplete in a file: reported here, never a reason to refuse loading it (the
    # apps show the file's own language for a missing translation).
    from kit.content.translations import translation_gaps

    for path in files:
        c = checked[path]
        if c.built is not None:
            problems += translation_gaps(c.doc, c.kind)
    return problems
