"""The server as a visitor meets it: the landing page, offline pages, hidden sources, no way
to run code, friendly errors, cookies reaching a preheated kernel."""

from __future__ import annotations

import json
import uuid

from browser_support import PROBE_NOTEBOOK, SCREENSHOTS, is_local


def test_landing_page_lists_every_app(browser, kit_server):
    from kit.voila.catalogue import APPS, AUDIENCES

    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto(kit_server.url)
    assert response.status == 200
    served = {p.name for p in kit_server.root.glob("*.ipynb")}
    text = page.inner_text("body")
    assert "Partnering Kit" in text
    for app in APPS:
        if app.notebook in served:
            link = page.locator(f"a[href='/voila/render/{app.notebook}']")
            assert link.count() == 1, app.notebook
            assert link.inner_text() == app.title
            assert app.description in text
    for audience in AUDIENCES:
        if any(a.audience == audience.id and a.notebook in served for a in APPS):
            assert audience.title in text
    assert all(is_local(u) for u in requests), [u for u in requests if not is_local(u)]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "landing.png"))
    context.close()


def test_served_folder_holds_no_database(kit_server):
    root = kit_server.root.resolve()
    db = kit_server.data_dir.resolve() / "kit.db"
    assert db.is_file()
    assert root not in db.parents
    leaked = [p for p in root.rglob("*") if p.suffix in {".db", ".sqlite", ".sqlite3"}
              or p.name.endswith(("-wal", "-shm"))]
    assert not leaked, leaked


def test_notebook_files_and_api_are_not_reachable(browser, kit_server):
    """The .ipynb source, the contents API and the kernels API do not hand out code."""
    context = browser.new_context()
    request = context.request
    for path in (
        f"voila/files/{PROBE_NOTEBOOK}",
        f"api/contents/{PROBE_NOTEBOOK}",
        f"voila/api/contents/{PROBE_NOTEBOOK}?content=1",
        f"files/{PROBE_NOTEBOOK}",
        f"notebooks/{PROBE_NOTEBOOK}",
    ):
        response = request.get(kit_server.url + path)
        body = response.text()
        assert "PROBE_SOURCE_MARKER" not in body, path
    # Starting a kernel of one's own is not offered.
    started = request.post(kit_server.url + "api/kernels", data="{}")
    assert started.status in {403, 404, 405}, started.status
    listed = request.get(kit_server.url + "api/kernels")
    assert listed.status in {403, 404, 405} or listed.json() == [] or "id" not in listed.text()
    context.close()


def test_probe_page_hides_sources_and_is_offline(visit):
    v = visit(PROBE_NOTEBOOK, resume_code="ABCD-EFGH-1234")
    html = v.page.content()
    assert "PROBE_SOURCE_MARKER" not in html
    assert "safe_callback" not in html and "wait_for_visitor" not in html
    assert not v.page.query_selector(".jp-InputArea-editor, .jp-CodeMirrorEditor")
    v.assert_clean()


def test_cookie_reaches_a_preheated_kernel(visit, kit_server):
    code = "COOKIE-" + uuid.uuid4().hex[:8].upper()
    v = visit(PROBE_NOTEBOOK, resume_code=code)
    assert code in v.page.inner_text("#probe-env")
    assert "Using pre-heated kernel" in kit_server.log.read_text()


def test_error_in_a_callback_shows_a_friendly_message(visit):
    v = visit(PROBE_NOTEBOOK)
    v.page.get_by_role("button", name="Break something").click()
    message = v.page.locator(".kit-message-error")
    message.wait_for()
    text = v.text()
    assert "something went wrong" in message.inner_text().lower()
    assert "internal detail" not in text and "/secret/kit.db" not in text
    assert "Traceback" not in text and "RuntimeError" not in text
    v.assert_clean()


def test_visitor_cannot_execute_code_in_the_page_kernel(visit, kit_server, tmp_path):
    """An execute_request sent down the page's own kernel websocket is dropped.

    A kernel answers shell messages in order, so once the kernel_info_reply sent after the
    execute_request has arrived, any execute_reply would have arrived before it.
    """
    v = visit(PROBE_NOTEBOOK)
    config = json.loads(v.page.inner_text("#jupyter-config-data") or "{}") if v.page.query_selector(
        "#jupyter-config-data") else {}
    kernel_id = config.get("kernelId")
    assert kernel_id, "the page names its kernel"
    marker = tmp_path / "pwned.txt"
    result = v.page.evaluate(
        """async ([kernelId, code]) => {
            const ws = new WebSocket(`ws://${location.host}/api/kernels/${kernelId}/channels`);
            const seen = [];
            const msg = (type, content) => ({
              header: {msg_id: crypto.randomUUID(), msg_type: type, username: 'v',
                       session: 'probe', date: new Date().toISOString(), version: '5.3'},
              parent_header: {}, metadata: {}, content, channel: 'shell', buffers: []});
            return await new Promise((resolve) => {
              const timer = setTimeout(() => resolve({seen, timeout: true}), 20000);
              ws.onopen = () => {
                ws.send(JSON.stringify(msg('execute_request', {code, silent: false,
                  store_history: false, user_expressions: {}, allow_stdin: false})));
                ws.send(JSON.stringify(msg('kernel_info_request', {})));
              };
              ws.onmessage = (e) => {
                const m = JSON.parse(e.data);
                seen.push(m.header.msg_type);
                if (m.header.msg_type === 'kernel_info_reply') {
                  clearTimeout(timer); ws.close(); resolve({seen, timeout: false});
                }
              };
              ws.onerror = () => { clearTimeout(timer); resolve({seen, error: true}); };
            });
        }""",
        [kernel_id, f"open({str(marker)!r}, 'w').write('x')"],
    )
    assert "execute_reply" not in result["seen"], result
    assert "execute_input" not in result["seen"], result
    assert not marker.exists()


def test_the_log_says_when_a_pooled_app_kernel_is_ready_for_its_visitor(kit_server):
    """Operators (and benchmarks/bench_tti.py) can tell a kernel that has only started from
    one that has run its app up to the visitor's arrival."""
    import re
    import time

    pattern = re.compile(r"Kernel [0-9a-f-]{36} of 01_self_assessment\.ipynb is ready for its "
                         r"visitor")
    deadline = time.monotonic() + 180
    while not pattern.search(kit_server.log.read_text(errors="replace")):
        assert time.monotonic() < deadline, "no pooled self-assessment kernel became ready"
        time.sleep(0.5)
