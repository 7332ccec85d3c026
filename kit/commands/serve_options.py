"""The options of ``kit serve``, checked: :class:`ServeOptions` and the defaults it starts from.

Used by :mod:`kit.commands.serve` (which re-exports these names); imports nothing heavy.
"""

from __future__ import annotations

__all__ = [
    "ServeOptions",
    "DEFAULT_PORT",
    "DEFAULT_IP",
    "DEFAULT_CULL_IDLE",
    "DEFAULT_CULL_INTERVAL",
    "DEFAULT_REFILL_DELAY",
    "parse_pools",
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


def parse_pools(values: list[str]) -> dict[str, int]:
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
