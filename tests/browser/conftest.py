"""One ``kit serve`` and one headless Chromium for the whole browser session.

* ``kit_server``: a temporary data folder with the demo cohort seeded, the kit's notebooks
  (copied, plus a test-only probe notebook) served by ``kit serve`` on a free loopback port
  with pools of one kernel, stopped at the end.
* ``browser``: Debian's Chromium through Playwright (``chromium_path`` from tests/conftest.py
  skips locally and fails under CI=true when it is missing).
* ``visit``: opens an app page in a fresh context (optionally with a ``kit_resume`` cookie),
  records every request, waits until Voila has rendered, and checks that nothing left the
  machine and no error or traceback is on the page.

Every test in this folder is marked ``browser``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from browser_support import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    PROBE_NOTEBOOK,
    KitServer,
    Visit,
    kit_serve,
    wait_rendered,
    write_probe_notebook,
)


def pytest_collection_modifyitems(config, items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)

@pytest.fixture(scope="session")
def kit_server(tmp_path_factory, chromium_path) -> KitServer:
    from kit._paths import notebooks_dir
    from kit.config import get_settings

    base = tmp_path_factory.mktemp("kit-serve")
    data_dir = base / "data"
    root = base / "notebooks"
    data_dir.mkdir()
    shutil.copytree(notebooks_dir(), root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    write_probe_notebook(root / PROBE_NOTEBOOK)
    database_url = f"sqlite:///{data_dir / 'kit.db'}"

    env = dict(os.environ)
    env.update(KIT_DATA_DIR=str(data_dir), KIT_TODAY=env.get("KIT_TODAY", "2026-03-02"))
    for name in ("KIT_DATABASE_URL", "KIT_DEMO", "JUPYTERHUB_USER"):
        env.pop(name, None)

    # Seed with the same settings the server will read.
    saved = {k: os.environ.get(k) for k in ("KIT_DATA_DIR", "KIT_DATABASE_URL")}
    os.environ["KIT_DATA_DIR"] = str(data_dir)
    os.environ.pop("KIT_DATABASE_URL", None)
    get_settings.cache_clear()
    try:
        from kit.store import Store

        try:
            from kit.demo import seed_demo
        except ImportError as exc:  # the demo seeder is written alongside; needed in CI
            if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
                raise
            codes = None
            print(f"browser tests: no demo cohort ({exc}); tests that need it skip")
            with Store(database_url):
                pass
        else:
            with Store(database_url) as store:
                codes = seed_demo(store)
        from kit.charts.display import enable_offline

        enable_offline()  # build the Vega bundle cache once, before kernels need it
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()

    log = base / "serve.log"
    with kit_serve(root, env, log, "--pool-size", "1", cwd=base) as (url, port, proc):
        yield KitServer(url, port, root, data_dir, database_url, codes, log, proc)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.kit_failed = report.failed


@pytest.fixture
def visit(browser, kit_server, request):
    """``visit(notebook, resume_code=None)`` opens an app page and returns a :class:`Visit`."""
    contexts = []

    def open_page(notebook: str, resume_code: str | None = None, *, wait: bool = True) -> Visit:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        contexts.append(context)
        if resume_code:
            context.add_cookies(
                [{"name": "kit_resume", "value": resume_code, "url": kit_server.url}]
            )
        page = context.new_page()
        page.set_default_timeout(60_000)
        # A page is built by a kernel that runs the whole notebook first: with every core
        # busy (--cpu-burn) that alone took over a minute. Waiting is by condition, so a
        # generous limit costs nothing when the machine is quiet.
        page.set_default_navigation_timeout(240_000)
        from playwright.sync_api import expect

        expect.set_options(timeout=120_000)
        requests: list[str] = []
        dialogs: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("websocket", lambda ws: requests.append(ws.url))

        def on_dialog(d):
            dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.goto(kit_server.app_url(notebook))
        if wait:
            wait_rendered(page)
        return Visit(page, context, requests, dialogs)

    yield open_page
    if getattr(request.node, "kit_failed", False):
        # Keep what the browser showed, to see why (test-artifacts/failures/<test>-<n>.png).
        folder = ARTIFACTS / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        for n, c in enumerate(contexts):
            for page in c.pages:
                try:
                    page.screenshot(path=str(folder / f"{request.node.name}-{n}.png"), full_page=True)
                except Exception:  # noqa: BLE001 - best effort
                    pass
    for c in contexts:
        c.close()
