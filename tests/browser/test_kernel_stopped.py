"""A page whose kernel stopped says so, and a reload gives a working page (issue 27: a child
that leaks memory is stopped by the memory guard; a kernel can also crash). Nothing typed
before is lost: answers are saved as they are typed (tests/browser/test_no_data_loss.py)."""

from __future__ import annotations

import os
import signal

import psutil
from browser_support import PROBE_NOTEBOOK, wait_rendered
from playwright.sync_api import expect
from test_shutdown import running_kernels, wait_until


def test_a_stopped_kernel_is_said_and_a_reload_works(visit, kit_server):
    v = visit(PROBE_NOTEBOOK)
    page = v.page
    kernel = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    assert wait_until(lambda: kernel in running_kernels(kit_server.proc.pid), 30)
    expect(page.locator("#kit-stopped")).to_have_count(0)
    [proc] = [p for p in psutil.Process(kit_server.proc.pid).children(recursive=True)
              if any(kernel in a for a in p.cmdline())]
    os.kill(proc.pid, signal.SIGKILL)  # as the memory guard or a crash would end it

    alert = page.get_by_role("alert").filter(has_text="This page has stopped working")
    expect(alert).to_be_visible(timeout=60_000)
    again = alert.get_by_role("button", name="Reload the page")
    expect(again).to_be_focused()
    again.click()
    wait_rendered(page)
    expect(page.locator("#kit-stopped")).to_have_count(0)
    fresh = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    assert fresh and fresh != kernel


def test_a_server_restarted_mid_session_loses_nothing_typed(browser, kit_server, tmp_path):
    """The server stops and starts again (same address, same database) while a participant is
    writing: the page says it stopped, and a reload gives a working page with their words."""
    import os as _os

    from browser_support import free_port, kit_serve

    code = kit_server.new_participant("Writer through a restart")
    env = dict(_os.environ)
    env.update(KIT_DATA_DIR=str(kit_server.data_dir), KIT_TODAY=env.get("KIT_TODAY", "2026-03-02"))
    for name in ("KIT_DATABASE_URL", "KIT_DEMO", "JUPYTERHUB_USER"):
        env.pop(name, None)
    port = free_port()
    log = tmp_path / "serve.log"
    words = "After the joint visit we agreed to share the rota"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        with kit_serve(kit_server.root, env, log, "--pool-size", "0", port=port) as (url, _, _p):
            context.add_cookies([{"name": "kit_resume", "value": code, "url": url}])
            page = context.new_page()
            page.set_default_timeout(120_000)
            page.set_default_navigation_timeout(240_000)
            page.goto(f"{url}voila/render/02_reflection_journal.ipynb")
            wait_rendered(page)
            page.get_by_role("button", name="Start this reflection").click()
            box = page.get_by_label("Your answer", exact=True)
            box.click()
            page.keyboard.type(words)
            page.locator(".kit-save-status").get_by_text("Saved", exact=True).wait_for()
        # the server has stopped
        alert = page.get_by_role("alert").filter(has_text="This page has stopped working")
        expect(alert).to_be_visible(timeout=120_000)
        with kit_serve(kit_server.root, env, log, "--pool-size", "0", port=port):
            alert.get_by_role("button", name="Reload the page").click()
            wait_rendered(page)
            page.get_by_text(words).first.wait_for(state="attached")
            expect(page.locator("#kit-stopped")).to_have_count(0)
    finally:
        context.close()
