"""Join links and the address they are made from: what the set-up page, ``kit cohort`` and the
join sheet share.

A join link opens the self-assessment with a group's join code filled in
(:func:`join_link`); the address of the apps comes from the server's settings or this page's
request (:func:`public_address`), and :func:`address_problem` says when people's phones would
not open it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from kit.i18n import _

__all__ = ["JOIN_NOTEBOOK", "JoinSheetGroup", "join_link", "apps_address", "public_address",
           "address_problem"]

#: The page a join link opens; ``?join=CODE`` fills in the code there.
JOIN_NOTEBOOK = "01_self_assessment.ipynb"


@dataclass(frozen=True)
class JoinSheetGroup:
    """One group's part of the join sheet."""

    group: str
    join_code: str
    link: str



def join_link(base_url: str, join_code: str) -> str:
    """The address that opens the self-assessment with this join code filled in.

    ``base_url`` is where the apps are served from, ending in ``/`` (for example
    ``https://kit.example.org/voila/render/``).

    Examples
    --------
    >>> join_link("http://localhost:8866/voila/render/", "K7QF-2MRX-9WZD-HT4P")
    'http://localhost:8866/voila/render/01_self_assessment.ipynb?join=K7QF-2MRX-9WZD-HT4P'
    """
    base = (base_url or "").strip()
    if base and not base.endswith("/"):
        base += "/"
    return f"{base}{JOIN_NOTEBOOK}?join={quote(join_code, safe='-')}"


def apps_address(environ) -> str:
    """Where this server's apps live, worked out from a Voila page's request (best guess).

    Behind a proxy the address the server sees may not be the one people type: the set-up
    app shows it in a box that can be corrected before the join sheet is made.
    """
    host = (environ.get("HTTP_HOST") or "").strip()
    if not host:
        name = environ.get("SERVER_NAME") or "localhost"
        port = environ.get("SERVER_PORT") or ""
        host = f"{name}:{port}" if port and port not in {"80", "443"} else name
    scheme = "https" if environ.get("SERVER_PORT") == "443" else "http"
    script = environ.get("SCRIPT_NAME") or "/"
    # SCRIPT_NAME is the page's own path, e.g. /voila/render/11_facilitator_setup.ipynb
    folder = script.rsplit("/", 1)[0] + "/" if script.endswith(".ipynb") else script
    if not folder.startswith("/"):
        folder = "/" + folder
    return f"{scheme}://{host}{folder}"


def public_address(environ, settings=None) -> str:
    """The address for join links: the one set for the server (``public_url`` in the
    settings), else the best guess from this page's request (:func:`apps_address`)."""
    if settings is None:
        from kit.config import get_settings

        settings = get_settings()
    url = (settings.public_url or "").strip()
    if not url:
        return apps_address(environ)
    if not url.endswith("/"):
        url += "/"
    if "voila/render/" not in url:  # the server's own address: its apps live under it
        url += "voila/render/"
    return url


_LOOPBACK = re.compile(r"^(localhost|127(\.\d+){3}|0\.0\.0\.0|::1|\[::1\])$", re.I)


def address_problem(address: str, *, resolve=None) -> str | None:
    """Why a join link made from ``address`` would not open on people's phones, or ``None``.

    A loopback address (``localhost``, ``127.0.0.1``) only works on the server itself; a name
    this server cannot look up is probably mistyped. ``resolve`` (for tests) looks a host name
    up and raises :class:`OSError` when it cannot.
    """
    from urllib.parse import urlsplit

    parts = urlsplit((address or "").strip())
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return _("The address {address} is not a web address: it should start with http:// or "
                 "https://, as people's phones will open it.").format(address=repr(address))
    if _LOOPBACK.match(host):
        return _("The address {address} only works on this computer, so join links and QR "
                 "codes made from it will not open on people's phones. Type the address people "
                 "use to reach this server before you print the join sheet.").format(
            address=repr(address))
    if resolve is None:
        import socket

        def resolve(name):
            return socket.getaddrinfo(name, None)
    try:
        resolve(host)
    except OSError:
        return _("This server cannot find {host}, so the join links may not open. Check the "
                 "address before you print the join sheet.").format(host=repr(host))
    return None
