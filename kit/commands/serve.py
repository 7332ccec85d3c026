"""``kit serve``: the apps in Voila with production defaults.

What the defaults give:

* sources stripped and tracebacks hidden, template and theme fixed (a visitor cannot swap in
  a template that fetches from a CDN);
* the kit's own template (``kit/voila/jupyter/nbconvert/templates/kit``): a landing page that
  lists the apps, and pages that make no request beyond the server;
* preheated kernel pools sized per app (:mod:`kit.voila.catalogue`), idle kernels culled;
* the ``Cookie`` header passed to kernels as ``HTTP_COOKIE`` (resume codes);
* on Linux, kernels started as forks of one warm template process, sharing its imported
  libraries (:mod:`kit.voila._forking`; ``--no-fork`` starts each as a new Python);
* a refusal to start when the SQLite database lies inside the served folder.

The Voila command line is built by the pure function :func:`voila_argv`, and the settings
that are dictionaries by :func:`voila_config` (written to a ``voila.json`` that Voila finds on
``JUPYTER_CONFIG_PATH``, the form traitlets expects), so both can be read and tested without
starting anything. Heavy imports happen inside the handler.

The work is shared out: this module is the command line (:func:`register` and its handler);
:mod:`kit.commands.serve_options` checks the options, :mod:`kit.commands.serve_voila` builds
Voila's command line and configuration, and :mod:`kit.commands.serve_process` starts and
supervises the Voila process. Their public names stay importable from here.
"""

from __future__ import annotations

import argparse

from kit.commands.serve_options import (
    DEFAULT_CULL_IDLE,
    DEFAULT_IP,
    DEFAULT_PORT,
    DEFAULT_REFILL_DELAY,
    ServeOptions,
    parse_pools,
)
from kit.commands.serve_process import setup_key_note, start
from kit.commands.serve_voila import (
    FORK_SWITCH_ENV,
    PRELOAD_FILTER,
    apply_fork_switch,
    check_database_outside,
    landing_url,
    pool_config,
    publish_chart_bundle,
    voila_argv,
    voila_config,
    voila_env,
    write_voila_config,
)

__all__ = [
    "ServeOptions",
    "register",
    "voila_argv",
    "voila_config",
    "voila_env",
    "write_voila_config",
    "landing_url",
    "check_database_outside",
    "pool_config",
    "publish_chart_bundle",
    "DEFAULT_PORT",
    "DEFAULT_REFILL_DELAY",
    "FORK_SWITCH_ENV",
    "apply_fork_switch",
    "PRELOAD_FILTER",
    "setup_key_note",
]

# --------------------------------------------------------------------------------------------
# command line


def register(subparsers) -> None:
    """Add ``kit serve`` to the ``kit`` command."""
    p = subparsers.add_parser(
        "serve",
        help="serve the apps in the browser with Voila",
        description=(
            "Serve the kit's apps with Voila: a landing page listing the apps, sources hidden, "
            "kernels kept warm so pages open quickly, nothing fetched from the internet. "
            "Settings come from KIT_* environment variables (see docs/serving.md)."
        ),
    )
    p.add_argument(
        "root", nargs="?", default=None,
        help="folder of notebooks to serve (default: the kit's own notebooks)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument(
        "--ip", default=DEFAULT_IP,
        help=f"address to listen on (default {DEFAULT_IP}: this machine only)",
    )
    p.add_argument("--token", default=None, help="require this token in the address (default: none)")
    p.add_argument("--base-url", default="/", help="path prefix, e.g. /kit/ behind a proxy (default /)")
    p.add_argument(
        "--pool-size", type=int, default=None, metavar="N",
        help="kernels kept warm for every app (default: 2 for Start here and the "
        "self-assessment, 1 for the others; 0 turns pools off)",
    )
    p.add_argument(
        "--pool", action="append", default=[], metavar="NOTEBOOK=N",
        help="keep N kernels warm for one notebook, after --pool-size (repeatable); for a "
        "session of 30, for example --pool 01_self_assessment.ipynb=30",
    )
    p.add_argument(
        "--no-preheat", dest="preheat", action="store_false",
        help="start a kernel only when a page is opened (slower to open, less memory)",
    )
    p.add_argument(
        "--cull-idle", type=int, default=DEFAULT_CULL_IDLE, metavar="SECONDS",
        help=f"shut down kernels idle this long (default {DEFAULT_CULL_IDLE}; 0 = never)",
    )
    p.add_argument(
        "--refill-delay", type=float, default=DEFAULT_REFILL_DELAY, metavar="SECONDS",
        help="wait this long after a visitor takes a warm kernel before starting its "
        f"replacement, so the visitor's page is drawn first (default {DEFAULT_REFILL_DELAY:g})",
    )
    p.add_argument(
        "--no-preload", dest="preload", action="store_false",
        help="do not name each page's scripts at its top (they are then found one layer at "
        "a time, slower over a slow network)",
    )
    p.add_argument(
        "--no-fork", dest="fork", action="store_false",
        help="start each kernel as a new Python instead of a copy of one kept ready "
        "(uses more memory and CPU per visitor; for comparison or if forking misbehaves)",
    )
    p.add_argument(
        "--dry-run", action="store_true",
        help="print the Voila command instead of running it",
    )
    p.set_defaults(func=_handle)


def _handle(args: argparse.Namespace) -> int:
    import shlex
    import sys

    from kit.config import get_settings

    try:
        options = ServeOptions(
            args.root, port=args.port, ip=args.ip, token=args.token, base_url=args.base_url,
            preheat=args.preheat, pool_size=args.pool_size, pools=parse_pools(args.pool),
            cull_idle=args.cull_idle, refill_delay=args.refill_delay, preload=args.preload,
            fork=args.fork,
        )
    except ValueError as exc:
        print(f"kit serve: {exc}", file=sys.stderr)
        return 2
    if not options.root.is_dir():
        print(
            f"kit serve: {options.root} is not a folder of notebooks; give a folder, or none "
            "to serve the kit's own apps",
            file=sys.stderr,
        )
        return 2
    missing = [nb for nb in options.pools if not (options.root / nb).is_file()]
    if missing:
        have = ", ".join(sorted(p.name for p in options.root.glob("*.ipynb"))) or "none"
        print(
            f"kit serve: --pool names {', '.join(missing)}, which is not in {options.root}; "
            f"the notebooks there are: {have}",
            file=sys.stderr,
        )
        return 2
    settings = get_settings()
    try:
        check_database_outside(options.root, settings.database_url)
    except ValueError as exc:
        print(f"kit serve: {exc}", file=sys.stderr)
        return 2
    from kit.voila._fence import FenceError, check

    try:  # Voila and Altair must be the versions, and the code, the kit's patches were made for
        check()
    except FenceError as exc:
        print(f"kit serve: {exc}", file=sys.stderr)
        return 1

    argv = voila_argv(options)
    if args.dry_run:
        import json

        if not options.fork:
            print(f"{FORK_SWITCH_ENV}=0 \\")
        print(shlex.join(argv))
        print("# with this voila.json, in a folder put first on JUPYTER_CONFIG_PATH:")
        print(json.dumps(voila_config(options), separators=(",", ":"), ensure_ascii=False))
        return 0
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kit-serve-") as config_dir:
        write_voila_config(options, config_dir)
        env = voila_env(config_dir=config_dir)
        apply_fork_switch(options, env)
        return start(options, argv, env, settings, cleanup=config_dir)
