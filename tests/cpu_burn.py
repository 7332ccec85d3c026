"""Keep every core busy while tests run, to show they pass on a loaded machine.

Used two ways:

* as a pytest plugin (loaded from ``conftest.py``): ``pytest --cpu-burn=N`` or
  ``KIT_TEST_CPU_BURN=N pytest`` starts N busy processes (``auto`` or ``0`` = one per core)
  for the whole run and stops them at the end;
* directly, ``with CpuBurner(n): ...``, by a test that must race under load.

Burners are plain Python processes spinning in a loop; each is ended by its own process id.
"""

from __future__ import annotations

import os
import subprocess
import sys

__all__ = ["CpuBurner", "burner_count"]

_SPIN = "import os\nwhile True:\n    os.getpid()\n"


def burner_count(value: str | int | None) -> int:
    """How many burners a setting asks for: ``None``/``""`` none, ``auto``/``0`` one per core."""
    if value is None or str(value).strip() == "":
        return 0
    text = str(value).strip().lower()
    if text in {"auto", "0", "cores"}:
        return os.cpu_count() or 2
    try:
        n = int(text)
    except ValueError:
        raise ValueError(
            f"KIT_TEST_CPU_BURN / --cpu-burn={value!r}: give a number of busy processes, "
            "or 'auto' for one per core"
        ) from None
    if n < 0:
        raise ValueError(f"--cpu-burn={value!r}: give 0 or more")
    return n


class CpuBurner:
    """Start ``n`` processes that each keep one core busy; stop them on exit."""

    def __init__(self, n: int | None = None):
        self.n = (os.cpu_count() or 2) if n is None else n
        self.procs: list[subprocess.Popen] = []

    def start(self) -> CpuBurner:
        for _ in range(self.n):
            self.procs.append(
                subprocess.Popen(
                    [sys.executable, "-c", _SPIN],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        return self

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs:
            proc.wait(timeout=30)
        self.procs.clear()

    def __enter__(self) -> CpuBurner:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# -- pytest plugin -------------------------------------------------------------------------
_session_burner: CpuBurner | None = None


def pytest_addoption(parser):
    parser.addoption(
        "--cpu-burn",
        default=os.environ.get("KIT_TEST_CPU_BURN", ""),
        metavar="N",
        help="keep N extra processes spinning for the whole run ('auto': one per core); "
        "default from KIT_TEST_CPU_BURN",
    )


def pytest_configure(config):
    global _session_burner
    # Only the controlling process burns: pytest-xdist workers have "workerinput".
    if hasattr(config, "workerinput"):
        return
    try:
        n = burner_count(config.getoption("--cpu-burn"))
    except ValueError as exc:
        import pytest

        raise pytest.UsageError(str(exc)) from None
    if n:
        _session_burner = CpuBurner(n).start()
        config.add_cleanup(_stop_session_burner)


def _stop_session_burner() -> None:
    global _session_burner
    if _session_burner is not None:
        _session_burner.stop()
        _session_burner = None


def pytest_report_header(config):
    if _session_burner is not None:
        return f"cpu burn: {_session_burner.n} busy processes for the whole run"
    return None
