"""Helpers shared by the browser tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
#: Page text that means something went wrong in a kernel or in Voila.
ERROR_MARKERS = ("Traceback", "Error:", "Exception", "Kernel died", "There was an error")

PROBE_NOTEBOOK = "_browser_probe.ipynb"



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 300) -> None:
    """Poll ``url`` until it answers 200; fail with the server log if it dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"kit serve exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"kit serve did not answer at {url} within {timeout}s:\n{log.read_text()[-4000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def kit_serve(root: Path, env: dict, log: Path, *options: str, cwd: Path | None = None,
              port: int | None = None):
    """Run ``kit serve root --port <port, default a free one> *options`` until the block
    ends; yield ``(url, port, proc)`` once the landing page answers. The server's output goes
    to ``log`` (appended)."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "kit.commands.main", "serve", str(root), "--port", str(port), *options]
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, proc, log)
        yield url, port, proc
    finally:
        stop_server(proc)


def write_probe_notebook(path: Path) -> None:
    """A test-only page: a button whose callback fails, wrapped like every app callback."""
    import nbformat as nbf

    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbf.v4.new_markdown_cell("# Probe"),
        nbf.v4.new_code_cell(
            "import os\nimport ipywidgets as W\nfrom kit.forms import MessageArea, safe_callback\n"
            "from kit.voila import wait_for_visitor\n"
            "PROBE_SOURCE_MARKER = 'this line must never reach the browser'"
        ),
        nbf.v4.new_code_cell("wait_for_visitor()"),
        nbf.v4.new_code_cell(
            "class Probe(W.VBox):\n"
            "    def __init__(self):\n"
            "        self.messages = MessageArea()\n"
            "        self.button = W.Button(description='Break something')\n"
            "        self.button.on_click(self.fail)\n"
            "        self.env = W.HTML('<p id=\"probe-env\">' + __import__('html').escape(\n"
            "            os.environ.get('HTTP_COOKIE', '')) + '</p>')\n"
            "        super().__init__([self.button, self.messages, self.env])\n"
            "    @safe_callback\n"
            "    def fail(self, _b=None):\n"
            "        raise RuntimeError('internal detail: sqlite path /secret/kit.db')\n"
            "Probe()"
        ),
    ]
    nbf.write(nb, path)


@dataclass
class KitServer:
    url: str
    port: int
    root: Path
    data_dir: Path
    database_url: str
    codes: object  # kit.demo.DemoCodes
    log: Path
    proc: subprocess.Popen = field(repr=False)

    def app_url(self, notebook: str) -> str:
        return f"{self.url}voila/render/{notebook}"

    def store(self):
        from kit.store import Store

        return Store(self.database_url)

    def need_codes(self):
        if self.codes is None:
            pytest.skip("kit.demo.seed_demo is not available yet")
        return self.codes

    def new_participant(self, display_name: str | None = None) -> str:
        """Join the demo cohort as a fresh participant; return the resume code."""
        self.need_codes()
        with self.store() as store:
            return store.join(self.codes.join_code, display_name=display_name).resume_code



def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname in LOCAL_HOSTS or parts.netloc.split(":")[0] in LOCAL_HOSTS


@dataclass
class Visit:
    page: object
    context: object
    requests: list[str]
    dialogs: list[str]

    def remote_requests(self) -> list[str]:
        return [u for u in self.requests if not is_local(u)]

    def text(self) -> str:
        return self.page.inner_text("body")

    def assert_clean(self) -> None:
        remote = self.remote_requests()
        assert not remote, f"requests left the machine: {remote}"
        text = self.text()
        for marker in ERROR_MARKERS:
            assert marker not in text, f"{marker!r} on the page:\n{text[:2000]}"
        assert not self.page.query_selector(
            "[data-mime-type='application/vnd.jupyter.stderr']"
        ), "stderr output on the page"

    def screenshot(self, name: str) -> Path:
        return whole_page_screenshot(self.page, name)


#: The tallest element that scrolls (Voila's page scrolls inside its shell, not the document).
_CONTENT_HEIGHT_JS = """() => Math.max(document.documentElement.scrollHeight,
  ...[...document.querySelectorAll('*')].filter(e => e.scrollHeight > e.clientHeight + 4
      && /(auto|scroll)/.test(getComputedStyle(e).overflowY)).map(e => e.scrollHeight))"""


def whole_page_screenshot(page, name: str, *, most: int = 8000) -> Path:
    """A screenshot of everything on the page, charts included, for the README.

    ``full_page`` only sees the document, and Voila's content scrolls inside an inner box, so
    the viewport is made as tall as the content for the shot, then put back.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = min(most, int(page.evaluate(_CONTENT_HEIGHT_JS)) + 40)
    if size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
        try:
            page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(size)
    else:
        page.screenshot(path=str(path), full_page=True)
    return path



def wait_rendered(page, timeout: float = 90_000) -> None:
    """Wait until Voila has run every cell and the widgets are drawn."""
    page.wait_for_selector("#loading", state="detached", timeout=timeout)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout)
    page.wait_for_function(
        "() => document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets, "
        ".jp-OutputArea-output .lm-Widget').length > 0",
        timeout=timeout,
    )


#: True once every chart on the page has drawn its SVG and kit-a11y.js has named it (no
#: chart at all counts as drawn).
_CHARTS_DRAWN_JS = (
    "() => [...document.querySelectorAll('.kit-chart')].every(c => {"
    " const s = c.querySelector('svg'); return s && s.getAttribute('aria-labelledby')"
    " && !s.querySelector('[role]'); })"
)


def charts_drawn(page, timeout: float = 60_000) -> None:
    """Wait until every chart on the page has painted (in place of a fixed pause).

    Charts are drawn by the browser after the widgets arrive, so a page can be rendered
    (:func:`wait_rendered`) with its charts still empty."""
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=timeout)


