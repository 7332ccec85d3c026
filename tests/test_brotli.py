"""Static files sent as Brotli once compressed and kept (``kit/voila/_brotli.py``), through the
same Tornado handlers ``kit serve`` uses, and gzip before that or for anything else."""

from __future__ import annotations

import gzip
import os

import brotli
import pytest
from tornado.testing import AsyncHTTPTestCase
from tornado.web import Application
from voila.static_file_handler import MultiStaticFileHandler

from kit.voila import _brotli, _network
from kit.voila._brotli import BrotliCache, accepts_brotli, compressible

SCRIPT = ("// a script that compresses well\n" + "function f(a, b) { return a + b; }\n" * 400
          ).encode()
VERSIONED = "vendor/chart-bundle-6.0.1.js"


@pytest.mark.parametrize(
    "header, wanted",
    [
        ("gzip, deflate, br, zstd", True),
        ("br", True),
        ("BR;q=0.5", True),
        ("gzip;q=1.0, br; q=0.1", True),
        ("gzip, br;q=0", False),
        ("gzip, br;q=0.0", False),
        ("br;q=oops", False),
        ("gzip, deflate", False),
        ("brotli", False),
        ("", False),
        (None, False),
    ],
)
def test_brotli_only_when_the_browser_offers_it(header, wanted):
    assert accepts_brotli(header) is wanted


@pytest.mark.parametrize(
    "ctype, wanted",
    [
        ("application/javascript", True),
        ("text/css; charset=utf-8", True),
        ("application/json", True),
        ("image/svg+xml", True),
        ("image/png", False),
        ("font/woff2", False),
        ("", False),
        (None, False),
    ],
)
def test_only_text_types_are_compressed(ctype, wanted):
    assert compressible(ctype) is wanted


class _Served(AsyncHTTPTestCase):
    """A Tornado app with Voila's static handler, swapped as kit serve swaps it."""

    def setUp(self):
        import tempfile

        self._tmp = tempfile.TemporaryDirectory()
        root = os.path.join(self._tmp.name, "static")
        os.makedirs(os.path.join(root, "vendor"))
        with open(os.path.join(root, VERSIONED), "wb") as f:
            f.write(SCRIPT)
        with open(os.path.join(root, "plain.js"), "wb") as f:
            f.write(SCRIPT)
        with open(os.path.join(root, "picture.png"), "wb") as f:
            f.write(b"\x89PNG" + bytes(range(256)) * 20)
        with open(os.path.join(self._tmp.name, "secret.js"), "wb") as f:
            f.write(SCRIPT)
        self.root = root
        self.cache = BrotliCache(os.path.join(self._tmp.name, "kept"))
        self._before = _brotli._default
        _brotli._default = self.cache
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.cache.close()
        _brotli._default = self._before
        self._tmp.cleanup()

    def get_app(self):
        [handler] = [h for _p, h, *_ in _network.versioned_handlers(
            [(r"/static/(.*)", MultiStaticFileHandler, {"paths": [self.root]})])]
        return Application([(r"/static/(.*)", handler, {"paths": [self.root]})],
                           compress_response=True)

    def get(self, path, encoding="gzip, deflate, br", method="GET", **headers):
        return self.fetch(path, method=method, decompress_response=False,
                          headers={"Accept-Encoding": encoding, **headers})

    def ready(self, path):
        """Ask for ``path`` once (gzip, starting the compression) and wait until it is kept."""
        first = self.get(path)
        assert first.code == 200
        assert self.cache.wait(timeout=120), "compression did not finish"
        return first


