"""The small process ``kit serve`` becomes while Voila runs: it forwards Ctrl+C, waits, tidies.

``kit serve`` checks the installed libraries against the kit's patches (which imports Voila
and Altair) and writes the chart bundle (which loads vl-convert) before it starts Voila: about
200 MB that it would then hold, doing nothing, for the whole run. So once everything is ready
it replaces itself (``os.execv``) with this module, which imports only the standard library:

    python -m kit._supervise CLEANUP_DIR WORKING_DIR -- VOILA_ARGV...

It runs Voila as a child in ``WORKING_DIR``, turns the first Ctrl+C into a clean stop
(SIGTERM, so kernels are shut down) and passes SIGTERM on, removes ``CLEANUP_DIR`` (the
run's temporary Voila configuration; ``-`` for none) and exits with Voila's status, a clean
stop counted as 0.

Importing ``kit`` runs only ``kit/__init__.py``, which is light (tests/test_packaging.py).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys

__all__ = ["main", "run"]


def run(argv: list[str], cwd: str, env=None) -> int:
    """Run ``argv`` as a child, forwarding SIGINT (as SIGTERM) and SIGTERM; its exit status."""
    proc = None

    def forward(signum, _frame):
        # Voila stops cleanly (kernels shut down) on SIGTERM; a second Ctrl+C does the same.
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM if signum == signal.SIGINT else signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        proc = subprocess.Popen(argv, env=env, cwd=cwd)
        while True:
            try:
                code = proc.wait()
                break
            except KeyboardInterrupt:  # pragma: no cover - handled by forward()
                continue
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    # Voila ends with -SIGTERM when asked to stop: that is a clean stop for the user.
    return 0 if code in (0, -signal.SIGTERM, 128 + signal.SIGTERM) else code


def main(args: list[str] | None = None) -> int:
    args = sys.argv[1:] if args is None else list(args)
    if len(args) < 4 or args[2] != "--":
        print("usage: python -m kit._supervise CLEANUP_DIR WORKING_DIR -- COMMAND...",
              file=sys.stderr)
        return 2
    cleanup, cwd, argv = args[0], args[1], args[3:]
    try:
        return run(argv, cwd)
    finally:
        if cleanup != "-":
            shutil.rmtree(cleanup, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
