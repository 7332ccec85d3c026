"""Check a response against its framework before anything is written.

Every problem is collected, then :class:`~kit.store.errors.InvalidResponse` is raised once,
so a form can mark every field that needs attention in one go.
"""

from __future__ import annotations

from collections.abc import Mapping

from kit.content.models import Framework, Scale
from kit.store.errors import InvalidResponse, ResponseProblem

__all__ = ["check_response", "check_text", "response_problems", "MAX_TEXT"]

#: Longest free text the store accepts in one field (about ten pages).
MAX_TEXT = 20_000


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

    item_ids = [i.id for i in framework.items]
    known = set(item_ids)
    for item_id, value in answers.items():
        field = f"answers[{item_id!r}]"
        if item_id not in known:
            problems.append(
                ResponseProblem(
                    field,
                    value,
                    f"{item_id!r} is not an item of framework {framework.id!r}; its items are {_sample(item_ids)}",
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
        field = f"importance[{dim_id!r}]"
        if dim_id not in dims:
            problems.append(
                ResponseProblem(
                    field,
                    value,
                    f"{dim_id!r} is not a dimension of framework {framework.id!r}; its dimensions are {_sample(dims)}",
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


def check_response(framework: Framework, answers, importance=None) -> None:
    """Raise :class:`InvalidResponse` listing every problem, or return quietly."""
    problems = response_problems(framework, answers, importance)
    if problems:
        raise InvalidResponse(problems, context=f"response to {framework.id!r}")


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
