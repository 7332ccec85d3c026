"""Preload hints: an app page asks for all its scripts at once, at the top of the page.

Over a workshop's Wi-Fi (10 Mbit/s, 40 ms round trip) an app page moves about 1.3 to 1.6 MB
in about 100 requests, nearly all of them scripts. Voila finds them one layer at a time: the
page names ``voila.js`` only at its very end (after the app has run in the kernel); that file
then asks for Voila's chunks; those ask for the JupyterLab extensions' ``remoteEntry`` files,
which ask for their own chunks; and the chart bundle comes last, when the first chart is
drawn. Each layer waits for the one before, so the browser spends much of the visit waiting
with the network idle (measured: the last script arrived 3.1 s after the page was asked for,
though the bytes need 1.2 s at 10 Mbit/s).

So the server learns which scripts a page goes on to fetch, and names them in the page's
``<head>`` as ``<link rel="preload" as="script">``. The browser then asks for every one of
them while the page itself is still arriving, and runs them from its cache when Voila asks.

How it learns, and its bounds:

* A notebook's list is created only when the server renders that notebook's page (the
  template calls :func:`preload_links`, registered as a Jinja filter by ``kit serve``).
* A script joins a notebook's list when the server has sent it (status 200 or 304) to a
  browser whose ``Referer`` is that notebook's page, during the :data:`LEARN_SECONDS` after
  the first such script; after that the list is fixed until the server restarts. (A count
  of visits would not do: a preheated pool renders its pages before anyone visits, so the
  server cannot tell from renders which visitors have come.)
  Only files the server's own static handlers served can be named, so a forged ``Referer``
  can at worst add files the server already offers, up to :data:`MAX_URLS` per notebook and
  :data:`MAX_NOTEBOOKS` notebooks.
* Addresses are kept exactly as the browser asked for them (path and query), so a preloaded
  file is the one Voila's loader later asks for, byte for byte, and nothing is fetched twice.
* A script fetched as an ES module (it carries an ``Origin`` header, as module fetches do) is
  named with ``<link rel="modulepreload">``, which is what such a fetch can reuse; others
  with ``<link rel="preload" as="script">``. The kit's chart bundle is one: anywidget imports
  it from a ``blob:`` module, so the request has no ``Referer``. Such a request is put down to
  the page whose scripts last came over the same connection (browsers keep a few
  connections open per server and reuse them for one page's files). A classic script
  without a ``Referer`` is never learned (a tool fetching files directly is not a page).

Nothing here is imported by ``import kit``.
"""

from __future__ import annotations

import threading
import time
import weakref
from urllib.parse import urlsplit

from markupsafe import Markup, escape

__all__ = [
    "LEARN_SECONDS",
    "MAX_NOTEBOOKS",
    "MAX_URLS",
    "PreloadRegistry",
    "learn",
    "preload_links",
    "registry",
]

#: For how long, from the first script a notebook's page fetched, its list is learned.
LEARN_SECONDS = 600.0
#: At most this many scripts are named for one notebook.
MAX_URLS = 200
#: At most this many notebooks have a list.
MAX_NOTEBOOKS = 64
_RENDER = "/voila/render/"


def _page_name(referer: str | None) -> str | None:
    """The notebook name (without ``.ipynb``) of a Voila app page's address, else None.

    >>> _page_name("http://room.example/voila/render/01_self_assessment.ipynb?lang=cy")
    '01_self_assessment'
    >>> _page_name("http://room.example/voila/static/voila.js") is None
    True
    """
    if not referer:
        return None
    path = urlsplit(referer).path
    if _RENDER not in path:
        return None
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".ipynb"):
        name = name[: -len(".ipynb")]
    return name or None


class PreloadRegistry:
    """What each notebook's page went on to fetch, learned from its first visits."""

    def __init__(self, learn_seconds: float = LEARN_SECONDS, max_urls: int = MAX_URLS,
                 max_notebooks: int = MAX_NOTEBOOKS, clock=time.monotonic):
        self.learn_seconds = learn_seconds
        self.clock = clock
        self._started: dict[str, float] = {}
        self.max_urls = max_urls
        self.max_notebooks = max_notebooks
        self._lock = threading.Lock()
        # notebook -> its scripts (address -> kind); a notebook is here once it was rendered
        self._urls: dict[str, dict[str, str]] = {}
        # connection (Tornado stream) -> the page whose script it carried last
        self._last_page: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def rendered(self, name: str) -> list[tuple[str, str]]:
        """Note a render of ``name``'s page; return its scripts as (address, kind)."""
        with self._lock:
            if name not in self._urls:
                if len(self._urls) >= self.max_notebooks:
                    return []
                self._urls[name] = {}
            return list(self._urls[name].items())

    def learn(self, referer: str | None, uri: str, *, module: bool = False,
              connection=None) -> bool:
        """Note that a page fetched the script at ``uri``; True if newly kept.

        The page is the one ``referer`` names. An ES module (``module``) fetched without a
        ``Referer`` belongs to the page whose script last came over ``connection`` (any
        weak-referenceable object standing for it); any other request without one is not
        learned.
        """
        if not uri.startswith("/") or uri.startswith("//"):  # a path on this server only
            return False
        name = _page_name(referer)
        with self._lock:
            if name is None and not referer and module:
                # only an ES module is expected without a Referer (see the module docstring)
                if connection is not None:
                    name = self._last_page.get(connection)
            if name not in self._urls:  # None, or a page this server never rendered
                return False
            if connection is not None:
                self._last_page[connection] = name
            now = self.clock()
            started = self._started.setdefault(name, now)
            if now - started > self.learn_seconds:
                return False
            urls = self._urls[name]
            if uri in urls or len(urls) >= self.max_urls:
                return False
            urls[uri] = "module" if module else "script"
            return True

    def urls(self, name: str) -> dict[str, str]:
        """The scripts learned for ``name``: address -> ``"script"`` or ``"module"``."""
        with self._lock:
            return dict(self._urls.get(name, {}))

    def clear(self) -> None:
        with self._lock:
            self._started.clear()
            self._urls.clear()
            self._last_page.clear()


#: The server's registry (one per Voila process).
registry = PreloadRegistry()


def learn(request, status: int) -> bool:
    """Called by the static-file handlers with a finished Tornado ``request``."""
    if request.method != "GET" or status not in (200, 304):
        return False
    if not urlsplit(request.uri).path.endswith(".js"):
        return False
    headers = request.headers
    return registry.learn(
        headers.get("Referer"), request.uri,
        module="Origin" in headers,
        connection=getattr(request.connection, "stream", None),
    )


def preload_links(resources) -> Markup:
    """Jinja filter for the page's ``<head>``: one ``<link rel="preload">`` per learned script.

    ``resources`` is the template's ``resources`` (Voila puts the notebook's name in
    ``resources["metadata"]["name"]``). Counts the render.
    """
    name = ((resources or {}).get("metadata") or {}).get("name")
    if not name:
        return Markup("")
    links = []
    for url, kind in registry.rendered(str(name)):
        if kind == "module":
            links.append(f'<link rel="modulepreload" href="{escape(url)}">')
        else:
            links.append(f'<link rel="preload" as="script" href="{escape(url)}">')
    return Markup("".join(links))
