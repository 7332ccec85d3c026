"""Read a YAML file and remember the line of every key and list entry.

PyYAML builds a tree of nodes, each with a start mark, before it builds Python objects. We keep
that tree long enough to record ``path -> line`` for every mapping key and sequence entry, so a
problem found later (by the schema or by a semantic check) can point at a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kit.content.problems import PathParts, Problem, format_path

__all__ = ["Document", "read_yaml", "MAX_VALUES"]


@dataclass
class Document:
    """A parsed content file: its data and where each part of it sits."""

    file: str
    data: object
    lines: dict[PathParts, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, parts: PathParts) -> int | None:
        """Line of ``parts``, or of its nearest ancestor that has one (1-based)."""
        parts = tuple(parts)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return self.lines.get((), None)

    def get(self, parts: PathParts, default=None):
        """The value at ``parts`` in the data, or ``default`` when the path does not exist."""
        node = self.data
        for part in parts:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return default
        return node

    def context(self, parts: PathParts) -> str | None:
        """The id of the innermost list entry along ``parts`` that has one."""
        parts = tuple(parts)
        for end in range(len(parts), 0, -1):
            if isinstance(parts[end - 1], int):
                entry = self.get(parts[:end])
                if isinstance(entry, dict) and isinstance(entry.get("id"), str | int):
                    return str(entry["id"])
        return None

    def problem(self, parts: PathParts, message: str, value: object = None,
                line: int | None = None) -> Problem:
        """Build a :class:`Problem` located at ``parts`` in this file."""
        return Problem(
            file=self.file,
            line=line if line is not None else self.line(parts),
            path=format_path(parts),
            value=value,
            message=message,
            context=self.context(parts),
        )


def _loader_class():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: Most values a content file may hold once its aliases are expanded. The largest shipped file
#: holds a few hundred; a "billion laughs" file holds billions from a few lines of aliases.
MAX_VALUES = 100_000


class _TooBig(Exception):
    pass


class _SelfReference(Exception):
    pass


def _expanded_size(node, sizes: dict[int, int], active: set[int]) -> int:
    """How many values ``node`` stands for with every alias expanded, without expanding any.

    Each node is sized once (aliases share node objects), so this is linear in the file.
    Raises :class:`_TooBig` past :data:`MAX_VALUES` and :class:`_SelfReference` for an alias
    inside its own anchor.
    """
    import yaml

    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in active:
        raise _SelfReference
    active.add(key)
    total = 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            total += _expanded_size(key_node, sizes, active)
            total += _expanded_size(value_node, sizes, active)
            if total > MAX_VALUES:
                raise _TooBig
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            total += _expanded_size(child, sizes, active)
            if total > MAX_VALUES:
                raise _TooBig
    active.discard(key)
    sizes[key] = total
    if total > MAX_VALUES:
        raise _TooBig
    return total


def _size_problem(file: str, node) -> Problem | None:
    """A problem when the file's aliases expand past :data:`MAX_VALUES` or refer to themselves."""
    try:
        _expanded_size(node, {}, set())
    except _TooBig:
        return Problem(
            file, None, "", None,
            f"the file expands to more than {MAX_VALUES:,} values once its YAML aliases "
            "(&name and *name) are filled in, so it was not loaded; a framework or exercise "
            "needs far fewer. Write the entries out, or use fewer aliases",
        )
    except _SelfReference:
        return Problem(
            file, None, "", None,
            "a YAML alias (*name) is used inside its own anchor (&name), which never ends; "
            "remove the alias",
        )
    return None


def _record(doc: Document, node, parts: PathParts, seen: set[int]) -> None:
    """Walk the node tree, filling ``doc.lines`` and noting repeated keys."""
    import yaml

    if id(node) in seen:  # an alias to a node already walked
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys_at: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key is None:
                continue
            if key == "<<":  # merge key: the merged entries have their own marks
                _record(doc, value_node, parts, seen)
                continue
            if key in keys_at:
                doc.problems.append(doc.problem(
                    parts + (key,),
                    f"the key '{key}' appears twice (lines {keys_at[key]} and {line}); "
                    "YAML keeps only the last one, so delete or rename one of them",
                    value=key, line=line,
                ))
            keys_at[key] = line
            doc.lines.setdefault(parts + (key,), line)
            _record(doc, value_node, parts + (key,), seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            doc.lines.setdefault(parts + (index,), child.start_mark.line + 1)
            _record(doc, child, parts + (index,), seen)


def read_yaml(path: Path | str, text: str | None = None) -> Document:
    """Parse one YAML file, collecting problems rather than raising.

    Parameters
    ----------
    path : Path or str
        The file to read (also used to name it in problems).
    text : str, optional
        The file's text, when already read.

    Returns
    -------
    Document
        ``data`` is ``None`` when the file could not be parsed; ``problems`` says why. Keys
        that appear twice in one mapping are reported but do not stop parsing.

    Examples
    --------
    >>> doc = read_yaml("x.yaml", text="id: demo\\nitems:\\n  - a\\n  - b\\n")
    >>> doc.data["items"], doc.line(("items", 1))
    (['a', 'b'], 4)
    """
    file = str(path)
    doc = Document(file=file, data=None)
    if text is None:
        text, problem = _read_text(path)
        if problem is not None:
            doc.problems.append(problem)
            return doc
    parsed, node = _parse_into(doc, text)
    if not parsed:
        return doc
    if node is None:
        doc.problems.append(Problem(file, None, "", None,
                                    "the file is empty; see docs/content.md for the format"))
    elif not isinstance(doc.data, dict):
        doc.problems.append(Problem(
            file, doc.lines.get(()), "", type(doc.data).__name__,
            "the file must hold a mapping of keys (such as 'id:' and 'title:') at the top level",
        ))
    return doc


def _read_text(path: Path | str) -> tuple[str | None, Problem | None]:
    """The file's text, or the problem that stopped it being read."""
    file = str(path)
    try:
        return Path(path).read_text(encoding="utf-8"), None
    except FileNotFoundError:
        return None, Problem(file, None, "", None,
                             "the file does not exist; check the name and folder")
    except UnicodeDecodeError as exc:
        return None, Problem(
            file, None, "", None,
            f"the file is not UTF-8 text (byte {exc.start}); save it as UTF-8 in your editor",
        )
    except OSError as exc:
        return None, Problem(file, None, "", None, f"the file cannot be read: {exc}")


def _parse_into(doc: Document, text: str):
    """Parse ``text`` into ``doc`` (data and lines); ``(parsed, top node)``.

    ``parsed`` is False when a problem stopped the parse (a syntax error, nesting too deep, a
    file too big); the problem is in ``doc.problems`` and ``doc.data`` is ``None``.
    """
    import yaml

    file = doc.file
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            too_big = _size_problem(file, node)
            if too_big is not None:
                doc.problems.append(too_big)
                return False, node
            _record(doc, node, (), set())
            doc.lines[()] = node.start_mark.line + 1
            doc.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or "the YAML cannot be read"
        if exc.context:
            what = f"{exc.context}, {what}"
        doc.problems.append(Problem(
            file, line, "", None,
            f"YAML syntax error: {what}; check the indentation and quoting on this line "
            "and the one before it",
        ))
        doc.data = None
        return False, None
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(file, None, "", None, f"YAML syntax error: {exc}"))
        doc.data = None
        return False, None
    except RecursionError:
        doc.problems.append(Problem(
            file, None, "", None,
            "the file nests lists and mappings too deeply to be content; a framework or "
            "exercise needs only a few levels",
        ))
        doc.data = None
        return False, None
    finally:
        loader.dispose()
    return True, node
