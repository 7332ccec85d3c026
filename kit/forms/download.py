"""Downloads built from bytes in memory: an ``<a download>`` with a data URI, and a download
that starts in one click (:class:`OneClickDownload`)."""

from __future__ import annotations

import base64
import html
import json
import re
import uuid

import ipywidgets as W

__all__ = ["download_link_html", "click_script", "DownloadLink", "OneClickDownload"]

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


def click_script(link_id: str) -> str:
    """JavaScript that clicks the download link ``link_id`` once it is on the page.

    Runs at most once per link, however many times the page runs it (the output is sent both
    as HTML and as JavaScript, since which one a front end runs depends on how it trusts
    outputs), and waits up to ten seconds for the link's widget to be drawn.
    """
    key = json.dumps(link_id)
    return (
        "(function(){var k=" + key + ";var d=window.kitDownloads=window.kitDownloads||{};"
        "if(d[k])return;d[k]=1;var n=0;(function f(){var a=document.getElementById(k);"
        "if(a){a.click();return;}if(++n<200)setTimeout(f,50);})();})();"
    )


class OneClickDownload(W.VBox):
    """A download that starts by itself: :meth:`start` builds the link and clicks it.

    The link stays visible afterwards, with the file's name, for anyone whose browser did not
    start the download (or who wants the file again). It works offline: the file travels in
    the page as a ``data:`` URL, and the click is a few lines of script, nothing fetched.
    """

    def __init__(self, **kwargs):
        self.link = W.HTML(value="")
        self.link.add_class("kit-download-box")
        self.runner = W.Output()
        self.runner.add_class("kit-scripts")
        self.runner.layout.display = "none"
        super().__init__([self.link, self.runner], **kwargs)
        #: the file name of the latest download ("" before the first)
        self.filename = ""
        #: every click script sent, oldest first (for tests and for reading what a page did)
        self.sent: list[str] = []

    @property
    def value(self) -> str:
        """The link's HTML (empty before :meth:`start`)."""
        return self.link.value

    def start(self, data: bytes, filename: str, mime: str, label: str, note: str = "") -> None:
        """Offer ``data`` as ``filename`` and start the download in the browser now.

        ``label`` is the fallback link's text (it should name the file); ``note`` an optional
        sentence before it.
        """
        from IPython.display import HTML, Javascript, display

        link_id = f"kit-download-{uuid.uuid4().hex}"
        anchor = download_link_html(data, filename, mime, label).replace(
            "<a ", f"<a id='{link_id}' ", 1)
        self.filename = _SAFE_NAME.sub("-", filename).strip("-") or "download"
        self.link.value = (f"<p class='kit-download-note'>{html.escape(note)} {anchor}</p>"
                           if note else anchor)
        script = click_script(link_id)
        self.sent.append(script)
        self._clear_runner()
        with self.runner:
            display(HTML(f"<script>{script}</script>"))
            display(Javascript(script))

    def clear(self) -> None:
        self.link.value = ""
        self.filename = ""
        self._clear_runner()

    def _clear_runner(self) -> None:
        # Only when a script was shown: clearing an empty Output still sends a clear message
        # routed through the widget, which nbclient (executing the notebook) cannot place.
        if self.runner.outputs:
            self.runner.outputs = ()
