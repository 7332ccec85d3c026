"""A section that opens and closes, built on the browser's own ``<details>`` element.

ipywidgets' Accordion draws its headers as plain elements a keyboard cannot reach; a
``<summary>`` is a real button: reached with Tab, opened with Enter or Space, and announced
as expanded or collapsed by screen readers, with no script.
"""

from __future__ import annotations

import html

import ipywidgets as W

__all__ = ["Collapsible", "collapsible_html"]


def collapsible_html(title: str, body_html: str, *, open: bool = False) -> str:
    """``<details>`` HTML: ``title`` is plain text (escaped here); ``body_html`` is HTML the
    caller has already escaped.

    Examples
    --------
    >>> collapsible_html("<b>Area</b>", "<p>why</p>")
    "<details class='kit-collapsible'><summary>&lt;b&gt;Area&lt;/b&gt;</summary><div class='kit-collapsible-body'><p>why</p></div></details>"
    """
    state = " open" if open else ""
    return (f"<details class='kit-collapsible'{state}><summary>{html.escape(title)}</summary>"
            f"<div class='kit-collapsible-body'>{body_html}</div></details>")


class Collapsible(W.HTML):
    """One collapsible section as a widget (see :func:`collapsible_html`)."""

    def __init__(self, title: str, body_html: str, *, open: bool = False, **kwargs):
        super().__init__(collapsible_html(title, body_html, open=open), **kwargs)
        self.title = title
        self.add_class("kit-collapsible-box")