def next_frame(page) -> None:
    """Wait until the browser has laid out and painted twice since now (after a style change)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def self_assessment_steps(page, framework, *, choice=lambda i, step: 1 + (i + step) % 3):
    """Walk every step of the self-assessment in ``page`` as a participant does, yielding
    ``(step, title)`` on arriving at each step (before it is answered), so a test can look at
    the page there; then answer every item (the ``choice(i, step)``-th option of item ``i``) and
    the area's importance, press Next (or "Check and submit" at the end) and wait for the next
    step's heading. Ends once the answers are saved."""
    import re

    for step in range(len(framework.dimensions)):
        title = page.locator(".kit-step-title").inner_text()
        yield step, title
        groups = page.locator(".kit-rating")
        assert groups.count() == len(framework.dimensions[step].items), title
        for i in range(groups.count()):
            groups.nth(i).get_by_role("radio").nth(choice(i, step)).check()
        importance = page.locator(".kit-importance").get_by_role("radio")
        if importance.count():
            importance.nth(2).check()
        button = page.get_by_role("button", name=re.compile(r"^(Next|Check and submit)$"))
        last = button.inner_text().strip() == "Check and submit"
        button.click()
        if last:
            break
        page.wait_for_function(
            "t => document.querySelector('.kit-step-title')?.innerText !== t", arg=title
        )
    page.get_by_text("Your self-assessment is saved").wait_for()


def rate_every_item_and_submit(page, framework) -> None:
    """Answer every item of the self-assessment in ``page`` (varied ratings) and submit."""
    for _ in self_assessment_steps(page, framework):
        pass


#: For every drawn chart on the page (``.kit-chart`` widgets and ``.kit-figure-chart`` report
#: figures): each SVG text's rendered size (its CSS font size times the SVG's scale on screen)
#: and box, and the chart's box. See :func:`measure_chart_text`.
_MEASURE_CHART_TEXT_JS = r"""() => {
  const charts = [...document.querySelectorAll('.kit-chart, .kit-figure-chart')]
    .filter(c => c.querySelector('svg'));
  const box = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                     width: r.width, height: r.height});
  return charts.map((c, index) => {
    const svg = c.querySelector('svg');
    const outer = c.closest('.kit-chart-box, .kit-figure');
    const heading = outer && outer.querySelector('.kit-chart-title, h2, h3, h4');
    const texts = [...svg.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect();
      const m = t.getScreenCTM();
      const scale = m ? Math.hypot(m.a, m.b) : 1;
      const css = parseFloat(getComputedStyle(t).fontSize) || 0;
      const hidden = getComputedStyle(t).visibility === 'hidden'
        || parseFloat(getComputedStyle(t).opacity || '1') === 0;
      return {text: (t.textContent || '').trim(), font_px: css * scale,
              box: box(r), hidden: hidden};
    }).filter(t => t.text && !t.hidden && t.box.width > 0 && t.box.height > 0);
    return {index: index, title: heading ? heading.innerText.trim() : '',
            chart_box: box(svg.getBoundingClientRect()),
            container_box: box(c.getBoundingClientRect()),
            viewport_width: window.innerWidth,
            page_width: document.documentElement.scrollWidth,
            texts: texts};
  });
}"""


def measure_chart_text(page) -> list[dict]:
    """Measure every drawn chart on ``page``, as the reader sees it.

    Returns one dict per chart: ``title`` (its heading), ``chart_box`` (the SVG on screen),
    ``container_box``, ``viewport_width``, ``page_width`` and ``texts``, a list of
    ``{"text", "font_px", "box"}`` where ``font_px`` is the rendered size in screen pixels
    (the CSS font size times the SVG's scale, so a chart shrunk to fit shows small text) and
    ``box`` the text's bounding box. Boxes are ``{"left", "top", "right", "bottom", "width",
    "height"}`` in viewport pixels. Check them with :func:`chart_text_problems`.
    """
    return page.evaluate(_MEASURE_CHART_TEXT_JS)


def _overlap(a: dict, b: dict, tolerance: float) -> bool:
    w = min(a["right"], b["right"]) - max(a["left"], b["left"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return w > tolerance and h > tolerance


def chart_text_problems(charts: list[dict], *, min_px: float = 12, tolerance: float = 1) -> list[str]:
    """Sentences naming every text under ``min_px``, every two texts whose boxes overlap by
    more than ``tolerance`` px both ways, every text outside its chart, and every chart wider
    than the window ([] when all is well)."""
    problems = []
    for c in charts:
        name = f"chart {c['index']} ({c['title'] or 'untitled'})"
        cb, vw = c["chart_box"], c["viewport_width"]
        if cb["right"] > vw + tolerance or cb["left"] < -tolerance:
            problems.append(f"{name}: {cb['width']:.0f} px wide, beyond the {vw} px window")
        texts = c["texts"]
        for t in texts:
            if t["font_px"] < min_px - 0.05:
                problems.append(f"{name}: {t['text']!r} is {t['font_px']:.1f} px (< {min_px})")
            b = t["box"]
            if (b["left"] < cb["left"] - tolerance or b["right"] > cb["right"] + tolerance
                    or b["top"] < cb["top"] - tolerance or b["bottom"] > cb["bottom"] + tolerance):
                problems.append(f"{name}: {t['text']!r} is outside the chart")
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if _overlap(a["box"], b["box"], tolerance):
                    problems.append(f"{name}: {a['text']!r} overlaps {b['text']!r}")
    return problems
