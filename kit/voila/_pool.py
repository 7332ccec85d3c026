"""Preheated kernels that survive many visitors at once: the launcher ``kit serve`` runs.

``kit serve`` starts Voila as ``python -m kit.voila._pool ...`` rather than ``python -m
voila ...``. This module then does five things before handing over to Voila's own ``main``:

1. **Executor time limits fit a loaded server** (:data:`EXECUTOR_DEFAULTS`, added to the
   command line unless it already sets them). nbclient waits only 4 seconds, after a cell's
   reply, for the rest of the cell's output (``iopub_timeout``), then carries on *without it*.
   When 30 visitors arrive together on 2 cores, the server falls that far behind on the
   hundreds of widget messages an app sends, and the page arrives without the app: the
   visitor sees an empty page for ever. Kernel start-up is likewise allowed 60 seconds
   (``startup_timeout``), too few when 30 kernels start at once.

2. **The request details always reach the pooled kernel** (:func:`install`, server side). In
   Voila 0.5.13 ``RequestInfoSocketHandler`` drops the details when it writes them to a
   connection that has just closed, and on a close it may delete *another* kernel's waiter.
   The patched handler keeps each kernel's details until that kernel acknowledges them, sends
   them again whenever the kernel reconnects, and removes only its own waiter.

3. **The pooled kernel keeps asking until it has them**: the kernel side, in
   :mod:`kit.voila._kernel` (:func:`~kit.voila._kernel.receive_request_info`, used by
   :func:`kit.voila.wait_for_visitor`), kept apart so that kernels never load these patches.

4. **A closed page gives its kernel back at once** (:func:`install`, server side). When a
   visitor closes an app page, Voila's page script posts ``<base>voila/api/shutdown/<kernel
   id>`` with the ``_xsrf`` cookie's value as the cross-site request token. Voila 0.5.13 never
   sets that cookie on an app page (only its file-list page does), so the post went out with
   an empty token, was refused (403 ``'_xsrf' argument missing``) and the kernel lived on
   until the idle cull. The patched page handler issues the cookie, as JupyterLab's pages do,
   to visitors who have passed authentication. The check itself is unchanged: every other
   post still needs a token that matches the visitor's own cookie.

5. **A page whose kernel fails to start ends with a message** (:func:`install`, server
   side). When a kernel dies while starting (seen with 30 visitors at once: a port it was
   given was taken before it could bind it), Voila 0.5.13 drops the error inside a
   background task and the visitor's page keeps loading for ever. The patched renderer
   logs the error and ends the page with "This page could not start ... Try again". ``kit
   serve`` also gives kernels Unix-socket (``ipc``) transport, so there are no ports to race
   for in the first place.

Nothing here is imported by ``import kit`` or ``import kit.voila``, nor by a kernel.
"""

from __future__ import annotations

import logging
import os
import sys

# The handover protocol the kernel side speaks (kit/voila/_kernel.py).
from kit.voila._kernel import ACK, HANDOVER_ENV

__all__ = [
    "ACK",
    "EXECUTOR_DEFAULTS",
    "HANDOVER_ENV",
    "PAGE_FAILED_HTML",
    "READY_MESSAGE",
    "install",
    "issue_xsrf_cookie",
    "main",
    "with_executor_defaults",
]

#: ``--VoilaExecutor.*`` defaults for a server that may be far behind (seconds).
EXECUTOR_DEFAULTS = {"iopub_timeout": 120, "startup_timeout": 300}

#: Request details kept for kernels that have not acknowledged them (oldest dropped first).
MAX_CACHED = 2000


# -------------------------------------------------------------------------------- server side


def _retrieve(future) -> None:
    """Done-callback: read a write's exception so asyncio does not log it as never retrieved."""
    if not future.cancelled():
        future.exception()


def _write(handler, payload) -> None:
    """Send ``payload`` on ``handler``; a closed connection is fine (the kernel reconnects)."""
    from tornado.websocket import WebSocketClosedError

    try:
        future = handler.write_message(payload)
    except WebSocketClosedError:
        return
    if future is not None:
        future.add_done_callback(_retrieve)


