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
"""

from __future__ import annotations

import argparse

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
]

DEFAULT_PORT = 8866
DEFAULT_IP = "127.0.0.1"
#: Seconds a kernel may sit idle (no messages) before it is shut down.
DEFAULT_CULL_IDLE = 3600
DEFAULT_CULL_INTERVAL = 300
#: Seconds before a pool starts a replacement for a kernel a visitor has just taken. Starting
#: a kernel keeps a core busy for a few seconds; waiting until the visitor's page has been
#: drawn keeps that work from slowing the page down (Voila's own default is 1 second).
DEFAULT_REFILL_DELAY = 3.0


class ServeOptions:
    """Everything ``kit serve`` needs to build a Voila command.

    Parameters
    ----------
    root : str or Path or None
        Folder of notebooks to serve; ``None`` means the kit's own ``notebooks/``.
    port, ip, token, base_url
        Passed through to Voila. ``token=None`` means no token (for a server on loopback or
        behind JupyterHub's proxy).
    preheat : bool
        Keep pools of kernels started and run up to the visitor's arrival.
    pool_size : int or None
        One pool size for every app, overriding the catalogue's sizes.
    pools : mapping of str to int, optional
        Pool sizes for particular notebooks (paths relative to ``root``), applied after
        ``pool_size``: for example ``{"01_self_assessment.ipynb": 30}`` before a session.
    cull_idle, cull_interval : int
        Seconds of idleness before a kernel is shut down, and how often to check.
    refill_delay : float
        Seconds a pool waits, after a visitor took one of its kernels, before starting the
        replacement (:data:`DEFAULT_REFILL_DELAY`).
    preload : bool
        Name, at the top of each app page, the scripts its first visitors went on to fetch,
        so later browsers ask for them all at once (:mod:`kit.voila._preload`).
    fork : bool
        Start kernels as forks of a warm template process (Linux; :mod:`kit.voila._forking`).
        ``False`` starts each kernel as a new Python, as Jupyter does by default.
    """

    def __init__(
        self,
        root=None,
        *,
        port: int = DEFAULT_PORT,
        ip: str = DEFAULT_IP,
        token: str | None = None,
        base_url: str = "/",
        preheat: bool = True,
        pool_size: int | None = None,
        pools=None,
        cull_idle: int = DEFAULT_CULL_IDLE,
        cull_interval: int = DEFAULT_CULL_INTERVAL,
        refill_delay: float = DEFAULT_REFILL_DELAY,
        python: str | None = None,
        preload: bool = True,
        fork: bool = True,
    ):
        from pathlib import Path

        if root is None:
            from kit._paths import notebooks_dir

            root = notebooks_dir()
        self.root = Path(root).expanduser().resolve()
        if not 0 < int(port) < 65536:
            raise ValueError(f"--port {port!r} is not a TCP port: use a number from 1 to 65535")
        self.port = int(port)
        self.ip = ip
        self.token = token
        self.base_url = _normalise_base_url(base_url)
        self.preheat = bool(preheat)
        if pool_size is not None and int(pool_size) < 0:
            raise ValueError(f"--pool-size {pool_size!r} must be 0 or more (0 turns pools off)")
        self.pool_size = None if pool_size is None else int(pool_size)
        self.pools = {}
        for notebook, size in dict(pools or {}).items():
            name = str(notebook).strip()
            if not name.endswith(".ipynb") or name.startswith("/") or ".." in name.split("/"):
                raise ValueError(
                    f"--pool {notebook!r}: name a notebook in the served folder, such as "
                    "01_self_assessment.ipynb=30"
                )
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise ValueError(
                    f"--pool {name}={size!r}: the size must be a whole number, 0 or more"
                )
            self.pools[name] = size
        if int(cull_idle) < 0 or int(cull_interval) <= 0:
            raise ValueError(
                f"--cull-idle {cull_idle!r} must be 0 or more (0 = never) and the cull "
                f"interval {cull_interval!r} above 0"
            )
        self.cull_idle = int(cull_idle)
        self.cull_interval = int(cull_interval)
        if not 0 <= float(refill_delay) <= 600:
            raise ValueError(
                f"--refill-delay {refill_delay!r} must be a number of seconds from 0 to 600"
            )
        self.refill_delay = float(refill_delay)
        self.preload = bool(preload)
        self.fork = bool(fork)
        if python is None:
            import sys

            python = sys.executable
        self.python = python

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"ServeOptions({fields})"


def _normalise_base_url(base_url: str) -> str:
    base = (base_url or "/").strip()
    if "://" in base or " " in base:
        raise ValueError(f"--base-url {base_url!r} must be a path such as /kit/, not a full URL")
    if not base.startswith("/"):
        base = "/" + base
    if not base.endswith("/"):
        base += "/"
    return base


def pool_config(options: ServeOptions) -> dict:
    """``VoilaKernelManager.kernel_pools_config``: a pool size for each app notebook.

    Keys are notebook paths relative to the served folder, as Voila names its pools. Apps not
    in the catalogue get the ``default`` size (1, or ``pool_size``); ``pools`` come last.
    """
    from kit.voila.catalogue import APPS

    if options.pool_size is not None:
        config = {"default": {"pool_size": options.pool_size}}
    else:
        config = {"default": {"pool_size": 1}}
        for app in APPS:
            config[app.notebook] = {"pool_size": app.pool_size}
    for notebook, size in options.pools.items():
        config[notebook] = {"pool_size": size}
    return config


def _preheat(options: ServeOptions, pools: dict) -> bool:
    return options.preheat and any(entry["pool_size"] > 0 for entry in pools.values())


#: The Jinja filter (an import path, as nbconvert takes it) behind the page's preload hints.
PRELOAD_FILTER = "kit.voila._preload.preload_links"


def voila_config(options: ServeOptions) -> dict:
    """The settings ``kit serve`` gives Voila in a ``voila.json`` file, not on its command line.

    These are dictionaries (the landing page's catalogue, the kernel pools). traitlets 5
    deprecates a literal dictionary on the command line (``--Class.trait={...}``) and prints a
    ``DeprecationWarning`` for each one at start-up; a configuration file is the form it
    expects. :func:`write_voila_config` writes the file and :func:`voila_env` puts its folder
    on ``JUPYTER_CONFIG_PATH``, where Voila looks for ``voila.json``.
    """
    from kit.voila.catalogue import landing_config

    config: dict = {"VoilaConfiguration": {"extension_config": {"kit": landing_config()}}}
    if options.preload:
        # The kit template names learned scripts in each page's <head> through this filter.
        config["TemplateExporter"] = {"filters": {"kit_preload_links": PRELOAD_FILTER}}
    pools = pool_config(options)
    if _preheat(options, pools):
        config["VoilaKernelManager"] = {"kernel_pools_config": pools}
    return config


def write_voila_config(options: ServeOptions, folder):
    """Write :func:`voila_config` as ``<folder>/voila.json``; return its path."""
    import json
    from pathlib import Path

    path = Path(folder) / "voila.json"
    path.write_text(json.dumps(voila_config(options), indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def voila_argv(options: ServeOptions) -> list[str]:
    """The full command that runs Voila for ``options`` (pure: reads nothing, starts nothing).

    Only single values go on the command line; the dictionaries go in ``voila.json``
    (:func:`voila_config`).

    Examples
    --------
    >>> argv = voila_argv(ServeOptions("/srv/notebooks", port=9000))  # doctest: +SKIP
    >>> argv[:3]                                                        # doctest: +SKIP
    ['/usr/bin/python3', '-m', 'kit.voila._pool']
    """
    import os

    from kit.voila import TEMPLATE_NAME

    pools = pool_config(options)
    preheat = _preheat(options, pools)
    argv = [
        options.python,
        "-m",
        "kit.voila._pool",  # Voila, made safe for many visitors at once (see that module)
        str(options.root),
        "--no-browser",
        f"--Voila.port={options.port}",
        f"--Voila.ip={options.ip}",
        f"--Voila.base_url={options.base_url}",
        "--Voila.port_retries=0",
        f"--Voila.token={options.token or ''}",
        f"--VoilaConfiguration.template={TEMPLATE_NAME}",
        "--VoilaConfiguration.theme=light",
        "--VoilaConfiguration.classic_tree=True",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.http_header_envs=Cookie",
        f"--VoilaConfiguration.preheat_kernel={preheat}",
        # One ZeroMQ context for every kernel, with room for far more than libzmq's 1,023
        # sockets (about 200 kernels): see kit/voila/_room_manager.py.
        "--VoilaConfiguration.multi_kernel_manager_class="
        "kit.voila._room_manager.RoomKernelManager",
    ]
    if os.name == "posix":
        # Kernels talk to the server over Unix sockets: no TCP ports to pick, so none can be
        # taken by another process between being picked and bound (which killed a kernel
        # when 30 visitors arrived at once).
        argv.append("--KernelManager.transport=ipc")
    if preheat:
        argv += [
            f"--VoilaConfiguration.default_pool_size={pools['default']['pool_size']}",
            f"--VoilaKernelManager.fill_delay={options.refill_delay:g}",
        ]
    if options.cull_idle:
        argv += [
            f"--MappingKernelManager.cull_idle_timeout={options.cull_idle}",
            f"--MappingKernelManager.cull_interval={options.cull_interval}",
            # A tab left open all night still holds a kernel; drafts are saved at every step,
            # so culling a connected but idle kernel loses nothing that was entered.
            "--MappingKernelManager.cull_connected=True",
        ]
    return argv


def voila_env(base_env=None, config_dir=None) -> dict[str, str]:
    """The environment for the Voila process: ``base_env`` (default ``os.environ``), all
    ``KIT_*`` settings passed through, the kit's template folder first on ``JUPYTER_PATH``,
    and ``config_dir`` (the folder of :func:`write_voila_config`), when given, first on
    ``JUPYTER_CONFIG_PATH``.
    """
    import os

    from kit.voila import jupyter_data_root

    env = dict(os.environ if base_env is None else base_env)
    for variable, first in (("JUPYTER_PATH", jupyter_data_root()),
                            ("JUPYTER_CONFIG_PATH", config_dir)):
        if first is None:
            continue
        paths = [str(first)]
        if env.get(variable):
            paths += [p for p in env[variable].split(os.pathsep) if p and p not in paths]
        env[variable] = os.pathsep.join(paths)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def publish_chart_bundle(env: dict[str, str], data_dir) -> str | None:
    """Publish the chart JavaScript once as a static file of the kit template; update ``env``.

    Every Altair chart widget would otherwise carry the ~0.9 MB Vega bundle over the kernel's
    websocket (:mod:`kit.charts.display`). The bundle is written under
    ``<data_dir>/cache/voila-static/nbconvert/templates/kit/static/vendor/`` (the data folder
    is writable even when the kit is installed read-only), that folder is appended to
    ``env["JUPYTER_PATH"]`` so Voila serves it at
    ``<base_url>voila/templates/kit/static/vendor/<file>``, and ``KIT_CHART_BUNDLE_URL`` tells
    the kernels to send a small loader instead of the bundle.

    Returns
    -------
    str or None
        The bundle's address relative to the base URL, or ``None`` when it could not be
        written (charts are then sent inline, as outside ``kit serve``).
    """
    import os
    from pathlib import Path

    from kit.charts.display import BUNDLE_URL_ENV
    from kit.charts.display import publish_chart_bundle as write_bundle
    from kit.voila import TEMPLATE_NAME

    env.pop(BUNDLE_URL_ENV, None)
    root = Path(data_dir) / "cache" / "voila-static"
    folder = root / "nbconvert" / "templates" / TEMPLATE_NAME / "static" / "vendor"
    try:
        path = write_bundle(folder)
    except (OSError, ImportError):
        return None
    paths = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(root) not in paths:
        paths.append(str(root))
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    url = f"voila/templates/{TEMPLATE_NAME}/static/vendor/{path.name}"
    env[BUNDLE_URL_ENV] = url
    return url


#: The kernels' switch for :mod:`kit.voila._forking` (``0`` turns forking off).
FORK_SWITCH_ENV = "KIT_FORK_KERNELS"


def apply_fork_switch(options: ServeOptions, env: dict[str, str]) -> None:
    """Turn forked kernels off in ``env`` for ``--no-fork``.

    The kit's kernel spec (first on ``JUPYTER_PATH``, :func:`voila_env`) names the forking
    provisioner; it starts kernels the normal way when :data:`FORK_SWITCH_ENV` is ``0``. An
    operator's own ``KIT_FORK_KERNELS=0`` is kept when forking is left on here.
    """
    if not options.fork:
        env[FORK_SWITCH_ENV] = "0"


def landing_url(options: ServeOptions) -> str:
    """The address of the landing page, with the token when there is one."""
    host = options.ip
    if host in {"", "0.0.0.0", "::"}:
        host = "localhost"
    elif ":" in host:  # IPv6 literal
        host = f"[{host}]"
    url = f"http://{host}:{options.port}{options.base_url}"
    if options.token:
        from urllib.parse import quote

        url += f"?token={quote(options.token)}"
    return url


def check_database_outside(root, database_url: str) -> None:
    """Refuse a SQLite database file inside the served folder (or in one of its sub-folders).

    Raises
    ------
    ValueError
        Naming both paths and how to move the database.
    """
    from pathlib import Path

    if not database_url.startswith("sqlite"):
        return
    path_part = database_url.split("///", 1)[1] if "///" in database_url else ""
    path_part = path_part.split("?", 1)[0]
    if not path_part or path_part == ":memory:":
        return
    db = Path(path_part).expanduser().resolve()
    served = Path(root).expanduser().resolve()
    if db == served or served in db.parents:
        raise ValueError(
            f"the database {db} lies inside the served folder {served}: visitors could reach "
            f"it. Set KIT_DATA_DIR (or KIT_DATABASE_URL) to a folder outside {served}."
        )


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
            preheat=args.preheat, pool_size=args.pool_size, pools=_parse_pools(args.pool),
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
        return _start(options, argv, env, settings, cleanup=config_dir)


def _start(options: ServeOptions, argv: list[str], env: dict[str, str], settings,
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
    return _run(argv, env, cwd=options.root, cleanup=cleanup)


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


def _parse_pools(values: list[str]) -> dict[str, int]:
    """``["a.ipynb=3", ...]`` from ``--pool`` into ``{"a.ipynb": 3}``; ValueError naming a bad one."""
    pools = {}
    for value in values:
        name, sep, size = value.partition("=")
        try:
            number = int(size)
        except ValueError:
            number = None
        if not sep or not name.strip() or number is None:
            raise ValueError(
                f"--pool {value!r} should be NOTEBOOK=N, for example 01_self_assessment.ipynb=30"
            )
        pools[name.strip()] = number
    return pools


def _run(argv: list[str], env: dict, cwd, cleanup=None) -> int:
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
        except OSError:  # cannot replace this process: run Voila from here instead
            pass
    return run(argv, str(cwd), env)
