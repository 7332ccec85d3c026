"""Lazy public names for a package: load a name's module on first use.

Keeps ``import kit`` (and its sub-packages) quick: nothing heavy is imported until a name is
used. Each package lists ``{public name: defining module}`` and installs the pair of hooks.

Examples
--------
>>> _EXPORTS = {"dumps": "json"}
>>> __getattr__, __dir__ = lazy_exports("demo", _EXPORTS, {})
>>> __getattr__("dumps")([1])
'[1]'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: dict[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` for ``package``.

    A loaded name is stored in ``namespace`` (the package's ``globals()``), so the hook runs
    once per name. An unknown name raises ``AttributeError`` listing the public names.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            public = namespace.get("__all__") or sorted(exports)
            raise AttributeError(
                f"module {package!r} has no attribute {name!r}; public names: {', '.join(public)}"
            )
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(namespace.get("__all__") or exports))

    return __getattr__, __dir__
