"""A kernel that keeps growing is stopped before it takes the server's memory from everyone.

A long session (a tab left open all day, an app rebuilt many times, a library that caches
without bound) can make one kernel grow. On a small server shared by a whole programme that
one kernel would push every other visitor's kernel into swap or the kernel out-of-memory
killer, which picks the biggest process: the server itself. The kit's provisioner
(:mod:`kit.voila._forking`) therefore checks each kernel's *own* memory (private pages:
what it alone holds, so the pages a forked kernel shares with its template do not count) every
:data:`INTERVAL_ENV` seconds, and stops a kernel above :data:`LIMIT_ENV` megabytes with the
figures in the server's log. Its visitor loses nothing typed (answers are saved as they are
typed); reloading the page gives them a new kernel.

Server side only.
"""

from __future__ import annotations

import os

__all__ = ["DEFAULT_INTERVAL", "DEFAULT_LIMIT_MB", "INTERVAL_ENV", "LIMIT_ENV", "limits",
           "private_mb"]

#: Megabytes of its own memory a kernel may hold; ``0`` turns the check off.
LIMIT_ENV = "KIT_KERNEL_MEMORY_MB"
#: Seconds between two checks of one kernel.
INTERVAL_ENV = "KIT_KERNEL_MEMORY_CHECK_SECONDS"

#: About 20 times what a kit kernel holds with its app built (45 MB forked, 165 MB spawned,
#: ``docs/benchmarks.md``): only a kernel that is running away reaches it.
DEFAULT_LIMIT_MB = 1024
DEFAULT_INTERVAL = 30.0


def _number(environ, name: str, default: float) -> float:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number; set it to a number of "
                         f"{'megabytes' if name == LIMIT_ENV else 'seconds'}, "
                         f"or leave it unset for {default:g}") from None
    if value < 0:
        raise ValueError(f"{name}={raw!r} is below zero; use 0 to turn the check off")
    return value


def limits(environ=None) -> tuple[float | None, float]:
    """``(limit in MB or None when off, seconds between checks)`` from the environment.
    A value that is not a number raises ``ValueError`` naming the variable and the fix."""
    environ = os.environ if environ is None else environ
    limit = _number(environ, LIMIT_ENV, DEFAULT_LIMIT_MB)
    interval = _number(environ, INTERVAL_ENV, DEFAULT_INTERVAL) or DEFAULT_INTERVAL
    return (limit or None), interval


def private_mb(pid: int) -> float | None:
    """Megabytes of memory process ``pid`` alone holds (its private pages, as USS counts
    them), or ``None`` when it has gone or cannot be read (not Linux)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            kb = sum(int(line.split()[1]) for line in f
                     if line.startswith(("Private_Clean:", "Private_Dirty:",
                                         "Private_Hugetlb:")))
        return kb / 1024
    except (OSError, ValueError, IndexError):
        return None
