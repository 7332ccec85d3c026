"""Fast over a workshop's Wi-Fi: compressed responses and long-lived static files.

``kit serve`` runs Voila through :mod:`kit.voila._pool`, which calls :func:`install` before
Voila starts. Two of Voila's own methods are wrapped. Like every patch of the kit's, each
target is fenced (:mod:`kit.voila._fence`): :func:`install` first checks that Voila is the
tested version and that each wrapped method or handler is the code it was written for, and
refuses otherwise.

* ``Voila.init_settings`` returns the settings Voila hands to ``tornado.web.Application``.
  Adding ``compress_response`` there (it must be there: Tornado picks its output transforms
  when the application is built, so ``Voila.tornado_settings``, applied afterwards, is too
  late) gzips every text response: HTML, JavaScript, CSS, JSON and SVG, the Vega bundle
  included. ``websocket_compression_options`` turns on per-message deflate for the kernel's
  websocket, which carries the widgets' state.
* ``Voila.init_handlers`` swaps the handlers of static files for subclasses that let the
  browser keep a file for a year without asking again (``Cache-Control: public,
  max-age=31536000, immutable``) when its address is versioned: a ``?v=`` content hash (the
  kit template's files) or a content hash in the file name (JupyterLab extension chunks such
  as ``remoteEntry.3a9c...js``) or release versions in the name (the chart bundle
  ``jupyterchart-altair-6.0.1_vlc-1.8.0.js``). A new
  version has a new address, so nothing stale is ever used. Other files keep Voila's
  behaviour (checked again on every visit).
* The same subclasses note which app page fetched each script, so that the page can name
  them all at its top next time (:mod:`kit.voila._preload`).
* The same subclasses send a static file as Brotli (quality 11, about a fifth smaller than
  gzip) to a browser that offers it, once the file has been compressed in the background and
  kept (:mod:`kit.voila._brotli`); until then, gzip as before.

Nothing here is imported by ``import kit``.
"""

from __future__ import annotations

import re

from kit.voila import _preload
from kit.voila._brotli import brotli_static

__all__ = [
    "IMMUTABLE",
    "install",
    "is_versioned",
    "network_settings",
    "versioned_handlers",
]

#: Cache-Control for a file whose address changes whenever its content does.
IMMUTABLE = "public, max-age=31536000, immutable"
#: A content hash in a file name: ``name.<hex>.js``, ``name-<hex>.css``, ``<hex>.woff2`` ...
_HASHED = re.compile(r"(?:^|[./_-])[0-9a-f]{16,}(?:[./_-]|$)|(?:^|[./_-])[0-9a-f]{8,}\.[a-z0-9]+$")
#: A release version in a file name: ``jupyterchart-altair-6.0.1_vlc-1.8.0.js``.
_RELEASE = re.compile(r"[_-][a-z]*\d+\.\d+\.\d+")
_ONE_YEAR = 365 * 24 * 3600

_installed = False


def is_versioned(path: str, arguments=()) -> bool:
    """True when ``path`` (and its query ``arguments``) names one version of a file for good.

    Examples
    --------
    >>> is_versioned("remoteEntry.5f4e3c2b1a09e8d7c6b5.js")
    True
    >>> is_versioned("kit/static/kit.css", {"v": [b"4dd4512c"]})
    True
    >>> is_versioned("vendor/jupyterchart-altair-6.0.1_vlc-1.8.0.js")
    True
    >>> is_versioned("kit/static/kit.css")
    False
    """
    if "v" in arguments:
        return True
    name = path.rsplit("/", 1)[-1]
    return bool(_HASHED.search(name) or _RELEASE.search(name))


def network_settings() -> dict:
    """Tornado application settings for compression (added to Voila's own)."""
    return {"compress_response": True, "websocket_compression_options": {}}


def _learn_preload(handler) -> None:
    """Tell :mod:`kit.voila._preload` which app page (``Referer``) fetched this script."""
    _preload.learn(handler.request, handler.get_status())


def _versioned_static(base):
    """A subclass of a Tornado ``StaticFileHandler`` that caches versioned files for a year
    (and sends kept Brotli bytes, :func:`kit.voila._brotli.brotli_static`)."""

    class Versioned(brotli_static(base)):
        def get_cache_time(self, path, modified, mime_type):
            if is_versioned(path, self.request.arguments):
                return _ONE_YEAR
            return super().get_cache_time(path, modified, mime_type)

        def set_extra_headers(self, path):
            super().set_extra_headers(path)
            if is_versioned(path, self.request.arguments):
                self.set_header("Cache-Control", IMMUTABLE)

        def on_finish(self):
            super().on_finish()
            _learn_preload(self)

    Versioned.__name__ = Versioned.__qualname__ = f"Versioned{base.__name__}"
    return Versioned


def _versioned_find(base):
    """The same for jupyter_server's ``FileFindHandler`` (JupyterLab extensions), which sets
    ``Cache-Control`` in ``set_headers``; Voila asks it never to cache."""

    class Versioned(brotli_static(base)):
        def set_headers(self):
            super().set_headers()
            if is_versioned(self.request.path, self.request.arguments):
                self.set_header("Cache-Control", IMMUTABLE)

        def on_finish(self):
            super().on_finish()
            _learn_preload(self)

    Versioned.__name__ = Versioned.__qualname__ = f"Versioned{base.__name__}"
    return Versioned


def versioned_handlers(handlers: list) -> list:
    """Voila's handler list with its static-file handlers swapped for versioned ones."""
    from jupyter_server.base.handlers import FileFindHandler
    from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler

    swap = {
        # Upstream: Voila's template files get no cache lifetime, even with a ?v= hash.
        TemplateStaticFileHandler: _versioned_static(TemplateStaticFileHandler),
        # Upstream: Voila's own static files likewise.
        MultiStaticFileHandler: _versioned_static(MultiStaticFileHandler),
        # Upstream: jupyter_server marks extension chunks no-cache, even content-hashed ones.
        FileFindHandler: _versioned_find(FileFindHandler),
    }
    out = []
    for entry in handlers:
        if isinstance(entry, tuple) and len(entry) >= 2 and entry[1] in swap:
            entry = (entry[0], swap[entry[1]], *entry[2:])
        out.append(entry)
    return out


def install() -> bool:
    """Wrap ``Voila.init_settings`` and ``Voila.init_handlers`` (once); return True.

    Raises
    ------
    kit.voila._fence.FenceError
        When Voila, or a method or handler wrapped here, is not what the wrappers were
        written for (nothing is patched then).
    """
    global _installed
    if _installed:
        return True
    from voila.app import Voila

    from kit.voila._fence import check

    check(packages=("voila",))  # every target below is in kit.voila._fence.TARGETS
    init_settings, init_handlers = Voila.init_settings, Voila.init_handlers

    def kit_init_settings(self):
        settings = init_settings(self)
        return {**settings, **network_settings()}

    def kit_init_handlers(self):
        return versioned_handlers(init_handlers(self))

    # Upstream: no setting for gzip; Tornado reads compress_response only when built.
    Voila.init_settings = kit_init_settings
    # Upstream: versioned static files get no cache lifetime (see versioned_handlers).
    Voila.init_handlers = kit_init_handlers
    _installed = True
    return True
