"""Brotli for ``kit serve``'s static files, compressed once and kept.

Tornado gzips every text response as it is sent (``compress_response``, level 6). Brotli at its
highest quality (11) makes Voila's scripts and the chart bundle about a fifth smaller than
that, but takes a few seconds of CPU per megabyte: far too slow to do per request. So a static
file is compressed once, by one low-priority background thread, and the result is kept in
memory and on disk (``<data dir>/cache/brotli/<sha256 of the file>.br``) for every later
visitor and every later start of the server.

* A browser that offers ``br`` (Chromium, Firefox and Safari do over HTTPS and to
  ``localhost``) gets the kept Brotli bytes once they are ready.
* Until then, and for every other browser, range request or file type, the response is what it
  was: Tornado's gzip. So nothing ever waits for compression.

:func:`brotli_static` makes the subclass of a Tornado ``StaticFileHandler`` that does this
(used by :mod:`kit.voila._network` for Voila's static-file handlers).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

__all__ = [
    "COMPRESSIBLE",
    "QUALITY",
    "BrotliCache",
    "accepts_brotli",
    "brotli_static",
    "compressible",
    "default_cache",
]

_log = logging.getLogger(__name__)

#: Brotli quality for kept files: the smallest output; slow, but paid once per file.
QUALITY = 11
#: Files smaller than this are left to gzip (the saving is a few bytes).
MIN_SIZE = 1024
#: Files larger than this are left to gzip (not held in memory).
MAX_SIZE = 16 * 1024 * 1024
#: Non-``text/*`` types worth compressing (Tornado's own list for gzip).
COMPRESSIBLE = frozenset({
    "application/javascript",
    "application/x-javascript",
    "application/xml",
    "application/atom+xml",
    "application/json",
    "application/xhtml+xml",
    "image/svg+xml",
})


def compressible(content_type: str | None) -> bool:
    """True for a text type (``text/*``, JavaScript, JSON, SVG ...), ignoring parameters.

    >>> compressible("application/javascript; charset=UTF-8"), compressible("image/png")
    (True, False)
    """
    ctype = (content_type or "").split(";")[0].strip().lower()
    return ctype.startswith("text/") or ctype in COMPRESSIBLE


def accepts_brotli(accept_encoding: str | None) -> bool:
    """True when an ``Accept-Encoding`` header offers ``br`` with a quality above zero.

    >>> accepts_brotli("gzip, deflate, br, zstd"), accepts_brotli("gzip, br;q=0")
    (True, False)
    >>> accepts_brotli("gzip"), accepts_brotli(None)
    (False, False)
    """
    for part in (accept_encoding or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() != "br":
            continue
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


class BrotliCache:
    """Brotli bytes of static files, made in the background and kept in memory and on disk.

    :meth:`get` never blocks on compression: it returns the bytes when they are ready, and
    otherwise asks the background thread for them and returns ``None``.

    Parameters
    ----------
    directory
        Where compressed files are kept between runs; ``None`` keeps them in memory only.
        A directory that cannot be written is used as memory only, with a warning.
    quality
        Brotli quality, 0 to 11.
    """

    def __init__(self, directory: Path | str | None, *, quality: int = QUALITY) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.quality = quality
        self._lock = threading.Lock()
        #: (absolute path, size, mtime_ns) -> Brotli bytes, or None while being made
        self._ready: dict[tuple[str, int, int], bytes | None] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._idle = threading.Condition(self._lock)
        self._pending = 0

    # ---- reading ---------------------------------------------------------------------------
    def get(self, path: str | os.PathLike) -> bytes | None:
        """The Brotli bytes of the file at ``path`` if ready, else ``None`` (and start them)."""
        path = os.fspath(path)
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not (MIN_SIZE <= st.st_size <= MAX_SIZE):
            return None
        key = (path, st.st_size, st.st_mtime_ns)
        with self._lock:
            if key in self._ready:
                return self._ready[key]
            self._ready[key] = None
            self._pending += 1
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="kit-brotli", initializer=_lower_priority
                )
            pool = self._pool
        pool.submit(self._make, key)
        return None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until nothing is being compressed; True if so within ``timeout`` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self) -> None:
        """Stop the background thread (work already asked for is finished first)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    # ---- making ----------------------------------------------------------------------------
    def _make(self, key: tuple[str, int, int]) -> None:
        path = key[0]
        out: bytes | None = None
        try:
            raw = Path(path).read_bytes()
            if len(raw) == key[1]:  # not changed since it was looked at
                out = self._kept(raw)
        except Exception:  # noqa: BLE001 - a file that cannot be compressed is sent as gzip
            _log.warning("could not compress %s with Brotli; it is sent with gzip", path,
                         exc_info=True)
        with self._lock:
            if out is not None:
                self._ready[key] = out
            self._pending -= 1
            self._idle.notify_all()

    def _kept(self, raw: bytes) -> bytes:
        import brotli

        name = f"{hashlib.sha256(raw).hexdigest()}-q{self.quality}.br"
        kept = self.directory / name if self.directory is not None else None
        if kept is not None:
            try:
                data = kept.read_bytes()
                if brotli.decompress(data) == raw:
                    return data
            except FileNotFoundError:
                pass
            except Exception:  # noqa: BLE001 - a damaged kept file is made again
                _log.info("a kept Brotli file %s was damaged; making it again", kept)
        data = brotli.compress(raw, quality=self.quality)
        if kept is not None:
            try:
                kept.parent.mkdir(parents=True, exist_ok=True)
                tmp = kept.with_name(f"{kept.name}.{os.getpid()}.{threading.get_ident()}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, kept)  # atomic: another server never reads half a file
            except OSError as exc:
                _log.warning("could not keep Brotli files in %s (%s); they are kept in memory "
                             "only for this run", self.directory, exc)
                self.directory = None
        return data


def _lower_priority() -> None:
    """Run the compressing thread below the server's own work (Linux; elsewhere a no-op)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass


#: What ``_kit_brotli_body`` returns when Tornado has already answered (as its ``get`` does).
_ANSWERED = object()

_default: BrotliCache | None = None
_default_lock = threading.Lock()


def default_cache() -> BrotliCache:
    """The process's cache, kept under the kit's data directory."""
    global _default
    with _default_lock:
        if _default is None:
            try:
                from kit.config import get_settings

                directory: Path | None = get_settings().data_dir / "cache" / "brotli"
            except Exception:  # noqa: BLE001 - no settings: keep files in memory only
                directory = None
            _default = BrotliCache(directory)
        return _default


def brotli_static(base, cache=default_cache):
    """A subclass of the Tornado ``StaticFileHandler`` ``base`` that sends kept Brotli bytes.

    Only for a whole-file ``GET`` or ``HEAD`` from a browser that offers ``br``, of a text
    type, once :class:`BrotliCache` has the file; every other request is ``base``'s own.
    The steps before the body are ``StaticFileHandler.get``'s own public ones (fenced in
    :mod:`kit.voila._fence`): the same path checks, headers and ``304`` answers.
    """

    class Brotli(base):
        async def get(self, path, include_body=True):
            body = self._kit_brotli_body(path)
            if body is _ANSWERED:  # validate_absolute_path answered (a redirect)
                return
            if body is None:
                return await super().get(path, include_body)
            self.modified = self.get_modified_time()
            self.set_headers()
            etag = self.compute_etag()
            if etag and etag.endswith('"'):
                # another representation of the file, so another tag
                self.set_header("Etag", etag[:-1] + '-br"')
            if self.should_return_304():
                self.set_status(304)
                return
            self.set_header("Content-Encoding", "br")
            self.set_header("Vary", "Accept-Encoding")
            self.set_header("Content-Length", len(body))
            if include_body:
                self.write(body)

        def _kit_brotli_body(self, path):
            if not accepts_brotli(self.request.headers.get("Accept-Encoding")):
                return None
            if self.request.headers.get("Range"):
                return None
            self.path = self.parse_url_path(path)
            absolute_path = self.get_absolute_path(self.root, self.path)
            self.absolute_path = self.validate_absolute_path(self.root, absolute_path)
            if self.absolute_path is None:
                return _ANSWERED
            if not compressible(self.get_content_type()):
                return None
            return cache().get(self.absolute_path)

    Brotli.__name__ = Brotli.__qualname__ = f"Brotli{base.__name__}"
    return Brotli
