"""The unattended, repeatable setting every notebook run gets: a fresh folder seeded with the
demo cohort, ``KIT_DEMO=1`` and "today" pinned to :data:`DEMO_TODAY`."""

from __future__ import annotations

from kit.notebooks.paths import NotebookError

__all__ = ["DEMO_TODAY", "demo_environment", "DemoData"]

#: The pinned "today" for every notebook run (matches tests/conftest.py).
DEMO_TODAY = "2026-03-02"
#: ``KIT_*`` variables a notebook run leaves to the caller; every other one is reset.
_PASSED_THROUGH = frozenset({"KIT_CONTENT_PATH"})


def _env_for_dir(data_dir) -> dict[str, str]:
    import os
    from pathlib import Path

    from kit.config import ENV_VARS

    data_dir = Path(data_dir).resolve()
    env = {name: "" for name in ENV_VARS if name not in _PASSED_THROUGH}
    env.update(
        KIT_DATA_DIR=str(data_dir),
        KIT_DATABASE_URL=f"sqlite:///{data_dir / 'kit.db'}",
        KIT_DEMO="1",
        KIT_TODAY=DEMO_TODAY,
        PYTHONHASHSEED="0",  # set and dict order in any text output stays the same
    )
    if os.environ.get("KIT_CONTENT_PATH", "").strip():
        # absolute, because the kernel starts in the notebook's folder, not here
        env["KIT_CONTENT_PATH"] = os.pathsep.join(
            str(Path(p).expanduser().resolve())
            for p in os.environ["KIT_CONTENT_PATH"].split(os.pathsep) if p.strip()
        )
    return env


class _patched_environ:
    """Set environment variables (and re-read settings) for the ``with`` block only."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.saved: dict[str, str | None] = {}

    def __enter__(self):
        import os

        from kit.config import get_settings

        self.saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        get_settings.cache_clear()
        return self

    def __exit__(self, *exc):
        import os

        from kit.config import get_settings

        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()
        return False


def demo_environment(tmp_dir) -> dict[str, str]:
    """Seed the demo into ``tmp_dir`` and return the environment that runs notebooks on it.

    Parameters
    ----------
    tmp_dir : str or Path
        A folder for the demo database (created if missing). Use a fresh temporary folder.

    Returns
    -------
    dict of str to str
        ``KIT_DATA_DIR`` and ``KIT_DATABASE_URL`` (SQLite in ``tmp_dir``), ``KIT_DEMO=1``,
        ``KIT_TODAY`` = :data:`DEMO_TODAY`, every other ``KIT_*`` setting reset to its default
        (``KIT_CONTENT_PATH`` is passed through), and ``PYTHONHASHSEED=0``. Add it on top of
        ``os.environ`` for a kernel or a ``pytest --nbval`` run.

    Examples
    --------
    >>> import os, subprocess, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:                  # doctest: +SKIP
    ...     env = os.environ | demo_environment(tmp)
    ...     subprocess.run(nbval_command(["notebooks"]), env=env, check=True)
    """
    from pathlib import Path

    data_dir = Path(tmp_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = _env_for_dir(data_dir)
    with _patched_environ(env):
        try:
            from kit.demo import seed_demo
        except ImportError as exc:
            raise NotebookError(
                f"cannot seed the demo data: kit.demo.seed_demo is not importable ({exc}); "
                "reinstall the kit with `pip install -e .`"
            ) from exc
        from kit.store import Store

        with Store(env["KIT_DATABASE_URL"]) as store:
            seed_demo(store)
    return env


class DemoData:
    """One seeded demo folder, handed out as a fresh copy for each notebook run.

    Seeding happens once; each notebook then starts from an untouched copy, so no notebook
    sees what another one wrote. The chart bundle cache is shared between the copies.
    """

    def __init__(self, root):
        from pathlib import Path

        self.root = Path(root)
        self.template = self.root / "demo"
        demo_environment(self.template)
        (self.template / "cache").mkdir(exist_ok=True)
        self.count = 0

    def fresh_env(self) -> dict[str, str]:
        import os
        import shutil

        self.count += 1
        target = self.root / f"run-{self.count}"
        shutil.copytree(self.template, target, ignore=shutil.ignore_patterns("cache"))
        try:
            os.symlink(self.template / "cache", target / "cache", target_is_directory=True)
        except OSError:  # no symlinks (some Windows set-ups): a cold cache only costs time
            pass
        return _env_for_dir(target)
