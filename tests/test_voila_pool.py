"""kit.voila._pool: preheated kernels get their visitor's request details under load.

A real tornado server on loopback runs Voila's (patched) request-details socket; the kernel
side is the real :func:`receive_request_info`.
"""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

pytest.importorskip("voila")

from tornado.web import Application, RequestHandler  # noqa: E402
from tornado.websocket import WebSocketClosedError, WebSocketHandler  # noqa: E402
from voila.handler import VoilaHandler  # noqa: E402
from voila.request_info_handler import RequestInfoSocketHandler  # noqa: E402

from kit.voila import _kernel, _pool  # noqa: E402

KERNEL = "0b1c2d3e-0000-4000-8000-000000000001"
DETAILS = {"HTTP_COOKIE": "kit_resume=ABCD-EFGH", "QUERY_STRING": ""}


@pytest.fixture
def patched(monkeypatch):
    """Voila's handler patched by install(); originals, waiters and cache restored after."""
    saved = {n: RequestInfoSocketHandler.__dict__.get(n)
             for n in ("open", "on_message", "on_close", "send_updates", "_kit_patched")}
    waiters, cache = dict(RequestInfoSocketHandler._waiters), dict(RequestInfoSocketHandler._cache)
    RequestInfoSocketHandler._waiters.clear()
    RequestInfoSocketHandler._cache.clear()
    page_saved = {n: VoilaHandler.__dict__.get(n) for n in ("prepare", "_kit_patched")}
    monkeypatch.delenv(_pool.HANDOVER_ENV, raising=False)
    _pool.install()
    yield RequestInfoSocketHandler
    for name, value in page_saved.items():
        if value is None:
            if name in VoilaHandler.__dict__:
                delattr(VoilaHandler, name)
        else:
            setattr(VoilaHandler, name, value)
    for name, value in saved.items():
        if value is None:
            if name in RequestInfoSocketHandler.__dict__:
                delattr(RequestInfoSocketHandler, name)
        else:
            setattr(RequestInfoSocketHandler, name, value)
    RequestInfoSocketHandler._waiters.clear()
    RequestInfoSocketHandler._waiters.update(waiters)
    RequestInfoSocketHandler._cache.clear()
    RequestInfoSocketHandler._cache.update(cache)


class _Server:
    """A tornado app with ``handler`` at ``/voila/query/<id>``, on its own thread and loop."""

    def __init__(self, handler):
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run():
            asyncio.set_event_loop(self.loop)
            app = Application([(r"/voila/query/(.*)", handler)])
            self.server = app.listen(0, "127.0.0.1")
            self.port = next(iter(self.server._sockets.values())).getsockname()[1]
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(10)

    def call(self, fn, *args):
        """Run ``fn(*args)`` on the server's loop and return its result."""
        future = asyncio.run_coroutine_threadsafe(self._call(fn, *args), self.loop)
        return future.result(10)

    @staticmethod
    async def _call(fn, *args):
        return fn(*args)

    def url(self, kernel_id=KERNEL) -> str:
        return f"ws://127.0.0.1:{self.port}/voila/query/{kernel_id}"

    def stop(self):
        async def shutdown():
            self.server.stop()
            await self.server.close_all_connections()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def server(patched):
    srv = _Server(patched)
    yield srv
    srv.stop()


def test_install_marks_the_handler_patched_and_tells_kernels(patched):
    import os

    assert patched._kit_patched is True
    assert os.environ[_pool.HANDOVER_ENV] == "1"
    _pool.install()  # idempotent
    assert patched.open is _pool._open
    assert VoilaHandler.prepare is _pool._page_prepare
    assert VoilaHandler._kit_patched is True


# ------------------------------------------------------------------ the page's _xsrf cookie


class _Page(RequestHandler):
    """A page that issues the cookie as the patched Voila page does; ``?user=`` logs in."""

    def get_current_user(self):
        return self.get_argument("user", None)

    def get(self):
        _pool.issue_xsrf_cookie(self)
        self.write("page")

    def post(self):
        self.write("done")


async def _exchange(requests):
    """Serve :class:`_Page` (tornado's xsrf check on) and make ``requests`` in turn: each a
    ``(method, path, headers, body)``; returns ``(status, set-cookie headers)`` for each."""
    from tornado.httpclient import AsyncHTTPClient

    app = Application([(r"/page", _Page)], xsrf_cookies=True)
    server = app.listen(0, "127.0.0.1")
    port = next(iter(server._sockets.values())).getsockname()[1]
    client = AsyncHTTPClient()
    out = []
    try:
        for method, path, headers, body in requests:
            response = await client.fetch(
                f"http://127.0.0.1:{port}{path}", method=method, headers=headers, body=body,
                raise_error=False, follow_redirects=False,
            )
            out.append((response.code, response.headers.get_list("Set-Cookie")))
    finally:
        server.stop()
    return out


def _cookie_value(set_cookies):
    for header in set_cookies:
        if header.startswith("_xsrf="):
            return header.split(";", 1)[0].split("=", 1)[1]
    return None


