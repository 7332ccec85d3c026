"""``make demo`` on its own: it seeds the demo cohort, prints the codes and serves a page
that headless Chromium opens (the README's first command, exactly as a new user runs it)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time

import pytest
from browser_support import REPO, free_port, is_local, wait_for_http

pytestmark = pytest.mark.browser


def test_make_demo_serves_the_landing_page(tmp_path, browser):
    if not shutil.which("make"):
        pytest.fail("make is required")
    port = free_port()
    env = {**os.environ, "KIT_DATA_DIR": str(tmp_path / "data")}
    env.pop("KIT_DATABASE_URL", None)
    log = tmp_path / "make-demo.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "demo", f"PORT={port}"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for_http(url, proc, log, timeout=180)
        text = log.read_text()
        codes = {
            name: re.search(rf"{name}[^:]*:\s+([A-Z0-9-]{{14,}})", text)
            for name in ("join code", "resume code", "facilitator key")
        }
        missing = [name for name, match in codes.items() if not match]
        assert not missing, f"make demo did not print {missing}:\n{text[-2000:]}"
        assert f"localhost:{port}" in text or f"127.0.0.1:{port}" in text, text[-2000:]

        context = browser.new_context()
        page = context.new_page()
        outside = []
        page.on("request", lambda r: None if is_local(r.url) else outside.append(r.url))
        page.goto(url, wait_until="networkidle")
        body = page.inner_text("body")
        context.close()
        assert "Self-assessment" in body and "Facilitator" in body, body[:1000]
        assert not outside, f"requests left localhost: {outside}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            deadline = time.monotonic() + 30
            while proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
