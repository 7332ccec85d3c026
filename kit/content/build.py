"""Turn validated YAML data into the frozen dataclasses in :mod:`kit.content.models`.

Only call these on data that passed validation: they trust the shape.
"""

from __future__ import annotations

from pathlib import Path

from kit.content.models import (
    DEFAULT_EXERCISE_FRAMEWORK,
    Band,
    Dimension,
    Exercise,
    ExerciseStep,
    Framework,
    Item,
    Scale,
    ScalePoint,
)

__all__ = [
    "build_scale",
    "build_framework",
    "build_exercise",
    "scale_to_data",
    "framework_to_data",
    "exercise_to_data",
]


class _Lang:
    """The language being built and the file's own (fallback) language."""

    language: str | None = None
    default: str = "en"


_lang = _Lang()


def _text(value) -> str:
    """Plain text, or the built language's text from a ``{language: text}`` mapping (the
    file's own language when that one is missing)."""
    from kit.i18n import pick

    if isinstance(value, dict) or (_lang.language and value is not None):
        value = pick(value, _lang.language or _lang.default, _lang.default)
    return str(value).strip()


def _optional_text(value) -> str | None:
    return None if value is None else _text(value)


def _in_language(data: dict, language: str | None):
    """Set the language for the ``_text`` calls of one build; return (language, default)."""
    from kit.content.translations import file_language

    _lang.default = file_language(data)
    _lang.language = language or _lang.default
    return _lang.language, _lang.default


def build_scale(data: dict) -> Scale:
    """A :class:`Scale` from ``{points: [{value, label}], not_applicable?}``."""
    points = tuple(ScalePoint(int(p["value"]), _text(p["label"])) for p in data["points"])
    return Scale(points=tuple(sorted(points, key=lambda p: p.value)),
                 not_applicable=_optional_text(data.get("not_applicable")))


def build_framework(data: dict, source: Path | None = None, *,
                    language: str | None = None) -> Framework:
    """A :class:`Framework` from a validated framework mapping, its texts in ``language``
    (default: the file's own language; a missing translation falls back to that)."""
    language, default = _in_language(data, language)
    dimensions = tuple(
        Dimension(
            id=d["id"],
            title=_text(d["title"]),
            why=_text(d["why"]),
            ask_importance=bool(d.get("ask_importance", False)),
            what_it_is_not=_text(d.get("what_it_is_not", "")),
            good_looks_like=_text(d.get("good_looks_like", "")),
            poor_looks_like=_text(d.get("poor_looks_like", "")),
            items=tuple(
                Item(
                    id=i["id"],
                    text=_text(i["text"]),
                    help=_optional_text(i.get("help")),
                    reverse=bool(i.get("reverse", False)),
                    required=bool(i.get("required", True)),
                    event=bool(i.get("event", False)),
                    role_levels=tuple(i.get("role_levels") or ()),
                )
                for i in d["items"]
            ),
        )
        for d in data["dimensions"]
    )
    bands = tuple(sorted(
        (Band(id=b["id"], label=_text(b["label"]), min=float(b["min"]),
              description=_text(b.get("description", ""))) for b in data["bands"]),
        key=lambda b: b.min, reverse=True,
    ))
    importance = data.get("importance_scale")
    return Framework(
        id=data["id"],
        title=_text(data["title"]),
        description=_text(data["description"]),
        lens=data["lens"],
        scale=build_scale(data["scale"]),
        importance_scale=build_scale(importance) if importance else None,
        bands=bands,
        dimensions=dimensions,
        schema_version=int(data["schema_version"]),
        source=source,
        language=language,
        default_language=default,
        version=int(data.get("version", 1)),
    )