class TestServed(_Served):
    def test_gzip_first_then_kept_brotli_with_the_same_bytes(self):
        first = self.ready("/static/" + VERSIONED)
        assert first.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(first.body) == SCRIPT

        second = self.get("/static/" + VERSIONED)
        assert second.code == 200
        assert second.headers["Content-Encoding"] == "br"
        assert brotli.decompress(second.body) == SCRIPT
        assert int(second.headers["Content-Length"]) == len(second.body)
        assert len(second.body) < len(first.body)
        assert "Accept-Encoding" in second.headers["Vary"]
        # still kept by the browser for a year: the address is versioned
        assert "immutable" in second.headers["Cache-Control"]
        assert second.headers["Etag"] != first.headers["Etag"]
        assert second.headers["Content-Type"] == first.headers["Content-Type"]

    def test_a_browser_without_brotli_always_gets_gzip(self):
        self.ready("/static/plain.js")
        for encoding in ("gzip, deflate", "gzip, br;q=0"):
            response = self.get("/static/plain.js", encoding=encoding)
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.body) == SCRIPT

    def test_a_range_request_is_answered_as_before(self):
        self.ready("/static/plain.js")
        response = self.get("/static/plain.js", Range="bytes=0-9")
        assert response.code == 206
        assert "br" not in response.headers.get("Content-Encoding", "")

    def test_a_picture_is_not_compressed(self):
        self.get("/static/picture.png")
        assert self.cache.wait(timeout=120)
        response = self.get("/static/picture.png")
        assert response.code == 200 and "Content-Encoding" not in response.headers

    def test_head_has_the_headers_and_no_body(self):
        self.ready("/static/plain.js")
        response = self.get("/static/plain.js", method="HEAD")
        assert response.code == 200
        assert response.headers["Content-Encoding"] == "br"
        assert response.body == b""

    def test_a_browser_holding_the_brotli_copy_gets_304(self):
        self.ready("/static/plain.js")
        etag = self.get("/static/plain.js").headers["Etag"]
        again = self.get("/static/plain.js", **{"If-None-Match": etag})
        assert again.code == 304 and again.body == b""

    def test_paths_outside_the_static_folder_are_still_refused(self):
        for path in ("/static/../secret.js", "/static/%2e%2e/secret.js",
                     "/static/vendor/../../secret.js", "/static/missing.js", "/static/vendor"):
            response = self.get(path)
            assert response.code in (403, 404), (path, response.code)
            assert SCRIPT not in response.body

    def test_a_changed_file_is_sent_as_it_is_now(self):
        self.ready("/static/plain.js")
        changed = SCRIPT + b"// and one more line\n" * 50
        path = os.path.join(self.root, "plain.js")
        with open(path, "wb") as f:
            f.write(changed)
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000))
        fresh = self.get("/static/plain.js")
        assert gzip.decompress(fresh.body) == changed  # not yet kept: gzip of the new file
        assert self.cache.wait(timeout=120)
        kept = self.get("/static/plain.js")
        assert kept.headers["Content-Encoding"] == "br"
        assert brotli.decompress(kept.body) == changed


def test_kept_files_serve_a_later_run_without_compressing_again(tmp_path, monkeypatch):
    source = tmp_path / "app.js"
    source.write_bytes(SCRIPT)
    first = BrotliCache(tmp_path / "kept")
    assert first.get(source) is None
    assert first.wait(timeout=120)
    made = first.get(source)
    assert brotli.decompress(made) == SCRIPT
    first.close()
    assert len(list((tmp_path / "kept").glob("*.br"))) == 1

    def refuse(*_a, **_k):
        raise AssertionError("compressed again")

    monkeypatch.setattr(brotli, "compress", refuse)
    later = BrotliCache(tmp_path / "kept")
    assert later.get(source) is None
    assert later.wait(timeout=120)
    assert later.get(source) == made
    later.close()


def test_a_damaged_kept_file_is_made_again(tmp_path):
    source = tmp_path / "app.js"
    source.write_bytes(SCRIPT)
    cache = BrotliCache(tmp_path / "kept")
    cache.get(source)
    assert cache.wait(timeout=120)
    cache.close()
    [kept] = (tmp_path / "kept").glob("*.br")
    kept.write_bytes(b"not brotli at all")
    again = BrotliCache(tmp_path / "kept")
    again.get(source)
    assert again.wait(timeout=120)
    assert brotli.decompress(again.get(source)) == SCRIPT
    assert brotli.decompress(kept.read_bytes()) == SCRIPT
    again.close()


def test_an_unwritable_cache_folder_keeps_files_in_memory(tmp_path):
    source = tmp_path / "app.js"
    source.write_bytes(SCRIPT)
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("x")
    cache = BrotliCache(blocker / "kept")
    cache.get(source)
    assert cache.wait(timeout=120)
    assert brotli.decompress(cache.get(source)) == SCRIPT
    cache.close()


def test_small_missing_and_huge_files_are_left_to_gzip(tmp_path, monkeypatch):
    small = tmp_path / "small.js"
    small.write_bytes(b"x" * 100)
    cache = BrotliCache(None)
    assert cache.get(small) is None
    assert cache.get(tmp_path / "missing.js") is None
    monkeypatch.setattr(_brotli, "MAX_SIZE", 1000)
    big = tmp_path / "big.js"
    big.write_bytes(SCRIPT)
    assert cache.get(big) is None
    assert cache.wait(timeout=5)
    assert cache.get(small) is None and cache.get(big) is None
    cache.close()