#: The log line for a preheated kernel that has run up to its visitor's arrival.
READY_MESSAGE = "Kernel %s of %s is ready for its visitor"


def _open(self, kernel_id: str) -> None:
    cls = _handler_class()
    self._kit_kernel_id = kernel_id
    cls._waiters[kernel_id] = self
    payload = cls._cache.get(kernel_id)
    if payload is not None:
        _write(self, payload)
    elif kernel_id not in _announced:
        _announced.add(kernel_id)
        _announce_ready(self, kernel_id)


#: Kernels reported ready and still waiting (a waiting kernel reconnects now and then);
#: a kernel leaves the set when it acknowledges its visitor's details.
_announced: set[str] = set()


def _announce_ready(handler, kernel_id: str) -> None:
    """Log that a pooled kernel waits for its visitor: its notebook has run as far as it can
    ahead of time, so a page opened now only waits for the visitor's part. (Voila's own
    "pool is filled" line comes when the kernel has started, seconds earlier.)"""
    log = logging.getLogger("Voila")
    manager = handler.settings.get("kernel_manager")
    try:
        # Voila's private look-up (fenced: kit/voila/_fence.py).
        name = manager._get_notebook_from_kernel(kernel_id) or "?"
    except Exception:  # noqa: BLE001 - logged with what is lost; the kernel still waits
        log.warning("could not tell which notebook kernel %s runs, so its 'ready' line names "
                    "none", kernel_id, exc_info=True)
        name = "?"
    log.info(READY_MESSAGE, kernel_id, name)


def _on_message(self, message) -> None:
    if message == ACK:
        kernel_id = getattr(self, "_kit_kernel_id", None)
        _handler_class()._cache.pop(kernel_id, None)
        _announced.discard(kernel_id)


def _on_close(self) -> None:
    cls = _handler_class()
    kernel_id = getattr(self, "_kit_kernel_id", None)
    if kernel_id is not None and cls._waiters.get(kernel_id) is self:
        del cls._waiters[kernel_id]


def _send_updates(cls, msg: dict) -> None:
    kernel_id, payload = msg["kernel_id"], msg["payload"]
    cache = cls._cache
    cache.pop(kernel_id, None)
    cache[kernel_id] = payload  # kept until the kernel acknowledges it
    while len(cache) > MAX_CACHED:
        cache.pop(next(iter(cache)))
    waiter = cls._waiters.get(kernel_id)
    if waiter is not None:
        _write(waiter, payload)


def _handler_class():
    from voila.request_info_handler import RequestInfoSocketHandler

    return RequestInfoSocketHandler


def issue_xsrf_cookie(handler) -> None:
    """Make sure a page response carries the visitor's ``_xsrf`` cookie.

    Reading tornado's ``handler.xsrf_token`` sets the cookie when the request has none (and
    leaves an existing one alone). Only for a ``GET``/``HEAD`` that passed authentication and
    has not already been answered (for example by a redirect to the login page).

    Parameters
    ----------
    handler : tornado.web.RequestHandler
        The page's handler, after its ``prepare``.
    """
    if handler.request.method not in ("GET", "HEAD"):
        return
    # Tornado's private _finished (fenced: kit/voila/_fence.py, RequestHandler.finish).
    if handler._finished or not handler.current_user:
        return
    handler.xsrf_token  # noqa: B018 - the property sets the cookie


def _page_handler_class():
    from voila.handler import VoilaHandler

    return VoilaHandler


async def _page_prepare(self, *args, **kwargs):
    # JupyterHandler.prepare authenticates (and checks the token on posts); then the cookie.
    result = await super(_page_handler_class(), self).prepare(*args, **kwargs)
    issue_xsrf_cookie(self)
    return result


#: Shown instead of an app when its page cannot be built (for example, its kernel died while
#: starting). Plain text, no user input: nothing here needs escaping.
PAGE_FAILED_HTML = """
<script>
(function () {
  var spinner = document.getElementById("loading");
  if (spinner) { spinner.parentNode.removeChild(spinner); }
  var box = document.createElement("div");
  box.className = "kit-page-failed";
  box.setAttribute("role", "alert");
  box.innerHTML = "<h1>This page could not start</h1>"
    + "<p>The server was too busy to open it just now. Nothing you saved is lost.</p>"
    + "<p><button type='button' onclick='location.reload()'>Try again</button></p>";
  (document.body || document.documentElement).appendChild(box);
})();
</script>
<noscript><p>This page could not start. Reload it to try again; nothing you saved is lost.</p></noscript>
"""


