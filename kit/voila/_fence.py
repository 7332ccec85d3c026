"""A fence around the kit's uses of other libraries' private code.

The kit replaces private methods of Voila (``kit/voila/_pool.py``), wraps two of its
application's methods and subclasses its static-file handlers (``kit/voila/_network.py``),
overrides blocks of Voila's lab template (``kit/voila/jupyter/nbconvert/templates/kit``), reads
private names of Voila, Tornado and Altair (``kit/voila/_pool.py``, ``kit/charts/display.py``,
``kit/report/pdf.py``) and repeats the steps of a Tornado method (``kit/voila/_brotli.py``).
Each was written against the versions in :data:`TESTED`. A new release may rename or rewrite
any of them, and the kit would then fail later, in front of a visitor, or quietly do nothing.

:data:`PRIVATE_USES` is the one table of them all: what is used, which library owns it, which
kit module relies on it, why, and the upstream issue. Before anything is patched (``kit serve``
at start-up, :func:`kit.voila._pool.install`, :func:`kit.voila._network.install`)
:func:`problems` checks each owning library's installed version against its tested range
(compared as PEP 440 versions, the way pip reads the pins), and each target against a
fingerprint of the original's source (or, for a name the kit only reads, that it still
exists). On any mismatch ``kit serve`` stops with a message naming the library, its version
and what to do, instead of serving pages that fail later.

After deliberately testing a new version, refresh the fingerprints with::

    python -m kit.voila._fence --print

update :data:`TESTED` and the pins in ``pyproject.toml`` and ``environment.yml`` (a test
checks they agree), and regenerate the table in ``docs/architecture.md`` with
``python -m kit.voila._fence --table``.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "NO_ISSUE",
    "PRIVATE_USES",
    "TARGETS",
    "TEMPLATE_BLOCKS",
    "TESTED",
    "FenceError",
    "Target",
    "TemplateBlock",
    "check",
    "fingerprint",
    "problems",
    "table_markdown",
    "within",
]

#: Library -> (lowest tested version, first version NOT tested): the pin
#: ``library>=low,<high``. Every library that owns a target below is here, and the pins in
#: pyproject.toml and environment.yml say the same (a test checks that they do).
TESTED = {
    "voila": ("0.5.13", "0.5.14"),
    "jupyter_server": ("2.21", "2.22"),
    "tornado": ("6.6", "6.7"),
    "nbconvert": ("7.17", "7.18"),
    "altair": ("6.0", "7"),
    "ipykernel": ("7.4", "7.5"),
    "ipywidgets": ("8.1", "8.2"),
}

#: Written in :attr:`Target.issue` when nobody has reported the fault upstream yet.
NO_ISSUE = "no upstream issue yet"


@dataclass(frozen=True)
class Target:
    """One piece of another library's code the kit relies on.

    ``fingerprint`` is the hash of the original source the kit was written against, or
    ``None`` for a name the kit only reads (then only its presence is checked).
    """

    package: str  # the patch set: "voila" (checked by kit serve and the launcher) or "altair"
    module: str
    name: str  # "Class.attribute" or "function"
    fingerprint: str | None
    why: str  # the upstream problem the patch works around, or what the kit reads it for
    #: The library that owns ``module``, when it is not ``package`` (named in messages).
    distribution: str | None = None
    #: The kit module that relies on it.
    used_in: str = ""
    #: The upstream issue (``owner/repo#number``), or :data:`NO_ISSUE`.
    issue: str = NO_ISSUE

    @property
    def label(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def ships_in(self) -> str:
        return self.distribution or self.package

    owner = ships_in


@dataclass(frozen=True)
class TemplateBlock:
    """A block of an upstream Jinja template that the kit's page template overrides.

    ``fingerprint`` is the hash of the block's upstream body when the kit's block calls
    ``super()`` (so the kit depends on what it holds), or ``None`` when the kit replaces it
    whole (then only its presence is checked).
    """

    app: str  # "voila" or "nbconvert": the library whose template it is
    template: str  # "lab"
    block: str
    fingerprint: str | None
    why: str
    used_in: str = "kit/voila/jupyter/nbconvert/templates/kit/index.html.j2"
    issue: str = NO_ISSUE

    @property
    def label(self) -> str:
        return f"{self.app} '{self.template}' template, block {self.block}"

    @property
    def owner(self) -> str:
        return self.app


_POOL = "kit/voila/_pool.py"
_NETWORK = "kit/voila/_network.py"

TARGETS = (
    Target("voila", "voila.request_info_handler", "RequestInfoSocketHandler.open",
           "0e7270dcc7de3475",
           "drops request details written to a connection that has just closed",
           used_in=_POOL),
    Target("voila", "voila.request_info_handler", "RequestInfoSocketHandler.on_message",
           "c6dc394c12590e2c",
           "has no acknowledgement, so details cannot be kept until a kernel has them",
           used_in=_POOL),
    Target("voila", "voila.request_info_handler", "RequestInfoSocketHandler.on_close",
           "f8cd42e0b3a981cf",
           "on a close, may delete another kernel's waiter", used_in=_POOL),
    Target("voila", "voila.request_info_handler", "RequestInfoSocketHandler.send_updates",
           "f5758365962b3721",
           "forgets details sent to a kernel that is not connected at that moment",
           used_in=_POOL),
    Target("voila", "voila.handler", "VoilaHandler.prepare",
           "a67f92de0100fb12",
           "never sets the _xsrf cookie on app pages, so closing a page cannot free its kernel",
           used_in=_POOL, issue="voila-dashboards/voila#1458"),
    Target("voila", "voila.notebook_renderer", "NotebookRenderer.generate_content_generator",
           "2bdf88286d1c28aa",
           "drops a kernel start-up error in a background task; the page loads for ever",
           used_in=_POOL, issue="related: voila-dashboards/voila#1311"),
    Target("voila", "voila.voila_kernel_manager", "VoilaKernelManager._get_notebook_from_kernel",
           "fba8ea541efe05fb",
           "has no public way to tell which notebook a pooled kernel runs; read to name it in "
           "the 'ready for its visitor' log line", used_in=_POOL),
    Target("voila", "voila.utils", "wait_for_request",
           "a9c5064ff74a1918",
           "gives up after one failed connection; kit/voila/_kernel.py rebuilds its address "
           "from the same VOILA_* environment variables and keeps asking", used_in="kit/voila/_kernel.py"),
    Target("voila", "tornado.web", "RequestHandler.finish",
           "ea97b6339b98bbc9",
           "has no public way to tell that a response is already finished (a redirect to the "
           "sign-in page); the private _finished, set here, is read before issuing the _xsrf "
           "cookie",
           distribution="tornado", used_in=_POOL),
    # kit/voila/_network.py: compression and long cache lifetimes
    Target("voila", "voila.app", "Voila.init_settings",
           "baf91c97509c32a1",
           "has no setting for gzip (compress_response), which Tornado reads only when the "
           "application is built", used_in=_NETWORK),
    Target("voila", "voila.app", "Voila.init_handlers",
           "83e7ffbc438e71fb",
           "serves even versioned static files with no cache lifetime, so every visit asks "
           "for each file again", used_in=_NETWORK),
    Target("voila", "voila.static_file_handler", "TemplateStaticFileHandler", None,
           "serves the template's static files (swapped for a subclass that caches versioned "
           "ones)", used_in=_NETWORK),
    Target("voila", "voila.static_file_handler", "MultiStaticFileHandler", None,
           "serves its own static files (swapped for a subclass that caches versioned ones)",
           used_in=_NETWORK),
    Target("voila", "jupyter_server.base.handlers", "FileFindHandler.set_headers",
           "9d34eb9489c9b30e",
           "marks every JupyterLab extension file no-cache, even chunks named by a content hash",
           distribution="jupyter_server", used_in=_NETWORK,
           issue="jupyter-server/jupyter_server#413"),
    Target("voila", "tornado.web", "StaticFileHandler.get",
           "d30b3f00cbbb6c05",
           "has no way to send a file compressed ahead of time; kit/voila/_brotli.py repeats "
           "its steps before the body (path checks, headers, 304) to send kept Brotli bytes",
           distribution="tornado", used_in="kit/voila/_brotli.py"),
    Target("voila", "ipywidgets", "_handle_ipython", None,
           "registers the widget comm targets on import, only inside a kernel: a kernel "
           "forked from the template (kit/commands/kernel_template.py) calls it again",
           distribution="ipywidgets", used_in="kit/commands/kernel_template.py"),
    Target("voila", "ipykernel.kernelapp", "IPKernelApp.parent_handle", None,
           "its default is read from the environment when ipykernel is imported, so a "
           "forked kernel sets it", distribution="ipykernel", used_in="kit/commands/kernel_template.py"),
    Target("voila", "ipykernel.parentpoller", "ParentPollerUnix.run", "fae11bc24bfcb08f",
           "a forked kernel's parent is the template, not the server: this poller must then "
           "watch only for being orphaned, so a template crash does not end the kernels",
           distribution="ipykernel", used_in="kit/commands/kernel_template.py"),
    Target("altair", "altair", "JupyterChart._esm", None,
           "the chart widget's JavaScript, replaced by the offline bundle, re-exported with its "
           "render wrapped so a chart follows its box's width",
           used_in="kit/charts/display.py"),
    Target("altair", "altair", "JupyterChart._is_offline", None,
           "tells whether the offline bundle is in place; set with _esm so that Altair does not "
           "rebuild it", used_in="kit/charts/display.py"),
    Target("altair", "altair", "JupyterChart.enable_offline", "348403d24b63bbb0",
           "builds the offline chart bundle; the kit relies on it setting _esm and _is_offline",
           used_in="kit/charts/display.py"),
    Target("altair", "altair.utils._importers", "vl_version_for_vl_convert", None,
           "the Vega-Lite version vl-convert must use for static charts and PDFs",
           used_in="kit/report/svg.py, kit/charts/display.py"),
)

#: Blocks of Voila's and nbconvert's lab templates that the kit's template overrides. Most are
#: replaced because upstream fills them with CDN addresses (Font Awesome, MathJax, Mermaid);
#: body_header and body_footer are extended (``super()``) to wrap the page in one main landmark. If
#: upstream renames one the kit's override silently stops applying, and if upstream changes
#: what an extended block holds the landmark may no longer wrap the page.
TEMPLATE_BLOCKS = (
    TemplateBlock("voila", "lab", "notebook_css", None,
                  "links Font Awesome from a CDN; replaced with the kit's own styles"),
    TemplateBlock("voila", "lab", "html_head_js_mathjax", None,
                  "loads MathJax from a CDN; emptied"),
    TemplateBlock("voila", "lab", "body_header", "840249b31393ffd5",
                  "opens the page's body; extended to open the main landmark inside it"),
    TemplateBlock("voila", "lab", "body_footer", "957e72356dafddae",
                  "closes the page's body; extended to close the main landmark before it"),
    TemplateBlock("nbconvert", "lab", "notebook_css", None,
                  "links Font Awesome and styles from a CDN; replaced (through Voila's)"),
    TemplateBlock("nbconvert", "lab", "html_head_js_mathjax", None,
                  "loads MathJax from a CDN; emptied"),
    TemplateBlock("nbconvert", "lab", "html_head_js_mermaidjs", None,
                  "loads Mermaid from a CDN; emptied"),
)


def private_uses() -> tuple:
    """Every private use: :data:`TARGETS` then :data:`TEMPLATE_BLOCKS` (the one table)."""
    return (*TARGETS, *TEMPLATE_BLOCKS)


#: The one table of every private use of another library (see :func:`table_markdown`).
PRIVATE_USES = private_uses()


class FenceError(RuntimeError):
    """An installed library is not the version, or not the code, the kit's patches fit."""


