"""Frameworks and reflective exercises: load them, check them, and the objects they become.

Content is YAML validated against JSON Schemas shipped in ``kit/content/schemas/`` plus checks
that need Python (unique ids, sound scales and bands, links between exercises and frameworks).
Every problem in a file is collected and raised once as a :class:`ContentError`.

``import kit.content`` is light: PyYAML and jsonschema are imported on first load.

Examples
--------
>>> from kit.content import load_framework
>>> fw = load_framework("collaboration-behaviours")
>>> fw.band_for(3.6).id
'strength'
"""

from kit.content.loader import (
    clear_cache,
    list_frameworks,
    load_edition,
    load_exercise,
    load_exercises,
    load_framework,
    search_folders,
    validate_paths,
)
from kit.content.models import (
    DEFAULT_SELF_FRAMEWORK,
    DEFAULT_TEAM_FRAMEWORK,
    REFLECTION_STAGES,
    Band,
    Dimension,
    Exercise,
    ExerciseStep,
    Framework,
    Item,
    Scale,
    ScalePoint,
)
from kit.content.problems import ContentError, Problem

__all__ = [
    "load_framework",
    "load_edition",
    "list_frameworks",
    "load_exercises",
    "load_exercise",
    "validate_paths",
    "clear_cache",
    "search_folders",
    "Framework",
    "Dimension",
    "Item",
    "Scale",
    "ScalePoint",
    "Band",
    "Exercise",
    "ExerciseStep",
    "REFLECTION_STAGES",
    "DEFAULT_SELF_FRAMEWORK",
    "DEFAULT_TEAM_FRAMEWORK",
    "ContentError",
    "Problem",
]