def _guard_page(generate):
    """Wrap ``NotebookRenderer.generate_content_generator`` so that a failure ends the page
    with :data:`PAGE_FAILED_HTML` (and a log line) instead of leaving it loading for ever."""

    def generate_content_generator(self, kernel_id=None, kernel_future=None):
        inner = generate(self, kernel_id, kernel_future)

        async def guarded():
            try:
                async for item in inner:
                    yield item
            except Exception:  # noqa: BLE001 - the visitor gets a page that says so
                logging.getLogger("Voila").exception(
                    "could not build %s for a visitor (kernel %s); the page asks them to "
                    "try again", getattr(self, "notebook_path", "?"), kernel_id)
                yield PAGE_FAILED_HTML, {}

        return guarded()

    generate_content_generator._kit_guarded = True
    return generate_content_generator


def install() -> None:
    """Patch Voila in place (idempotent): ``RequestInfoSocketHandler`` keeps each kernel's
    request details until acknowledged, and the app page handler (``VoilaHandler``) issues the
    ``_xsrf`` cookie its close-the-page shutdown request needs. Sets :data:`HANDOVER_ENV` so
    kernels started from now on know the server is patched."""
    cls = _handler_class()
    page = _page_handler_class()
    from voila.notebook_renderer import NotebookRenderer

    if not getattr(cls, "_kit_patched", False):
        # Every target must still be the code these patches were written for (kit/voila/_fence.py).
        from kit.voila._fence import check

        check(packages=("voila",))
    if not getattr(cls, "_kit_patched", False):
        # Upstream: Voila 0.5.13 loses request details written to a just-closed connection.
        cls.open = _open
        # Upstream: no acknowledgement, so details cannot be kept until the kernel has them.
        cls.on_message = _on_message
        # Upstream: a closing connection may delete another kernel's waiter.
        cls.on_close = _on_close
        # Upstream: details sent while the kernel is not connected are forgotten.
        cls.send_updates = classmethod(_send_updates)
        cls._kit_patched = True
    if not getattr(page, "_kit_patched", False):
        # Upstream: app pages never get the _xsrf cookie, so closing one cannot free its kernel.
        page.prepare = _page_prepare
        page._kit_patched = True
    if not getattr(NotebookRenderer.generate_content_generator, "_kit_guarded", False):
        # Upstream: a kernel start-up error is dropped in a task; the page loads for ever.
        NotebookRenderer.generate_content_generator = _guard_page(
            NotebookRenderer.generate_content_generator)
    os.environ[HANDOVER_ENV] = "1"


def with_executor_defaults(argv: list[str]) -> list[str]:
    """``argv`` plus ``--VoilaExecutor.<name>=<value>`` for each of :data:`EXECUTOR_DEFAULTS`
    it does not already set."""
    out = list(argv)
    for name, value in EXECUTOR_DEFAULTS.items():
        flag = f"--VoilaExecutor.{name}"
        if not any(a == flag or a.startswith(flag + "=") for a in out):
            out.append(f"{flag}={value}")
    return out


def main(argv: list[str] | None = None):
    """Run Voila with :func:`install` applied and the executor defaults added."""
    from kit.voila import _network
    from kit.voila._fence import FenceError

    try:
        install()
        _network.install()  # compression and long cache lifetimes (see that module)
    except FenceError as exc:
        print(f"kit serve: {exc}", file=sys.stderr)
        return 1
    args = with_executor_defaults(sys.argv[1:] if argv is None else argv)
    sys.argv = [sys.argv[0], *args]
    from voila.app import main as voila_main

    return voila_main()


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy's: the patched methods then
    # belong to kit.voila._pool, which is how the fence (kit/voila/_fence.py) tells an
    # already-patched target from a changed upstream one.
    from kit.voila._pool import main as _main

    sys.exit(_main())