def test_a_page_for_a_signed_in_visitor_sets_the_xsrf_cookie_once():
    [(status, cookies)] = asyncio.run(_exchange([("GET", "/page?user=amy", {}, None)]))
    assert status == 200
    token = _cookie_value(cookies)
    assert token
    # A visitor who already holds the cookie keeps it (no new one on every page).
    [(_, again)] = asyncio.run(
        _exchange([("GET", "/page?user=amy", {"Cookie": f"_xsrf={token}"}, None)])
    )
    assert _cookie_value(again) is None


def test_no_cookie_for_a_visitor_who_is_not_signed_in():
    [(status, cookies)] = asyncio.run(_exchange([("GET", "/page", {}, None)]))
    assert status == 200
    assert _cookie_value(cookies) is None


def test_the_cookie_lets_the_page_post_and_the_check_still_refuses_the_rest():
    [(_, cookies)] = asyncio.run(_exchange([("GET", "/page?user=amy", {}, None)]))
    token = _cookie_value(cookies)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    results = asyncio.run(_exchange([
        # the page's own post (as sendBeacon sends it): cookie plus the same token
        ("POST", "/page?user=amy", {**form, "Cookie": f"_xsrf={token}"}, f"_xsrf={token}"),
        # a cross-site post: the browser sends the cookie but the site cannot read it
        ("POST", "/page?user=amy", {**form, "Cookie": f"_xsrf={token}"}, "_xsrf="),
        # a token without the matching cookie
        ("POST", "/page?user=amy", form, f"_xsrf={token}"),
    ]))
    assert [status for status, _ in results] == [200, 403, 403]


def test_details_sent_before_the_kernel_connects_are_delivered_and_then_forgotten(server):
    server.call(RequestInfoSocketHandler.send_updates, {"kernel_id": KERNEL, "payload": DETAILS})
    got = _kernel.receive_request_info(server.url(), open_timeout=5)
    assert got == DETAILS
    # The acknowledgement reaches the server after the client has returned; wait for it.
    for _ in range(200):
        if KERNEL not in server.call(lambda: dict(RequestInfoSocketHandler._cache)):
            break
        threading.Event().wait(0.01)
    assert KERNEL not in RequestInfoSocketHandler._cache


def test_details_written_to_a_closed_connection_are_kept_for_the_reconnect(server):
    class Closed:
        def write_message(self, payload):
            raise WebSocketClosedError()

    stale = Closed()
    RequestInfoSocketHandler._waiters[KERNEL] = stale
    # Voila 0.5.13 logs the error and drops the details here; the patch keeps them.
    server.call(RequestInfoSocketHandler.send_updates, {"kernel_id": KERNEL, "payload": DETAILS})
    assert RequestInfoSocketHandler._cache[KERNEL] == DETAILS
    assert _kernel.receive_request_info(server.url(), open_timeout=5) == DETAILS


def test_a_closing_connection_removes_only_its_own_waiter(patched):
    mine, other = patched.__new__(patched), patched.__new__(patched)
    mine._kit_kernel_id, other._kit_kernel_id = KERNEL, "another-kernel"
    patched._waiters.update({"another-kernel": other})
    _pool._on_close(mine)  # never registered (closed during the handshake)
    assert patched._waiters == {"another-kernel": other}
    patched._waiters[KERNEL] = mine
    _pool._on_close(mine)
    assert patched._waiters == {"another-kernel": other}


def test_the_cache_is_bounded(patched, monkeypatch):
    monkeypatch.setattr(_pool, "MAX_CACHED", 3)
    for i in range(5):
        patched.send_updates({"kernel_id": f"k{i}", "payload": {"N": str(i)}})
    assert list(patched._cache) == ["k2", "k3", "k4"]


def test_the_kernel_reconnects_after_a_dropped_connection():
    attempts = []

    class DropsFirst(WebSocketHandler):
        def open(self, kernel_id):
            attempts.append(kernel_id)
            if len(attempts) == 1:
                self.close()
            else:
                self.write_message(json.dumps(DETAILS))

    srv = _Server(DropsFirst)
    try:
        assert _kernel.receive_request_info(srv.url(), open_timeout=5, pause=0.01) == DETAILS
    finally:
        srv.stop()
    assert attempts == [KERNEL, KERNEL]


def test_request_info_url_follows_voila_environment():
    env = {"VOILA_KERNEL_ID": KERNEL, "VOILA_APP_PORT": "9000", "VOILA_SERVER_URL": "/kit/"}
    assert _kernel.request_info_url(env) == f"ws://127.0.0.1:9000/kit/voila/query/{KERNEL}"
    assert _kernel.request_info_url({}) is None


def test_receive_outside_a_voila_kernel_says_so(monkeypatch):
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    with pytest.raises(RuntimeError, match="VOILA_KERNEL_ID"):
        _kernel.receive_request_info()


