"""Strict nbval, run exactly as ``make nbval`` and CI run it (``kit notebooks --nbval``)."""

from __future__ import annotations

from kit.notebooks.environment import demo_environment
from kit.notebooks.paths import default_notebooks_dir, sanitize_config_path

__all__ = ["nbval_command", "run_nbval"]


def nbval_command(paths=None, *, sanitize=None, workers: int = 0) -> list[str]:
    """The strict nbval command line that ``make nbval`` and CI run.

    Parameters
    ----------
    paths : iterable of str or Path, optional
        Notebooks or folders; default :func:`default_notebooks_dir`.
    sanitize : str or Path, optional
        Sanitize file; default :func:`sanitize_config_path`.
    workers : int
        Run notebooks on this many processes (``pytest-xdist``, one notebook per process).
    """
    import sys

    targets = [str(p) for p in (paths or [default_notebooks_dir()])]
    cmd = [
        sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env",
        # one "--opt=value" word: pytest would otherwise count the file's folder when it
        # picks the root folder, and notebooks outside it would get clashing test ids
        f"--nbval-sanitize-with={sanitize or sanitize_config_path()}",
        "-p", "no:cacheprovider", *targets,
    ]
    if workers:
        cmd += ["-n", str(workers), "--dist", "loadscope"]
    return cmd


def run_nbval(paths=None, *, sanitize=None, workers: int = 0, echo=print) -> int:
    """Run strict nbval on the demo environment (fresh seeded folder); return pytest's exit code."""
    import os
    import shlex
    import subprocess
    import tempfile

    cmd = nbval_command(paths, sanitize=sanitize, workers=workers)
    with tempfile.TemporaryDirectory(prefix="kit-nbval-") as tmp:
        env = demo_environment(tmp)
        if echo:
            shown = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if v)
            echo(f"{shown} {shlex.join(cmd)}")
        return subprocess.run(cmd, env={**os.environ, **env}, check=False).returncode
