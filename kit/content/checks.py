"""Checks a JSON Schema cannot express: unique ids, sound scales and bands, valid links.

Each check reads the parsed data defensively (the schema may already have found it broken)
and returns problems; none raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from kit.content._yaml import Document
from kit.content.instrument import instrument_problems
from kit.content.models import DEFAULT_EXERCISE_FRAMEWORK, REFLECTION_STAGES, Framework
from kit.content.problems import ContentError, PathParts, Problem, did_you_mean, format_path

__all__ = ["framework_problems", "exercise_problems", "FrameworkLookup"]

#: Finds a framework by id: returns it, returns ``None`` when there is no such framework, or
#: raises :class:`ContentError` when the framework exists but has problems.
FrameworkLookup = Callable[[str], "Framework | None"]


def _entries(doc: Document, parts: PathParts) -> list[tuple[PathParts, dict]]:
    value = doc.get(parts)
    if not isinstance(value, list):
        return []
    return [(parts + (i,), v) for i, v in enumerate(value) if isinstance(v, dict)]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unique(doc: Document, entries: Iterable[tuple[PathParts, dict]], key: str,
            what: str, scope: str) -> list[Problem]:
    """Problems for every repeat of ``entry[key]`` among ``entries``."""
    first: dict[object, PathParts] = {}
    out = []
    for parts, entry in entries:
        value = entry.get(key)
        if value is None or isinstance(value, list | dict):
            continue
        if value in first:
            earlier = first[value]
            line = doc.line(earlier + (key,))
            at = f"{format_path(earlier)}, line {line}" if line else format_path(earlier)
            out.append(doc.problem(
                parts + (key,),
                f"the {what} '{value}' is used twice (first at {at}); {what}s must be unique "
                f"within {scope}, so rename one",
                value=value,
            ))
        else:
            first[value] = parts
    return out


def _file_name(doc: Document, kind: str) -> list[Problem]:
    ident = doc.get(("id",))
    stem = Path(doc.file).stem
    if isinstance(ident, str) and ident and stem != ident:
        return [doc.problem(("id",),
                            f"the {kind} id '{ident}' does not match the file name "
                            f"'{Path(doc.file).name}'; rename the file to '{ident}.yaml' or "
                            f"change the id to '{stem}'", value=ident)]
    return []


def _scale(doc: Document, parts: PathParts, name: str) -> tuple[list[Problem], tuple[int, int] | None]:
    """Problems in one scale, and its (min, max) when the values are usable."""
    out: list[Problem] = []
    points = _entries(doc, parts + ("points",))
    values = [(p, e.get("value")) for p, e in points if _is_int(e.get("value"))]
    out += _unique(doc, points, "value", f"{name} value", "one scale")
    out += _unique(doc, points, "label", f"{name} label", "one scale")
    if len(values) < 2:
        return out, None
    nums = [v for _, v in values]
    lo, hi = min(nums), max(nums)
    if len(set(nums)) == len(nums):
        expected = list(range(lo, hi + 1))
        if sorted(nums) != expected:
            missing = ", ".join(str(v) for v in expected if v not in nums)
            out.append(doc.problem(
                parts + ("points",),
                f"the {name} values {', '.join(map(str, nums))} are not consecutive whole "
                f"numbers ({missing} missing); number the points {lo}, {lo + 1}, {lo + 2} and "
                "so on with no gaps",
                value=nums,
            ))
        elif nums != expected:
            out.append(doc.problem(
                parts + ("points",),
                f"list the {name} points from lowest to highest value "
                f"({', '.join(map(str, expected))}); they are listed as "
                f"{', '.join(map(str, nums))}",
                value=nums,
            ))
    return out, (lo, hi)


def framework_problems(doc: Document) -> list[Problem]:
    """Semantic problems in a framework file that already parsed to a mapping."""
    out = _file_name(doc, "framework")
    scale_problems, span = _scale(doc, ("scale",), "scale")
    out += scale_problems
    if isinstance(doc.get(("importance_scale",)), dict):
        out += _scale(doc, ("importance_scale",), "importance scale")[0]

    bands = _entries(doc, ("bands",))
    out += _unique(doc, bands, "id", "band id", "a framework")
    out += _unique(doc, bands, "min", "band cut-off", "a framework")
    if span is not None:
        lo, hi = span
        cuts = []
        for parts, band in bands:
            cut = band.get("min")
            if isinstance(cut, bool) or not isinstance(cut, int | float):
                continue
            cuts.append(cut)
            if not lo <= cut <= hi:
                out.append(doc.problem(
                    parts + ("min",),
                    f"band cut-off {cut:g} is outside the scale {lo}-{hi}; use a value from "
                    f"{lo} to {hi}",
                    value=cut,
                ))
        in_range = [c for c in cuts if lo <= c <= hi]
        if in_range and min(in_range) > lo:
            low_parts = next(p for p, b in bands if b.get("min") == min(in_range))
            out.append(doc.problem(
                low_parts + ("min",),
                f"no band starts at the bottom of the scale, so a mean below {min(in_range):g} "
                f"would have no band; set the lowest band's cut-off to {lo}",
                value=min(in_range),
            ))

    dimensions = _entries(doc, ("dimensions",))
    out += _unique(doc, dimensions, "id", "dimension id", "a framework")
    items = [entry for parts, _ in dimensions for entry in _entries(doc, parts + ("items",))]
    out += _unique(doc, items, "id", "item id", "a framework (across all dimensions)")
    out += instrument_problems(doc)
    return out


def _stages(doc: Document, model: str, steps) -> list[Problem]:
    order = [stage for stage, _ in REFLECTION_STAGES[model]]
    out = []
    seen: list[int] = []
    for parts, step in steps:
        stage = step.get("stage")
        if not isinstance(stage, str):
            continue
        if stage not in order:
            out.append(doc.problem(
                parts + ("stage",),
                f"'{stage}' is not a stage of the {model} model{did_you_mean(stage, order)} "
                f"(use one of: {', '.join(order)})",
                value=stage,
            ))
            continue
        position = order.index(stage)
        if seen and position < seen[-1]:
            out.append(doc.problem(
                parts + ("stage",),
                f"the stage '{stage}' comes after '{order[seen[-1]]}'; put the steps in the "
                f"model's order: {', '.join(order)}",
                value=stage,
            ))
        seen.append(position)
    if steps and not out:
        missing = [order[i] for i in range(len(order)) if i not in seen]
        if missing:
            out.append(doc.problem(
                ("steps",),
                f"the {model} model needs a step for every stage; add a step for "
                f"{', '.join(repr(m) for m in missing)}",
                value=missing,
            ))
    return out


def _short_path(doc: Document, model, steps) -> list[Problem]:
    """A short path needs its minutes, some essential steps, and must still run from the
    model's first stage to its last."""
    short = doc.get(("short_minutes",))
    essential = [(p, s) for p, s in steps if s.get("essential") is True]
    out = []
    if _is_int(short) and not essential:
        out.append(doc.problem(
            ("short_minutes",),
            f"short_minutes is {short} but no step is marked 'essential: true'; mark the steps "
            "of the short path, or remove short_minutes",
            value=short,
        ))
    if essential and short is None:
        out.append(doc.problem(
            essential[0][0] + ("essential",),
            "steps are marked essential but the exercise has no short_minutes; add "
            "'short_minutes: N' saying how long the short path takes",
            value=True,
        ))
    minutes = doc.get(("minutes",))
    if _is_int(short) and _is_int(minutes) and short >= minutes:
        out.append(doc.problem(
            ("short_minutes",),
            f"short_minutes ({short}) must be less than minutes ({minutes}); the short path is "
            "the quicker way through",
            value=short,
        ))
    if essential and model in REFLECTION_STAGES:
        order = [stage for stage, _ in REFLECTION_STAGES[model]]
        have = {s.get("stage") for _, s in essential}
        missing = [st for st in (order[0], order[-1]) if st not in have]
        if missing:
            out.append(doc.problem(
                ("steps",),
                f"the short path (steps marked essential) must still start with the "
                f"'{order[0]}' stage and end with the '{order[-1]}' stage; mark a step of "
                f"{', '.join(repr(m) for m in missing)} as essential",
                value=missing,
            ))
    return out


