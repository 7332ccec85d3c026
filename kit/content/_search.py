"""The search path for content files, and each file parsed and checked once.

:func:`check` reads a file, checks it against the schema and the rules that need nothing
outside the file, and builds it; the result is cached on the file's path, modification time
and size (:func:`kit.content.loader.clear_cache` forgets it). :func:`find` and
:func:`files_of` look for files of one kind along :func:`search_folders`. The loading itself,
with the checks that reach across files, is :mod:`kit.content.loader`, which re-exports the
public names.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kit.content.models import Exercise, Framework
from kit.content.problems import ContentError, Problem, did_you_mean

__all__ = [
    "Checked",
    "check",
    "forget_checked",
    "stamp",
    "find",
    "files_of",
    "as_path",
    "search_folders",
    "default_paths",
    "content_files",
    "SUFFIXES",
    "KINDS",
    "SUBFOLDER",
]

SUFFIXES = (".yaml", ".yml")
KINDS = ("framework", "exercise")
SUBFOLDER = {"framework": "frameworks", "exercise": "exercises"}
_FRAMEWORK_KEYS = ("scale", "dimensions", "bands", "lens")


# --------------------------------------------------------------------------- parsing and caching


@dataclass
class Checked:
    """One file after parsing, schema and the checks that need nothing outside the file."""

    kind: str | None
    data: object
    problems: list[Problem] = field(default_factory=list)
    built: Framework | Exercise | None = None
    doc: object = None
    #: the same content built in other languages, made when first asked for
    translated: dict = field(default_factory=dict)

    def built_for(self, language: str | None = None):
        """The framework or exercise with its texts in ``language`` (default: the current
        language, :func:`kit.i18n.get_language`); missing translations fall back."""
        if self.built is None:
            return None
        from kit.i18n import get_language

        language = language or get_language()
        if language == self.built.language:
            return self.built
        if language not in self.translated:
            from kit.content.build import build_exercise, build_framework

            builder = build_framework if self.kind == "framework" else build_exercise
            self.translated[language] = builder(self.data, source=self.built.source,
                                                language=language)
        return self.translated[language]


def stamp(path: Path) -> tuple[str, int, int]:
    """``(path, modification time, size)``: the cache key of a file's check."""
    try:
        st = path.stat()
    except OSError:  # not lost: reading the file then reports why it cannot be read
        return str(path), -1, -1
    return str(path), st.st_mtime_ns, st.st_size


def _kind_from(path: Path, data: object) -> str | None:
    parent = path.parent.name
    for kind, folder in SUBFOLDER.items():
        if parent == folder:
            return kind
    if isinstance(data, dict):
        if "steps" in data:
            return "exercise"
        if any(k in data for k in _FRAMEWORK_KEYS):
            return "framework"
        if "model" in data:
            return "exercise"
    return None


@functools.lru_cache(maxsize=512)
def _check_cached(path_str: str, mtime_ns: int, size: int, kind_hint: str | None) -> Checked:
    from kit.content._schema import schema_problems
    from kit.content._yaml import read_yaml
    from kit.content.build import build_exercise, build_framework
    from kit.content.checks import framework_problems

    path = Path(path_str)
    doc = read_yaml(path)
    kind = kind_hint or _kind_from(path, doc.data)
    checked = Checked(kind=kind, data=doc.data, problems=list(doc.problems), doc=doc)
    if not isinstance(doc.data, dict):
        return checked
    if kind is None:
        checked.problems.append(doc.problem(
            (), "cannot tell whether this file is a framework or an exercise: a framework has "
                "'scale' and 'dimensions', an exercise has 'steps'; or put it in a "
                "'frameworks' or 'exercises' subfolder"))
        return checked
    problems, usable = schema_problems(doc, kind)
    checked.problems += problems
    if usable and kind == "framework":
        checked.problems += framework_problems(doc)
    if not checked.problems:
        builder = build_framework if kind == "framework" else build_exercise
        checked.built = builder(doc.data, source=path)
    return checked


def check(path: Path, kind_hint: str | None = None) -> Checked:
    """``path`` parsed, checked on its own and built (cached while the file is unchanged)."""
    return _check_cached(*stamp(path), kind_hint)


def forget_checked() -> None:
    """Forget every checked file (part of :func:`kit.content.loader.clear_cache`)."""
    _check_cached.cache_clear()

# --------------------------------------------------------------------------------- search path


def search_folders() -> list[Path]:
    """The folders searched, in order: the shipped ones, then ``KIT_CONTENT_PATH``."""
    from kit import _paths
    from kit.config import get_settings

    folders = [_paths.frameworks_dir(), _paths.exercises_dir()]
    folders += [Path(p) for p in get_settings().content_path]
    return folders


def default_paths() -> list[Path]:
    """What ``kit validate`` checks when given no paths: all shipped content and the search path."""
    return search_folders()


def content_files(folder: Path | str) -> list[Path]:
    """The content files a folder offers: its own ``*.yaml``/``*.yml`` files, then those in its
    ``frameworks/`` and ``exercises/`` subfolders, each group sorted by name."""
    folder = Path(folder)
    out: list[Path] = []
    for where in (folder, folder / "frameworks", folder / "exercises"):
        if where.is_dir():
            out += sorted(p for p in where.iterdir() if p.suffix in SUFFIXES and p.is_file())
    return out


def files_of(kind: str, folders: Iterable[Path]) -> list[Path]:
    seen: set[Path] = set()
    out = []
    for folder in folders:
        for path in content_files(folder):
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            if check(path).kind == kind:
                out.append(path)
    return out


def find(kind: str, ident: str) -> Path:
    """The first file of ``kind`` named ``ident`` on the search path; ContentError if none."""
    folders = search_folders()
    for folder in folders:
        for where in (folder, folder / SUBFOLDER[kind]):
            for suffix in SUFFIXES:
                candidate = where / f"{ident}{suffix}"
                if candidate.is_file() and check(candidate).kind == kind:
                    return candidate
    known = [p.stem for p in files_of(kind, folders)]
    raise ContentError([Problem(
        None, None, "", ident,
        f"no {kind} with the id '{ident}'{did_you_mean(ident, known)}; the {kind}s found are: "
        f"{', '.join(known) or 'none'} (looked in: {', '.join(str(f) for f in folders)}; add "
        f"folders with KIT_CONTENT_PATH)",
    )])


def as_path(name_or_path: str | os.PathLike) -> Path | None:
    if isinstance(name_or_path, os.PathLike):
        return Path(name_or_path).expanduser()
    text = str(name_or_path)
    if text.endswith(SUFFIXES) or "/" in text or os.sep in text:
        return Path(text).expanduser()
    return None

