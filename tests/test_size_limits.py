"""The size limits of docs/architecture.md hold: no module of the kit over 500 lines, no
function over 80 (its ``def`` line to its last line, docstring included).

A piece of code for which a limit is wrong is listed below with the reason, and the list is
checked too: an entry that no longer needs its exception fails, so the list stays true.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[1] / "kit"
MODULE_LINES = 500
FUNCTION_LINES = 80

#: Functions allowed over the limit, keyed by ``path:qualified name``, with the reason.
LONG_FUNCTIONS: dict[str, str] = {
    "kit/store/migrations/versions/0001_initial.py:upgrade": (
        "an Alembic migration is frozen history: it must create exactly the schema of its "
        "day, and is never edited once released (splitting it would change nothing a reader "
        "needs and risks the databases already upgraded by it)"),
}

#: Modules allowed over the limit, with the reason.
LONG_MODULES: dict[str, str] = {}


def _modules():
    return sorted(p for p in KIT.rglob("*.py") if "_shipped" not in p.parts)


def _relative(path: Path) -> str:
    return path.relative_to(KIT.parent).as_posix()


def _functions(path: Path):
    """``(qualified name, lines)`` of every function in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                yield name, child.end_lineno - child.lineno + 1
                yield from walk(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def _long_functions() -> dict[str, int]:
    return {f"{_relative(p)}:{name}": n for p in _modules() for name, n in _functions(p)
            if n > FUNCTION_LINES}


def _long_modules() -> dict[str, int]:
    out = {}
    for p in _modules():
        n = len(p.read_text(encoding="utf-8").splitlines())
        if n > MODULE_LINES:
            out[_relative(p)] = n
    return out


def test_no_module_is_over_500_lines():
    over = {k: v for k, v in _long_modules().items() if k not in LONG_MODULES}
    assert not over, (f"modules over {MODULE_LINES} lines (split by meaning, or list the module "
                      f"in LONG_MODULES with the reason): {over}")


def test_no_function_is_over_80_lines():
    over = {k: v for k, v in _long_functions().items() if k not in LONG_FUNCTIONS}
    assert not over, (f"functions over {FUNCTION_LINES} lines (split by meaning, or list the "
                      f"function in LONG_FUNCTIONS with the reason): {over}")


@pytest.mark.parametrize("name", sorted(LONG_FUNCTIONS) + sorted(LONG_MODULES))
def test_every_exception_is_still_needed(name):
    found = {**_long_functions(), **_long_modules()}
    assert name in found, f"{name} is within the limits now: remove it from the exceptions"


def test_the_counter_finds_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(FUNCTION_LINES))
    path = tmp_path / "m.py"
    path.write_text(f"class C:\n    def f(self):\n    {body.replace(chr(10), chr(10) + '    ')}\n")
    assert dict(_functions(path)) == {"C.f": FUNCTION_LINES + 1}
