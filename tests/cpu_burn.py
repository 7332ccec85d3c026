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


# -- command line --------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """``python tests/cpu_burn.py [--burners N] [--runs R] -- COMMAND ...``

    Runs COMMAND R times in a row (default once) with N busy processes (default one per core)
    spinning the whole time, stopping at the first failure; ``make test-busy`` uses it to run
    the whole suite three times on a loaded machine. Returns COMMAND's exit status.
    """
    import argparse
    import time

    parser = argparse.ArgumentParser(prog="cpu_burn.py", description=main.__doc__)
    parser.add_argument("--burners", default="auto", help="busy processes ('auto': one per core)")
    parser.add_argument("--runs", type=int, default=1, help="how many times to run COMMAND")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    n = burner_count(args.burners)
    for run in range(1, args.runs + 1):
        print(f"== busy run {run} of {args.runs}: {n} busy processes; {' '.join(command)}",
              flush=True)
        start = time.monotonic()
        with CpuBurner(n):
            rc = subprocess.call(command)
        took = time.monotonic() - start
        print(f"== busy run {run} of {args.runs}: exit {rc} after {took:.0f} s", flush=True)
        if rc:
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main())
