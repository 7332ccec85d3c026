"""The server's kernel manager, with room for a whole programme's kernels.

The Voila server talks to every kernel through one ZeroMQ context (jupyter_client's
``shared_context``). libzmq lets a context hold 1,023 sockets unless told otherwise
(``ZMQ_MAX_SOCKETS``), and the server keeps about five per kernel (shell, control, iopub,
stdin, heartbeat) plus those of each open page. At about 200 kernels the server could
open no more: pages failed with ``zmq.error.ZMQError: Too many open files`` while memory
and CPU were still free (measured, ``docs/benchmarks.md``, "The room").

:class:`RoomKernelManager` is jupyter_server's ``AsyncMappingKernelManager`` with one
difference: the context it creates allows :attr:`RoomKernelManager.max_sockets` sockets, set
*before* its first socket (libzmq reads the limit when the context starts), and the
process's open-file limit is raised to its hard limit so the sockets' descriptors fit.
It also **lets a kernel finish what its page sent before shutting it down**. When a visitor
reloads or closes a page, the page sends its last keystrokes to the kernel over the page's
connection and, at the same moment, asks the server to shut the kernel down (Voila's
``voila/api/shutdown``) over another. The shutdown travels on the kernel's control channel,
which the kernel serves first, so on a busy machine the last words could be dropped. A polite
shutdown here first waits (at most :attr:`RoomKernelManager.finish_timeout` seconds) until
the page's connection has closed, so everything it sent has reached the kernel's queue, then
asks the kernel twice for its ``kernel_info`` on the shell channel: each reply comes after the
messages queued before it. Only then does the usual shutdown run.

``kit serve`` names it through Voila's public setting
``VoilaConfiguration.multi_kernel_manager_class``; no private code is patched.

Server side only: kernels never import this module.
"""

from __future__ import annotations

import asyncio
import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Int, default

__all__ = ["DEFAULT_MAX_SOCKETS", "RoomKernelManager", "raise_open_file_limit"]

#: Sockets one server's context may hold: 16 per kernel for 1,000 kernels, far above what
#: 8 GB can hold (about 45 MB per kernel with its app built).
DEFAULT_MAX_SOCKETS = 16_384



def raise_open_file_limit(wanted: int) -> int:
    """Raise this process's soft open-file limit towards ``wanted`` (never above the hard
    limit, never lowered); return the soft limit now in force (``wanted`` where the platform
    has no such limit)."""
    try:
        import resource
    except ImportError:  # not POSIX
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < ceiling:
        resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))
        soft = ceiling
    return wanted if soft == resource.RLIM_INFINITY else soft


class RoomKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` whose shared ZeroMQ context holds enough sockets for
    hundreds of kernels (see the module's text)."""

    max_sockets = Int(
        DEFAULT_MAX_SOCKETS,
        help="Sockets the server's ZeroMQ context may hold (libzmq's own default is 1,023, "
             "enough for about 200 kernels). Limited by the process's open-file limit.",
    ).tag(config=True)

    @default("context")
    def _context_default(self):
        import zmq

        # Each socket holds at least one descriptor (its mailbox); keep some for the rest.
        files = raise_open_file_limit(self.max_sockets + 1024)
        sockets = max(1023, min(self.max_sockets, files - 1024))
        # The parent's default makes a new asyncio context and marks it as this manager's own
        # (closed when the manager goes); no socket exists on it yet.
        context = super()._context_default()
        context.set(zmq.MAX_SOCKETS, sockets)  # before the first socket, or it has no effect
        got = context.get(zmq.MAX_SOCKETS)
        if got < sockets:
            self.log.warning("The server's ZeroMQ context allows %d sockets (asked for %d): "
                         "about %d kernels at once.", got, sockets, got // 5)
        else:
            self.log.info("The server's ZeroMQ context allows %d sockets.", got)
        return context

    finish_timeout = Float(
        5.0,
        help="Seconds a polite shutdown waits for a kernel to handle what its page sent "
             "before the request to shut it down (0: do not wait).",
    ).tag(config=True)

    async def shutdown_kernel(self, kernel_id, now=False, restart=False):
        if not now and not restart and self.finish_timeout > 0:
            try:
                await self.let_kernel_finish(kernel_id, self.finish_timeout)
            except Exception as exc:  # noqa: BLE001 - the shutdown itself must still happen
                self.log.warning("kit: kernel %s: could not wait for its last messages (%s); "
                                 "shutting it down now.", kernel_id, exc)
        return await super().shutdown_kernel(kernel_id, now=now, restart=restart)

    async def let_kernel_finish(self, kernel_id: str, timeout: float) -> bool:
        """Wait until the kernel's page connections have closed and the kernel has handled
        every message queued before now (two ``kernel_info`` round trips on the shell
        channel); at most ``timeout`` seconds. True when it finished in time."""
        deadline = time.monotonic() + timeout
        if kernel_id not in self:
            return True
        km = self.get_kernel(kernel_id)
        if not await km.is_alive():
            return True
        while self.kernel_model(kernel_id).get("connections", 0) > 0:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)
        client = km.client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            for _ in range(2):
                msg_id = client.kernel_info()
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    try:
                        reply = await client.get_shell_msg(timeout=left)
                    except Exception:  # noqa: BLE001 - queue.Empty: out of time
                        return False
                    if reply.get("parent_header", {}).get("msg_id") == msg_id:
                        break
            return True
        finally:
            client.stop_channels()