def fingerprint(obj) -> str:
    """A short hash of ``obj``'s source, ignoring indentation and blank lines."""
    return _hash_lines(inspect.getsource(obj))


def within(version: str, low: str, high: str) -> bool:
    """True when ``version`` satisfies the pin ``>=low,<high``, read as pip reads it (PEP 440).

    A post-release of a tested version is tested (``0.5.13.post1``); a pre-release or
    development release is not (``0.5.13.dev0`` comes before ``0.5.13``, and ``<0.5.14``
    excludes ``0.5.14rc1``). A version that PEP 440 cannot read is not within any range.

    Examples
    --------
    >>> within("0.5.13", "0.5.13", "0.5.14"), within("0.5.1post3", "0.5.13", "0.5.14")
    (True, False)
    >>> within("0.5.13.dev0", "0.5.13", "0.5.14"), within("0.5.14rc1", "0.5.13", "0.5.14")
    (False, False)
    """
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(version)
    except InvalidVersion:
        return False
    return SpecifierSet(f">={low},<{high}").contains(parsed, prereleases=True)


def installed_version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _pooled_kernel_manager():
    """Voila's pooled kernel manager class, which only exists once its factory has built it."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    return voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)


#: Classes a module builds when asked rather than defines: (module, name) -> how to build it.
_BUILT = {("voila.voila_kernel_manager", "VoilaKernelManager"): _pooled_kernel_manager}


def _resolve(target: Target):
    obj = importlib.import_module(target.module)
    parts = target.name.split(".")
    build = _BUILT.get((target.module, parts[0]))
    if build is not None:
        obj, parts = build(), parts[1:]
    for part in parts:
        obj = getattr(obj, part)
    return obj


def _template_file(app: str, template: str) -> Path | None:
    from jupyter_core.paths import jupyter_path

    for root in jupyter_path(app, "templates", template):
        candidate = Path(root) / "index.html.j2"
        if candidate.is_file():
            return candidate
    return None


def _block_body(text: str, block: str) -> str | None:
    """The body of ``{% block name %}...{% endblock %}`` in a Jinja template, or None."""
    found = re.search(r"{%-?\s*block\s+" + re.escape(block) + r"\b.*?%}(.*?){%-?\s*endblock",
                      text, re.S)
    return None if found is None else found.group(1)


def _hash_lines(source: str) -> str:
    lines = [line.rstrip() for line in textwrap.dedent(source).splitlines() if line.strip()]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def block_fingerprint(block: TemplateBlock) -> str | None:
    """The fingerprint of ``block``'s body in the installed template (None when missing)."""
    path = _template_file(block.app, block.template)
    if path is None:
        return None
    body = _block_body(path.read_text(encoding="utf-8"), block.block)
    return None if body is None else _hash_lines(body)


