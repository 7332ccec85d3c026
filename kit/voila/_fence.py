"""A fence around the kit's patches to other libraries' private code.

The kit replaces private methods of Voila (``kit/voila/_pool.py``), wraps two of its
application's methods and subclasses its static-file handlers (``kit/voila/_network.py``),
overrides blocks of Voila's
lab template (``kit/voila/jupyter/nbconvert/templates/kit``) and uses Altair's private names
(``kit/charts/display.py``, ``kit/report/pdf.py``). Each was written against the versions in
:data:`TESTED`. A new release may rename or rewrite any of them, and the patch would then fail
later, in front of a visitor, or quietly do nothing.

So before anything is patched (``kit serve`` at start-up, and :func:`kit.voila._pool.install`)
:func:`problems` checks each installed version against its tested range, and each patched
target against a fingerprint of the original's source (or, for a name the kit only reads, that
it still exists). On any mismatch ``kit serve`` stops with a message naming the version and
what to do, instead of serving pages that fail later.

After deliberately testing a new version, refresh the fingerprints with::

    python -m kit.voila._fence --print

and update :data:`TESTED` and the pins in ``pyproject.toml`` and ``environment.yml``.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TESTED", "TARGETS", "TEMPLATE_BLOCKS", "FenceError", "problems", "check", "fingerprint"]

#: Package -> (lowest tested version, first version NOT tested). Must agree with the pins in
#: pyproject.toml and environment.yml (a test checks that they do).
TESTED = {
    "voila": ("0.5.13", "0.5.14"),
    "altair": ("6.0", "7"),
}


@dataclass(frozen=True)
class Target:
    """One piece of another library's code the kit relies on.

    ``fingerprint`` is the hash of the original source the patch was written against, or
    ``None`` for a name the kit only reads (then only its presence is checked).
    """

    package: str  # the patch set: "voila" (checked by kit serve and the launcher) or "altair"
    module: str
    name: str  # "Class.attribute" or "function"
    fingerprint: str | None
    why: str  # the upstream problem the patch works around, or what the kit reads it for
    #: The distribution that ships ``module``, when it is not ``package`` (named in messages).
    distribution: str | None = None

    @property
    def label(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def ships_in(self) -> str:
        return self.distribution or self.package


TARGETS = (
    Target("voila", "voila.request_info_handler", "RequestInfoSocketHandler.open",
           "0e7270dcc7de3475",
           "drops request details written to a connection that has just closed"),
    Target("voila", "voila.request_info_handler", "RequestInfoSocketHandler.on_message",
           "c6dc394c12590e2c",
           "has no acknowledgement, so details cannot be kept until a kernel has them"),
    Target("voila", "voila.request_info_handler", "RequestInfoSocketHandler.on_close",
           "f8cd42e0b3a981cf",
           "on a close, may delete another kernel's waiter"),
    Target("voila", "voila.request_info_handler", "RequestInfoSocketHandler.send_updates",
           "f5758365962b3721",
           "forgets details sent to a kernel that is not connected at that moment"),
    Target("voila", "voila.handler", "VoilaHandler.prepare",
           "a67f92de0100fb12",
           "never sets the _xsrf cookie on app pages, so closing a page cannot free its kernel"),
    Target("voila", "voila.notebook_renderer", "NotebookRenderer.generate_content_generator",
           "2bdf88286d1c28aa",
           "drops a kernel start-up error in a background task; the page loads for ever"),
    # kit/voila/_network.py: compression and long cache lifetimes
    Target("voila", "voila.app", "Voila.init_settings",
           "baf91c97509c32a1",
           "has no setting for gzip (compress_response), which Tornado reads only when the "
           "application is built"),
    Target("voila", "voila.app", "Voila.init_handlers",
           "83e7ffbc438e71fb",
           "serves even versioned static files with no cache lifetime, so every visit asks "
           "for each file again"),
    Target("voila", "voila.static_file_handler", "TemplateStaticFileHandler", None,
           "serves the template's static files (swapped for a subclass that caches versioned "
           "ones)"),
    Target("voila", "voila.static_file_handler", "MultiStaticFileHandler", None,
           "serves its own static files (swapped for a subclass that caches versioned ones)"),
    Target("voila", "jupyter_server.base.handlers", "FileFindHandler.set_headers",
           "9d34eb9489c9b30e",
           "marks every JupyterLab extension file no-cache, even chunks named by a content hash",
           distribution="jupyter_server"),
    Target("voila", "tornado.web", "StaticFileHandler.get",
           "d30b3f00cbbb6c05",
           "has no way to send a file compressed ahead of time; kit/voila/_brotli.py repeats "
           "its steps before the body (path checks, headers, 304) to send kept Brotli bytes",
           distribution="tornado"),
    Target("voila", "ipywidgets", "_handle_ipython", None,
           "registers the widget comm targets on import, only inside a kernel: a kernel "
           "forked from the template (kit/voila/_template.py) calls it again",
           distribution="ipywidgets"),
    Target("voila", "ipykernel.kernelapp", "IPKernelApp.parent_handle", None,
           "its default is read from the environment when ipykernel is imported, so a "
           "forked kernel sets it", distribution="ipykernel"),
    Target("voila", "ipykernel.parentpoller", "ParentPollerUnix.run", "fae11bc24bfcb08f",
           "a forked kernel's parent is the template, not the server: this poller must then "
           "watch only for being orphaned, so a template crash does not end the kernels",
           distribution="ipykernel"),
    Target("altair", "altair", "JupyterChart._esm", None,
           "the chart widget's JavaScript, replaced by the offline bundle"),
    Target("altair", "altair", "JupyterChart.enable_offline", None,
           "builds the offline chart bundle"),
    Target("altair", "altair.utils._importers", "vl_version_for_vl_convert", None,
           "the Vega-Lite version vl-convert must use for static charts and PDFs"),
)

#: Blocks of Voila's and nbconvert's lab templates that the kit's template replaces, because
#: upstream fills them with CDN addresses (Font Awesome, MathJax, Mermaid). If upstream
#: renames one, the kit's override would silently stop applying.
TEMPLATE_BLOCKS = {
    ("voila", "lab"): ("notebook_css", "html_head_js_mathjax"),
    ("nbconvert", "lab"): ("notebook_css", "html_head_js_mathjax", "html_head_js_mermaidjs"),
}


class FenceError(RuntimeError):
    """An installed library is not the version, or not the code, the kit's patches fit."""


