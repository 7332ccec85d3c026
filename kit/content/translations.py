"""Translated content: any text in a framework or exercise may be a mapping of languages.

::

    language: en                 # the language of plain texts (and the fallback); default en
    title:
      en: Collaboration behaviours
      cy: Ymddygiadau cydweithio
    description: Plain text is in the file's language.

:func:`text_fields` finds every text field of a file (from its JSON Schema, so a new field is
covered without a list to keep up to date); :func:`translation_gaps` names each field a
language is missing in a file. The loader builds a framework or exercise in the language asked
for, falling back to the file's own language for any missing text (:func:`kit.i18n.pick`).

Examples
--------
>>> data = {"language": "en", "title": {"en": "Trust", "cy": "Ymddiriedaeth"},
...         "purpose": "Plain"}
>>> sorted(languages_in(data, [("title",), ("purpose",)]))
['cy', 'en']
"""

from __future__ import annotations

from collections.abc import Iterator

from kit.content.problems import Problem, format_path

__all__ = ["DEFAULT_CONTENT_LANGUAGE", "file_language", "text_fields", "languages_in",
           "translation_gaps"]

DEFAULT_CONTENT_LANGUAGE = "en"
_TEXT_REF = "#/$defs/text"


def file_language(data: object) -> str:
    """The language of a file's plain texts: its ``language`` key, else ``en``."""
    if isinstance(data, dict) and isinstance(data.get("language"), str) and data["language"]:
        return data["language"]
    return DEFAULT_CONTENT_LANGUAGE


def _walk(value, schema: dict, root: dict, path: tuple) -> Iterator[tuple]:
    if schema.get("$ref") == _TEXT_REF:
        if value is not None:
            yield path
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = root.get("$defs", {}).get(name, {})
    if isinstance(value, dict):
        for key, sub in (schema.get("properties") or {}).items():
            if key in value:
                yield from _walk(value[key], sub, root, path + (key,))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            yield from _walk(item, schema["items"], root, path + (i,))


def text_fields(data: object, kind: str) -> list[tuple]:
    """The path of every text field present in a framework or exercise mapping."""
    from kit.content._schema import load_schema

    schema = load_schema(kind)
    return list(_walk(data, schema, schema, ()))


def _get(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def languages_in(data: object, paths: list[tuple]) -> set[str]:
    """Every language a file has text in (its own language included)."""
    found = {file_language(data)}
    for path in paths:
        value = _get(data, path)
        if isinstance(value, dict):
            found.update(k for k in value if isinstance(k, str))
    return found


def translation_gaps(doc, kind: str) -> list[Problem]:
    """One problem per text field that lacks a language used elsewhere in the same file.

    A plain text counts as the file's own language. The file still loads: a missing
    translation shows the file's own language instead. Only called for valid files.
    """
    data = doc.data
    if not isinstance(data, dict):
        return []
    paths = text_fields(data, kind)
    own = file_language(data)
    languages = sorted(languages_in(data, paths))
    out: list[Problem] = []
    for language in languages:
        missing = []
        for path in paths:
            value = _get(data, path)
            has = (value.get(language) if isinstance(value, dict)
                   else value if language == own else None)
            if not (isinstance(has, str) and has.strip()):
                missing.append(path)
        for path in missing:
            if language == own:
                message = (f"'{format_path(path)}' has no text in '{language}', the file's own "
                           f"language (its 'language:'); add a '{language}:' line, or set "
                           "'language:' to the language this file is written in")
            else:
                message = (f"language '{language}' is incomplete in this file: "
                           f"'{format_path(path)}' has no '{language}' text "
                           f"({len(missing)} of {len(paths)} texts are missing it; they show in "
                           f"'{own}' instead). Add a '{language}:' line to this field")
            out.append(doc.problem(path, message, value=language))
    return out
