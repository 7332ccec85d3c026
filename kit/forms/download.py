"""A download link built from bytes in memory: an ``<a download>`` with a data URI."""

from __future__ import annotations

import base64
import html
import re

import ipywidgets as W

__all__ = ["download_link_html", "DownloadLink"]

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def download_link_html(data: bytes, filename: str, mime: str, label: str) -> str:
    """HTML for a link that saves ``data`` as ``filename`` when clicked (no server round trip).

    Examples
    --------
    >>> "download='a.txt'" in download_link_html(b"hi", "a.txt", "text/plain", "Save")
    True
    """
    name = _SAFE_NAME.sub("-", filename).strip("-") or "download"
    payload = base64.b64encode(data).decode("ascii")
    return (
        f"<a class='kit-download' download='{html.escape(name)}' "
        f"href='data:{html.escape(mime)};base64,{payload}' "
        f"style='display:inline-block;padding:0.4em 0.9em;background:#0072B2;color:#fff;"
        f"border-radius:4px;text-decoration:none'>{html.escape(label)}</a>"
    )


class DownloadLink(W.HTML):
    """An HTML widget holding one download link; call :meth:`set` to (re)fill it."""

    def __init__(self, **kwargs):
        super().__init__(value="", **kwargs)
        self.add_class("kit-download-box")

    def set(self, data: bytes, filename: str, mime: str, label: str) -> None:
        self.value = download_link_html(data, filename, mime, label)

    def clear(self) -> None:
        self.value = ""