def fingerprint(obj) -> str:
    """A short hash of ``obj``'s source, ignoring indentation and blank lines."""
    source = textwrap.dedent(inspect.getsource(obj))
    lines = [line.rstrip() for line in source.splitlines() if line.strip()]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(c for c in piece if c.isdigit()) if not piece.isdigit() else piece
        if not digits:
            break
        parts.append(int(digits))
        if not piece.isdigit():
            break
    return tuple(parts)


def installed_version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _resolve(target: Target):
    obj = importlib.import_module(target.module)
    for part in target.name.split("."):
        obj = getattr(obj, part)
    return obj


def _template_file(app: str, template: str) -> Path | None:
    from jupyter_core.paths import jupyter_path

    for root in jupyter_path(app, "templates", template):
        candidate = Path(root) / "index.html.j2"
        if candidate.is_file():
            return candidate
    return None


def problems(*, packages=None) -> list[str]:
    """Every way the installed libraries differ from what the kit's patches were written for.

    Must run before the patches are installed (a patched method no longer has the original
    source). ``packages`` limits the check (default: all of :data:`TESTED`).
    """
    wanted = set(TESTED if packages is None else packages)
    found: list[str] = []
    for package in sorted(wanted):
        low, high = TESTED[package]
        have = installed_version(package)
        if have is None:
            found.append(f"{package} is not installed; the kit needs {package}>={low},<{high}.")
            continue
        if not _version_tuple(low) <= _version_tuple(have) < _version_tuple(high):
            found.append(
                f"{package} {have} is installed, but the kit's patches were tested with "
                f"{package}>={low},<{high}."
            )
            continue
    for target in TARGETS:
        if target.package not in wanted:
            continue
        try:
            obj = _resolve(target)
        except (ImportError, AttributeError):
            found.append(f"{target.label} no longer exists in {target.ships_in} "
                         f"{installed_version(target.ships_in)} (the kit uses it because "
                         f"upstream {target.why}).")
            continue
        if target.fingerprint is None:
            continue
        if getattr(obj, "_kit_guarded", False) or getattr(obj, "__module__", "").startswith("kit."):
            continue  # already patched in this process: checked before patching
        try:
            now = fingerprint(obj)
        except (OSError, TypeError):
            found.append(f"the source of {target.label} cannot be read to check it.")
            continue
        if now != target.fingerprint:
            found.append(
                f"{target.label} in {target.ships_in} {installed_version(target.ships_in)} is not "
                f"the code the kit's patch replaces (the patch exists because upstream "
                f"{target.why})."
            )
    if "voila" in wanted:
        found += _template_problems()
    return found


def _template_problems() -> list[str]:
    import re

    found = []
    for (app, template), blocks in TEMPLATE_BLOCKS.items():
        path = _template_file(app, template)
        if path is None:
            found.append(f"the {app} '{template}' template the kit's page extends was not found.")
            continue
        text = path.read_text(encoding="utf-8")
        for block in blocks:
            if not re.search(r"{%-?\s*block\s+" + re.escape(block) + r"\b", text):
                found.append(
                    f"the {app} '{template}' template ({path}) has no block '{block}', which the "
                    "kit's template replaces to keep pages off the network."
                )
    return found


def check(*, packages=None) -> None:
    """Raise :class:`FenceError` listing every problem found by :func:`problems`."""
    found = problems(packages=packages)
    if not found:
        return
    pins = " ".join(f"'{p}>={low},<{high}'" for p, (low, high) in TESTED.items()
                    if packages is None or p in packages)
    lines = "\n".join(f"  - {p}" for p in found)
    raise FenceError(
        "the apps cannot be served safely with the libraries installed:\n"
        f"{lines}\n"
        f"Install the tested versions (pip install {pins}), or, if you maintain the kit, "
        "update the patches in kit/voila/_pool.py or kit/voila/_network.py and refresh "
        "kit/voila/_fence.py for the new "
        "version (python -m kit.voila._fence --print)."
    )


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--print" in args:
        for target in TARGETS:
            if target.fingerprint is not None:
                print(f"{target.label}: {fingerprint(_resolve(target))}")
        return 0
    found = problems()
    for p in found:
        print(p)
    return 1 if found else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