def build_exercise(data: dict, source: Path | None = None, *,
                   language: str | None = None) -> Exercise:
    """An :class:`Exercise` from a validated exercise mapping, its texts in ``language``."""
    language, default = _in_language(data, language)
    return Exercise(
        id=data["id"],
        title=_text(data["title"]),
        model=data["model"],
        purpose=_text(data["purpose"]),
        minutes=int(data["minutes"]),
        steps=tuple(
            ExerciseStep(id=s["id"], stage=s["stage"], prompt=_text(s["prompt"]),
                         help=_optional_text(s.get("help")),
                         essential=bool(s.get("essential", False)))
            for s in data["steps"]
        ),
        dimensions=tuple(data.get("dimensions") or ()),
        facilitator_notes=_text(data.get("facilitator_notes", "")),
        schema_version=int(data["schema_version"]),
        source=source,
        framework=data.get("framework", DEFAULT_EXERCISE_FRAMEWORK),
        shared_step=data.get("shared_step"),
        short_minutes=int(data["short_minutes"]) if data.get("short_minutes") is not None else None,
        language=language,
        default_language=default,
    )


# ------------------------------------------------------------------------ back to plain data


def scale_to_data(scale: Scale) -> dict:
    """The YAML-ready mapping for a :class:`Scale` (inverse of :func:`build_scale`)."""
    data: dict = {"points": [{"value": p.value, "label": p.label} for p in scale.points]}
    if scale.not_applicable is not None:
        data["not_applicable"] = scale.not_applicable
    return data


def framework_to_data(fw: Framework) -> dict:
    """The YAML-ready mapping for a :class:`Framework`; ``build_framework`` reverses it.

    Examples
    --------
    >>> from kit.content import load_framework
    >>> fw = load_framework("partnership-health-check")
    >>> build_framework(framework_to_data(fw)) == fw
    True
    """
    data: dict = {
        "schema_version": fw.schema_version,
        "id": fw.id,
        **({"version": fw.version} if fw.version != 1 else {}),
        "title": fw.title,
        "description": fw.description,
        "lens": fw.lens,
        "scale": scale_to_data(fw.scale),
    }
    if fw.importance_scale is not None:
        data["importance_scale"] = scale_to_data(fw.importance_scale)
    data["bands"] = [
        {"id": b.id, "label": b.label, "min": b.min}
        | ({"description": b.description} if b.description else {})
        for b in fw.bands
    ]
    data["dimensions"] = []
    for d in fw.dimensions:
        items = []
        for i in d.items:
            item: dict = {"id": i.id, "text": i.text}
            if i.help is not None:
                item["help"] = i.help
            if i.reverse:
                item["reverse"] = True
            if i.event:
                item["event"] = True
            if i.role_levels:
                item["role_levels"] = list(i.role_levels)
            if not i.required:
                item["required"] = False
            items.append(item)
        dim: dict = {"id": d.id, "title": d.title, "why": d.why,
                     "ask_importance": d.ask_importance}
        for name in ("what_it_is_not", "good_looks_like", "poor_looks_like"):
            if getattr(d, name):
                dim[name] = getattr(d, name)
        dim["items"] = items
        data["dimensions"].append(dim)
    return data


def exercise_to_data(ex: Exercise) -> dict:
    """The YAML-ready mapping for an :class:`Exercise`; ``build_exercise`` reverses it."""
    data: dict = {
        "schema_version": ex.schema_version,
        "id": ex.id,
        "title": ex.title,
        "model": ex.model,
        "purpose": ex.purpose,
        "minutes": ex.minutes,
    }
    if ex.short_minutes is not None:
        data["short_minutes"] = ex.short_minutes
    if ex.framework != DEFAULT_EXERCISE_FRAMEWORK:
        data["framework"] = ex.framework
    if ex.dimensions:
        data["dimensions"] = list(ex.dimensions)
    if ex.shared_step is not None:
        data["shared_step"] = ex.shared_step
    data["steps"] = [
        {"id": s.id, "stage": s.stage, "prompt": s.prompt}
        | ({"help": s.help} if s.help is not None else {})
        | ({"essential": True} if s.essential else {})
        for s in ex.steps
    ]
    data["facilitator_notes"] = ex.facilitator_notes
    return data
