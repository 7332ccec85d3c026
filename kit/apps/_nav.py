"""The small menu at the top of every app: the kit's apps, with the current one marked.

Built from :data:`kit.voila.catalogue.APPS`, so an app added to the catalogue appears in every
menu without touching the apps. Links are relative to the page, as Voila serves each app at
``<base_url>voila/render/<notebook>``.

Examples
--------
>>> html = menu_html("03_partnership_map.ipynb")
>>> "aria-current='page'" in html and "Partnership map" in html
True
"""

from __future__ import annotations

import html
import os

from kit.i18n import _

__all__ = ["menu_html", "current_notebook"]


def current_notebook(environ=None) -> str | None:
    """The notebook this page shows, from the request Voila passed in (``SCRIPT_NAME``)."""
    environ = os.environ if environ is None else environ
    path = environ.get("SCRIPT_NAME") or environ.get("PATH_INFO") or ""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return name if name.endswith(".ipynb") else None


def menu_html(current: str | None = None, audiences=None) -> str:
    """The menu as HTML: one list per audience, the current app marked ``aria-current``.

    Parameters
    ----------
    current : str, optional
        The notebook of the page showing the menu (``None``: nothing is marked).
    audiences : collection of str, optional
        Only the apps for these audiences (participants' pages list no facilitator apps);
        every app by default.
    """
    from kit.voila.catalogue import APPS, AUDIENCES

    parts = []
    for audience in AUDIENCES:
        if audiences is not None and audience.id not in audiences:
            continue
        apps = [a for a in APPS if a.audience == audience.id]
        if not apps:
            continue
        items = []
        for app in apps:
            title = html.escape(_(app.title))
            if app.notebook == current:
                items.append(f"<li><a href='{html.escape(app.notebook)}' aria-current='page'>"
                             f"{title}</a></li>")
            else:
                items.append(f"<li><a href='{html.escape(app.notebook)}'>{title}</a></li>")
        label = html.escape(_(audience.title))
        parts.append(f"<ul aria-label='{label}' class='kit-nav-{html.escape(audience.id)}'>"
                     + "".join(items) + "</ul>")
    label = html.escape(_("The kit’s apps"))
    return f"<nav class='kit-nav' aria-label='{label}'>" + "".join(parts) + "</nav>"
