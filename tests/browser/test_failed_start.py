"""A page whose kernel dies while starting tells the visitor so, instead of loading for ever.

With 30 visitors at once a kernel once died at start-up (a TCP port it had been given was
taken before it could bind it). Voila 0.5.13 then left that visitor's page on its spinner for
ever; ``kit serve`` ends the page with a message (kit.voila._pool). Here a kernel that always
exits at once stands in for the dying kernel.
"""

from __future__ import annotations

import json
import os
import sys

from browser_support import SCREENSHOTS, kit_serve

DEAD_KERNEL = "kit-test-dead-kernel"


def _write_dead_notebook(root, jupyter_path) -> None:
    spec = jupyter_path / "kernels" / DEAD_KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", "import sys; sys.exit(3)", "{connection_file}"],
        "display_name": "A kernel that exits at once",
        "language": "python",
    }))
    notebook = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {},
                   "outputs": [], "source": "print('never runs')"}],
        "metadata": {"kernelspec": {"name": DEAD_KERNEL, "display_name": "dead",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    (root / "dead.ipynb").write_text(json.dumps(notebook))


def test_a_page_whose_kernel_dies_says_so_and_offers_a_retry(browser, tmp_path):
    root, jupyter_path, data = tmp_path / "served", tmp_path / "jupyter", tmp_path / "data"
    root.mkdir()
    data.mkdir()
    _write_dead_notebook(root, jupyter_path)
    env = dict(os.environ, KIT_DATA_DIR=str(data), JUPYTER_PATH=str(jupyter_path))
    env.pop("KIT_DATABASE_URL", None)
    log = tmp_path / "serve.log"
    with kit_serve(root, env, log, "--no-preheat") as (url, _port, _proc):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "voila/render/dead.ipynb", wait_until="commit")
        alert = page.get_by_role("alert")
        alert.wait_for(timeout=120_000)
        assert "This page could not start" in alert.inner_text()
        assert "Nothing you saved is lost" in alert.inner_text()
        assert page.get_by_role("button", name="Try again").is_visible()
        assert page.query_selector("#loading") is None, "the spinner is still showing"
        assert "Traceback" not in page.content()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "page-could-not-start.png"), full_page=True)
        context.close()
        assert "could not build dead.ipynb" in log.read_text(errors="replace")
