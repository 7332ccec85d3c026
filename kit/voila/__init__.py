"""Helpers for running the kit's apps under Voila.

* :func:`wait_for_visitor` lets an app notebook do its slow imports in a preheated kernel
  before anyone opens the page, then pause until a visitor arrives and their request details
  (cookies, query string) are in ``os.environ``.
* :func:`prewarm` does the one-off work that would otherwise delay the first paint.
* :func:`jupyter_data_root` is the folder ``kit serve`` adds to ``JUPYTER_PATH`` so that Voila
  finds the kit's own template (``nbconvert/templates/kit``): a landing page listing the apps,
  and pages that fetch nothing from the network.

Usage in a notebook of your own (sources are stripped when served, so visitors never see it)::

    # cell 1: slow imports, done while the kernel waits in the pool
    import os
    from kit.voila import prewarm, wait_for_visitor
    prewarm()
    # cell 2: pause here until someone opens the page (no-op outside a preheated kernel)
    wait_for_visitor()
    # cell 3: os.environ now describes this visitor (HTTP_COOKIE, QUERY_STRING, ...)

The kit's own apps do the waiting inside ``App.from_environment()``, so their notebooks are
just ``from kit.apps.x import XApp`` (cell 1) and ``XApp.from_environment()`` (cell 2).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "TEMPLATE_NAME",
    "in_preheated_kernel",
    "jupyter_data_root",
    "prewarm",
    "wait_for_visitor",
]

#: The Voila template ``kit serve`` uses (``--template=kit``).
TEMPLATE_NAME = "kit"

_visitor_arrived = False


def jupyter_data_root() -> Path:
    """The Jupyter data folder holding ``nbconvert/templates/kit`` (prepend to ``JUPYTER_PATH``)."""
    return Path(__file__).resolve().parent / "jupyter"


def in_preheated_kernel() -> bool:
    """True inside a Voila kernel started ahead of time for a pool, before its visitor arrived."""
    return os.environ.get("VOILA_PREHEAT") == "True" and not _visitor_arrived


def wait_for_visitor() -> None:
    """Block until a visitor opens the page, when running in a preheated Voila kernel.

    In a preheated kernel the notebook runs before anyone asks for it. Code above this call
    runs ahead of time (put slow imports there); code below runs once a visitor has arrived,
    with their request in ``os.environ``: ``HTTP_COOKIE`` (``kit serve`` forwards the Cookie
    header), ``QUERY_STRING``, ``SCRIPT_NAME``. Everywhere else (JupyterLab, nbval, a cold
    Voila kernel, which gets the request from the start) it returns at once. Calling it twice
    is harmless.
    """
    global _visitor_arrived
    if not in_preheated_kernel():
        return
    # kit.voila._kernel reconnects until the details arrive (Voila's wait_for_request gives up
    # after one failed connection and leaves the kernel without the visitor's cookie).
    from kit.voila._kernel import receive_request_info

    try:
        details = receive_request_info()
    except KeyboardInterrupt:
        _leave_quietly()
    os.environ.update(details)
    _visitor_arrived = True


def _leave_quietly() -> None:
    """End a pooled kernel that was interrupted while waiting for its visitor.

    Nobody has this kernel yet, so an interrupt means the server is stopping it (Ctrl+C) or
    retiring it: jupyter_client interrupts a kernel just before asking it to shut down.
    Letting the interrupt end the cell makes ipykernel send the cell's reply on a socket the
    shutdown is closing, and the console shows a ``zmq.error.ZMQError: Socket operation on
    non-socket`` traceback. The kernel holds nothing of anyone's yet: it ends at once instead.
    """
    os._exit(0)


def _quiet_interrupts_before_visitor() -> None:
    """In a pooled kernel, let an interrupt that comes before the visitor end the kernel
    quietly (:func:`_leave_quietly`) in every cell: the imports, :func:`prewarm` and the wait.

    ipykernel sets Python's own interrupt handler for each cell it runs and restores its own
    afterwards, so the kit's handler is set now (for the cell importing this module) and again
    at the start of each later cell (IPython's ``pre_run_cell`` event). Once the visitor has
    arrived an interrupt behaves as usual. Does nothing outside a preheated kernel.
    """
    if not in_preheated_kernel():
        return
    import signal

    def on_interrupt(signum, frame):
        if in_preheated_kernel():
            _leave_quietly()
        raise KeyboardInterrupt

    def arm(*_args) -> None:
        if in_preheated_kernel():
            try:
                signal.signal(signal.SIGINT, on_interrupt)
            except ValueError:  # not the main thread: the wait's own except still applies
                pass

    arm()
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.events.register("pre_run_cell", arm)


_quiet_interrupts_before_visitor()


def prewarm() -> None:
    """Do the slow one-off work of a first chart and widget before a visitor arrives.

    Imports ipywidgets, pandas and Altair, loads the offline Vega bundle from the disk cache
    (:func:`kit.charts.display.enable_offline`) and validates a tiny chart so that Altair's
    JSON Schema validator is built. Safe to call more than once; failures are ignored (the app
    then pays the cost on first use instead).
    """
    from kit.voila._prewarm import run

    run()