def test_executor_defaults_are_added_unless_given():
    argv = _pool.with_executor_defaults(["/nb", "--VoilaExecutor.iopub_timeout=7"])
    assert argv.count("--VoilaExecutor.iopub_timeout=7") == 1
    assert not any(a.startswith("--VoilaExecutor.iopub_timeout=1") for a in argv)
    assert f"--VoilaExecutor.startup_timeout={_pool.EXECUTOR_DEFAULTS['startup_timeout']}" in argv
    assert argv[0] == "/nb"


def test_a_waiting_kernel_is_announced_once_with_its_notebook(server, caplog, monkeypatch):
    """``kit serve`` logs when a pooled kernel has run up to its visitor (benchmarks wait
    for this line); a kernel that reconnects while waiting is not announced again. The
    notebook's name comes from Voila's own pooled kernel manager (its private
    ``_get_notebook_from_kernel``, fenced), not from a stand-in."""
    import logging

    from kit.voila import _fence

    pooled = _fence._pooled_kernel_manager()
    manager = pooled.__new__(pooled)
    manager.notebook_data = {"01_self_assessment.ipynb": {"kernel_ids": {KERNEL}},
                             "02_reflection_journal.ipynb": {"kernel_ids": {"another"}}}
    monkeypatch.setattr(_pool, "_announced", set())
    handler = server.call(lambda: RequestInfoSocketHandler.__new__(RequestInfoSocketHandler))
    handler.application = type("App", (), {"settings": {"kernel_manager": manager}})()
    with caplog.at_level(logging.INFO, logger="Voila"):
        _pool._open(handler, KERNEL)
        _pool._open(handler, KERNEL)  # the kernel's periodic reconnect
    lines = [r.getMessage() for r in caplog.records if "ready for its visitor" in r.getMessage()]
    assert lines == [f"Kernel {KERNEL} of 01_self_assessment.ipynb is ready for its visitor"]


def test_a_failed_notebook_look_up_is_logged_and_the_kernel_still_announced(
        server, caplog, monkeypatch):
    """A manager without Voila's private look-up (not pooled, or a Voila that renamed it)
    no longer hides the fault: it is logged, and the kernel is still announced."""
    import logging

    monkeypatch.setattr(_pool, "_announced", set())
    handler = server.call(lambda: RequestInfoSocketHandler.__new__(RequestInfoSocketHandler))
    handler.application = type("App", (), {"settings": {"kernel_manager": object()}})()
    with caplog.at_level(logging.INFO, logger="Voila"):
        _pool._open(handler, KERNEL)
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and KERNEL in warned[0].getMessage()
    assert warned[0].exc_info and warned[0].exc_info[0] is AttributeError
    lines = [r.getMessage() for r in caplog.records if "ready for its visitor" in r.getMessage()]
    assert lines == [f"Kernel {KERNEL} of ? is ready for its visitor"]


def test_a_kernel_whose_visitor_has_arrived_is_not_announced(patched, caplog, monkeypatch):
    import logging

    monkeypatch.setattr(_pool, "_announced", set())
    patched._cache[KERNEL] = DETAILS
    handler = patched.__new__(patched)
    handler.application = type("App", (), {"settings": {}})()
    handler.write_message = lambda payload: None
    with caplog.at_level(logging.INFO, logger="Voila"):
        _pool._open(handler, KERNEL)
    assert not [r for r in caplog.records if "ready for its visitor" in r.getMessage()]


def _collect(agen):
    async def run():
        return [item async for item in agen]

    return asyncio.run(run())


def test_a_page_that_fails_to_build_ends_with_a_message(caplog):
    """Voila 0.5.13 leaves the visitor's page loading for ever when its kernel dies while
    starting; the guarded renderer ends the page and says what to do."""
    import logging

    def generate(self, kernel_id=None, kernel_future=None):
        async def gen():
            yield "<p>head</p>", {}
            raise RuntimeError("Kernel died before replying to kernel_info")

        return gen()

    renderer = type("Renderer", (), {"notebook_path": "01_self_assessment.ipynb"})()
    guarded = _pool._guard_page(generate)
    with caplog.at_level(logging.ERROR, logger="Voila"):
        items = _collect(guarded(renderer, "k1"))
    assert items[0] == ("<p>head</p>", {})
    assert items[-1][0] == _pool.PAGE_FAILED_HTML
    assert "could not start" in _pool.PAGE_FAILED_HTML and "Try again" in _pool.PAGE_FAILED_HTML
    assert any("01_self_assessment.ipynb" in r.getMessage() for r in caplog.records)


def test_a_page_that_builds_is_passed_through_unchanged():
    def generate(self, kernel_id=None, kernel_future=None):
        async def gen():
            for i in range(3):
                yield f"<p>{i}</p>", {}

        return gen()

    items = _collect(_pool._guard_page(generate)(object(), "k1"))
    assert [html for html, _ in items] == ["<p>0</p>", "<p>1</p>", "<p>2</p>"]


def test_install_guards_voilas_renderer(patched):
    from voila.notebook_renderer import NotebookRenderer

    assert NotebookRenderer.generate_content_generator._kit_guarded is True
