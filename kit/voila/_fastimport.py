"""Skip a slow optional import that the kit never uses.

``jsonschema`` (imported by Altair and by :mod:`kit.content`) loads the optional
``rfc3987_syntax`` package when it is installed, to check the ``iri`` and ``iri-reference``
string formats. That package compiles about forty Lark grammars on import: close to a second
on a small machine, in every kernel, before the first widget can be drawn. The kit's schemas and
Altair's chart validation never check those formats (the kit validates without a format
checker), so the kernel marks the package as absent before ``jsonschema`` is first imported.
``jsonschema`` then simply does not register the two format checks.
"""

from __future__ import annotations

import sys

__all__ = ["skip_slow_optional_imports", "SKIPPED"]

#: Optional modules marked absent (``sys.modules[name] = None`` makes ``import name`` fail).
SKIPPED = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> None:
    """Mark :data:`SKIPPED` as not installed, unless already imported. Safe to call again.

    Has no effect on a module that is already loaded, so call it before ``jsonschema`` or
    ``altair`` is imported.
    """
    for name in SKIPPED:
        sys.modules.setdefault(name, None)
