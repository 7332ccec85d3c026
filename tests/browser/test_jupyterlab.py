"""The kit in JupyterLab, in a real browser: a facilitator opens the dashboard notebook, runs
it, opens the demo cohort with the key, and the charts draw and redraw when the view changes.

Voila is not involved: JupyterLab renders the widgets and Altair's charts itself, with its own
front end (the kit's Voila template and its scripts are not on the page). What is checked:

* the notebook runs without an error in any output;
* the first view's chart is drawn (an SVG inside the chart's box);
* choosing another view replaces the chart with that view's, drawn again (its title changes);
* the text of every drawn chart is at least 12 px and no two labels overlap;
* JupyterLab does not ask to fetch news (the kit is used offline).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest
from browser_support import (
    ARTIFACTS,
    chart_text_problems,
    free_port,
    measure_chart_text,
    stop_server,
    wait_for_http,
)

NOTEBOOK = "10_facilitator_dashboard.ipynb"

@pytest.fixture(scope="module")
def lab(kit_server, tmp_path_factory):
    """JupyterLab on a copy of the kit's notebooks, over the browser tests' demo database."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(kit_server.root / NOTEBOOK, root / NOTEBOOK)
    port, token = free_port(), uuid.uuid4().hex
    env = dict(os.environ)
    env.update(KIT_DATA_DIR=str(kit_server.data_dir), KIT_TODAY=env.get("KIT_TODAY", "2026-03-02"),
               JUPYTER_CONFIG_DIR=str(root / ".jupyter-config"))
    for name in ("KIT_DATABASE_URL", "KIT_DEMO", "JUPYTERHUB_USER"):
        env.pop(name, None)
    log = root / "lab.log"
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
           "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--LabApp.news_url=", "--ServerApp.open_browser=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        cmd.append("--allow-root")
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(f"{url}api/status?token={token}", proc, log)
        yield url, token, log
    finally:
        stop_server(proc)


def _chart_titles(page) -> list[str]:
    """The headings of the drawn charts, as the reader sees them."""
    return [c["title"] for c in measure_chart_text(page)]


def test_dashboard_in_jupyterlab_draws_and_redraws_its_charts(browser, kit_server, lab):
    from playwright.sync_api import expect

    url, token, log = lab
    codes = kit_server.need_codes()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(f"{url}lab/tree/{NOTEBOOK}?token={token}", timeout=240_000)
        page.locator(".jp-Notebook").wait_for()
        # the kernel is ready when JupyterLab's status bar says so
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()
        # run the two code cells as a reader does: Shift+Enter on each, the second once the
        # first has run
        page.locator(".jp-CodeCell").first.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Escape")
        page.keyboard.press("Shift+Enter")
        page.locator(".jp-CodeCell").first.locator(".jp-InputPrompt", has_text="[1]").wait_for()
        page.keyboard.press("Shift+Enter")
        out = page.locator(".jp-OutputArea-output").first  # JupyterLab's own menus have a "View" too
        key = out.get_by_label("Facilitator key", exact=True)
        key.fill(codes.facilitator_key)
        out.get_by_role("button", name="Open cohort").click()
        view = out.get_by_label("View", exact=True)
        view.wait_for()
        page.locator(".jp-OutputArea .kit-chart svg").first.wait_for()
        before = _chart_titles(page)
        assert before and before[0], before
        options = view.locator("option").all_inner_texts()
        # ipywidgets writes a dropdown's spaces as no-break spaces
        index = next((i for i, o in enumerate(options) if "Group profile" in o.replace("\xa0", " ")),
                     None)
        assert index is not None, options
        view.select_option(index=index)
        page.wait_for_function(
            "t => { const h = [...document.querySelectorAll('.kit-chart-box .kit-chart-title')]"
            ".map(x => x.innerText.trim()); return h.length && h.join('|') !== t"
            " && [...document.querySelectorAll('.kit-chart')].every(c => c.querySelector('svg')); }",
            arg="|".join(before))
        page.locator(".kit-chart svg").first.scroll_into_view_if_needed()
        after = _chart_titles(page)
        assert after != before and any("Group profile" in t for t in after), after
        problems = chart_text_problems(measure_chart_text(page), min_px=12)
        assert not problems, problems
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        expect(page.locator(".jp-OutputArea-output .ansi-red-fg")).to_have_count(0)
        assert errors.count() == 0, errors.all_inner_texts()
        # the kit is used offline: JupyterLab does not ask to fetch news (jupyter-config/)
        expect(page.get_by_text("Would you like to get notified")).to_have_count(0)
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-dashboard.png"), full_page=True)
        context.close()
