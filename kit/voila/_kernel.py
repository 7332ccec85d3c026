"""The kernel side of the visitor handover: a pooled kernel waits for its visitor's details.

Runs inside a preheated Voila kernel (through :func:`kit.voila.wait_for_visitor`), never in the
server. The server side, which keeps each kernel's details until that kernel acknowledges them,
is the patched request-details handler in :mod:`kit.voila._pool`; the two meet only through
the constants below and the ``voila/query/<kernel id>`` socket. This module imports nothing
from the server side, so a kernel never loads the server's patches (an import-linter contract
in ``pyproject.toml`` keeps it so).

Voila's own ``wait_for_request`` gives up after a 5-second connection timeout and does not
catch a dropped connection, leaving the kernel without the visitor's cookie.
:func:`receive_request_info` reconnects after any failure, and every ``retry_every`` seconds,
until the details arrive, then acknowledges them. It builds the socket's address from the same
``VOILA_*`` environment variables as Voila's (fenced in :mod:`kit.voila._fence`).
"""

from __future__ import annotations

import os

__all__ = ["ACK", "HANDOVER_ENV", "receive_request_info", "request_info_url"]

#: What a kernel sends back once it has the request details (the server then forgets them).
ACK = "kit:received"

#: Set in the Voila process (and so in every kernel it starts) once the server side is patched
#: (:func:`kit.voila._pool.install`): it tells kernels the server resends details on reconnect,
#: so reconnecting is safe.
HANDOVER_ENV = "KIT_VOILA_HANDOVER"


def request_info_url(environ=None) -> str | None:
    """The ``ws://.../voila/query/<kernel id>`` address of this kernel's request details, or
    ``None`` outside a Voila kernel (built as Voila's ``wait_for_request`` builds it)."""
    env = os.environ if environ is None else environ
    kernel_id = env.get("VOILA_KERNEL_ID")
    if not kernel_id:
        return None
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    ip = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{ip}:{port}{base}voila/query/{kernel_id}"


async def _fetch(url: str, open_timeout: float, retry_every: float | None, pause: float) -> str:
    import asyncio

    import websockets

    while True:
        try:
            async with websockets.connect(
                url, open_timeout=open_timeout, ping_interval=None, max_size=None
            ) as ws:
                message = await asyncio.wait_for(ws.recv(), retry_every)
                try:
                    await ws.send(ACK)
                except Exception:  # noqa: BLE001 - the details are here; the ack is a courtesy
                    pass
                return message
        except (TimeoutError, OSError, websockets.exceptions.WebSocketException):
            await asyncio.sleep(pause)


def receive_request_info(
    url: str | None = None,
    *,
    open_timeout: float = 60.0,
    retry_every: float | None = None,
    pause: float = 0.5,
) -> dict[str, str]:
    """Wait for this preheated kernel's visitor; return their request details.

    Connects to the server's request-details socket and waits. A connection that fails to
    open, drops, or (every ``retry_every`` seconds) stays silent is replaced by a new one,
    ``pause`` seconds later, for as long as it takes. The patched server
    (:func:`kit.voila._pool.install`) sends the details again on every new connection until they are acknowledged, so none is
    lost.

    Parameters
    ----------
    url : str, optional
        The socket address; default :func:`request_info_url`.
    open_timeout : float
        Seconds allowed to open one connection.
    retry_every : float or None
        Reconnect after this many silent seconds. ``None`` means 30 when the server is
        patched (:data:`HANDOVER_ENV` set) and never otherwise (an unpatched Voila could lose
        another kernel's waiter when an old connection closes).
    pause : float
        Seconds between attempts.

    Returns
    -------
    dict
        The details (``HTTP_COOKIE``, ``QUERY_STRING``, ``SCRIPT_NAME``...), all strings.

    Raises
    ------
    RuntimeError
        Outside a Voila kernel (no ``VOILA_KERNEL_ID`` and no ``url``).
    """
    import asyncio
    import json
    import threading

    url = url or request_info_url()
    if url is None:
        raise RuntimeError(
            "no VOILA_KERNEL_ID in the environment: receive_request_info() only works in a "
            "kernel started by Voila with preheat_kernel=True"
        )
    if retry_every is None and os.environ.get(HANDOVER_ENV) == "1":
        retry_every = 30.0
    box: dict = {}

    def run() -> None:  # the kernel's own event loop is busy running this cell
        try:
            box["message"] = asyncio.run(_fetch(url, open_timeout, retry_every, pause))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="kit-wait-for-visitor", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    data = json.loads(box["message"])
    return {str(k): str(v) for k, v in data.items()}
