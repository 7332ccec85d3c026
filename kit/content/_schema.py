"""Check a parsed file against its JSON Schema and turn schema errors into plain advice.

The schemas live beside this module in ``schemas/<kind>.v<version>.json``. ``jsonschema`` is
imported only when a check runs, so ``import kit.content`` stays light.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from kit.content._yaml import Document
from kit.content.problems import Problem, did_you_mean

__all__ = ["SCHEMA_DIR", "SUPPORTED_VERSIONS", "schema_path", "load_schema", "schema_problems"]

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
KINDS = ("framework", "exercise")
SUPPORTED_VERSIONS = (1,)

#: The shape of a language code in content files (schemas' $defs/language).
_LANGUAGE_PATTERN = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

_EXPECTED = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list (one entry per line, each starting with '- ')",
    "object": "a set of 'key: value' lines",
}


def schema_path(kind: str, version: int = 1) -> Path:
    """The JSON Schema file for ``kind`` ("framework" or "exercise") at ``version``."""
    return SCHEMA_DIR / f"{kind}.v{version}.json"


@functools.cache
def load_schema(kind: str, version: int = 1) -> dict:
    """The parsed JSON Schema for ``kind`` at ``version``."""
    return json.loads(schema_path(kind, version).read_text(encoding="utf-8"))


def _import_validator_class():
    """``jsonschema.Draft202012Validator``, imported without the optional IRI syntax checker.

    ``import jsonschema`` builds the ``rfc3987_syntax`` grammars when that package is installed
    (3 s of CPU on a 2-core server, in every kernel that loads content), only to check the
    "iri" formats, which the kit's schemas never use and which are never checked here (no
    format checker is passed). So that optional import is skipped when jsonschema is first
    imported by the kit; anything imported later can still import ``rfc3987_syntax`` itself.
    """
    import sys

    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        from jsonschema import Draft202012Validator

        return Draft202012Validator
    sys.modules["rfc3987_syntax"] = None  # import of it raises ImportError, which jsonschema allows
    try:
        from jsonschema import Draft202012Validator
    finally:
        del sys.modules["rfc3987_syntax"]
    return Draft202012Validator


@functools.cache
def _validator(kind: str, version: int):
    return _import_validator_class()(load_schema(kind, version))


def _found(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int):
        return f"the whole number {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    return f"{value!r} ({type(value).__name__})"


def _slug(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug or "my-id"


def _field(parts) -> str:
    for part in reversed(parts):
        if isinstance(part, str):
            return part
    return "this entry"


def _version_problems(doc: Document, kind: str) -> tuple[list[Problem], int | None]:
    data = doc.data
    if "schema_version" not in data:
        return [doc.problem((), "missing 'schema_version'; add 'schema_version: 1' at the top "
                                "of the file")], 1
    version = data["schema_version"]
    if isinstance(version, str) and version.strip().isdigit():
        return [doc.problem(("schema_version",),
                            f"schema_version is the text '{version}'; write it as a number "
                            f"without quotes: 'schema_version: {version.strip()}'",
                            value=version)], None
    if isinstance(version, bool) or not isinstance(version, int) or version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
        return [doc.problem(("schema_version",),
                            f"schema_version {version!r} is not one this kit can read "
                            f"(it reads {supported}); write 'schema_version: 1' and use the "
                            f"{kind} format in docs/content.md", value=version)], None
    return [], version


def _translate(doc: Document, error, kind: str) -> list[Problem]:
    """One ``jsonschema`` error as plain problems, by the keyword that failed (:data:`_SAYS`)."""
    parts = tuple(error.absolute_path)
    say = _SAYS.get(error.validator)
    if say is None:  # pragma: no cover - safety net
        return [doc.problem(parts, error.message, value=error.instance)]
    return say(doc, error, parts, error.instance, _field(parts))


# -- one translator per schema keyword: say(doc, error, parts, value, name) -> problems ----------
def _say_unknown_keys(doc, error, parts, value, name) -> list[Problem]:
    allowed = list(error.schema.get("properties", {}))
    out = []
    for key in value:
        if key in allowed:
            continue
        out.append(doc.problem(
            parts + (key,),
            f"unknown key '{key}'{did_you_mean(key, allowed)} "
            f"(the keys allowed here are: {', '.join(allowed)})",
            value=key,
        ))
    return out


def _say_missing_keys(doc, error, parts, value, name) -> list[Problem]:
    if not isinstance(value, dict):
        return []
    allowed = list(error.schema.get("properties", {}))
    # a misspelt key is reported as unknown with a suggestion; don't also call it missing
    suggested = {did_you_mean(k, allowed) for k in value if k not in allowed}
    return [
        doc.problem(parts, f"missing '{key}'; add a '{key}:' line here", value=key)
        for key in error.validator_value
        if key not in value
        and f"; did you mean '{key}'?" not in suggested
        and not (key == "schema_version" and not parts)  # reported on its own
    ]


def _say_wrong_type(doc, error, parts, value, name) -> list[Problem]:
    expected = error.validator_value
    expected = expected if isinstance(expected, str) else expected[0]
    msg = f"'{name}' should be {_EXPECTED.get(expected, expected)} but is {_found(value)}"
    if expected == "string" and isinstance(value, bool):
        msg += "; YAML reads yes, no, on and off as true/false, so put the text in quotes"
    elif expected == "string" and value is None:
        msg += "; write the text after the colon"
    elif expected == "string" and isinstance(value, dict):
        msg += "; a colon followed by a space starts a new key, so put the text in quotes"
    elif expected == "integer" and isinstance(value, float):
        msg += "; use a whole number such as 3"
    return [doc.problem(parts, msg, value=value)]


def _say_not_a_choice(doc, error, parts, value, name) -> list[Problem]:
    choices = [str(c) for c in error.validator_value]
    shown = f"'{value}'" if isinstance(value, str) else _found(value)
    return [doc.problem(parts, f"{shown} is not a valid '{name}'"
                               f"{did_you_mean(value, choices)} (use one of: "
                               f"{', '.join(choices)})", value=value)]


def _say_not_the_constant(doc, error, parts, value, name) -> list[Problem]:
    return [doc.problem(parts, f"'{name}' must be {error.validator_value!r}", value=value)]


def _say_entry_count(doc, error, parts, value, name) -> list[Problem]:
    low = error.schema.get("minItems", 0)
    high = error.schema.get("maxItems")
    span = f"{low} to {high}" if high is not None else f"at least {low}"
    n = len(value)
    return [doc.problem(parts, f"'{name}' has {n} {'entry' if n == 1 else 'entries'}; "
                               f"give {span}", value=n)]


def _say_out_of_range(doc, error, parts, value, name) -> list[Problem]:
    low, high = error.schema.get("minimum"), error.schema.get("maximum")
    return [doc.problem(parts, f"'{name}' is {value}; use a value from {low} to {high}",
                        value=value)]


def _say_not_a_language(doc, parts, value) -> list[Problem]:
    return [doc.problem(parts, f"'{value}' is not a language code; use a code such as "
                               "'en', 'cy' or 'pt-BR'", value=value)]


def _say_pattern(doc, error, parts, value, name) -> list[Problem]:
    if error.validator_value == _LANGUAGE_PATTERN:
        if parts and parts[-1] == "language":
            return _say_not_a_language(doc, parts, value)
        return [doc.problem(parts, f"'{value}' is not a language code, so '{name}' cannot be a set "
                                   "of translations; write one line per language, such as "
                                   f"'en: ...' and 'cy: ...'. If '{name}' is meant to be plain text "
                                   "containing a colon, put the text in quotes", value=value)]
    if error.validator_value.startswith("^[a-z0-9]"):
        return [doc.problem(parts, f"'{value}' is not a usable id; ids use lower-case letters, "
                                   f"digits and hyphens only, such as '{_slug(value)}'",
                            value=value)]
    return _say_blank(doc, error, parts, value, name)


def _say_blank(doc, error, parts, value, name) -> list[Problem]:
    return [doc.problem(parts, f"'{name}' is blank; write some text", value=value)]


def _say_too_long(doc, error, parts, value, name) -> list[Problem]:
    if parts and parts[-1] == "language":
        return _say_not_a_language(doc, parts, value)
    return [doc.problem(parts, f"'{name}' is {len(value)} characters long; keep it to "
                               f"{error.validator_value}", value=value)]


def _say_no_translations(doc, error, parts, value, name) -> list[Problem]:
    return [doc.problem(parts, f"'{name}' has no translations; write the text, or one line "
                               "per language such as 'en: ...'", value=value)]


#: The translator for each ``jsonschema`` keyword the kit's schemas use.
_SAYS = {
    "additionalProperties": _say_unknown_keys,
    "required": _say_missing_keys,
    "type": _say_wrong_type,
    "enum": _say_not_a_choice,
    "const": _say_not_the_constant,
    "minItems": _say_entry_count,
    "maxItems": _say_entry_count,
    "minimum": _say_out_of_range,
    "maximum": _say_out_of_range,
    "pattern": _say_pattern,
    "minLength": _say_blank,
    "maxLength": _say_too_long,
    "minProperties": _say_no_translations,
}


def schema_problems(doc: Document, kind: str) -> tuple[list[Problem], bool]:
    """Every structural problem in ``doc`` for ``kind``.

    Returns
    -------
    problems : list of Problem
    usable : bool
        False when the schema version is unknown, so no further checks make sense.
    """
    problems, version = _version_problems(doc, kind)
    if version is None:
        return problems, False
    for error in _validator(kind, version).iter_errors(doc.data):
        if tuple(error.absolute_path)[:1] == ("schema_version",):
            continue  # already reported by _version_problems
        problems.extend(_translate(doc, error, kind))
    # "required" errors come one per missing key but each is translated in full: drop repeats
    unique = list({(p.line, p.path, p.message): p for p in problems}.values())
    unique.sort(key=lambda p: (p.line or 0, p.path))
    return unique, True