def _patch_sets(packages) -> set[str]:
    return set(TESTED if packages is None else packages)


def _owners(wanted: set[str]) -> set[str]:
    """The libraries owning a target of the ``wanted`` patch sets (and the sets' own)."""
    owners = {t.owner for t in TARGETS if t.package in wanted}
    if "voila" in wanted:
        owners |= {b.owner for b in TEMPLATE_BLOCKS}
    return owners | {p for p in wanted if p in TESTED}


def _version_problems(wanted: set[str]) -> list[str]:
    """Each library owning a target of the ``wanted`` patch sets, outside its tested range."""
    found = []
    for library in sorted(_owners(wanted)):
        if library not in TESTED:
            found.append(f"{library} owns code the kit's patches use but has no tested range "
                         "(add it to kit.voila._fence.TESTED and pin it).")
            continue
        low, high = TESTED[library]
        have = installed_version(library)
        if have is None:
            found.append(f"{library} is not installed; the kit needs {library}>={low},<{high}.")
        elif not within(have, low, high):
            found.append(
                f"{library} {have} is installed, but the kit's patches were tested with "
                f"{library}>={low},<{high}."
            )
    return found


def _target_problem(target: Target) -> str | None:
    try:
        obj = _resolve(target)
    except (ImportError, AttributeError):
        return (f"{target.label} no longer exists in {target.ships_in} "
                f"{installed_version(target.ships_in)} (the kit uses it because "
                f"upstream {target.why}).")
    if target.fingerprint is None:
        return None
    if getattr(obj, "_kit_guarded", False) or getattr(obj, "__module__", "").startswith("kit."):
        return None  # already patched in this process: checked before patching
    try:
        now = fingerprint(obj)
    except (OSError, TypeError):
        return f"the source of {target.label} cannot be read to check it."
    if now != target.fingerprint:
        return (
            f"{target.label} in {target.ships_in} {installed_version(target.ships_in)} is not "
            f"the code the kit's patch replaces (the patch exists because upstream "
            f"{target.why})."
        )
    return None


