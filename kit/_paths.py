"""Where the kit's shipped files live.

In a source checkout (or an editable install) the content sits at the top of the repository:
``data/frameworks``, ``exercises`` and ``notebooks``. A built wheel carries copies inside the
package under ``kit/_shipped/``. Callers ask this module instead of guessing.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
_SHIPPED = PACKAGE_DIR / "_shipped"


def _pick(repo_relative: str, shipped_name: str) -> Path:
    in_repo = REPO_ROOT / repo_relative
    if in_repo.is_dir():
        return in_repo
    return _SHIPPED / shipped_name


def frameworks_dir() -> Path:
    """Folder holding the kit's own framework YAML files."""
    return _pick("data/frameworks", "frameworks")


def exercises_dir() -> Path:
    """Folder holding the kit's own exercise files."""
    return _pick("exercises", "exercises")


def notebooks_dir() -> Path:
    """Folder holding the kit's app notebooks."""
    return _pick("notebooks", "notebooks")


def is_checkout() -> bool:
    """True when running from a source checkout rather than an installed wheel."""
    return (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "kit").is_dir()
