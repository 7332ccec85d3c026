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
``kit serve`` names it through Voila's public setting
``VoilaConfiguration.multi_kernel_manager_class``; no private code is patched.

Server side only: kernels never import this module.
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Int, default

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
