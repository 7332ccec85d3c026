"""Closing an app page shuts its kernel down at once, and leaves every other kernel alone.

Voila's page script posts ``voila/api/shutdown/<kernel id>`` as the page unloads, with the
``_xsrf`` cookie's value as its cross-site token; the server must have issued that cookie with
the page (kit.voila._pool) or the post is refused and the kernel waits for the idle cull.
Kernels are found as processes under the ``kit serve`` process (each is started with
``-f .../kernel-<id>.json``), so the count does not depend on any kernels API.
"""

from __future__ import annotations

import re
import time

import psutil
from browser_support import PROBE_NOTEBOOK

KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json$")


def running_kernels(server_pid: int) -> set[str]:
    """Ids of the kernels running under the ``kit serve`` process ``server_pid``."""
    ids = set()
    for proc in psutil.Process(server_pid).children(recursive=True):
        try:
            cmdline = proc.cmdline()
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            continue
        if proc.status() == psutil.STATUS_ZOMBIE:
            continue
        for arg in cmdline:
            match = KERNEL_FILE.search(arg)
            if match:
                ids.add(match.group(1))
    return ids


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def test_closing_the_page_shuts_its_kernel_down(visit, kit_server):
    v = visit(PROBE_NOTEBOOK)
    page_kernel = v.page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    assert page_kernel
    assert "_xsrf" in {c["name"] for c in v.context.cookies()}, "the page set no _xsrf cookie"
    assert wait_until(lambda: page_kernel in running_kernels(kit_server.proc.pid), 10), (
        f"the page's kernel {page_kernel} is not among the server's kernel processes"
    )
    others = running_kernels(kit_server.proc.pid) - {page_kernel}
    log_start = kit_server.log.stat().st_size

    v.page.close(run_before_unload=True)

    assert wait_until(lambda: page_kernel not in running_kernels(kit_server.proc.pid), 20), (
        f"kernel {page_kernel} still runs 20 s after its page closed:\n"
        + kit_server.log.read_text(errors="replace")[log_start:][-3000:]
    )
    assert others <= running_kernels(kit_server.proc.pid), "closing one page ended other kernels"
    with open(kit_server.log, "rb") as log:
        log.seek(log_start)
        new_lines = log.read().decode(errors="replace").splitlines()
    refused = [line for line in new_lines if "shutdown" in line and " 403 " in line]
    assert not refused, refused


def test_a_shutdown_post_without_the_token_is_still_refused(browser, kit_server):
    """The cookie is issued; the check is not relaxed: a post with no token gets 403."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(kit_server.url)  # the visitor now holds an _xsrf cookie
    kernels = running_kernels(kit_server.proc.pid)
    target = next(iter(kernels))
    response = context.request.post(f"{kit_server.url}voila/api/shutdown/{target}")
    assert response.status == 403
    assert target in running_kernels(kit_server.proc.pid)
    context.close()
