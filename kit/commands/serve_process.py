"""Starting and supervising the Voila process of ``kit serve``.

:func:`start` says what is being served (and publishes the chart bundle, trusts the kit's
notebooks, makes the facilitator set-up key), then hands over to :mod:`kit._supervise`, which
forwards signals to Voila and removes the temporary configuration folder when it stops.
"""

from __future__ import annotations

import logging

from kit.commands.serve_options import ServeOptions
from kit.commands.serve_voila import landing_url, publish_chart_bundle

__all__ = ["start", "setup_key_note", "run_voila"]

_log = logging.getLogger(__name__)


def start(options: ServeOptions, argv: list[str], env: dict[str, str], settings,
           cleanup=None) -> int:
    url = landing_url(options)
    print(f"Partnering Kit: serving {options.root}", flush=True)
    if publish_chart_bundle(env, settings.data_dir) is None:
        print(
            f"Note: could not write the chart bundle under {settings.data_dir}; charts still "
            "work but each one carries its JavaScript (pages open more slowly).",
            flush=True,
        )
    from kit.voila._trust import trust_kit_notebooks

    trust_kit_notebooks(options.root)  # else Voila logs "Notebook ... is not trusted" per app
    print(f"Open {url} in your browser (Ctrl+C to stop).", flush=True)
    print(setup_key_note(env), flush=True)
    return run_voila(argv, env, cwd=options.root, cleanup=cleanup)


def setup_key_note(env: dict[str, str]) -> str:
    """Make sure ``env`` carries a set-up key for the facilitator set-up app; say where it is.

    An operator's ``KIT_SETUP_KEY`` is kept (and not printed again). Without one, a fresh
    random key is made for this run only, put in the kernels' environment, and printed once
    here: whoever can read the console can create cohorts.
    """
    if env.get("KIT_SETUP_KEY", "").strip():
        return ("Facilitator set-up (11_facilitator_setup.ipynb) opens with the key in "
                "KIT_SETUP_KEY.")
    from kit.store.codes import new_code

    key = new_code()
    env["KIT_SETUP_KEY"] = key
    return (f"Facilitator set-up key for this run: {key}\n"
            "  (opens 11_facilitator_setup.ipynb; a new one is made each time unless "
            "KIT_SETUP_KEY is set)")



def run_voila(argv: list[str], env: dict, cwd, cleanup=None) -> int:
    """Run Voila as a child process, forwarding SIGINT/SIGTERM; return its exit code.

    On POSIX this process first replaces itself (``os.execve``) with :mod:`kit._supervise`,
    which imports only the standard library: the libraries loaded here to check the patches
    and write the chart bundle (about 200 MB) are not held for the whole run. ``cleanup`` is
    a folder the supervisor removes when Voila has stopped.
    """
    import os
    import sys

    from kit._supervise import run

    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        supervisor = [sys.executable, "-m", "kit._supervise", str(cleanup or "-"), str(cwd),
                      "--", *argv]
        try:
            os.execve(sys.executable, supervisor, env)
        except OSError as exc:  # cannot replace this process: run Voila from here instead
            _log.warning("could not hand over to the supervisor (%s); Voila runs under this "
                         "process instead, which keeps its libraries in memory", exc)
    return run(argv, str(cwd), env)
