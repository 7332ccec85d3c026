"""Check a response against its framework before anything is written.

Every problem is collected, then :class:`~kit.store.errors.InvalidResponse` is raised once,
so a form can mark every field that needs attention in one go.
"""

from __future__ import annotations

from collections.abc import Mapping

from kit.content.models import Framework, Scale
from kit.store.errors import InvalidResponse, ResponseProblem

__all__ = [
    "check_response",
    "then_problems",
    "check_text",
    "check_id",
    "check_entries",
    "response_problems",
    "response_checker",
    "MAX_TEXT",
    "MAX_ID",
    "MAX_STEPS",
    "MAX_ENTRIES",
]

#: Longest free text the store accepts in one field (about ten pages).
MAX_TEXT = 20_000
#: Longest id (item, dimension, step, framework, exercise) the store accepts. Content ids are
#: at most 60 characters (the JSON Schemas say so); this leaves room and nothing more.
MAX_ID = 100
#: Most steps one reflection may hold (an exercise has at most 20, by its schema).
MAX_STEPS = 20
#: Most answers (or importance ratings) one response or draft may hold. A framework has at
#: most 6 dimensions of 20 items (by its schema), so 120 items.
MAX_ENTRIES = 200


def _short(value, limit: int = 40):
    """``value`` cut down for an error message, so a huge value is never echoed whole."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 3] + "..."
    return value


def check_id(field: str, value) -> list[ResponseProblem]:
    """Problems with one id (item, step, dimension...): non-empty text of at most MAX_ID characters."""
    if not isinstance(value, str) or not value.strip():
        return [ResponseProblem(field, _short(value), "must be a non-empty id")]
    if len(value) > MAX_ID:
        return [ResponseProblem(
            field, _short(value), f"is {len(value)} characters; an id has at most {MAX_ID}"
        )]
    return []


def check_entries(field: str, data, most: int, what: str) -> list[ResponseProblem]:
    """A problem when the mapping ``data`` holds more than ``most`` entries."""
    if len(data) > most:
        return [ResponseProblem(
            field, f"{len(data)} {what}", f"may hold at most {most} {what}"
        )]
    return []


def _scale_words(scale: Scale) -> str:
    words = f"a whole number from {scale.min} to {scale.max}"
    if scale.not_applicable:
        words += f", or None for {scale.not_applicable!r}"
    return words


def _sample(ids: list[str], limit: int = 8) -> str:
    shown = ", ".join(repr(i) for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def response_problems(
    framework: Framework,
    answers: Mapping[str, int | None],
    importance: Mapping[str, int] | None = None,
) -> list[ResponseProblem]:
    """Every way ``answers`` and ``importance`` fail to fit ``framework`` (empty when valid)."""
    problems: list[ResponseProblem] = []
    if not isinstance(answers, Mapping):
        return [
            ResponseProblem(
                "answers", type(answers).__name__, "must be a mapping of item id to value"
            )
        ]
    importance = {} if importance is None else importance
    if not isinstance(importance, Mapping):
        return [
            ResponseProblem(
                "importance",
                type(importance).__name__,
                "must be a mapping of dimension id to value",
            )
        ]

    too_many = check_entries("answers", answers, MAX_ENTRIES, "answers") + check_entries(
        "importance", importance, MAX_ENTRIES, "ratings"
    )
    if too_many:
        return too_many
    item_ids = [i.id for i in framework.items]
    known = set(item_ids)
    for item_id, value in answers.items():
        field = f"answers[{_short(item_id)!r}]"
        if item_id not in known:
            problems.append(
                ResponseProblem(
                    field,
                    value,
                    f"{_short(item_id)!r} is not an item of framework {framework.id!r}; its items are {_sample(item_ids)}",
                )
            )
        elif not framework.scale.is_valid(value):
            problems.append(
                ResponseProblem(field, value, f"must be {_scale_words(framework.scale)}")
            )
    for item in framework.items:
        if item.required and item.id not in answers:
            problems.append(
                ResponseProblem(
                    f"answers[{item.id!r}]",
                    None,
                    f"this item is required: give {_scale_words(framework.scale)}",
                )
            )

    dims = [d.id for d in framework.dimensions]
    scale = framework.importance_scale
    for dim_id, value in importance.items():
        field = f"importance[{_short(dim_id)!r}]"
        if dim_id not in dims:
            problems.append(
                ResponseProblem(
                    field,
                    value,
                    f"{_short(dim_id)!r} is not a dimension of framework {framework.id!r}; its dimensions are {_sample(dims)}",
                )
            )
        elif scale is None:
            problems.append(
                ResponseProblem(
                    field, value, f"framework {framework.id!r} does not ask about importance"
                )
            )
        elif value is None or not scale.is_valid(value):
            problems.append(
                ResponseProblem(
                    field, value, f"must be a whole number from {scale.min} to {scale.max}"
                )
            )
    return problems


def response_checker(framework: Framework):
    """``check(answers, importance)`` giving exactly :func:`response_problems`, made for many calls.

    The framework's ids and allowed values are worked out once. A response that plainly fits
    (known items, every required item, values on the scale) is passed in a few set look-ups;
    anything else goes through :func:`response_problems` for the full list of problems, so
    the bulk path and a single submission accept and refuse the same responses.
    """
    known = frozenset(i.id for i in framework.items)
    required = frozenset(i.id for i in framework.items if i.required)
    allowed = frozenset(framework.scale.values)
    na_ok = framework.scale.not_applicable is not None
    imp_scale = framework.importance_scale
    imp_dims = frozenset(d.id for d in framework.dimensions) if imp_scale else frozenset()
    imp_allowed = frozenset(imp_scale.values) if imp_scale else frozenset()

    def check(answers, importance=None) -> list[ResponseProblem]:
        imp = {} if importance is None else importance
        if (
            type(answers) is dict
            and type(imp) is dict
            and answers.keys() <= known
            and required <= answers.keys()
            and imp.keys() <= imp_dims
            and all(
                (type(v) is int and v in allowed) or (v is None and na_ok)
                for v in answers.values()
            )
            and all(type(v) is int and v in imp_allowed for v in imp.values())
        ):
            return []
        return response_problems(framework, answers, importance)

    return check


def check_response(framework: Framework, answers, importance=None) -> None:
    """Raise :class:`InvalidResponse` listing every problem, or return quietly."""
    problems = response_problems(framework, answers, importance)
    if problems:
        raise InvalidResponse(problems, context=f"response to {framework.id!r}")


def then_problems(framework: Framework, then) -> list[ResponseProblem]:
    """Problems with a then-test ("looking back, how often did you do this before the
    programme?"): one answer per area of ``framework`` at most, each a whole number on the
    framework's scale, or None for "Not sure". Optional: an empty mapping is fine."""
    if not isinstance(then, Mapping):
        return [ResponseProblem("then", _short(repr(then)),
                                "must map area ids to answers (or be left out)")]
    problems = check_entries("then", then, MAX_ENTRIES, "answers")
    if problems:
        return problems
    areas = {d.id for d in framework.dimensions}
    scale = framework.scale
    for k, v in then.items():
        if k not in areas:
            problems.append(ResponseProblem(
                f"then[{_short(k)!r}]", v,
                f"is not an area of {framework.id!r}; areas are {_sample(sorted(areas))}"))
        elif not (v is None or (isinstance(v, int) and not isinstance(v, bool)
                                and v in scale.values)):
            problems.append(ResponseProblem(
                f"then[{k!r}]", _short(v),
                f"must be a whole number from {scale.min} to {scale.max}, "
                "or None for 'Not sure'"))
    return problems


#: The answers to "better, the same or worse since last time?": better, the same, worse, and
#: None for "first time or don't know".
TREND_VALUES = (1, 0, -1, None)


def check_trends(framework: Framework, trends) -> None:
    """Raise :class:`InvalidResponse` unless every trend vote names an area of a team
    framework and is one of :data:`TREND_VALUES`."""
    problems = []
    if trends and getattr(framework, "lens", "") != "team":
        problems.append(ResponseProblem("trends", "...", f"{framework.id!r} is not a team "
                                        "health check; only a team health check asks whether "
                                        "an area is better, the same or worse"))
    areas = {d.id for d in framework.dimensions}
    for k, v in dict(trends or {}).items():
        if k not in areas:
            problems.append(ResponseProblem(f"trends[{k!r}]", v, "is not an area of "
                                            f"{framework.id!r}; use one of {sorted(areas)}"))
        elif isinstance(v, bool) or v not in TREND_VALUES:
            problems.append(ResponseProblem(f"trends[{k!r}]", v, "must be 1 (better), 0 (the "
                                            "same), -1 (worse) or None (first time or don't "
                                            "know)"))
    if problems:
        raise InvalidResponse(problems, context=f"trend votes for {framework.id!r}")


def check_text(
    field: str, value, *, required: bool = True, limit: int = MAX_TEXT
) -> list[ResponseProblem]:
    """Problems with one free-text field (type, emptiness, length)."""
    if value is None:
        return [ResponseProblem(field, value, "is required")] if required else []
    if not isinstance(value, str):
        return [ResponseProblem(field, value, "must be text")]
    if required and not value.strip():
        return [ResponseProblem(field, value, "must not be empty")]
    if len(value) > limit:
        return [
            ResponseProblem(
                field, f"{value[:20]}...", f"is {len(value)} characters; the most is {limit}"
            )
        ]
    return []