def exercise_problems(doc: Document, find_framework: FrameworkLookup,
                      known_frameworks: Iterable[str] = ()) -> list[Problem]:
    """Semantic problems in an exercise file that already parsed to a mapping.

    Parameters
    ----------
    doc : Document
    find_framework : callable
        ``find_framework(id)`` returns the :class:`Framework` the exercise links to, ``None``
        when there is none, or raises :class:`ContentError` when it is broken.
    known_frameworks : iterable of str
        Framework ids to suggest when the named one is not found.
    """
    out = _file_name(doc, "exercise")
    steps = _entries(doc, ("steps",))
    out += _unique(doc, steps, "id", "step id", "an exercise")
    model = doc.get(("model",))
    if model in REFLECTION_STAGES:
        out += _stages(doc, model, steps)

    out += _short_path(doc, model, steps)

    shared = doc.get(("shared_step",))
    step_ids = [s.get("id") for _, s in steps if isinstance(s.get("id"), str)]
    if isinstance(shared, str) and step_ids and shared not in step_ids:
        out.append(doc.problem(
            ("shared_step",),
            f"shared_step '{shared}' is not one of this exercise's steps"
            f"{did_you_mean(shared, step_ids)} (use one of: {', '.join(step_ids)})",
            value=shared,
        ))

    dims = doc.get(("dimensions",))
    if not isinstance(dims, list) or not dims:
        return out
    seen: set[str] = set()
    for i, dim in enumerate(dims):
        if isinstance(dim, str) and dim in seen:
            out.append(doc.problem(("dimensions", i),
                                   f"the dimension '{dim}' is listed twice; list it once",
                                   value=dim))
        if isinstance(dim, str):
            seen.add(dim)

    fw_id = doc.get(("framework",), DEFAULT_EXERCISE_FRAMEWORK)
    if not isinstance(fw_id, str):
        return out
    where = ("framework",) if "framework" in doc.data else ("dimensions",)
    try:
        framework = find_framework(fw_id)
    except ContentError as err:
        files = sorted({p.file for p in err.problems if p.file})
        out.append(doc.problem(
            where,
            f"the framework '{fw_id}' that 'dimensions' refers to has problems of its own; "
            f"fix {', '.join(files) or 'it'} first, then check this file again",
            value=fw_id,
        ))
        return out
    if framework is None:
        known = sorted(set(known_frameworks))
        out.append(doc.problem(
            where,
            f"the framework '{fw_id}' that 'dimensions' refers to cannot be found or does not "
            f"load{did_you_mean(fw_id, known)} (frameworks found: {', '.join(known) or 'none'})",
            value=fw_id,
        ))
        return out
    valid = [d.id for d in framework.dimensions]
    for i, dim in enumerate(dims):
        if isinstance(dim, str) and dim not in valid:
            out.append(doc.problem(
                ("dimensions", i),
                f"'{dim}' is not a dimension of the framework '{framework.id}'"
                f"{did_you_mean(dim, valid)} (use one of: {', '.join(valid)})",
                value=dim,
            ))
    return out