def problems(*, packages=None) -> list[str]:
    """Every way the installed libraries differ from what the kit's patches were written for.

    Must run before the patches are installed (a patched method no longer has the original
    source). ``packages`` names the patch sets to check (``"voila"``, ``"altair"``; default
    all): the versions of every library owning one of their targets, then the targets.
    """
    wanted = _patch_sets(packages)
    found = _version_problems(wanted)
    found += [p for t in TARGETS if t.package in wanted if (p := _target_problem(t))]
    if "voila" in wanted:
        found += _template_problems()
    return found


def _template_problems() -> list[str]:
    found = []
    missing = set()
    for block in TEMPLATE_BLOCKS:
        key = (block.app, block.template)
        path = _template_file(*key)
        if path is None:
            if key not in missing:
                missing.add(key)
                found.append(f"the {block.app} '{block.template}' template the kit's page "
                             "extends was not found.")
            continue
        body = _block_body(path.read_text(encoding="utf-8"), block.block)
        if body is None:
            found.append(
                f"the {block.app} '{block.template}' template ({path}) has no block "
                f"'{block.block}', which the kit's template overrides: upstream {block.why}."
            )
        elif block.fingerprint is not None and _hash_lines(body) != block.fingerprint:
            found.append(
                f"the block '{block.block}' of the {block.app} '{block.template}' template in "
                f"{block.app} {installed_version(block.app)} is not the one the kit's template "
                f"extends (upstream {block.why})."
            )
    return found


def table_markdown() -> str:
    """:data:`PRIVATE_USES` as a Markdown table (``docs/architecture.md`` holds a copy)."""
    rows = ["| private use | owner | used in | why | upstream issue |",
            "|---|---|---|---|---|"]
    for use in private_uses():
        label = use.label if isinstance(use, TemplateBlock) else f"`{use.label}`"
        why = use.why.replace("|", "/")
        rows.append(f"| {label} | {use.owner} | `{use.used_in}` | {why} | {use.issue} |")
    return "\n".join(rows)


def check(*, packages=None) -> None:
    """Raise :class:`FenceError` listing every problem found by :func:`problems`."""
    found = problems(packages=packages)
    if not found:
        return
    owners = _owners(_patch_sets(packages))
    pins = " ".join(f"'{p}>={low},<{high}'" for p, (low, high) in TESTED.items()
                    if p in owners)
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
        for block in TEMPLATE_BLOCKS:
            if block.fingerprint is not None:
                print(f"{block.label}: {block_fingerprint(block)}")
        return 0
    if "--table" in args:
        print(table_markdown())
        return 0
    found = problems()
    for p in found:
        print(p)
    return 1 if found else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
