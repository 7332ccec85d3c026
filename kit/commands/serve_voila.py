"""The Voila command ``kit serve`` runs, built without starting anything.

Single values go on Voila's command line (:func:`voila_argv`, pure); the settings that are
dictionaries go in a ``voila.json`` (:func:`voila_config`, written by
:func:`write_voila_config`) in a folder that :func:`voila_env` puts first on
``JUPYTER_CONFIG_PATH``. Also here: the chart bundle published as a static file, the switch
for forked kernels, the landing page's address and the check that the SQLite database is not
served. :mod:`kit.commands.serve` re-exports every name; heavy imports happen inside functions.
"""

from __future__ import annotations

import logging

from kit.commands.serve_options import ServeOptions

__all__ = [
    "pool_config",
    "voila_config",
    "write_voila_config",
    "voila_argv",
    "voila_env",
    "publish_chart_bundle",
    "apply_fork_switch",
    "landing_url",
    "check_database_outside",
    "PRELOAD_FILTER",
    "FORK_SWITCH_ENV",
]

_log = logging.getLogger(__name__)


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
    except (OSError, ImportError) as exc:
        # kit serve says charts are sent inline; the cause goes to the log
        _log.warning("could not write the chart bundle to %s (%s: %s)", folder,
                     type(exc).__name__, exc)
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
