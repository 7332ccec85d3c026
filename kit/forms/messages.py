"""A message area: one place in a form where friendly errors and confirmations appear."""

from __future__ import annotations

import html

import ipywidgets as W

__all__ = ["MessageArea"]

_STYLES = {
    "info": ("status", "#0072B2", "#eef6fb"),
    "success": ("status", "#009E73", "#eefaf5"),
    "warning": ("alert", "#E69F00", "#fdf6e8"),
    "error": ("alert", "#D55E00", "#fcf0e8"),
}


class MessageArea(W.HTML):
    """An HTML widget showing one message at a time, announced to screen readers.

    Text is always escaped. ``kind`` is one of ``info``, ``success``, ``warning``, ``error``;
    errors and warnings use ``role="alert"``, the rest ``role="status"``.

    Examples
    --------
    >>> area = MessageArea()
    >>> area.error("<b>no</b>")
    >>> "&lt;b&gt;no&lt;/b&gt;" in area.value
    True
    """

    def __init__(self, **kwargs):
        super().__init__(value="", **kwargs)
        self.add_class("kit-messages")
        self.kind = ""
        self.text = ""

    def show(self, kind: str, text: str, *, items: list[str] | None = None) -> None:
        if kind not in _STYLES:
            raise ValueError(f"message kind {kind!r} is not one of {sorted(_STYLES)}")
        role, edge, back = _STYLES[kind]
        body = html.escape(text)
        if items:
            body += "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"
        self.kind, self.text = kind, text
        self.value = (
            f"<div role='{role}' class='kit-message kit-message-{kind}' "
            f"style='border-left:4px solid {edge};background:{back};padding:0.5em 0.8em;"
            f"margin:0.5em 0'>{body}</div>"
        )

    def info(self, text: str, **kw) -> None:
        self.show("info", text, **kw)

    def success(self, text: str, **kw) -> None:
        self.show("success", text, **kw)

    def warning(self, text: str, **kw) -> None:
        self.show("warning", text, **kw)

    def error(self, text: str, **kw) -> None:
        self.show("error", text, **kw)

    def clear(self) -> None:
        self.kind, self.text = "", ""
        self.value = ""
